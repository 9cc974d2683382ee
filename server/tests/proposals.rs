//! Appointment proposals over REST: a practitioner offers a slot in a conversation, the patient
//! accepts (booking it once, whatever races it) or rejects; expired proposals answer 409.

mod common;

use std::sync::Arc;

use axum::http::Method;
use chrono::{NaiveDate, Utc};
use common::messaging::*;
use common::scheduling::*;
use common::*;
use serde_json::{json, Value};
use tokio::sync::Barrier;

/// The practitioner's appointments holding time on a day, as (id, patient id, start).
async fn held(
    app: &TestApp,
    staff: &str,
    practitioner: &str,
    day: NaiveDate,
) -> Vec<(String, String, String)> {
    let reply = app
        .get(
            &format!("/api/appointments?practitionerId={practitioner}&dateFrom={day}&dateTo={day}&limit=100"),
            Some(staff),
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
                a["patientId"].as_str().unwrap().to_string(),
                a["startTime"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn proposals(app: &TestApp, token: &str, conversation: &str) -> Vec<Value> {
    app.get(
        &format!("/api/conversations/{conversation}/proposals"),
        Some(token),
    )
    .await
    .ok(200)
    .as_array()
    .unwrap()
    .clone()
}

/// Moves a proposal's time into the past (the API refuses to propose there).
async fn backdate_proposal(app: &TestApp, id: &str) {
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&app.ctx.config.database_url)
        .await
        .expect("a direct connection to the test database");
    sqlx::query("UPDATE proposals SET starts_at = $1 WHERE id = $2")
        .bind(Utc::now().timestamp() - 3600)
        .bind(id)
        .execute(&mut conn)
        .await
        .expect("backdate the proposal");
}

#[tokio::test]
async fn an_accepted_proposal_books_its_slot_once() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    let martin = app.login(MARTIN).await;
    let conversation = app.conversation_with(&patient.token, &martin.user_id).await;
    let day = quiet_day();
    let start = paris(day, 10, 0);

    let proposal = app
        .propose(&martin.token, &conversation, &martin.user_id, start, 45)
        .await;
    assert_eq!(proposal["status"], "pending");
    assert_eq!(proposal["patientId"], patient.user_id.as_str());
    assert_eq!(proposal["proposedBy"], martin.user_id.as_str());
    assert_eq!(proposal["startTime"], rfc3339(start));
    assert_eq!(proposal["type"], "soin");
    let id = proposal["id"].as_str().unwrap().to_string();
    let listed = proposals(&app, &patient.token, &conversation).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], id.as_str());

    let accepted = app
        .put(&format!("/api/proposals/{id}/accept"), patient.bearer())
        .await;
    let accepted = accepted.ok(200).clone();
    assert_eq!(accepted["proposal"]["status"], "accepted");
    let appointment = &accepted["appointment"];
    assert_eq!(accepted["proposal"]["appointmentId"], appointment["id"]);
    assert_eq!(appointment["status"], "confirmed");
    assert_eq!(appointment["patientId"], patient.user_id.as_str());
    assert_eq!(appointment["practitionerId"], martin.user_id.as_str());
    assert_eq!(appointment["startTime"], rfc3339(start));
    assert_eq!(appointment["duration"], 45);
    assert_eq!(appointment["type"], "soin");

    // A second answer changes nothing.
    app.put(&format!("/api/proposals/{id}/accept"), patient.bearer())
        .await
        .err(409, "INVALID_TRANSITION");
    app.put(&format!("/api/proposals/{id}/reject"), patient.bearer())
        .await
        .err(409, "INVALID_TRANSITION");
    let agenda = held(&app, &martin.token, &martin.user_id, day).await;
    assert_eq!(agenda.len(), 1, "{agenda:?}");
    assert_eq!(agenda[0].0, appointment["id"].as_str().unwrap());
    assert!(
        !app.is_free(&patient.token, &martin.user_id, start, 45)
            .await
    );
}

