//! Patient records, the audit log, the dashboard, GDPR rights and the calendar feed (handlers
//! in `http/patients.rs`, `http/audit.rs`, `http/analytics.rs`, `http/gdpr.rs`,
//! `http/calendar.rs`).

// The functions below exist only to carry their `#[utoipa::path]`.
#![allow(dead_code)]

use nova_contract::{
    Announcement, AnnouncementRequest, ApiResponse, Appointment, AuditEntry, AuditQuery,
    CalendarFeed, Dashboard, DashboardQuery, DataExport, ErasureReceipt, PaginatedResponse,
    Patient, PatientAppointmentsQuery, PatientListQuery, UpdatePatientRequest,
};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(paths(
    patients,
    patient,
    update_patient,
    patient_appointments,
    audit,
    dashboard,
    announce,
    export,
    erase,
    calendar_address,
    rotate_calendar,
    calendar_feed
))]
pub(super) struct Paths;

/// The cabinet's patients
///
/// Staff (practitioners, admins, managers). Sorted by last name unless `sortBy` says
/// otherwise; `search` matches a part of the name, email or phone.
#[utoipa::path(get, path = "/api/patients", tag = "Patients", operation_id = "listPatients",
    params(PatientListQuery),
    responses(
        (status = 200, description = "A page of patients", body = ApiResponse<PaginatedResponse<Patient>>),
        (status = 403, description = "- `FORBIDDEN`: patients"),
    ),
    security(("bearerAuth" = [])))]
fn patients() {}

/// One patient's record
///
/// Staff of the patient's cabinet (audited), or the patient themself.
#[utoipa::path(get, path = "/api/patients/{id}", tag = "Patients", operation_id = "getPatient",
    responses(
        (status = 200, description = "The record", body = ApiResponse<Patient>),
        (status = 403, description = "- `FORBIDDEN`: a patient asking for someone else"),
    ),
    security(("bearerAuth" = [])))]
fn patient() {}

/// Change a patient's contact details
///
/// Practitioners and admins of the cabinet, or the patient themself (audited for staff). Only
/// the fields present change; the email is also the patient's login.
#[utoipa::path(put, path = "/api/patients/{id}", tag = "Patients", operation_id = "updatePatient",
    request_body = UpdatePatientRequest,
    responses(
        (status = 200, description = "The record as it is now", body = ApiResponse<Patient>),
        (status = 403, description = "- `FORBIDDEN`: a manager, another patient, or a record erased at the patient's request"),
        (status = 422, description = "- `VALIDATION_ERROR`: a bad value or an email already taken"),
    ),
    security(("bearerAuth" = [])))]
fn update_patient() {}

/// A patient's appointments
///
/// As `GET /api/patients/{id}`. The upcoming pending and confirmed ones, soonest first; with
/// `includeHistory=true`, every one, latest first.
#[utoipa::path(get, path = "/api/patients/{id}/appointments", tag = "Patients", operation_id = "listPatientAppointments",
    params(PatientAppointmentsQuery),
    responses(
        (status = 200, description = "A page of appointments", body = ApiResponse<PaginatedResponse<Appointment>>),
        (status = 403, description = "- `FORBIDDEN`: a patient asking for someone else"),
    ),
    security(("bearerAuth" = [])))]
fn patient_appointments() {}

/// The cabinet's audit log
///
/// Admins: who read or changed which record, newest first.
#[utoipa::path(get, path = "/api/audit", tag = "Audit", operation_id = "listAudit",
    params(AuditQuery),
    responses(
        (status = 200, description = "A page of entries", body = ApiResponse<PaginatedResponse<AuditEntry>>),
        (status = 403, description = "- `FORBIDDEN`: not an admin"),
    ),
    security(("bearerAuth" = [])))]
fn audit() {}

/// One day of the cabinet in numbers
///
/// Managers and admins. The day is the cabinet's local day, today by default; definitions of
/// each figure are in `Dashboard`.
#[utoipa::path(get, path = "/api/analytics/dashboard", tag = "Analytics", operation_id = "getDashboard",
    params(DashboardQuery),
    responses(
        (status = 200, description = "The dashboard", body = ApiResponse<Dashboard>),
        (status = 403, description = "- `FORBIDDEN`: neither a manager nor an admin"),
    ),
    security(("bearerAuth" = [])))]
fn dashboard() {}

/// Announce something to the cabinet
///
/// Managers and admins. Everyone of the caller's cabinet connected now (or only `audience`)
/// receives a volatile `notification:general`; nobody who connects later does.
#[utoipa::path(post, path = "/api/announcements", tag = "Analytics", operation_id = "announce",
    request_body = AnnouncementRequest,
    responses(
        (status = 200, description = "Sent", body = ApiResponse<Announcement>),
        (status = 403, description = "- `FORBIDDEN`: neither a manager nor an admin"),
    ),
    security(("bearerAuth" = [])))]
fn announce() {}

/// A copy of everything held about the caller
///
/// Signed in. The bare JSON document (no envelope), as a file to keep.
#[utoipa::path(get, path = "/api/me/export", tag = "GDPR", operation_id = "exportMyData",
    responses((status = 200, description = "The export", body = DataExport,
        headers(("Content-Disposition" = String,
            description = "`attachment; filename=\"nova-rdv-export-<date>.json\"`")))),
    security(("bearerAuth" = [])))]
fn export() {}

/// Erase one's account
///
/// Patients. Anonymises the account and keeps its appointments as the practice's records,
/// notes cleared; future ones are cancelled and their times freed. The token stops working.
#[utoipa::path(delete, path = "/api/me", tag = "GDPR", operation_id = "eraseMe",
    responses(
        (status = 200, description = "Erased", body = ApiResponse<ErasureReceipt>),
        (status = 403, description = "- `FORBIDDEN`: staff accounts are closed by the cabinet's admin"),
    ),
    security(("bearerAuth" = [])))]
fn erase() {}

/// The address of one's calendar feed
///
/// Practitioners. The secret address is made on the first call.
#[utoipa::path(get, path = "/api/practitioners/me/calendar", tag = "Calendar", operation_id = "getCalendarFeed",
    responses(
        (status = 200, description = "The address", body = ApiResponse<CalendarFeed>),
        (status = 403, description = "- `FORBIDDEN`: not a practitioner"),
    ),
    security(("bearerAuth" = [])))]
fn calendar_address() {}

/// Replace one's calendar feed address
///
/// Practitioners. The old address answers 404 from now on.
#[utoipa::path(post, path = "/api/practitioners/me/calendar/rotate", tag = "Calendar", operation_id = "rotateCalendarFeed",
    responses(
        (status = 200, description = "The new address", body = ApiResponse<CalendarFeed>),
        (status = 403, description = "- `FORBIDDEN`: not a practitioner"),
    ),
    security(("bearerAuth" = [])))]
fn rotate_calendar() {}

/// A practitioner's agenda as iCalendar
///
/// Anyone holding the address (calendar applications send no Bearer token). Pending and
/// confirmed appointments from 30 days back to 180 days ahead; never the notes.
#[utoipa::path(get, path = "/api/practitioners/{id}/calendar.ics", tag = "Calendar", operation_id = "calendarFeed",
    params(("token" = String, Query, description = "The secret from the feed's address")),
    responses(
        (status = 200, description = "The agenda", content_type = "text/calendar", body = String),
        (status = 404, description = "- `NOT_FOUND`: a missing or wrong token, or an unknown practitioner (all alike)"),
    ))]
fn calendar_feed() {}
