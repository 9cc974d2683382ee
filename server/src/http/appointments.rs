//! Appointments: free slots, booking, lists, one appointment, confirmation. Later changes
//! (cancel, reschedule, complete…) live in `lifecycle`.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, put};
use axum::Router;
use chrono::{Duration, Utc};
use chrono_tz::Tz;
use nova_contract::{
    AppointmentListQuery, AppointmentSlot, AppointmentStatus, CreateAppointmentRequest, ErrorCode,
    PaginatedResponse, Pagination, Role, SlotQuery,
};

use super::booking_rules::{booking_context, check_start_within, practitioner_rules};
use super::extract::{created, ok, CurrentUser, Json, Query};
use crate::auth::password;
use crate::domain::slots::{self, MAX_RANGE_DAYS};
use crate::domain::transitions::Action;
use crate::error::{Error, Result};
use crate::state::ApiContext;
use crate::store::appointments::{
    email_taken, slot_conflict, ListScope, NewAppointment, NewPatient,
};
use crate::store::booking_context::Probe;

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/api/appointments", get(list).post(create))
        .route("/api/appointments/slots", get(free_slots))
        .route("/api/appointments/{id}", get(one))
        .route("/api/appointments/{id}/confirm", put(confirm))
}

const MIN_DURATION: u32 = 5;
const MAX_DURATION: u32 = 240;

pub(super) fn check_duration(minutes: u32) -> Result<()> {
    if !(MIN_DURATION..=MAX_DURATION).contains(&minutes) || !minutes.is_multiple_of(5) {
        return Err(Error::validation(
            "duration",
            format!("La durée doit être un multiple de 5 entre {MIN_DURATION} et {MAX_DURATION} minutes"),
        ));
    }
    Ok(())
}

async fn cabinet_tz(ctx: &ApiContext, cabinet_id: &str) -> Result<Tz> {
    let cabinet = ctx
        .store
        .cabinet(cabinet_id)
        .await?
        .ok_or_else(|| Error::not_found("Cabinet"))?;
    cabinet
        .timezone
        .parse()
        .map_err(|_| Error::Internal(format!("cabinet {cabinet_id} has a bad time zone")))
}

async fn free_slots(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Query(q): Query<SlotQuery>,
) -> Result<Response> {
    let duration = q.duration.unwrap_or(30);
    check_duration(duration)?;
    if q.date_to < q.date_from {
        return Err(Error::validation("dateTo", "dateTo précède dateFrom"));
    }
    if (q.date_to - q.date_from).num_days() >= MAX_RANGE_DAYS {
        return Err(Error::validation(
            "dateTo",
            format!("Au plus {MAX_RANGE_DAYS} jours par requête"),
        ));
    }
    let (rules, hours) = practitioner_rules(&ctx, &caller.cabinet_id, &q.practitioner_id)
        .await?
        .ok_or_else(|| Error::not_found("Praticien"))?;
    // Local days map to instants within a day of their UTC midnight, whatever the zone.
    let from = q
        .date_from
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc()
        - Duration::days(1);
    let to = q.date_to.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() + Duration::days(2);
    let busy = ctx.store.busy(&q.practitioner_id, from, to).await?;
    let closed = ctx
        .store
        .closed_times(&caller.cabinet_id, &q.practitioner_id, from, to)
        .await?;
    let found = slots::slots(&slots::SlotQuery {
        tz: rules.tz,
        hours: &hours,
        busy: &busy,
        closed: &closed,
        buffer_min: rules.settings.buffer_minutes,
        from: q.date_from,
        to: q.date_to,
        duration_min: duration,
        step_min: slots::default_step(duration),
        not_before: rules.not_before(caller.role, Utc::now()),
    });
    let out: Vec<AppointmentSlot> = found
        .into_iter()
        .map(|s| AppointmentSlot {
            date: s.date,
            time: s.local_time.format("%H:%M").to_string(),
            available: s.available,
            practitioner_id: q.practitioner_id.clone(),
            duration,
            kind: None,
            start_time: s.start,
        })
        .collect();
    Ok(ok(out))
}