#[tokio::test]
async fn a_rejected_proposal_books_nothing() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    let martin = app.login(MARTIN).await;
    let conversation = app.conversation_with(&patient.token, &martin.user_id).await;
    let day = quiet_day();
    let start = paris(day, 11, 0);
    let id = app
        .propose(&martin.token, &conversation, &martin.user_id, start, 30)
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let rejected = app
        .put(&format!("/api/proposals/{id}/reject"), patient.bearer())
        .await;
    assert_eq!(rejected.ok(200)["status"], "rejected");
    app.put(&format!("/api/proposals/{id}/accept"), patient.bearer())
        .await
        .err(409, "INVALID_TRANSITION");
    assert!(held(&app, &martin.token, &martin.user_id, day)
        .await
        .is_empty());
    assert_eq!(
        proposals(&app, &martin.token, &conversation).await[0]["status"],
        "rejected"
    );
}

#[tokio::test]
async fn only_staff_taking_part_propose_and_only_the_patient_answers() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    let patient2 = app.login(PATIENT2).await;
    let martin = app.login(MARTIN).await;
    let bernard = app.login(BERNARD).await;
    let leroy = app.login(LEROY).await;
    let admin = app.login(ADMIN).await;
    let conversation = app.conversation_with(&patient.token, &martin.user_id).await;
    let day = quiet_day();
    let start = paris(day, 14, 0);
    let uri = format!("/api/conversations/{conversation}/proposals");
    let body = proposal_body(&martin.user_id, start, 30);

    app.post(&uri, patient.bearer(), &body)
        .await
        .err(403, "FORBIDDEN");
    app.post(&uri, bernard.bearer(), &body)
        .await
        .err(403, "FORBIDDEN");
    app.post(&uri, admin.bearer(), &body)
        .await
        .err(403, "FORBIDDEN");
    app.post(&uri, patient2.bearer(), &body)
        .await
        .err(404, "NOT_FOUND");
    app.post(&uri, leroy.bearer(), &body)
        .await
        .err(404, "NOT_FOUND");

    // Bad input: each refused on its field, nothing written.
    let mut other_cabinet = body.clone();
    other_cabinet["practitionerId"] = json!(leroy.user_id);
    let mut odd = body.clone();
    odd["duration"] = json!(7);
    let mut unknown = body.clone();
    unknown["price"] = json!(3);
    let mut no_type = body.clone();
    no_type.as_object_mut().unwrap().remove("type");
    for (body, field) in [
        (other_cabinet, "practitionerId"),
        (odd, "duration"),
        (unknown, "price"),
        (no_type, "type"),
    ] {
        app.post(&uri, martin.bearer(), &body)
            .await
            .err(422, "VALIDATION_ERROR")
            .field_is(field);
    }
    // Outside the hours, or at night: not offered.
    app.post(
        &uri,
        martin.bearer(),
        &proposal_body(&martin.user_id, paris(day, 22, 0), 30),
    )
    .await
    .err(409, "SLOT_UNAVAILABLE");
    assert!(proposals(&app, &martin.token, &conversation)
        .await
        .is_empty());

    let id = app
        .propose(&martin.token, &conversation, &martin.user_id, start, 30)
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    for action in ["accept", "reject"] {
        let path = format!("/api/proposals/{id}/{action}");
        app.put(&path, martin.bearer()).await.err(403, "FORBIDDEN");
        app.put(&path, admin.bearer()).await.err(403, "FORBIDDEN");
        app.put(&path, patient2.bearer())
            .await
            .err(404, "NOT_FOUND");
        app.put(&path, leroy.bearer()).await.err(404, "NOT_FOUND");
    }
    assert_eq!(
        proposals(&app, &patient.token, &conversation).await[0]["status"],
        "pending"
    );
    assert!(held(&app, &martin.token, &martin.user_id, day)
        .await
        .is_empty());
}

