//! `GET /api/audit`: the cabinet's audit log, for its admins only. The log says which staff
//! member opened which patient's record, so it is itself sensitive: managers, who run the
//! practice but are not its data controllers, do not see it.

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use nova_contract::{AuditQuery, PaginatedResponse, Pagination, Role};

use super::extract::{ok, CurrentUser, Query};
use super::patients::paging;
use crate::error::{Error, Result};
use crate::state::ApiContext;

pub fn router() -> Router<ApiContext> {
    Router::new().route("/api/audit", get(list))
}

async fn list(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Query(q): Query<AuditQuery>,
) -> Result<Response> {
    if caller.role != Role::Admin {
        return Err(Error::forbidden());
    }
    let (page, limit) = paging(q.page, q.limit)?;
    let (items, total) = ctx
        .store
        .audit_entries(&caller.cabinet_id, q.subject_id.as_deref(), page, limit)
        .await?;
    Ok(ok(PaginatedResponse {
        items,
        pagination: Pagination::new(page, limit, total),
    }))
}