async fn create(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Json(req): Json<CreateAppointmentRequest>,
) -> Result<Response> {
    check_duration(req.duration)?;
    if req.notes.as_ref().is_some_and(|n| n.chars().count() > 2000) {
        return Err(Error::validation("notes", "2000 caractères au plus"));
    }
    let (patient_id, new_patient, status) = match caller.role {
        Role::Patient => {
            if req.patient_data.is_some()
                || req.patient_id.as_ref().is_some_and(|p| *p != caller.id)
            {
                return Err(Error::forbidden());
            }
            (caller.id.clone(), None, AppointmentStatus::Pending)
        }
        Role::Practitioner | Role::Admin => match (&req.patient_id, &req.patient_data) {
            (Some(id), None) => {
                if !ctx.store.patient_in_cabinet(&caller.cabinet_id, id).await? {
                    return Err(Error::validation(
                        "patientId",
                        "Patient inconnu dans ce cabinet",
                    ));
                }
                (id.clone(), None, AppointmentStatus::Confirmed)
            }
            (None, Some(p)) => {
                for (field, value) in [
                    ("patientData.firstName", &p.first_name),
                    ("patientData.lastName", &p.last_name),
                    ("patientData.phone", &p.phone),
                ] {
                    if value.trim().is_empty() {
                        return Err(Error::validation(field, "Champ requis"));
                    }
                }
                let email = p.email.trim().to_lowercase();
                if !email.contains('@') || email.len() < 3 {
                    return Err(Error::validation("patientData.email", "Email invalide"));
                }
                let new = NewPatient {
                    first_name: p.first_name.trim().into(),
                    last_name: p.last_name.trim().into(),
                    email,
                    phone: p.phone.trim().into(),
                    password_hash: password::UNUSABLE.into(),
                };
                (String::new(), Some(new), AppointmentStatus::Confirmed)
            }
            _ => {
                return Err(Error::validation(
                    "patientId",
                    "Indiquez patientId ou patientData, pas les deux",
                ))
            }
        },
        Role::Manager => return Err(Error::forbidden()),
    };
    let start = req.start_time.timestamp();
    let probe = Probe {
        start,
        end: start + i64::from(req.duration) * 60,
        email: new_patient.as_ref().map(|p| p.email.as_str()),
    };
    let (rules, hours, seen) =
        booking_context(&ctx, &caller.cabinet_id, &req.practitioner_id, Some(probe))
            .await?
            .ok_or_else(|| {
                Error::validation("practitionerId", "Praticien inconnu dans ce cabinet")
            })?;
    check_start_within(&rules, &hours, caller.role, req.start_time, req.duration)?;
    // A lost race is answered from that first read instead of queueing for the write lock
    // only to have the no-overlap rule refuse the insert: under contention most attempts are
    // these. The rule in the database stays the authority for whatever the read missed. A
    // used email wins over a taken slot, as it does inside the transaction.
    if seen.email_used {
        return Err(email_taken());
    }
    if seen.taken {
        ctx.notify.slot_conflict(&caller.id, &req).await;
        return Err(slot_conflict());
    }
    let new = NewAppointment {
        cabinet_id: caller.cabinet_id.clone(),
        practitioner_id: req.practitioner_id.clone(),
        patient_id,
        kind: req.kind,
        status,
        start: req.start_time,
        duration_min: req.duration,
        notes: req.notes.clone().filter(|n| !n.trim().is_empty()),
        urgency: req.urgency.unwrap_or_default(),
    };
    match ctx
        .store
        .insert_appointment(&new, new_patient.as_ref())
        .await
    {
        Ok(appointment) => {
            ctx.notify.appointment_booked(&appointment).await;
            super::slot_changes::taken(&ctx, &appointment).await;
            Ok(created(appointment))
        }
        Err(e) if e.code() == ErrorCode::SlotConflict => {
            ctx.notify.slot_conflict(&caller.id, &req).await;
            Err(e)
        }
        Err(e) => Err(e),
    }
}

async fn list(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Query(filter): Query<AppointmentListQuery>,
) -> Result<Response> {
    let page = filter.page.unwrap_or(1).max(1);
    let limit = filter.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(Error::validation("limit", "limit doit être entre 1 et 100"));
    }
    if filter
        .search
        .as_ref()
        .is_some_and(|t| t.chars().count() > 100)
    {
        return Err(Error::validation("search", "100 caractères au plus"));
    }
    let scope = match caller.role {
        Role::Patient => ListScope::Patient {
            cabinet_id: &caller.cabinet_id,
            patient_id: &caller.id,
        },
        _ => ListScope::Cabinet(&caller.cabinet_id),
    };
    let tz = cabinet_tz(&ctx, &caller.cabinet_id).await?;
    let (items, total) = ctx
        .store
        .appointments(scope, &filter, tz, page, limit)
        .await?;
    Ok(ok(PaginatedResponse {
        items,
        pagination: Pagination::new(page, limit, total),
    }))
}

async fn one(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response> {
    let appointment = ctx
        .store
        .appointment(&caller.cabinet_id, &id)
        .await?
        // A patient asking for someone else's appointment learns nothing, not even that it exists.
        .filter(|a| caller.role != Role::Patient || a.patient_id == caller.id)
        .ok_or_else(|| Error::not_found("Rendez-vous"))?;
    Ok(ok(appointment))
}

async fn confirm(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response> {
    super::lifecycle::act(&ctx, &caller, &id, Action::Confirm, None).await
}
