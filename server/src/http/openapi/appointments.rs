//! Appointments (handlers in `http/appointments.rs` and `http/lifecycle.rs`). "Staff" of an
//! appointment is its practitioner or an admin; managers only read. Someone else's appointment
//! is 404 for a patient (they learn nothing) and 403 for staff.

// The functions below exist only to carry their `#[utoipa::path]`.
#![allow(dead_code)]

use nova_contract::{
    ApiResponse, Appointment, AppointmentListQuery, AppointmentSlot, CancelAppointmentRequest,
    CreateAppointmentRequest, PaginatedResponse, RescheduleAppointmentRequest, SlotQuery,
    UpdateAppointmentRequest,
};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(paths(
    list,
    create,
    slots,
    one,
    confirm,
    update,
    cancel,
    complete,
    no_show,
    no_show_underscore,
    reschedule
))]
pub(super) struct Paths;

/// Appointments, filtered, sorted and paged
///
/// Signed in: patients see their own, staff the cabinet's. `status` and `type` may repeat.
/// Sorted by `startTime` unless `sortBy` says otherwise; `search` matches the patient's first
/// name, last name or email, in any case.
#[utoipa::path(get, path = "/api/appointments", tag = "Appointments", operation_id = "listAppointments",
    params(AppointmentListQuery),
    responses((status = 200, description = "A page of appointments",
        body = ApiResponse<PaginatedResponse<Appointment>>)),
    security(("bearerAuth" = [])))]
fn list() {}

/// Book an appointment
///
/// A patient books for themself (the appointment is `pending`); a practitioner or an admin
/// books for a known patient (`patientId`) or a new one (`patientData`), `confirmed` at once.
/// Managers cannot book. The time must be free and within the booking rules (hours, absences,
/// buffer, notice). The practitioner and the patient are told at once (`rendezvous:new`,
/// `rendezvous:created`).
#[utoipa::path(post, path = "/api/appointments", tag = "Appointments", operation_id = "createAppointment",
    request_body = CreateAppointmentRequest,
    responses(
        (status = 201, description = "Booked", body = ApiResponse<Appointment>),
        (status = 403, description = "- `FORBIDDEN`: a manager, or a patient booking for someone else"),
        (status = 409, description = "- `SLOT_CONFLICT`: another appointment (or its buffer) holds the time; the caller also gets `creneau:conflict`\n- `SLOT_UNAVAILABLE`: outside the practitioner's hours, in an absence or closure, past, or sooner than the cabinet's notice (patients)"),
    ),
    security(("bearerAuth" = [])))]
fn create() {}

/// Free and taken slots of a practitioner
///
/// Signed in (same cabinet). Every start time within the practitioner's hours between
/// `dateFrom` and `dateTo` (the cabinet's local days), with `available: false` where another
/// appointment or its buffer sits. Absences, closures and the notice hide slots.
#[utoipa::path(get, path = "/api/appointments/slots", tag = "Appointments", operation_id = "listSlots",
    params(SlotQuery),
    responses(
        (status = 200, description = "Slots by start time", body = ApiResponse<Vec<AppointmentSlot>>),
        (status = 404, description = "- `NOT_FOUND`: no such practitioner in the cabinet"),
    ),
    security(("bearerAuth" = [])))]
fn slots() {}

/// One appointment
///
/// Its patient, or staff of the cabinet.
#[utoipa::path(get, path = "/api/appointments/{id}", tag = "Appointments", operation_id = "getAppointment",
    responses((status = 200, description = "The appointment", body = ApiResponse<Appointment>)),
    security(("bearerAuth" = [])))]
fn one() {}

/// Confirm a pending appointment
///
/// Its practitioner or an admin: `pending` → `confirmed`. The patient is told
/// (`rendezvous:confirmed`).
#[utoipa::path(put, path = "/api/appointments/{id}/confirm", tag = "Appointments", operation_id = "confirmAppointment",
    responses(
        (status = 200, description = "Confirmed", body = ApiResponse<Appointment>),
        (status = 403, description = "- `FORBIDDEN`: not its practitioner nor an admin"),
        (status = 409, description = "- `INVALID_TRANSITION`: not pending"),
    ),
    security(("bearerAuth" = [])))]
fn confirm() {}

