//! The REST API: one `router()` per domain, merged once, with a JSON 404 for unknown API paths
//! and the built frontend (single-page fallback) for everything else.

pub mod analytics;
pub mod announcements;
pub mod appointment_types;
pub mod appointments;
pub mod audit;
pub mod auth;
mod booking_rules;
pub mod cabinet_settings;
pub mod calendar;
pub mod client_ip;
pub mod conversations;
pub mod extract;
pub mod gdpr;
pub mod health;
pub mod idempotency;
pub mod lifecycle;
pub mod metrics;
pub mod notifications;
pub mod openapi;
pub mod patients;
pub mod practitioners;
pub mod proposals;
pub mod schedule;
pub(crate) mod slot_changes;
pub mod waitlist;

use axum::Router;
use nova_contract::ErrorCode;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::TraceLayer;

use crate::error::Error;
use crate::state::ApiContext;

pub fn router(ctx: ApiContext) -> Router {
    let dist = ctx.config.dist_dir.clone();
    let api = Router::new()
        .merge(health::router())
        .merge(auth::router())
        .merge(practitioners::router())
        .merge(appointments::router())
        .merge(patients::router())
        .merge(audit::router())
        .merge(analytics::router())
        .merge(gdpr::router())
        .merge(calendar::router())
        .merge(lifecycle::router())
        .merge(schedule::router())
        .merge(cabinet_settings::router())
        .merge(appointment_types::router())
        .merge(notifications::router())
        .merge(waitlist::router())
        .merge(conversations::router())
        .merge(proposals::router())
        .merge(openapi::router())
        .merge(metrics::router())
        .merge(announcements::router())
        .route("/api/{*rest}", axum::routing::any(api_not_found))
        .layer(axum::middleware::from_fn_with_state(
            ctx.clone(),
            idempotency::guard,
        ))
        .route_layer(axum::middleware::from_fn_with_state(
            ctx.clone(),
            metrics::timed,
        ))
        .with_state(ctx);
    let spa = ServeDir::new(&dist).fallback(ServeFile::new(dist.join("index.html")));
    api.fallback_service(spa).layer(TraceLayer::new_for_http())
}

async fn api_not_found() -> Error {
    Error::new(ErrorCode::NotFound, "Ressource introuvable")
}
