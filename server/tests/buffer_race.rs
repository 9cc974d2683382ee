//! The buffer under concurrency: bookings racing for nearby times never end up closer than the
//! cabinet's buffer, on SQLite (write lock) as on PostgreSQL (practitioner row lock), and a
//! refusal is only ever caused by a winner that really is too close.

mod common;

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use common::scheduling::*;
use common::*;
use serde_json::{json, Value};
use tokio::sync::Barrier;

async fn all_at_once(app: &TestApp, token: &str, bodies: Vec<Value>) -> Vec<Reply> {
    let barrier = Arc::new(Barrier::new(bodies.len()));
    let tasks: Vec<_> = bodies
        .into_iter()
        .map(|body| {
            let router = app.router.clone();
            let barrier = barrier.clone();
            let request = request(
                axum::http::Method::POST,
                "/api/appointments",
                Some(token),
                Some(body.to_string()),
            );
            tokio::spawn(async move {
                barrier.wait().await;
                send(router, request).await
            })
        })
        .collect();
    let mut replies = Vec::new();
    for task in tasks {
        replies.push(task.await.expect("booking task"));
    }
    replies
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_bookings_keep_the_buffer() {
    let app = app().await;
    let admin = app.login(ADMIN).await;
    let patient = app.login(PATIENT).await;
    let bernard_id = app.practitioner_id(&patient.token, "Bernard").await;
    let buffer = 15;
    app.set_cabinet(&admin.token, json!({"bufferMinutes": buffer}))
        .await;
    let day = quiet_day();
    // 30-minute visits starting every 15 minutes over the afternoon, twice each: plenty of
    // pairs that do not overlap but sit closer than the buffer.
    let mut starts: Vec<DateTime<Utc>> = Vec::new();
    for step in 0..14 {
        for _ in 0..2 {
            starts.push(paris(day, 14, 0) + Duration::minutes(15 * step));
        }
    }
    let bodies = starts
        .iter()
        .map(|s| {
            let mut b = booking(&bernard_id, *s, 30);
            b["patientId"] = json!(patient.user_id);
            b
        })
        .collect();
    let replies = all_at_once(&app, &admin.token, bodies).await;

    let too_close = |a: DateTime<Utc>, b: DateTime<Utc>| {
        let pad = Duration::minutes(buffer);
        a - pad < b + Duration::minutes(30) && b - pad < a + Duration::minutes(30)
    };
    let mut won = Vec::new();
    let mut lost = Vec::new();
    for (reply, start) in replies.iter().zip(&starts) {
        match reply.status.as_u16() {
            201 => won.push(*start),
            _ => {
                reply.err(409, "SLOT_CONFLICT");
                lost.push(*start);
            }
        }
    }
    assert!(!won.is_empty());
    for (i, a) in won.iter().enumerate() {
        for b in &won[i + 1..] {
            assert!(
                !too_close(*a, *b),
                "winners {a} and {b} are closer than {buffer} min"
            );
        }
    }
    for l in &lost {
        assert!(
            won.iter().any(|w| too_close(*w, *l)),
            "{l} refused for nothing"
        );
    }
    let stored = list_items(
        &app.get(
            &format!("/api/appointments?practitionerId={bernard_id}&dateFrom={day}&dateTo={day}&limit=100"),
            admin.bearer(),
        )
        .await,
    );
    assert_eq!(stored.len(), won.len());
}
