//! `Idempotency-Key` on POST: a replay answers the first response and creates nothing, a key
//! reused for another request is refused, keys are per user, and concurrent duplicates make
//! one appointment.

mod common;

use std::sync::Arc;

use chrono::Duration;
use common::scheduling::*;
use common::*;
use serde_json::json;
use tokio::sync::Barrier;

#[tokio::test]
async fn a_replay_returns_the_first_answer_and_books_nothing_more() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    let martin_id = app.practitioner_id(&patient.token, "Martin").await;
    let body = booking(&martin_id, paris(quiet_day(), 10, 0), 30);
    let before = app.total(&patient.token, "").await;

    let (first, headers) = app
        .post_keyed("/api/appointments", patient.bearer(), &body, "book-1")
        .await;
    let created = first.ok(201).clone();
    assert!(headers.get("idempotent-replayed").is_none());
    for _ in 0..3 {
        let (again, headers) = app
            .post_keyed("/api/appointments", patient.bearer(), &body, "book-1")
            .await;
        assert_eq!(again.ok(201), &created, "the very same answer");
        assert_eq!(headers["idempotent-replayed"], "true");
        assert_eq!(headers["content-type"], "application/json");
    }
    assert_eq!(app.total(&patient.token, "").await, before + 1);

    // Without a key, the same request is a new attempt (and conflicts).
    app.post("/api/appointments", patient.bearer(), &body)
        .await
        .err(409, "SLOT_CONFLICT");
}

#[tokio::test]
async fn a_key_reused_for_another_request_is_refused() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    let martin_id = app.practitioner_id(&patient.token, "Martin").await;
    let first = booking(&martin_id, paris(quiet_day(), 10, 0), 30);
    let other = booking(&martin_id, paris(quiet_day(), 11, 0), 30);
    app.post_keyed("/api/appointments", patient.bearer(), &first, "k")
        .await
        .0
        .ok(201);
    let total = app.total(&patient.token, "").await;
    let (reply, _) = app
        .post_keyed("/api/appointments", patient.bearer(), &other, "k")
        .await;
    reply
        .err(422, "IDEMPOTENCY_KEY_REUSED")
        .field_is("Idempotency-Key");
    // Another endpoint with the same key and body is another request too.
    let absences = format!("/api/practitioners/{martin_id}/absences");
    let martin = app.login(MARTIN).await;
    let absence = json!({
        "startTime": rfc3339(paris(quiet_day(), 16, 0)),
        "endTime": rfc3339(paris(quiet_day(), 17, 0)),
    });
    app.post_keyed(&absences, martin.bearer(), &absence, "same")
        .await
        .0
        .ok(201);
    app.post_keyed(
        "/api/cabinets/current/closures",
        martin.bearer(),
        &absence,
        "same",
    )
    .await
    .0
    .err(422, "IDEMPOTENCY_KEY_REUSED");
    assert_eq!(app.total(&patient.token, "").await, total, "nothing booked");
    assert!(
        app.is_free(&patient.token, &martin_id, paris(quiet_day(), 11, 0), 30)
            .await
    );
}

#[tokio::test]
async fn keys_belong_to_their_user() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    let patient2 = app.login(PATIENT2).await;
    let martin_id = app.practitioner_id(&patient.token, "Martin").await;
    let a = app
        .post_keyed(
            "/api/appointments",
            patient.bearer(),
            &booking(&martin_id, paris(quiet_day(), 10, 0), 30),
            "shared-key",
        )
        .await
        .0
        .ok(201)["id"]
        .clone();
    let (reply, headers) = app
        .post_keyed(
            "/api/appointments",
            patient2.bearer(),
            &booking(&martin_id, paris(quiet_day(), 11, 0), 30),
            "shared-key",
        )
        .await;
    let b = reply.ok(201)["id"].clone();
    assert_ne!(a, b);
    assert!(headers.get("idempotent-replayed").is_none());
    assert_eq!(
        app.appointment(&patient2.token, b.as_str().unwrap()).await["patientId"],
        patient2.user_id.as_str()
    );
}

