//! What happens to an appointment after it is booked (rules in `domain::transitions`):
//!
//! - `PUT /api/appointments/{id}/cancel` `{reason?}`: its patient, until it starts, or staff.
//! - `PUT /api/appointments/{id}/complete`, `…/no-show` (or `…/no_show`): staff, once started.
//! - `PUT /api/appointments/{id}/reschedule` `{startTime, duration?}`: its patient (notice and
//!   hours apply; a confirmed visit goes back to pending) or staff (status kept). Same id.
//! - `PUT /api/appointments/{id}` (seed 000 `UpdateAppointmentRequest`): staff edit time,
//!   length, practitioner or notes; `status` alone is the matching action above.
//!
//! "Staff" is the appointment's practitioner or an admin; managers only read. Someone else's
//! appointment is 404 for a patient (they learn nothing), 403 for staff; a wrong status is 409
//! `INVALID_TRANSITION`. Every change is told to the patient and the practitioner; a time taken
//! or freed goes to the screens watching that agenda and a freed one to the waitlist
//! (`slot_changes`).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::put;
use axum::Router;
use chrono::Utc;
use nova_contract::{
    Appointment, AppointmentMoved, AppointmentStatus, CancelAppointmentRequest, ErrorCode,
    RescheduleAppointmentRequest, Role, UpdateAppointmentRequest,
};

use super::appointments::check_duration;
use super::booking_rules::{cabinet_rules, check_start};
use super::extract::{ok, parse_json, CurrentUser, Json};
use super::extract::{optional_text, MAX_REASON};
use super::slot_changes;
use crate::domain::transitions::{decide, Action, Actor, Refusal};
use crate::error::{Error, Result};
use crate::state::ApiContext;
use crate::store::lifecycle::Rewrite;

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/api/appointments/{id}", put(update))
        .route("/api/appointments/{id}/cancel", put(cancel))
        .route("/api/appointments/{id}/complete", put(complete))
        .route("/api/appointments/{id}/no-show", put(no_show))
        .route("/api/appointments/{id}/no_show", put(no_show))
        .route("/api/appointments/{id}/reschedule", put(reschedule))
}

const MAX_NOTES: usize = 2000;

/// The appointment as this caller may see it, and who they are to it.
async fn load(ctx: &ApiContext, caller: &CurrentUser, id: &str) -> Result<(Appointment, Actor)> {
    let current = ctx
        .store
        .appointment(&caller.cabinet_id, id)
        .await?
        .filter(|a| caller.role != Role::Patient || a.patient_id == caller.id)
        .ok_or_else(|| Error::not_found("Rendez-vous"))?;
    let own = match caller.role {
        Role::Patient => current.patient_id == caller.id,
        Role::Practitioner => current.practitioner_id == caller.id,
        Role::Admin | Role::Manager => false,
    };
    Ok((
        current,
        Actor {
            role: caller.role,
            own,
        },
    ))
}

fn refused(why: Refusal) -> Error {
    let message = match why {
        Refusal::Forbidden => return Error::forbidden(),
        Refusal::WrongStatus => "Ce rendez-vous ne le permet pas dans son état actuel",
        Refusal::NotStarted => "Ce rendez-vous n'a pas encore commencé",
        Refusal::AlreadyStarted => {
            "Ce rendez-vous a commencé : contactez le cabinet pour le modifier"
        }
    };
    Error::new(ErrorCode::InvalidTransition, message)
}

/// Someone else changed the appointment between our read and our write.
fn changed_meanwhile() -> Error {
    Error::new(
        ErrorCode::InvalidTransition,
        "Ce rendez-vous vient d'être modifié ; rechargez-le",
    )
}

/// A status-only action (confirm, cancel, complete, no-show), its rules, write and events.
pub(super) async fn act(
    ctx: &ApiContext,
    caller: &CurrentUser,
    id: &str,
    action: Action,
    reason: Option<String>,
) -> Result<Response> {
    let (current, actor) = load(ctx, caller, id).await?;
    let started = Utc::now() >= current.start_time;
    let status = decide(current.status, action, actor, started).map_err(refused)?;
    let mut next = Rewrite::from_current(&current);
    next.status = status;
    if action == Action::Cancel {
        next.cancel_reason = reason;
    }
    let updated = ctx
        .store
        .rewrite_appointment(&current, &next)
        .await?
        .ok_or_else(changed_meanwhile)?;
    match action {
        Action::Confirm => ctx.notify.appointment_confirmed(&updated).await,
        Action::Cancel => {
            ctx.notify.appointment_cancelled(&updated).await;
            slot_changes::freed(ctx, &current).await;
        }
        Action::Complete => ctx.notify.appointment_completed(&updated).await,
        Action::NoShow => ctx.notify.appointment_no_show(&updated).await,
        Action::Reschedule => {}
    }
    Ok(ok(updated))
}

