//! The API described for people and programs: `GET /api/openapi.json` serves an OpenAPI 3.1
//! document (bare, no envelope: it is a standard document that tools read as it is), and
//! `GET /api/docs` a reference page that renders it. The page is one self-contained HTML file
//! (`docs.html`): no CDN or remote script, since many practices' networks reach none.
//!
//! Where the document comes from:
//! - **Schemas** are derived from the `nova-contract` types themselves (its `openapi` feature,
//!   `utoipa::ToSchema`), so they follow the same serde attributes as the wire.
//! - **Operations** are described with `#[utoipa::path]` on bodiless functions in this folder,
//!   one file per domain, rather than on the handlers: the handlers are private to fifteen
//!   modules that other work changes every day, and this keeps the whole API readable in one
//!   place. `tests/openapi.rs` keeps the two honest, both ways: every `.route(…)` in
//!   `src/http/` must be documented, and every documented operation must be answered by the
//!   router.
//! - **What every route shares** (Bearer token and `X-Tenant-ID`, `Idempotency-Key` on POST,
//!   the error envelope and the codes that follow from a body, a query or an `{id}`) is added
//!   once by [`conventions`], so each operation lists only what is its own.
//! - [`tidy`] then mends what utoipa writes in a way a reader would not: see there.

mod appointments;
mod auth;
mod conventions;
mod messaging;
mod meta;
mod notifications;
mod records;
mod schedule;
mod tidy;
mod waitlist;

use std::sync::LazyLock;

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use nova_contract::{
    AppointmentMoved, AppointmentSort, NoticeKind, PatientSort, ReminderNotice, SlotFreed,
    SlotTaken, SlotWatch, SocketAuth, SortOrder, UserStatus, WaitlistOffer,
};
use utoipa::OpenApi;

use crate::state::ApiContext;

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/api/openapi.json", get(json))
        .route("/api/docs", get(page))
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Nova RDV API",
        description = include_str!("intro.md"),
        license(name = "AGPL-3.0-only", identifier = "AGPL-3.0-only"),
    ),
    // Query parameters refer to the sort enums, but utoipa collects schemas from bodies only;
    // the socket payloads are named in the introduction.
    components(schemas(
        AppointmentSort, PatientSort, SortOrder,
        SlotFreed, AppointmentMoved, NoticeKind, SocketAuth, UserStatus,
        SlotTaken, SlotWatch, WaitlistOffer, ReminderNotice,
    )),
    tags(
        (name = "Auth", description = "Sessions, the signed-in account and its recovery by mail."),
        (name = "Appointments", description = "Free slots, booking, lists, and every change of an appointment's status, time or practitioner."),
        (name = "Schedule", description = "Who can be booked, their weekly hours and absences, and the kinds of visit."),
        (name = "Cabinet", description = "The caller's cabinet: its booking rules and its closures."),
        (name = "Patients", description = "Patient records, for the cabinet's staff and the patient themself. Staff access is audited."),
        (name = "Audit", description = "Who read or changed which record."),
        (name = "Analytics", description = "The manager's dashboard."),
        (name = "GDPR", description = "The signed-in person's rights over their data: a copy, and erasure."),
        (name = "Waitlist", description = "A patient waiting for an earlier time with a practitioner."),
        (name = "Calendar", description = "The practitioner's agenda as an iCalendar feed any calendar application can subscribe to."),
        (name = "Notifications", description = "The caller's notifications: what was sent to them in real time, kept to be listed and marked read."),
        (name = "Messaging", description = "Conversations between a patient and the cabinet's staff, and the appointment proposals made in them."),
        (name = "Meta", description = "The server's health and this documentation."),
    ),
)]
struct ApiDoc;

/// The whole document: the operations of every domain, with their conventions applied.
fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    for part in [
        meta::Paths::openapi(),
        auth::Paths::openapi(),
        appointments::Paths::openapi(),
        schedule::Paths::openapi(),
        records::Paths::openapi(),
        notifications::Paths::openapi(),
        waitlist::Paths::openapi(),
        messaging::Paths::openapi(),
    ] {
        doc.merge(part);
    }
    doc.info.version = env!("CARGO_PKG_VERSION").into();
    // Applied here rather than as a derive `modifiers(…)`, which would run before the merge.
    utoipa::Modify::modify(&conventions::Conventions, &mut doc);
    doc
}

/// Built once: it depends on nothing but the code.
static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
    let value = serde_json::to_value(document()).expect("the OpenAPI document serialises");
    serde_json::to_string(&tidy::tidy(value)).expect("the OpenAPI document serialises")
});

async fn json() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        DOCUMENT.as_str(),
    )
        .into_response()
}

/// The page may run its own inline script and style, and fetch from this origin only.
const PAGE_POLICY: &str = "default-src 'none'; script-src 'unsafe-inline'; \
    style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; \
    form-action 'none'; frame-ancestors 'none'";

async fn page() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(PAGE_POLICY),
            ),
        ],
        include_str!("docs.html"),
    )
        .into_response()
}
