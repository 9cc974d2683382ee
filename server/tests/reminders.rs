//! The reminder scheduler's tick, called with a chosen `now`: a confirmed appointment is
//! reminded 24 h and 2 h before (event to the patient and a mail in the outbox), exactly once
//! even when two ticks race (as two server instances would); never when cancelled or pending;
//! a move brings the reminders along; a reminder whose time has passed is skipped; a claim
//! left by an instance that died before sending is taken over.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::scheduling::*;
use common::socket_client::Client;
use common::*;
use serde_json::json;

const DAY: i64 = 24 * 3600;
const TWO_HOURS: i64 = 2 * 3600;

async fn tick(app: &TestApp, now: i64) -> usize {
    nova_server::reminders::tick(&app.ctx, now)
        .await
        .expect("a tick runs")
}

/// Two ticks at the same instant, as two instances would run them; how many reminders went out.
async fn racing_ticks(app: &TestApp, now: i64) -> usize {
    let (a, b) = tokio::join!(tick(app, now), tick(app, now));
    a + b
}

async fn outbox(app: &TestApp) -> Vec<nova_server::store::outbox::OutboxMail> {
    app.ctx.store.outbox_for(PATIENT).await.expect("outbox")
}

/// A confirmed appointment (booked by its practitioner) with the demo patient.
async fn confirmed(app: &TestApp, start: DateTime<Utc>) -> (Session, Session, String) {
    let patient = app.login(PATIENT).await;
    let martin = app.login(MARTIN).await;
    let id = app
        .book_for(&martin.token, &patient.user_id, &martin.user_id, start, 30)
        .await;
    assert_eq!(
        app.appointment(&martin.token, &id).await["status"],
        "confirmed"
    );
    (patient, martin, id)
}

#[tokio::test]
async fn a_confirmed_appointment_is_reminded_once_a_day_and_two_hours_before() {
    let server = served().await;
    let app = &server.app;
    let start = paris(quiet_day(), 10, 0);
    let (patient, _, id) = confirmed(app, start).await;
    let mut patient_ws = Client::connect(server.addr, &patient.token).await;
    let s = start.timestamp();

    assert_eq!(tick(app, s - DAY - 60).await, 0, "not due yet");
    assert_eq!(
        racing_ticks(app, s - DAY + 30).await,
        1,
        "one of two racing ticks sends it"
    );
    let reminder = patient_ws.expect("rappel:reminder").await;
    assert_eq!(reminder["data"]["reminder"], "24h");
    assert_eq!(reminder["data"]["appointment"]["id"], id.as_str());
    assert_eq!(reminder["data"]["appointment"]["startTime"], rfc3339(start));
    patient_ws.silence("the patient, reminded once").await;
    assert_eq!(tick(app, s - DAY + 90).await, 0, "already sent");
    let mails = outbox(app).await;
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(mails[0].subject.contains("demain"), "{mails:?}");
    assert!(mails[0].body.contains("10:00"), "local time: {mails:?}");

    assert_eq!(racing_ticks(app, s - TWO_HOURS + 30).await, 1);
    let reminder = patient_ws.expect("rappel:reminder").await;
    assert_eq!(reminder["data"]["reminder"], "2h");
    patient_ws.silence("the patient, reminded once").await;
    assert_eq!(tick(app, s - 60).await, 0);
    let mails = outbox(app).await;
    assert_eq!(mails.len(), 2, "{mails:?}");
    assert!(mails[1].subject.contains("deux heures"), "{mails:?}");
}

#[tokio::test]
async fn cancelled_and_pending_appointments_are_not_reminded() {
    let app = app().await;
    let start = paris(quiet_day(), 10, 0);
    let (patient, martin, id) = confirmed(&app, start).await;
    app.put_json(
        &format!("/api/appointments/{id}/cancel"),
        martin.bearer(),
        &json!({}),
    )
    .await
    .ok(200);
    // Booked by the patient: pending until the practitioner confirms.
    let later = paris(quiet_day(), 14, 0);
    app.book(&patient.token, &booking(&martin.user_id, later, 30))
        .await;
    for now in [
        start.timestamp() - DAY + 30,
        start.timestamp() - TWO_HOURS + 30,
        later.timestamp() - DAY + 30,
        later.timestamp() - TWO_HOURS + 30,
    ] {
        assert_eq!(tick(&app, now).await, 0);
    }
    assert!(outbox(&app).await.is_empty());
}