#[tokio::test]
async fn refusals_are_replayed_too_but_bad_keys_are_not_accepted() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    let martin_id = app.practitioner_id(&patient.token, "Martin").await;
    let outside = booking(&martin_id, paris(quiet_day(), 13, 0), 30);
    let (first, _) = app
        .post_keyed("/api/appointments", patient.bearer(), &outside, "lunch")
        .await;
    first.err(409, "SLOT_UNAVAILABLE");
    let (again, headers) = app
        .post_keyed("/api/appointments", patient.bearer(), &outside, "lunch")
        .await;
    again.err(409, "SLOT_UNAVAILABLE");
    assert_eq!(headers["idempotent-replayed"], "true");

    let body = booking(&martin_id, paris(quiet_day(), 10, 0), 30);
    let total = app.total(&patient.token, "").await;
    for key in ["", "has space", &"x".repeat(256), "clé"] {
        let mut req = keyed(
            "/api/appointments",
            patient.bearer(),
            &json!({}),
            "placeholder",
        );
        *req.body_mut() = axum::body::Body::from(body.to_string());
        req.headers_mut().insert(
            "idempotency-key",
            axum::http::HeaderValue::from_bytes(key.as_bytes()).unwrap(),
        );
        let (reply, _) = send_with_headers(app.router.clone(), req).await;
        reply
            .err(422, "VALIDATION_ERROR")
            .field_is("Idempotency-Key");
    }
    assert_eq!(app.total(&patient.token, "").await, total);
    // Without a token there is no user to key on: the usual 401.
    app.post_keyed("/api/appointments", None, &body, "anon")
        .await
        .0
        .err(401, "UNAUTHORIZED");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_duplicates_make_one_appointment() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    let martin_id = app.practitioner_id(&patient.token, "Martin").await;
    let body = booking(&martin_id, paris(quiet_day(), 10, 0), 30);
    let before = app.total(&patient.token, "").await;
    let n = 12;
    let barrier = Arc::new(Barrier::new(n));
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let router = app.router.clone();
            let barrier = barrier.clone();
            let request = keyed("/api/appointments", patient.bearer(), &body, "double-click");
            tokio::spawn(async move {
                barrier.wait().await;
                send_with_headers(router, request).await.0
            })
        })
        .collect();
    let mut ids = Vec::new();
    for task in tasks {
        let reply = task.await.expect("request task");
        match reply.status.as_u16() {
            201 => ids.push(reply.data()["id"].clone()),
            _ => {
                reply.err(409, "IDEMPOTENCY_KEY_IN_PROGRESS");
            }
        }
    }
    assert!(!ids.is_empty());
    assert!(
        ids.iter().all(|id| *id == ids[0]),
        "one appointment: {ids:?}"
    );
    assert_eq!(app.total(&patient.token, "").await, before + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_duplicates_of_a_staff_booking_create_one_patient() {
    let app = app().await;
    let martin = app.login(MARTIN).await;
    let start = paris(weekday_on_or_after(quiet_day() + Duration::days(1)), 9, 0);
    let body = booking_for_new_patient(&martin.user_id, start, 30, "twice@example.test");
    let n = 8;
    let barrier = Arc::new(Barrier::new(n));
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let router = app.router.clone();
            let barrier = barrier.clone();
            let request = keyed("/api/appointments", martin.bearer(), &body, "new-patient");
            tokio::spawn(async move {
                barrier.wait().await;
                send_with_headers(router, request).await.0
            })
        })
        .collect();
    let mut created = 0;
    for task in tasks {
        let reply = task.await.expect("request task");
        if reply.status == 201 {
            created += 1;
            assert_eq!(reply.data()["patient"]["lastName"], "Patient");
        } else {
            reply.err(409, "IDEMPOTENCY_KEY_IN_PROGRESS");
        }
    }
    assert!(created >= 1);
    assert!(app
        .ctx
        .store
        .user_by_email("twice@example.test")
        .await
        .unwrap()
        .is_some());
    let day = start.with_timezone(&chrono_tz::Europe::Paris).date_naive();
    assert_eq!(
        app.total(
            &martin.token,
            &format!("dateFrom={day}&dateTo={day}&search=twice")
        )
        .await,
        1
    );
}
