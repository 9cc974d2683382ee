//! Many people booking the same time at once: the database lets exactly one booking per
//! overlap through, and a refused booking leaves nothing behind (not even its new patient).

mod common;

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use common::*;
use serde_json::Value;
use tokio::sync::Barrier;

/// Sends all bookings at once (released together by a barrier) through clones of the router,
/// each on its own task, and returns the replies in request order.
async fn book_concurrently(app: &TestApp, token: &str, bodies: Vec<Value>) -> Vec<Reply> {
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

/// The practitioner's appointments on one local day, as (id, start, end).
async fn agenda(
    app: &TestApp,
    token: &str,
    practitioner_id: &str,
    day: chrono::NaiveDate,
) -> Vec<(String, DateTime<Utc>, DateTime<Utc>)> {
    let reply = app
        .get(
            &format!(
                "/api/appointments?practitionerId={practitioner_id}&dateFrom={day}&dateTo={day}&limit=100"
            ),
            Some(token),
        )
        .await;
    reply.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["status"] == "pending" || a["status"] == "confirmed")
        .map(|a| {
            (
                a["id"].as_str().unwrap().to_string(),
                a["startTime"].as_str().unwrap().parse().unwrap(),
                a["endTime"].as_str().unwrap().parse().unwrap(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_bookings_of_one_slot_make_one_appointment() {
    let app = app().await;
    let martin = app.login(MARTIN).await;
    let slot = app.next_free_slot(&martin.token, &martin.user_id, 30).await;
    let emails: Vec<String> = (0..20).map(|i| format!("race-{i}@example.test")).collect();
    let bodies = emails
        .iter()
        .map(|e| booking_for_new_patient(&martin.user_id, slot.start, 30, e))
        .collect();

    let replies = book_concurrently(&app, &martin.token, bodies).await;

    let winners: Vec<usize> = (0..replies.len())
        .filter(|&i| replies[i].status == 201)
        .collect();
    assert_eq!(winners.len(), 1, "exactly one booking wins: {replies:#?}");
    for (i, reply) in replies.iter().enumerate() {
        if i != winners[0] {
            reply.err(409, "SLOT_CONFLICT");
        }
    }
    let winner = &replies[winners[0]];
    assert_eq!(winner.data()["startTime"], rfc3339(slot.start));

    let at_slot: Vec<_> = agenda(&app, &martin.token, &martin.user_id, slot.date)
        .await
        .into_iter()
        .filter(|(_, start, _)| *start == slot.start)
        .collect();
    assert_eq!(at_slot.len(), 1, "one appointment row for that time");
    assert_eq!(at_slot[0].0, winner.data()["id"].as_str().unwrap());
    let now = app
        .slot_at(&martin.token, &martin.user_id, slot.start, 30)
        .await
        .unwrap();
    assert!(!now.available);

    // The winner's patient exists; no loser's patient was left behind.
    for (i, email) in emails.iter().enumerate() {
        let user = app.ctx.store.user_by_email(email).await.unwrap();
        assert_eq!(
            user.is_some(),
            i == winners[0],
            "{email}: only the winning booking's patient exists"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn overlapping_concurrent_bookings_never_share_time() {
    let app = app().await;
    let admin = app.login(ADMIN).await;
    let patient = app.login(PATIENT).await;
    let bernard_id = app.practitioner_id(&patient.token, "Bernard").await;
    // A weekday beyond the demo's week, so the afternoon is empty.
    let day = weekday_on_or_after(paris_today() + Duration::days(10));
    assert!(app
        .slots(&admin.token, &bernard_id, day, day, 45)
        .await
        .iter()
        .all(|s| s["available"] == true));

    // 45-minute visits starting every 15 minutes from 14:00 to 16:00, two requests per start:
    // each overlaps the ones up to 30 minutes before or after it.
    let mut wanted = Vec::new();
    for step in 0..9 {
        for copy in 0..2 {
            let start = paris(day, 14, 0) + Duration::minutes(15 * step);
            let email = format!("overlap-{step}-{copy}@example.test");
            wanted.push((start, email));
        }
    }
    let bodies = wanted
        .iter()
        .map(|(start, email)| booking_for_new_patient(&bernard_id, *start, 45, email))
        .collect();
    let replies = book_concurrently(&app, &admin.token, bodies).await;

    let span = |start: DateTime<Utc>| (start, start + Duration::minutes(45));
    let overlaps = |a: (DateTime<Utc>, DateTime<Utc>), b: (DateTime<Utc>, DateTime<Utc>)| {
        a.0 < b.1 && b.0 < a.1
    };
    let mut won = Vec::new();
    let mut lost = Vec::new();
    for (reply, (start, email)) in replies.iter().zip(&wanted) {
        match reply.status.as_u16() {
            201 => won.push((span(*start), email, reply.data()["id"].clone())),
            _ => {
                reply.err(409, "SLOT_CONFLICT");
                lost.push((span(*start), email));
            }
        }
    }
    assert!(!won.is_empty(), "someone gets a slot");
    for (i, a) in won.iter().enumerate() {
        for b in &won[i + 1..] {
            assert!(!overlaps(a.0, b.0), "two winners share time: {a:?} {b:?}");
        }
    }
    // A refusal is only ever caused by a booking that actually holds the time.
    for (interval, email) in &lost {
        assert!(
            won.iter().any(|w| overlaps(w.0, *interval)),
            "{email} was refused without any overlapping winner"
        );
    }

    // What is stored is exactly the winners.
    let stored = agenda(&app, &admin.token, &bernard_id, day).await;
    let mut stored_ids: Vec<&str> = stored.iter().map(|(id, _, _)| id.as_str()).collect();
    let mut won_ids: Vec<&str> = won.iter().map(|w| w.2.as_str().unwrap()).collect();
    stored_ids.sort();
    won_ids.sort();
    assert_eq!(stored_ids, won_ids);
    for (i, a) in stored.iter().enumerate() {
        for b in &stored[i + 1..] {
            assert!(!overlaps((a.1, a.2), (b.1, b.2)), "stored overlap");
        }
    }
    for (_, email, _) in &won {
        assert!(app.ctx.store.user_by_email(email).await.unwrap().is_some());
    }
    for (_, email) in &lost {
        assert!(
            app.ctx.store.user_by_email(email).await.unwrap().is_none(),
            "{email} left behind by a refused booking"
        );
    }
}
