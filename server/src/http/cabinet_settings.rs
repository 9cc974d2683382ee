//! The caller's cabinet and its booking rules, and cabinet-wide closures.
//!
//! - `GET /api/cabinets/current`: any signed-in user.
//! - `PUT /api/cabinets/current` `{timezone?, bufferMinutes?, minNoticeMinutes?}`: admins.
//! - `GET /api/cabinets/current/closures?from&to`: staff.
//! - `POST /api/cabinets/current/closures` `{startTime, endTime, reason?}`: admins. A closure is
//!   an absence with no practitioner; it is deleted with `DELETE /api/absences/{id}`.

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chrono_tz::Tz;
use nova_contract::{AbsenceQuery, CreateAbsenceRequest, Role, UpdateCabinetRequest};

use super::extract::{ok, CurrentUser, Json, Query};
use super::schedule::{absence_range, create_absence};
use crate::error::{Error, Result};
use crate::state::ApiContext;
use crate::store::schedule::AbsenceScope;

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/api/cabinets/current", get(current).put(update))
        .route(
            "/api/cabinets/current/closures",
            get(closures).post(create_closure),
        )
}

/// Longest buffer between two appointments (minutes).
pub const MAX_BUFFER: u32 = 240;
/// Longest minimum notice (minutes): 30 days.
pub const MAX_NOTICE: u32 = 30 * 24 * 60;

async fn current(State(ctx): State<ApiContext>, caller: CurrentUser) -> Result<Response> {
    let settings = ctx
        .store
        .cabinet_settings(&caller.cabinet_id)
        .await?
        .ok_or_else(|| Error::not_found("Cabinet"))?;
    Ok(ok(settings))
}

async fn update(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Json(req): Json<UpdateCabinetRequest>,
) -> Result<Response> {
    if caller.role != Role::Admin {
        return Err(Error::forbidden());
    }
    let mut settings = ctx
        .store
        .cabinet_settings(&caller.cabinet_id)
        .await?
        .ok_or_else(|| Error::not_found("Cabinet"))?;
    if let Some(tz) = req.timezone {
        let tz = tz.trim();
        if tz.parse::<Tz>().is_err() {
            return Err(Error::validation(
                "timezone",
                "Fuseau horaire IANA inconnu (ex. Europe/Paris)",
            ));
        }
        settings.timezone = tz.to_string();
    }
    if let Some(buffer) = req.buffer_minutes {
        if buffer > MAX_BUFFER {
            return Err(Error::validation(
                "bufferMinutes",
                format!("Entre 0 et {MAX_BUFFER} minutes"),
            ));
        }
        settings.buffer_minutes = buffer;
    }
    if let Some(notice) = req.min_notice_minutes {
        if notice > MAX_NOTICE {
            return Err(Error::validation(
                "minNoticeMinutes",
                format!("Entre 0 et {MAX_NOTICE} minutes"),
            ));
        }
        settings.min_notice_minutes = notice;
    }
    ctx.store
        .update_cabinet_settings(
            &caller.cabinet_id,
            &settings.timezone,
            settings.buffer_minutes,
            settings.min_notice_minutes,
        )
        .await?;
    Ok(ok(settings))
}

async fn closures(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Query(q): Query<AbsenceQuery>,
) -> Result<Response> {
    if !caller.role.is_staff() {
        return Err(Error::forbidden());
    }
    let (from, to) = absence_range(&q)?;
    let list = ctx
        .store
        .absences(&caller.cabinet_id, AbsenceScope::Closures, from, to)
        .await?;
    Ok(ok(list))
}

async fn create_closure(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Json(req): Json<CreateAbsenceRequest>,
) -> Result<Response> {
    if caller.role != Role::Admin {
        return Err(Error::forbidden());
    }
    create_absence(&ctx, &caller, None, req).await
}