/// Edit an appointment (staff)
///
/// Its practitioner or an admin change the time, length, practitioner or notes (`notes: ""`
/// clears them); a new time follows the booking rules. Or `{status}` alone, which is the
/// matching action (`confirmed` = confirm, `cancelled` = cancel, `completed` = complete,
/// `no_show` = no-show) with its rules.
#[utoipa::path(put, path = "/api/appointments/{id}", tag = "Appointments", operation_id = "updateAppointment",
    request_body = UpdateAppointmentRequest,
    responses(
        (status = 200, description = "The appointment as it is now", body = ApiResponse<Appointment>),
        (status = 403, description = "- `FORBIDDEN`: not staff of this appointment"),
        (status = 409, description = "- `INVALID_TRANSITION`: its status does not allow the change\n- `SLOT_CONFLICT`: the new time is taken\n- `SLOT_UNAVAILABLE`: the new time is outside the booking rules"),
    ),
    security(("bearerAuth" = [])))]
fn update() {}

/// Cancel an appointment
///
/// Its patient until it starts, its practitioner or an admin: `pending` or `confirmed` →
/// `cancelled`. The time is free again: screens watching the agenda hear `creneau:available`, and so do waiting patients it fits.
#[utoipa::path(put, path = "/api/appointments/{id}/cancel", tag = "Appointments", operation_id = "cancelAppointment",
    request_body(content = Option<CancelAppointmentRequest>, description = "May be empty"),
    responses(
        (status = 200, description = "Cancelled", body = ApiResponse<Appointment>),
        (status = 403, description = "- `FORBIDDEN`: not its patient, practitioner or an admin"),
        (status = 409, description = "- `INVALID_TRANSITION`: already over, or it has started (patients)"),
    ),
    security(("bearerAuth" = [])))]
fn cancel() {}

/// Mark an appointment done
///
/// Its practitioner or an admin, once it has started: `confirmed` → `completed`.
#[utoipa::path(put, path = "/api/appointments/{id}/complete", tag = "Appointments", operation_id = "completeAppointment",
    responses(
        (status = 200, description = "Completed", body = ApiResponse<Appointment>),
        (status = 403, description = "- `FORBIDDEN`: not its practitioner nor an admin"),
        (status = 409, description = "- `INVALID_TRANSITION`: not confirmed, or not started yet"),
    ),
    security(("bearerAuth" = [])))]
fn complete() {}

/// Mark that the patient did not come
///
/// Its practitioner or an admin, once it has started: `confirmed` → `no_show`.
#[utoipa::path(put, path = "/api/appointments/{id}/no-show", tag = "Appointments", operation_id = "markNoShow",
    responses(
        (status = 200, description = "Marked", body = ApiResponse<Appointment>),
        (status = 403, description = "- `FORBIDDEN`: not its practitioner nor an admin"),
        (status = 409, description = "- `INVALID_TRANSITION`: not confirmed, or not started yet"),
    ),
    security(("bearerAuth" = [])))]
fn no_show() {}

/// Mark that the patient did not come (status spelling)
///
/// The same as `PUT /api/appointments/{id}/no-show`, spelt like the status.
#[utoipa::path(put, path = "/api/appointments/{id}/no_show", tag = "Appointments", operation_id = "markNoShowByStatusName",
    responses(
        (status = 200, description = "Marked", body = ApiResponse<Appointment>),
        (status = 403, description = "- `FORBIDDEN`: not its practitioner nor an admin"),
        (status = 409, description = "- `INVALID_TRANSITION`: not confirmed, or not started yet"),
    ),
    security(("bearerAuth" = [])))]
fn no_show_underscore() {}

/// Move an appointment to another time
///
/// Its patient until it starts (the notice applies; a confirmed visit goes back to `pending`),
/// or staff (status kept). The same appointment moves; a taken time changes nothing. Both
/// parties hear `rendezvous:rescheduled`; watchers of the agendas `creneau:conflict` for the new time and `creneau:available` for the old one.
#[utoipa::path(put, path = "/api/appointments/{id}/reschedule", tag = "Appointments", operation_id = "rescheduleAppointment",
    request_body = RescheduleAppointmentRequest,
    responses(
        (status = 200, description = "Moved", body = ApiResponse<Appointment>),
        (status = 403, description = "- `FORBIDDEN`: not its patient nor staff"),
        (status = 409, description = "- `INVALID_TRANSITION`: its status does not allow a move, or it has started (patients)\n- `SLOT_CONFLICT`: the new time is taken\n- `SLOT_UNAVAILABLE`: the new time is outside the booking rules"),
    ),
    security(("bearerAuth" = [])))]
fn reschedule() {}
