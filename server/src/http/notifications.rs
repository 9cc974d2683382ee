//! `GET /api/notifications` and marking them read: the caller's own durable events, whatever
//! cabinet they act in (a notification is about its person, and reached them on every tab).
//! Ids are the caller's event numbers; one the caller does not have, someone else's included,
//! is 404.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use nova_contract::{NotificationList, NotificationListQuery, Pagination, ReadAllResult};

use super::extract::{ok, CurrentUser, Query};
use super::patients::paging;
use crate::error::{Error, Result};
use crate::state::ApiContext;

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/api/notifications", get(list))
        .route("/api/notifications/read-all", post(read_all))
        // PUT too: the browser client marks read with PUT.
        .route("/api/notifications/{id}/read", post(read_one).put(read_one))
}

async fn list(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Query(q): Query<NotificationListQuery>,
) -> Result<Response> {
    let (page, limit) = paging(q.page, q.limit)?;
    let unread_only = q.unread_only.unwrap_or(false);
    let (items, total) = ctx
        .store
        .notifications_page(&caller.id, unread_only, page, limit)
        .await?;
    let unread_count = ctx.store.unread_notifications(&caller.id).await?;
    Ok(ok(NotificationList {
        items,
        pagination: Pagination::new(page, limit, total),
        unread_count,
    }))
}

async fn read_one(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response> {
    let missing = || Error::not_found("Notification");
    let seq: i64 = id.parse().map_err(|_| missing())?;
    let read = ctx
        .store
        .mark_notification_read(&caller.id, seq, ctx.clock.now())
        .await?
        .ok_or_else(missing)?;
    Ok(ok(read))
}

async fn read_all(State(ctx): State<ApiContext>, caller: CurrentUser) -> Result<Response> {
    let updated = ctx
        .store
        .mark_all_notifications_read(&caller.id, ctx.clock.now())
        .await?;
    let unread_count = ctx.store.unread_notifications(&caller.id).await?;
    Ok(ok(ReadAllResult {
        updated,
        unread_count,
    }))
}
