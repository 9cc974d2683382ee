//! A practitioner's weekly hours and absences.
//!
//! - `GET /api/practitioners/{id}/hours`: any signed-in user of the cabinet.
//! - `PUT /api/practitioners/{id}/hours` `{hours: [{weekday, start, end}]}`: the practitioner
//!   or an admin; replaces the whole week. Appointments outside the new hours are kept.
//! - `GET /api/practitioners/{id}/absences?from&to`: staff; the practitioner's absences and the
//!   cabinet's closures.
//! - `POST /api/practitioners/{id}/absences` `{startTime, endTime, reason?}`: the practitioner
//!   or an admin. Existing appointments are NOT cancelled: the answer lists those it overlaps
//!   (`overlappingAppointmentIds`); only new slots stop being offered.
//! - `DELETE /api/absences/{id}`: the practitioner or an admin; closures: admins.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{delete, get};
use axum::Router;
use chrono::{DateTime, Duration, Utc};
use nova_contract::{
    AbsenceCreated, AbsenceQuery, CreateAbsenceRequest, ReplaceHoursRequest, Role, WeeklyHours,
};

use super::extract::{created, ok, CurrentUser, Json, Query};
use super::extract::{optional_text, MAX_REASON};
use crate::domain::hours;
use crate::error::{Error, Result};
use crate::state::ApiContext;
use crate::store::schedule::{AbsenceScope, NewAbsence};

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route(
            "/api/practitioners/{id}/hours",
            get(weekly_hours).put(replace_hours),
        )
        .route(
            "/api/practitioners/{id}/absences",
            get(absences).post(add_absence),
        )
        .route("/api/absences/{id}", delete(remove_absence))
}

/// The longest absence one request may record.
const MAX_ABSENCE_DAYS: i64 = 366;

/// 404 unless `id` is a practitioner of the caller's cabinet.
async fn practitioner_of_cabinet(ctx: &ApiContext, caller: &CurrentUser, id: &str) -> Result<()> {
    if ctx
        .store
        .practitioner_in_cabinet(&caller.cabinet_id, id)
        .await?
    {
        Ok(())
    } else {
        Err(Error::not_found("Praticien"))
    }
}

/// The practitioner themself or an admin.
fn may_manage(caller: &CurrentUser, practitioner_id: &str) -> Result<()> {
    match caller.role {
        Role::Admin => Ok(()),
        Role::Practitioner if caller.id == practitioner_id => Ok(()),
        _ => Err(Error::forbidden()),
    }
}

async fn week(ctx: &ApiContext, caller: &CurrentUser, id: &str) -> Result<WeeklyHours> {
    let settings = ctx
        .store
        .cabinet_settings(&caller.cabinet_id)
        .await?
        .ok_or_else(|| Error::not_found("Cabinet"))?;
    let windows = ctx.store.working_hours(id).await?;
    Ok(WeeklyHours {
        practitioner_id: id.to_string(),
        timezone: settings.timezone,
        hours: hours::describe(&windows),
    })
}

async fn weekly_hours(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response> {
    practitioner_of_cabinet(&ctx, &caller, &id).await?;
    Ok(ok(week(&ctx, &caller, &id).await?))
}

async fn replace_hours(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Path(id): Path<String>,
    Json(req): Json<ReplaceHoursRequest>,
) -> Result<Response> {
    practitioner_of_cabinet(&ctx, &caller, &id).await?;
    may_manage(&caller, &id)?;
    let windows = hours::validate(&req.hours).map_err(|e| Error::validation(e.field, e.message))?;
    ctx.store.replace_working_hours(&id, &windows).await?;
    Ok(ok(week(&ctx, &caller, &id).await?))
}

/// The window a list of absences covers: from `from` (now by default) to `to` (a year later
/// by default).
pub(super) fn absence_range(q: &AbsenceQuery) -> Result<(DateTime<Utc>, DateTime<Utc>)> {
    let from = q.from.unwrap_or_else(Utc::now);
    let to = q.to.unwrap_or(from + Duration::days(MAX_ABSENCE_DAYS));
    if to <= from {
        return Err(Error::validation("to", "to doit suivre from"));
    }
    Ok((from, to))
}

async fn absences(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<AbsenceQuery>,
) -> Result<Response> {
    practitioner_of_cabinet(&ctx, &caller, &id).await?;
    // Reasons can be personal; patients see absences only as slots not offered.
    if !caller.role.is_staff() {
        return Err(Error::forbidden());
    }
    let (from, to) = absence_range(&q)?;
    let list = ctx
        .store
        .absences(
            &caller.cabinet_id,
            AbsenceScope::Practitioner(&id),
            from,
            to,
        )
        .await?;
    Ok(ok(list))
}

async fn add_absence(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Path(id): Path<String>,
    Json(req): Json<CreateAbsenceRequest>,
) -> Result<Response> {
    practitioner_of_cabinet(&ctx, &caller, &id).await?;
    may_manage(&caller, &id)?;
    create_absence(&ctx, &caller, Some(id), req).await
}

/// Validates and records an absence (`practitioner_id: None`: a cabinet closure).
pub(super) async fn create_absence(
    ctx: &ApiContext,
    caller: &CurrentUser,
    practitioner_id: Option<String>,
    req: CreateAbsenceRequest,
) -> Result<Response> {
    if req.end_time <= req.start_time {
        return Err(Error::validation("endTime", "La fin doit suivre le début"));
    }
    if req.end_time - req.start_time > Duration::days(MAX_ABSENCE_DAYS) {
        return Err(Error::validation(
            "endTime",
            format!("{MAX_ABSENCE_DAYS} jours au plus par absence"),
        ));
    }
    let reason = optional_text(req.reason, "reason", MAX_REASON)?;
    let new = NewAbsence {
        cabinet_id: caller.cabinet_id.clone(),
        practitioner_id,
        start: req.start_time,
        end: req.end_time,
        reason,
        created_by: caller.id.clone(),
    };
    let (absence, overlapping_appointment_ids) = ctx.store.insert_absence(&new).await?;
    Ok(created(AbsenceCreated {
        absence,
        overlapping_appointment_ids,
    }))
}

async fn remove_absence(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response> {
    let absence = ctx
        .store
        .absence(&caller.cabinet_id, &id)
        .await?
        .ok_or_else(|| Error::not_found("Absence"))?;
    match &absence.practitioner_id {
        Some(p) => may_manage(&caller, p)?,
        None if caller.role == Role::Admin => {}
        None => return Err(Error::forbidden()),
    }
    if !ctx.store.delete_absence(&caller.cabinet_id, &id).await? {
        return Err(Error::not_found("Absence"));
    }
    Ok(ok(absence))
}
