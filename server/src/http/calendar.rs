//! The practitioner's calendar feed: a secret address any calendar application can subscribe
//! to (no Bearer token: those apps cannot send one), serving the agenda as iCalendar.
//!
//! The address carries a random token (244 random bits), compared in constant time. A missing
//! or wrong token, or an unknown practitioner, is the same 404, so the address reveals nothing.
//! Events name the visit type and the patient (what the practitioner needs on their phone) but
//! never the notes, since subscribed calendars are copied to third-party servers.

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::{Duration, Utc};
use nova_contract::{AppointmentStatus, AppointmentType, CalendarFeed, Role};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::extract::{ok, CurrentUser};
use super::gdpr::ensure_live;
use crate::domain::ics::{self, Calendar, Event, EventStatus};
use crate::error::{Error, Result};
use crate::state::ApiContext;
use crate::store::to_time;

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/api/practitioners/me/calendar", get(address))
        .route("/api/practitioners/me/calendar/rotate", post(rotate))
        .route("/api/practitioners/{id}/calendar.ics", get(feed))
}

/// How far back and ahead the feed reaches.
const PAST_DAYS: i64 = 30;
const FUTURE_DAYS: i64 = 180;
const PRODID: &str = "-//Nova RDV//Agenda//FR";

/// A fresh feed token: 64 hex digits from two v4 UUIDs (244 random bits).
fn new_token() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

fn feed_url(practitioner_id: &str, token: &str) -> String {
    format!("/api/practitioners/{practitioner_id}/calendar.ics?token={token}")
}

async fn practitioner(ctx: &ApiContext, caller: &CurrentUser) -> Result<()> {
    if caller.role != Role::Practitioner {
        return Err(Error::forbidden());
    }
    ensure_live(ctx, caller).await
}

async fn address(State(ctx): State<ApiContext>, caller: CurrentUser) -> Result<Response> {
    practitioner(&ctx, &caller).await?;
    let (token, created) = ctx
        .store
        .calendar_feed(&caller.id, &new_token(), Utc::now().timestamp())
        .await?;
    Ok(ok(CalendarFeed {
        url: feed_url(&caller.id, &token),
        created_at: to_time(created),
    }))
}

async fn rotate(State(ctx): State<ApiContext>, caller: CurrentUser) -> Result<Response> {
    practitioner(&ctx, &caller).await?;
    let token = new_token();
    let now = Utc::now().timestamp();
    ctx.store
        .rotate_calendar_feed(&caller.id, &token, now)
        .await?;
    Ok(ok(CalendarFeed {
        url: feed_url(&caller.id, &token),
        created_at: to_time(now),
    }))
}

#[derive(Deserialize)]
struct FeedQuery {
    token: Option<String>,
}

async fn feed(
    State(ctx): State<ApiContext>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response> {
    let not_found = || Error::not_found("Agenda");
    // Lenient on purpose: calendar apps append their own parameters.
    let given = serde_html_form::from_str::<FeedQuery>(query.as_deref().unwrap_or_default())
        .ok()
        .and_then(|q| q.token)
        .ok_or_else(not_found)?;
    let (expected, _) = ctx.store.calendar_token(&id).await?.ok_or_else(not_found)?;
    if !bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {
        return Err(not_found());
    }
    let who = ctx.store.user_by_id(&id).await?.ok_or_else(not_found)?;
    let now = Utc::now();
    let appointments = ctx
        .store
        .feed_appointments(
            &id,
            (now - Duration::days(PAST_DAYS)).timestamp(),
            (now + Duration::days(FUTURE_DAYS)).timestamp(),
        )
        .await?;
    let events: Vec<Event> = appointments
        .into_iter()
        .map(|a| Event {
            uid: format!("{}@nova-rdv", a.id),
            stamp: now,
            start: a.start_time,
            end: a.end_time,
            summary: match &a.patient {
                Some(p) => format!("{} — {}", type_label(a.kind), p.full_name()),
                None => type_label(a.kind).to_string(),
            },
            status: if a.status == AppointmentStatus::Pending {
                EventStatus::Tentative
            } else {
                EventStatus::Confirmed
            },
        })
        .collect();
    let name = format!(
        "Nova RDV — {} {} ({})",
        who.first_name, who.last_name, who.cabinet_name
    );
    let body = ics::render(&Calendar {
        prodid: PRODID,
        name: &name,
        events: &events,
    });
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response())
}

/// The visit type as a French reader expects it, accents included.
fn type_label(kind: AppointmentType) -> &'static str {
    match kind {
        AppointmentType::Consultation => "Consultation",
        AppointmentType::Controle => "Contrôle",
        AppointmentType::Soin => "Soin",
        AppointmentType::Detartrage => "Détartrage",
        AppointmentType::Extraction => "Extraction",
        AppointmentType::Implant => "Implant",
        AppointmentType::Orthodontie => "Orthodontie",
        AppointmentType::Urgence => "Urgence",
    }
}
