//! Who can be booked and when: practitioners, their hours and absences, the kinds of visit,
//! and the cabinet's booking rules and closures (handlers in `http/practitioners.rs`,
//! `http/schedule.rs`, `http/appointment_types.rs`, `http/cabinet_settings.rs`).

// The functions below exist only to carry their `#[utoipa::path]`.
#![allow(dead_code)]

use nova_contract::{
    Absence, AbsenceCreated, AbsenceQuery, ApiResponse, AppointmentTypeInfo, CabinetSettings,
    CreateAbsenceRequest, Practitioner, ReplaceHoursRequest, UpdateCabinetRequest, WeeklyHours,
};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(paths(
    practitioners,
    appointment_types,
    weekly_hours,
    replace_hours,
    absences,
    add_absence,
    remove_absence,
    cabinet,
    update_cabinet,
    closures,
    add_closure
))]
pub(super) struct Paths;

/// Practitioners one can book with
///
/// Signed in: the practitioners of the caller's cabinet.
#[utoipa::path(get, path = "/api/practitioners", tag = "Schedule", operation_id = "listPractitioners",
    responses((status = 200, description = "The cabinet's practitioners",
        body = ApiResponse<Vec<Practitioner>>)),
    security(("bearerAuth" = [])))]
fn practitioners() {}

/// The kinds of visit
///
/// Signed in: seed 000's eight types, their usual length and their names in French and English.
#[utoipa::path(get, path = "/api/appointment-types", tag = "Schedule", operation_id = "listAppointmentTypes",
    responses((status = 200, description = "The eight types",
        body = ApiResponse<Vec<AppointmentTypeInfo>>)),
    security(("bearerAuth" = [])))]
fn appointment_types() {}

/// A practitioner's weekly hours
///
/// Signed in (same cabinet). Windows are wall-clock times in the cabinet's time zone.
#[utoipa::path(get, path = "/api/practitioners/{id}/hours", tag = "Schedule", operation_id = "getWeeklyHours",
    responses((status = 200, description = "The week", body = ApiResponse<WeeklyHours>)),
    security(("bearerAuth" = [])))]
fn weekly_hours() {}

/// Replace a practitioner's weekly hours
///
/// The practitioner or an admin. The whole week is replaced; appointments outside the new
/// hours are kept.
#[utoipa::path(put, path = "/api/practitioners/{id}/hours", tag = "Schedule", operation_id = "replaceWeeklyHours",
    request_body = ReplaceHoursRequest,
    responses(
        (status = 200, description = "The new week", body = ApiResponse<WeeklyHours>),
        (status = 403, description = "- `FORBIDDEN`: neither this practitioner nor an admin"),
        (status = 422, description = "- `VALIDATION_ERROR`: a bad or overlapping window, named like `hours[2].end`"),
    ),
    security(("bearerAuth" = [])))]
fn replace_hours() {}

/// A practitioner's absences
///
/// Staff. The practitioner's absences and the cabinet's closures between `from` (now by
/// default) and `to` (a year later by default).
#[utoipa::path(get, path = "/api/practitioners/{id}/absences", tag = "Schedule", operation_id = "listAbsences",
    params(AbsenceQuery),
    responses(
        (status = 200, description = "Absences by start", body = ApiResponse<Vec<Absence>>),
        (status = 403, description = "- `FORBIDDEN`: patients (reasons may be personal)"),
    ),
    security(("bearerAuth" = [])))]
fn absences() {}

/// Record an absence
///
/// The practitioner or an admin. Appointments are never cancelled: those the absence overlaps
/// are listed for staff to move or cancel; only new slots stop being offered.
#[utoipa::path(post, path = "/api/practitioners/{id}/absences", tag = "Schedule", operation_id = "createAbsence",
    request_body = CreateAbsenceRequest,
    responses(
        (status = 201, description = "Recorded", body = ApiResponse<AbsenceCreated>),
        (status = 403, description = "- `FORBIDDEN`: neither this practitioner nor an admin"),
    ),
    security(("bearerAuth" = [])))]
fn add_absence() {}

/// Delete an absence or a closure
///
/// The practitioner or an admin; closures: admins. Answers what was deleted.
#[utoipa::path(delete, path = "/api/absences/{id}", tag = "Schedule", operation_id = "deleteAbsence",
    responses(
        (status = 200, description = "Deleted", body = ApiResponse<Absence>),
        (status = 403, description = "- `FORBIDDEN`: neither its practitioner nor an admin"),
    ),
    security(("bearerAuth" = [])))]
fn remove_absence() {}

/// The caller's cabinet and its booking rules
///
/// Signed in.
#[utoipa::path(get, path = "/api/cabinets/current", tag = "Cabinet", operation_id = "getCabinet",
    responses((status = 200, description = "The cabinet", body = ApiResponse<CabinetSettings>)),
    security(("bearerAuth" = [])))]
fn cabinet() {}

/// Change the booking rules
///
/// Admins. Absent fields keep their value.
#[utoipa::path(put, path = "/api/cabinets/current", tag = "Cabinet", operation_id = "updateCabinet",
    request_body = UpdateCabinetRequest,
    responses(
        (status = 200, description = "The cabinet as it is now", body = ApiResponse<CabinetSettings>),
        (status = 403, description = "- `FORBIDDEN`: not an admin"),
        (status = 422, description = "- `VALIDATION_ERROR`: an unknown IANA zone (`timezone`), `bufferMinutes` over 240, `minNoticeMinutes` over 43200"),
    ),
    security(("bearerAuth" = [])))]
fn update_cabinet() {}

/// The cabinet's closures
///
/// Staff. Closures (absences with no practitioner) between `from` and `to`.
#[utoipa::path(get, path = "/api/cabinets/current/closures", tag = "Cabinet", operation_id = "listClosures",
    params(AbsenceQuery),
    responses(
        (status = 200, description = "Closures by start", body = ApiResponse<Vec<Absence>>),
        (status = 403, description = "- `FORBIDDEN`: patients"),
    ),
    security(("bearerAuth" = [])))]
fn closures() {}

/// Close the whole cabinet for a while
///
/// Admins. An absence with `practitionerId: null`; deleted with `DELETE /api/absences/{id}`.
#[utoipa::path(post, path = "/api/cabinets/current/closures", tag = "Cabinet", operation_id = "createClosure",
    request_body = CreateAbsenceRequest,
    responses(
        (status = 201, description = "Recorded", body = ApiResponse<AbsenceCreated>),
        (status = 403, description = "- `FORBIDDEN`: not an admin"),
    ),
    security(("bearerAuth" = [])))]
fn add_closure() {}
