//! `GET /api/practitioners`: who can be booked in the caller's cabinet.

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use super::extract::{ok, CurrentUser};
use crate::error::Result;
use crate::state::ApiContext;

pub fn router() -> Router<ApiContext> {
    Router::new().route("/api/practitioners", get(list))
}

async fn list(State(ctx): State<ApiContext>, caller: CurrentUser) -> Result<Response> {
    Ok(ok(ctx.store.practitioners(&caller.cabinet_id).await?))
}