#[tokio::test]
async fn a_move_brings_its_reminders_along() {
    let app = app().await;
    let start = paris(quiet_day(), 10, 0);
    let (_, martin, id) = confirmed(&app, start).await;
    assert_eq!(tick(&app, start.timestamp() - DAY + 30).await, 1);

    // The practitioner moves it to the next day; it stays confirmed.
    let moved = paris(weekday_on_or_after(quiet_day() + Duration::days(1)), 10, 0);
    app.put_json(
        &format!("/api/appointments/{id}/reschedule"),
        martin.bearer(),
        &json!({"startTime": rfc3339(moved)}),
    )
    .await
    .ok(200);
    assert_eq!(
        tick(&app, start.timestamp() - TWO_HOURS + 30).await,
        0,
        "the old time's reminder is stale"
    );
    assert_eq!(tick(&app, moved.timestamp() - DAY + 30).await, 1);
    assert_eq!(tick(&app, moved.timestamp() - TWO_HOURS + 30).await, 1);
    let mails = outbox(&app).await;
    assert_eq!(mails.len(), 3, "{mails:?}");
    let new_day = moved
        .with_timezone(&chrono_tz::Europe::Paris)
        .format("%d/%m/%Y")
        .to_string();
    assert!(mails[1].body.contains(&new_day), "{mails:?}");
}

#[tokio::test]
async fn a_reminder_whose_time_has_passed_is_skipped() {
    let app = app().await;
    let start = paris(quiet_day(), 10, 0);
    confirmed(&app, start).await;
    // The server was down until an hour before the visit: the day-before reminder is stale,
    // the two-hour one still useful.
    assert_eq!(tick(&app, start.timestamp() - 3600).await, 1);
    let mails = outbox(&app).await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].subject.contains("deux heures"), "{mails:?}");
    // After the start, nothing.
    let other = paris(quiet_day(), 15, 0);
    confirmed(&app, other).await;
    assert_eq!(tick(&app, other.timestamp() + 60).await, 0);
}

#[tokio::test]
async fn a_claim_abandoned_by_a_dead_instance_is_taken_over_once() {
    use nova_contract::ReminderKind;
    use nova_server::store::reminders::ABANDONED_AFTER_SECS;
    let app = app().await;
    let start = paris(quiet_day(), 10, 0);
    confirmed(&app, start).await;
    let due = start.timestamp() - DAY + 30;
    // An instance claims the reminder, then dies before sending it.
    let claimed = app
        .ctx
        .store
        .claim_reminders(ReminderKind::DayBefore, due)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(
        tick(&app, due + 60).await,
        0,
        "the claim is fresh: someone is sending it"
    );
    let later = due + ABANDONED_AFTER_SECS + 60;
    assert_eq!(
        racing_ticks(&app, later).await,
        1,
        "taken over by one instance"
    );
    assert_eq!(
        tick(&app, later + ABANDONED_AFTER_SECS + 60).await,
        0,
        "sent, so done"
    );
    assert_eq!(outbox(&app).await.len(), 1);
}

#[tokio::test]
async fn a_patient_who_turned_mail_off_gets_the_event_but_no_mail() {
    let server = served().await;
    let app = &server.app;
    let start = paris(quiet_day(), 10, 0);
    let (patient, _, _) = confirmed(app, start).await;
    app.put_json(
        "/api/auth/profile",
        patient.bearer(),
        &json!({"preferences": {"notifications": {"email": false}}}),
    )
    .await
    .ok(200);
    let mut patient_ws = Client::connect(server.addr, &patient.token).await;
    assert_eq!(tick(app, start.timestamp() - DAY + 30).await, 1);
    patient_ws.expect("rappel:reminder").await;
    assert!(outbox(app).await.is_empty());
}