async fn cancel(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response> {
    // Seed 000 sends `{reason}`, possibly `{}`; an empty body is no reason too.
    let req: CancelAppointmentRequest = if body.iter().all(u8::is_ascii_whitespace) {
        CancelAppointmentRequest::default()
    } else {
        parse_json(&body)?
    };
    let reason = optional_text(req.reason, "reason", MAX_REASON)?;
    act(&ctx, &caller, &id, Action::Cancel, reason).await
}

async fn complete(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response> {
    act(&ctx, &caller, &id, Action::Complete, None).await
}

async fn no_show(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response> {
    act(&ctx, &caller, &id, Action::NoShow, None).await
}

async fn reschedule(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Path(id): Path<String>,
    Json(req): Json<RescheduleAppointmentRequest>,
) -> Result<Response> {
    let (current, actor) = load(&ctx, &caller, &id).await?;
    let duration = req.duration.unwrap_or(current.duration);
    check_duration(duration)?;
    let mut next = Rewrite::from_current(&current);
    next.start = req.start_time;
    next.duration_min = duration;
    move_to(&ctx, &caller, current, actor, next).await
}

/// A change of time, length or practitioner: who may, the status it leaves, the booking rules
/// for the new time, then the guarded write and its events.
async fn move_to(
    ctx: &ApiContext,
    caller: &CurrentUser,
    current: Appointment,
    actor: Actor,
    mut next: Rewrite,
) -> Result<Response> {
    let started = Utc::now() >= current.start_time;
    next.status = decide(current.status, Action::Reschedule, actor, started).map_err(refused)?;
    let rules = cabinet_rules(ctx, &caller.cabinet_id).await?;
    check_start(
        ctx,
        &rules,
        caller.role,
        &next.practitioner_id,
        next.start,
        next.duration_min,
    )
    .await?;
    let updated = ctx
        .store
        .rewrite_appointment(&current, &next)
        .await?
        .ok_or_else(changed_meanwhile)?;
    let moved = AppointmentMoved {
        appointment: updated.clone(),
        previous_start_time: current.start_time,
        previous_end_time: current.end_time,
        previous_practitioner_id: current.practitioner_id.clone(),
    };
    ctx.notify.appointment_rescheduled(&moved).await;
    slot_changes::taken(ctx, &updated).await;
    let same_place = updated.practitioner_id == current.practitioner_id
        && updated.start_time <= current.start_time
        && updated.end_time >= current.end_time;
    if !same_place {
        slot_changes::freed(ctx, &current).await;
    }
    Ok(ok(updated))
}

async fn update(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Path(id): Path<String>,
    Json(req): Json<UpdateAppointmentRequest>,
) -> Result<Response> {
    if let Some(status) = req.status {
        let alone = req.start_time.is_none()
            && req.duration.is_none()
            && req.notes.is_none()
            && req.practitioner_id.is_none();
        if !alone {
            return Err(Error::validation(
                "status",
                "Changez le statut seul, sans autre champ",
            ));
        }
        let action = match status {
            AppointmentStatus::Confirmed => Action::Confirm,
            AppointmentStatus::Cancelled => Action::Cancel,
            AppointmentStatus::Completed => Action::Complete,
            AppointmentStatus::NoShow => Action::NoShow,
            AppointmentStatus::Pending | AppointmentStatus::Rescheduled => {
                return Err(Error::validation(
                    "status",
                    "Statut impossible à demander ; utilisez /reschedule pour déplacer",
                ))
            }
        };
        return act(&ctx, &caller, &id, action, None).await;
    }
    let (current, actor) = load(&ctx, &caller, &id).await?;
    let staff = match caller.role {
        Role::Admin => true,
        Role::Practitioner => actor.own,
        Role::Patient | Role::Manager => false,
    };
    if !staff {
        return Err(Error::forbidden());
    }
    let mut next = Rewrite::from_current(&current);
    if let Some(notes) = &req.notes {
        if notes.chars().count() > MAX_NOTES {
            return Err(Error::validation(
                "notes",
                format!("{MAX_NOTES} caractères au plus"),
            ));
        }
        next.notes = Some(notes.trim().to_string()).filter(|n| !n.is_empty());
    }
    if let Some(duration) = req.duration {
        check_duration(duration)?;
        next.duration_min = duration;
    }
    if let Some(start) = req.start_time {
        next.start = start;
    }
    if let Some(practitioner_id) = &req.practitioner_id {
        if !ctx
            .store
            .practitioner_in_cabinet(&caller.cabinet_id, practitioner_id)
            .await?
        {
            return Err(Error::validation(
                "practitionerId",
                "Praticien inconnu dans ce cabinet",
            ));
        }
        next.practitioner_id = practitioner_id.clone();
    }
    let moves = next.practitioner_id != current.practitioner_id
        || next.start != current.start_time
        || next.duration_min != current.duration;
    if moves {
        return move_to(&ctx, &caller, current, actor, next).await;
    }
    if next.notes == current.notes {
        return Ok(ok(current));
    }
    // Notes alone may change in any status (a visit's notes are often written after it).
    let updated = ctx
        .store
        .rewrite_appointment(&current, &next)
        .await?
        .ok_or_else(changed_meanwhile)?;
    Ok(ok(updated))
}
