//! The patient's waitlist (handlers in `http/waitlist.rs`).

// The functions below exist only to carry their `#[utoipa::path]`.
#![allow(dead_code)]

use nova_contract::{ApiResponse, CreateWaitlistRequest, WaitlistEntry};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(paths(list, create, remove))]
pub(super) struct Paths;

/// The caller's waitlist entries
///
/// Signed in. Oldest first, waiting and fulfilled (staff have none).
#[utoipa::path(get, path = "/api/waitlist", tag = "Waitlist", operation_id = "listWaitlist",
    responses(
        (status = 200, description = "The entries", body = ApiResponse<Vec<WaitlistEntry>>),
    ),
    security(("bearerAuth" = [])))]
fn list() {}

/// Wait for an earlier time
///
/// Patients. When a time with this practitioner frees up inside the window (local days,
/// inclusive; both optional), the caller hears `creneau:available` with a `WaitlistOffer`, after
/// those who joined earlier. Booking a time that fits closes the entry. One entry per
/// practitioner, ten at most.
#[utoipa::path(post, path = "/api/waitlist", tag = "Waitlist", operation_id = "joinWaitlist",
    request_body = CreateWaitlistRequest,
    responses(
        (status = 201, description = "Waiting", body = ApiResponse<WaitlistEntry>),
        (status = 403, description = "- `FORBIDDEN`: staff"),
        (status = 422, description = "- `VALIDATION_ERROR`: unknown practitioner, already waiting for them, ten entries open (`practitionerId`); `dateTo` before `dateFrom` or past (`dateTo`)"),
    ),
    security(("bearerAuth" = [])))]
fn create() {}

/// Leave a waitlist
///
/// The caller's own entries (another's id is not found). Answers what was deleted.
#[utoipa::path(delete, path = "/api/waitlist/{id}", tag = "Waitlist", operation_id = "leaveWaitlist",
    responses(
        (status = 200, description = "Deleted", body = ApiResponse<WaitlistEntry>),
    ),
    security(("bearerAuth" = [])))]
fn remove() {}
