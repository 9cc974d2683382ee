//! `GET /metrics`: the instance's measurements in the Prometheus text format, for a scraper
//! on the operator's network; and the layer that times every API request by route.
//! Aggregates only: no cabinet, person or appointment appears in it.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::state::ApiContext;

pub fn router() -> Router<ApiContext> {
    Router::new().route("/metrics", get(metrics))
}

async fn metrics(State(ctx): State<ApiContext>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        ctx.notify.metrics().render(),
    )
        .into_response()
}

/// Times a matched request; the route template (`/api/appointments/{id}`) is the label, so
/// the number of series stays that of the routes.
pub async fn timed(State(ctx): State<ApiContext>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    ctx.notify
        .metrics()
        .http_request(&method, &route, started.elapsed());
    response
}