#[tokio::test]
async fn a_proposal_whose_slot_passed_or_was_taken_answers_409() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    let patient2 = app.login(PATIENT2).await;
    let martin = app.login(MARTIN).await;
    let conversation = app.conversation_with(&patient.token, &martin.user_id).await;
    let day = quiet_day();

    // Its time passed.
    let passed = app
        .propose(
            &martin.token,
            &conversation,
            &martin.user_id,
            paris(day, 9, 0),
            30,
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    backdate_proposal(&app, &passed).await;
    app.put(&format!("/api/proposals/{passed}/accept"), patient.bearer())
        .await
        .err(409, "SLOT_UNAVAILABLE");
    app.put(&format!("/api/proposals/{passed}/reject"), patient.bearer())
        .await
        .err(409, "SLOT_UNAVAILABLE");

    // Its time was taken by another booking.
    let start = paris(day, 15, 0);
    let taken = app
        .propose(&martin.token, &conversation, &martin.user_id, start, 30)
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let other = app
        .book_for(&martin.token, &patient2.user_id, &martin.user_id, start, 30)
        .await;
    app.put(&format!("/api/proposals/{taken}/accept"), patient.bearer())
        .await
        .err(409, "SLOT_CONFLICT");
    // It stays expired: a second try says so.
    app.put(&format!("/api/proposals/{taken}/accept"), patient.bearer())
        .await
        .err(409, "SLOT_UNAVAILABLE");
    let listed = proposals(&app, &patient.token, &conversation).await;
    assert!(
        listed.iter().all(|p| p["status"] == "expired"),
        "{listed:?}"
    );
    assert!(listed.iter().all(|p| p.get("appointmentId").is_none()));
    let agenda = held(&app, &martin.token, &martin.user_id, day).await;
    assert_eq!(agenda.len(), 1);
    assert_eq!(agenda[0].0, other);

    // Proposing a taken time is refused up front.
    app.post(
        &format!("/api/conversations/{conversation}/proposals"),
        martin.bearer(),
        &proposal_body(&martin.user_id, start, 30),
    )
    .await
    .err(409, "SLOT_CONFLICT");
}

/// Sends the requests at once (released together) and returns the replies in order.
async fn all_at_once(
    app: &TestApp,
    requests: Vec<(Method, String, String, Option<Value>)>,
) -> Vec<Reply> {
    let barrier = Arc::new(Barrier::new(requests.len()));
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|(method, uri, token, body)| {
            let router = app.router.clone();
            let barrier = barrier.clone();
            let request = request(method, &uri, Some(&token), body.map(|b| b.to_string()));
            tokio::spawn(async move {
                barrier.wait().await;
                send(router, request).await
            })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.expect("request task"));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_acceptance_racing_a_booking_or_itself_has_one_winner() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    let patient2 = app.login(PATIENT2).await;
    let martin = app.login(MARTIN).await;
    let conversation = app.conversation_with(&patient.token, &martin.user_id).await;
    let day = quiet_day();
    for (round, hour) in [9, 10, 11, 14, 15, 16].into_iter().enumerate() {
        let start = paris(day, hour, 0);
        let id = app
            .propose(&martin.token, &conversation, &martin.user_id, start, 30)
            .await["id"]
            .as_str()
            .unwrap()
            .to_string();
        let accept = (
            Method::PUT,
            format!("/api/proposals/{id}/accept"),
            patient.token.clone(),
            None,
        );
        let second = if round % 2 == 0 {
            // patient2 books the same time.
            (
                Method::POST,
                "/api/appointments".to_string(),
                patient2.token.clone(),
                Some(booking(&martin.user_id, start, 30)),
            )
        } else {
            // The patient accepts twice (two tabs).
            accept.clone()
        };
        let replies = all_at_once(&app, vec![accept, second]).await;
        let winners = replies.iter().filter(|r| r.status.is_success()).count();
        assert_eq!(winners, 1, "round {round}: {replies:?}");
        for r in replies.iter().filter(|r| !r.status.is_success()) {
            assert_eq!(r.status.as_u16(), 409, "round {round}: {r:?}");
        }
        let at: Vec<_> = held(&app, &martin.token, &martin.user_id, day)
            .await
            .into_iter()
            .filter(|a| a.2 == rfc3339(start))
            .collect();
        assert_eq!(
            at.len(),
            1,
            "round {round}: one appointment holds the slot: {at:?}"
        );
        let status = proposals(&app, &patient.token, &conversation)
            .await
            .into_iter()
            .find(|p| p["id"] == id.as_str())
            .unwrap()["status"]
            .clone();
        // In a double acceptance either may win; against a booking, the first reply says.
        if round % 2 == 1 || replies[0].status.is_success() {
            assert_eq!(status, "accepted", "round {round}");
            assert_eq!(at[0].1, patient.user_id, "round {round}");
        } else {
            assert_eq!(status, "expired", "round {round}");
            assert_eq!(at[0].1, patient2.user_id, "round {round}");
        }
    }
}
