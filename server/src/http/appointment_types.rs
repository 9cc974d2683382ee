//! `GET /api/appointment-types`: seed 000's eight kinds of visit, their usual length and their
//! names in French and English, so clients need not hard-code them.

use axum::response::Response;
use axum::routing::get;
use axum::Router;
use nova_contract::AppointmentTypeInfo;

use super::extract::{ok, CurrentUser};
use crate::error::Result;
use crate::state::ApiContext;

pub fn router() -> Router<ApiContext> {
    Router::new().route("/api/appointment-types", get(list))
}

async fn list(_caller: CurrentUser) -> Result<Response> {
    Ok(ok(AppointmentTypeInfo::all()))
}
