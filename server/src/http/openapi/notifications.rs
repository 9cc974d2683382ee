//! The caller's notifications (handlers in `http/notifications.rs`).

// The functions below exist only to carry their `#[utoipa::path]`.
#![allow(dead_code)]

use nova_contract::{
    ApiResponse, Notification, NotificationList, NotificationListQuery, ReadAllResult,
};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(paths(list, read_one, read_one_put, read_all))]
pub(super) struct Paths;

/// The caller's notifications
///
/// Newest first, kept 30 days: the durable events sent to the caller over Socket.IO (each
/// item's `id` is the event's `id`). `unreadCount` counts all of the caller's unread ones,
/// whatever the page. Events of a family the caller keeps out of the app
/// (`preferences.notifications.types`) are listed already read.
#[utoipa::path(get, path = "/api/notifications", tag = "Notifications", operation_id = "listNotifications",
    params(NotificationListQuery),
    responses(
        (status = 200, description = "A page of notifications and the unread count", body = ApiResponse<NotificationList>),
    ),
    security(("bearerAuth" = [])))]
fn list() {}

/// Mark one notification read
///
/// Marking it again keeps the first reading time.
#[utoipa::path(post, path = "/api/notifications/{id}/read", tag = "Notifications", operation_id = "readNotification",
    responses(
        (status = 200, description = "The notification, read", body = ApiResponse<Notification>),
    ),
    security(("bearerAuth" = [])))]
fn read_one() {}

/// Mark one notification read (as POST)
#[utoipa::path(put, path = "/api/notifications/{id}/read", tag = "Notifications", operation_id = "readNotificationPut",
    responses(
        (status = 200, description = "The notification, read", body = ApiResponse<Notification>),
    ),
    security(("bearerAuth" = [])))]
fn read_one_put() {}

/// Mark all the caller's notifications read
#[utoipa::path(post, path = "/api/notifications/read-all", tag = "Notifications", operation_id = "readAllNotifications",
    responses(
        (status = 200, description = "How many were unread", body = ApiResponse<ReadAllResult>),
    ),
    security(("bearerAuth" = [])))]
fn read_all() {}
