//! `GET /api/health`: the server is up and its database answers.

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use nova_contract::Health;

use super::extract::ok;
use crate::error::Result;
use crate::state::ApiContext;

pub fn router() -> Router<ApiContext> {
    Router::new().route("/api/health", get(health))
}

async fn health(State(ctx): State<ApiContext>) -> Result<Response> {
    ctx.store.ping().await?;
    Ok(ok(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    }))
}
