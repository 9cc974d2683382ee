//! `POST /api/announcements`: a manager or admin tells everyone of the cabinet connected now
//! (or one role of it) something that cannot wait ("the practice closes at 17:00 today").
//! Volatile: nobody who connects later sees it.

use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use nova_contract::{Announcement, AnnouncementRequest, Role};

use super::extract::{ok, CurrentUser, Json};
use crate::error::{Error, Result};
use crate::state::ApiContext;

const MAX_CHARS: usize = 500;

pub fn router() -> Router<ApiContext> {
    Router::new().route("/api/announcements", post(announce))
}

async fn announce(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Json(req): Json<AnnouncementRequest>,
) -> Result<Response> {
    if !matches!(caller.role, Role::Manager | Role::Admin) {
        return Err(Error::forbidden());
    }
    let message = req.message.trim();
    if message.is_empty() || message.chars().count() > MAX_CHARS {
        return Err(Error::validation(
            "message",
            format!("Message de 1 à {MAX_CHARS} caractères"),
        ));
    }
    ctx.notify
        .announcement(&caller.cabinet_id, req.audience, message)
        .await;
    Ok(ok(Announcement {
        message: message.to_owned(),
        audience: req.audience,
    }))
}
