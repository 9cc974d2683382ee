//! What happens after booking: cancel, complete, no-show, reschedule and staff edits, each
//! with who may (role, owner, cabinet), from which status, and what a refusal leaves behind.

mod common;

use chrono::{Duration, Utc};
use common::scheduling::*;
use common::*;
use serde_json::{json, Value};

/// A pending appointment of the demo patient with Dr Martin on a quiet day at 10:00.
async fn pending(app: &TestApp) -> (String, chrono::DateTime<Utc>, Session, Session) {
    let patient = app.login(PATIENT).await;
    let martin = app.login(MARTIN).await;
    let start = paris(quiet_day(), 10, 0);
    let id = app
        .book(&patient.token, &booking(&martin.user_id, start, 30))
        .await;
    (id, start, patient, martin)
}

async fn status(app: &TestApp, token: &str, id: &str) -> Value {
    app.appointment(token, id).await["status"].clone()
}

// ---------------------------------------------------------------------------------------------
// Cancel

#[tokio::test]
async fn a_patient_cancels_their_appointment_and_the_slot_is_offered_again() {
    let app = app().await;
    let (id, start, patient, martin) = pending(&app).await;
    assert!(
        !app.is_free(&patient.token, &martin.user_id, start, 30)
            .await
    );

    let uri = format!("/api/appointments/{id}/cancel");
    let reply = app
        .put_json(
            &uri,
            patient.bearer(),
            &json!({"reason": "  Empêchement  "}),
        )
        .await;
    let cancelled = reply.ok(200);
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["cancellationReason"], "Empêchement");
    assert_eq!(cancelled["id"], id.as_str());
    assert!(
        app.is_free(&patient.token, &martin.user_id, start, 30)
            .await
    );
    assert_eq!(status(&app, &martin.token, &id).await, "cancelled");

    app.put_json(&uri, patient.bearer(), &json!({}))
        .await
        .err(409, "INVALID_TRANSITION");
    // Someone else books the freed time.
    let patient2 = app.login(PATIENT2).await;
    app.book(&patient2.token, &booking(&martin.user_id, start, 30))
        .await;
}

#[tokio::test]
async fn cancel_accepts_an_empty_body_and_refuses_bad_ones() {
    let app = app().await;
    let (id, _, patient, martin) = pending(&app).await;
    let uri = format!("/api/appointments/{id}/cancel");
    app.put_json(&uri, patient.bearer(), &json!({"why": "x"}))
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is("why");
    app.put_json(&uri, patient.bearer(), &json!({"reason": "x".repeat(501)}))
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is("reason");
    app.send(request(
        axum::http::Method::PUT,
        &uri,
        patient.bearer(),
        Some("{\"reason\":".into()),
    ))
    .await
    .err(400, "MALFORMED_JSON");
    assert_eq!(status(&app, &martin.token, &id).await, "pending");

    // No body at all, as a bare `PUT …/cancel`.
    let reply = app.put(&uri, martin.bearer()).await;
    assert_eq!(reply.ok(200)["status"], "cancelled");
    assert!(reply.ok(200).get("cancellationReason").is_none());
}

#[tokio::test]
async fn who_may_cancel() {
    let app = app().await;
    let (id, _, patient, martin) = pending(&app).await;
    let uri = format!("/api/appointments/{id}/cancel");
    let patient2 = app.login(PATIENT2).await;
    app.put(&uri, patient2.bearer()).await.err(404, "NOT_FOUND");
    for email in [BERNARD, MANAGER] {
        let s = app.login(email).await;
        app.put(&uri, s.bearer()).await.err(403, "FORBIDDEN");
    }
    for email in [LEROY, LUMIERE_PATIENT] {
        let s = app.login(email).await;
        app.put(&uri, s.bearer()).await.err(404, "NOT_FOUND");
    }
    app.put(&uri, None).await.err(401, "UNAUTHORIZED");
    app.put("/api/appointments/nope/cancel", martin.bearer())
        .await
        .err(404, "NOT_FOUND");
    assert_eq!(status(&app, &patient.token, &id).await, "pending");

    // The practitioner cancels a confirmed one; an admin cancels another.
    app.put(&format!("/api/appointments/{id}/confirm"), martin.bearer())
        .await
        .ok(200);
    app.put(&uri, martin.bearer()).await.ok(200);
    let admin = app.login(ADMIN).await;
    let slot = app
        .next_free_slot(&patient.token, &martin.user_id, 30)
        .await;
    let other = app
        .book(&patient.token, &booking(&martin.user_id, slot.start, 30))
        .await;
    let reply = app
        .put(&format!("/api/appointments/{other}/cancel"), admin.bearer())
        .await;
    assert_eq!(reply.ok(200)["status"], "cancelled");
}

#[tokio::test]
async fn a_patient_cannot_cancel_once_the_visit_has_started_but_staff_can() {
    let app = app().await;
    let (id, _, patient, martin) = pending(&app).await;
    app.backdate(&id, Duration::minutes(10)).await;
    let uri = format!("/api/appointments/{id}/cancel");
    app.put(&uri, patient.bearer())
        .await
        .err(409, "INVALID_TRANSITION");
    assert_eq!(status(&app, &patient.token, &id).await, "pending");
    app.put(&uri, martin.bearer()).await.ok(200);
}

// ---------------------------------------------------------------------------------------------
// Complete and no-show

#[tokio::test]
async fn completion_waits_for_the_start_and_for_confirmation() {
    let app = app().await;
    let (id, _, patient, martin) = pending(&app).await;
    let complete = format!("/api/appointments/{id}/complete");
    let no_show = format!("/api/appointments/{id}/no-show");

    // Pending: not yet.
    app.backdate(&id, Duration::minutes(5)).await;
    app.put(&complete, martin.bearer())
        .await
        .err(409, "INVALID_TRANSITION");
    app.put(&no_show, martin.bearer())
        .await
        .err(409, "INVALID_TRANSITION");
    assert_eq!(status(&app, &martin.token, &id).await, "pending");

    // Confirmed but in the future: not yet either.
    let slot = app.next_free_slot(&martin.token, &martin.user_id, 30).await;
    let future = app
        .book_for(
            &martin.token,
            &patient.user_id,
            &martin.user_id,
            slot.start,
            30,
        )
        .await;
    assert_eq!(status(&app, &martin.token, &future).await, "confirmed");
    for action in ["complete", "no-show", "no_show"] {
        app.put(
            &format!("/api/appointments/{future}/{action}"),
            martin.bearer(),
        )
        .await
        .err(409, "INVALID_TRANSITION");
    }
    assert_eq!(status(&app, &martin.token, &future).await, "confirmed");

    // Started and confirmed: done, once.
    app.backdate(&future, Duration::hours(30)).await;
    let reply = app
        .put(
            &format!("/api/appointments/{future}/complete"),
            martin.bearer(),
        )
        .await;
    assert_eq!(reply.ok(200)["status"], "completed");
    for action in ["complete", "no-show", "cancel", "confirm"] {
        app.put(
            &format!("/api/appointments/{future}/{action}"),
            martin.bearer(),
        )
        .await
        .err(409, "INVALID_TRANSITION");
    }
    assert_eq!(status(&app, &patient.token, &future).await, "completed");
}

#[tokio::test]
async fn only_staff_of_the_appointment_mark_a_no_show() {
    let app = app().await;
    let (id, _, patient, martin) = pending(&app).await;
    app.put(&format!("/api/appointments/{id}/confirm"), martin.bearer())
        .await
        .ok(200);
    app.backdate(&id, Duration::hours(2)).await;
    for path in ["no-show", "no_show", "complete"] {
        let uri = format!("/api/appointments/{id}/{path}");
        app.put(&uri, patient.bearer()).await.err(403, "FORBIDDEN");
        for email in [BERNARD, MANAGER] {
            let s = app.login(email).await;
            app.put(&uri, s.bearer()).await.err(403, "FORBIDDEN");
        }
        let leroy = app.login(LEROY).await;
        app.put(&uri, leroy.bearer()).await.err(404, "NOT_FOUND");
    }
    assert_eq!(status(&app, &patient.token, &id).await, "confirmed");
    let admin = app.login(ADMIN).await;
    let reply = app
        .put(&format!("/api/appointments/{id}/no_show"), admin.bearer())
        .await;
    assert_eq!(reply.ok(200)["status"], "no_show");
    app.put(&format!("/api/appointments/{id}/no-show"), martin.bearer())
        .await
        .err(409, "INVALID_TRANSITION");
}

// ---------------------------------------------------------------------------------------------
// Reschedule

#[tokio::test]
async fn a_patient_moves_a_confirmed_visit_which_then_awaits_confirmation() {
    let app = app().await;
    let (id, start, patient, martin) = pending(&app).await;
    app.put(&format!("/api/appointments/{id}/confirm"), martin.bearer())
        .await
        .ok(200);
    let new_start = paris(quiet_day(), 15, 0);
    let reply = app
        .put_json(
            &format!("/api/appointments/{id}/reschedule"),
            patient.bearer(),
            &json!({"startTime": rfc3339(new_start)}),
        )
        .await;
    let moved = reply.ok(200);
    assert_eq!(moved["id"], id.as_str(), "the same appointment, moved");
    assert_eq!(moved["status"], "pending");
    assert_eq!(moved["startTime"], rfc3339(new_start));
    assert_eq!(moved["duration"], 30);
    assert_eq!(moved["endTime"], rfc3339(new_start + Duration::minutes(30)));
    assert!(
        app.is_free(&patient.token, &martin.user_id, start, 30)
            .await
    );
    assert!(
        !app.is_free(&patient.token, &martin.user_id, new_start, 30)
            .await
    );
    assert_eq!(
        app.total(&patient.token, &format!("dateFrom={}", quiet_day()))
            .await,
        1
    );
}

#[tokio::test]
async fn staff_move_a_visit_and_keep_it_confirmed_with_a_new_length() {
    let app = app().await;
    let (id, _, _patient, martin) = pending(&app).await;
    app.put(&format!("/api/appointments/{id}/confirm"), martin.bearer())
        .await
        .ok(200);
    let new_start = paris(quiet_day(), 14, 0);
    let reply = app
        .put_json(
            &format!("/api/appointments/{id}/reschedule"),
            martin.bearer(),
            &json!({"startTime": rfc3339(new_start), "duration": 60}),
        )
        .await;
    let moved = reply.ok(200);
    assert_eq!(moved["status"], "confirmed");
    assert_eq!(moved["duration"], 60);
    assert_eq!(moved["endTime"], rfc3339(new_start + Duration::minutes(60)));
}

#[tokio::test]
async fn moving_into_a_taken_or_closed_time_changes_nothing() {
    let app = app().await;
    let (id, start, patient, martin) = pending(&app).await;
    let patient2 = app.login(PATIENT2).await;
    let taken = paris(quiet_day(), 11, 0);
    app.book(&patient2.token, &booking(&martin.user_id, taken, 30))
        .await;
    let before = app.appointment(&patient.token, &id).await;
    let uri = format!("/api/appointments/{id}/reschedule");
    let at = |t: chrono::DateTime<Utc>, d: u32| json!({"startTime": rfc3339(t), "duration": d});

    app.put_json(&uri, patient.bearer(), &at(taken, 30))
        .await
        .err(409, "SLOT_CONFLICT");
    app.put_json(
        &uri,
        patient.bearer(),
        &at(taken - Duration::minutes(15), 30),
    )
    .await
    .err(409, "SLOT_CONFLICT");
    // Growing into the next appointment conflicts too.
    app.put_json(&uri, patient.bearer(), &at(start, 90))
        .await
        .err(409, "SLOT_CONFLICT");
    app.put_json(&uri, patient.bearer(), &at(paris(quiet_day(), 12, 30), 30))
        .await
        .err(409, "SLOT_UNAVAILABLE")
        .field_is("startTime");
    app.put_json(
        &uri,
        patient.bearer(),
        &at(Utc::now() - Duration::days(1), 30),
    )
    .await
    .err(409, "SLOT_UNAVAILABLE");
    app.put_json(&uri, patient.bearer(), &at(start, 7))
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is("duration");
    app.put_json(&uri, patient.bearer(), &json!({"duration": 30}))
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is("startTime");
    let absences = format!("/api/practitioners/{}/absences", martin.user_id);
    let later = paris(quiet_day(), 16, 0);
    app.post(
        &absences,
        martin.bearer(),
        &json!({"startTime": rfc3339(later), "endTime": rfc3339(later + Duration::hours(1))}),
    )
    .await
    .ok(201);
    app.put_json(&uri, patient.bearer(), &at(later, 30))
        .await
        .err(409, "SLOT_UNAVAILABLE");
    assert_eq!(
        app.appointment(&patient.token, &id).await,
        before,
        "unchanged"
    );
    assert!(
        !app.is_free(&patient.token, &martin.user_id, start, 30)
            .await
    );

    // Moving within its own time (overlapping itself) is fine.
    let reply = app
        .put_json(
            &uri,
            patient.bearer(),
            &at(start + Duration::minutes(15), 30),
        )
        .await;
    assert_eq!(
        reply.ok(200)["startTime"],
        rfc3339(start + Duration::minutes(15))
    );
}

#[tokio::test]
async fn a_move_obeys_the_buffer_and_the_notice() {
    let app = app().await;
    let admin = app.login(ADMIN).await;
    let (id, _, patient, martin) = pending(&app).await;
    let patient2 = app.login(PATIENT2).await;
    app.book(
        &patient2.token,
        &booking(&martin.user_id, paris(quiet_day(), 14, 0), 30),
    )
    .await;
    app.set_cabinet(&admin.token, json!({"bufferMinutes": 10}))
        .await;
    let uri = format!("/api/appointments/{id}/reschedule");
    app.put_json(
        &uri,
        patient.bearer(),
        &json!({"startTime": rfc3339(paris(quiet_day(), 14, 30))}),
    )
    .await
    .err(409, "SLOT_CONFLICT");
    app.put_json(
        &uri,
        patient.bearer(),
        &json!({"startTime": rfc3339(paris(quiet_day(), 14, 40))}),
    )
    .await
    .ok(200);

    // With a month's notice the patient can no longer move it to the quiet day; staff can.
    app.set_cabinet(&admin.token, json!({"minNoticeMinutes": 30 * 24 * 60}))
        .await;
    let target = json!({"startTime": rfc3339(paris(quiet_day(), 16, 0))});
    app.put_json(&uri, patient.bearer(), &target)
        .await
        .err(409, "SLOT_UNAVAILABLE")
        .field_is("startTime");
    app.put_json(&uri, martin.bearer(), &target).await.ok(200);
}

#[tokio::test]
async fn who_may_reschedule_and_from_which_status() {
    let app = app().await;
    let (id, _, patient, martin) = pending(&app).await;
    let uri = format!("/api/appointments/{id}/reschedule");
    let body = json!({"startTime": rfc3339(paris(quiet_day(), 15, 0))});
    let patient2 = app.login(PATIENT2).await;
    app.put_json(&uri, patient2.bearer(), &body)
        .await
        .err(404, "NOT_FOUND");
    for email in [BERNARD, MANAGER] {
        let s = app.login(email).await;
        app.put_json(&uri, s.bearer(), &body)
            .await
            .err(403, "FORBIDDEN");
    }
    let leroy = app.login(LEROY).await;
    app.put_json(&uri, leroy.bearer(), &body)
        .await
        .err(404, "NOT_FOUND");
    app.put_json(&uri, None, &body)
        .await
        .err(401, "UNAUTHORIZED");
    let admin = app.login(ADMIN).await;
    app.put_json(&uri, admin.bearer(), &body).await.ok(200);

    // Started: the patient may not move it any more; a cancelled one nobody may.
    app.backdate(&id, Duration::minutes(5)).await;
    let later = json!({"startTime": rfc3339(paris(quiet_day(), 16, 0))});
    app.put_json(&uri, patient.bearer(), &later)
        .await
        .err(409, "INVALID_TRANSITION");
    app.put(&format!("/api/appointments/{id}/cancel"), martin.bearer())
        .await
        .ok(200);
    app.put_json(&uri, martin.bearer(), &later)
        .await
        .err(409, "INVALID_TRANSITION");
}

// ---------------------------------------------------------------------------------------------
// Staff edits (PUT /api/appointments/{id})

#[tokio::test]
async fn staff_edit_notes_time_and_practitioner() {
    let app = app().await;
    let (id, start, patient, martin) = pending(&app).await;
    let uri = format!("/api/appointments/{id}");
    let notes = app
        .put_json(
            &uri,
            martin.bearer(),
            &json!({"notes": "Apporter la radio"}),
        )
        .await;
    assert_eq!(notes.ok(200)["notes"], "Apporter la radio");
    assert_eq!(notes.ok(200)["startTime"], rfc3339(start));

    let bernard_id = app.practitioner_id(&patient.token, "Bernard").await;
    let new_start = paris(quiet_day(), 16, 0);
    let moved = app
        .put_json(
            &uri,
            martin.bearer(),
            &json!({"practitionerId": bernard_id, "startTime": rfc3339(new_start), "duration": 45}),
        )
        .await
        .ok(200)
        .clone();
    assert_eq!(moved["practitionerId"], bernard_id.as_str());
    assert_eq!(moved["practitioner"]["lastName"], "Bernard");
    assert_eq!(moved["duration"], 45);
    assert_eq!(moved["status"], "pending");
    assert_eq!(moved["notes"], "Apporter la radio");
    assert!(
        app.is_free(&patient.token, &martin.user_id, start, 30)
            .await
    );
    assert!(
        !app.is_free(&patient.token, &bernard_id, new_start, 30)
            .await
    );

    // Now Dr Bernard's: Dr Martin may no longer edit it, an admin may; "" clears the notes.
    app.put_json(&uri, martin.bearer(), &json!({"notes": "x"}))
        .await
        .err(403, "FORBIDDEN");
    let admin = app.login(ADMIN).await;
    let cleared = app
        .put_json(&uri, admin.bearer(), &json!({"notes": ""}))
        .await;
    assert!(cleared.ok(200).get("notes").is_none());
    // An empty edit changes nothing.
    let same = app.put_json(&uri, admin.bearer(), &json!({})).await;
    assert_eq!(same.ok(200)["updatedAt"], cleared.ok(200)["updatedAt"]);
}

#[tokio::test]
async fn edits_are_for_staff_and_bad_edits_change_nothing() {
    let app = app().await;
    let (id, _, patient, martin) = pending(&app).await;
    let uri = format!("/api/appointments/{id}");
    for email in [PATIENT, BERNARD, MANAGER] {
        let s = app.login(email).await;
        app.put_json(&uri, s.bearer(), &json!({"notes": "x"}))
            .await
            .err(403, "FORBIDDEN");
    }
    let leroy = app.login(LEROY).await;
    app.put_json(&uri, leroy.bearer(), &json!({"notes": "x"}))
        .await
        .err(404, "NOT_FOUND");
    let before = app.appointment(&martin.token, &id).await;
    let leroy_id = leroy.user_id.clone();
    for (body, field) in [
        (json!({"duration": 7}), "duration"),
        (json!({"duration": 300}), "duration"),
        (json!({"practitionerId": leroy_id}), "practitionerId"),
        (json!({"practitionerId": patient.user_id}), "practitionerId"),
        (json!({"notes": "x".repeat(2001)}), "notes"),
        (json!({"urgency": "urgent"}), "urgency"),
        (json!({"startTime": "demain"}), "startTime"),
        (json!({"status": "cancelled", "notes": "x"}), "status"),
        (json!({"status": "pending"}), "status"),
        (json!({"status": "rescheduled"}), "status"),
        (json!({"status": "annulé"}), "status"),
    ] {
        app.put_json(&uri, martin.bearer(), &body)
            .await
            .err(422, "VALIDATION_ERROR")
            .field_is(field);
    }
    app.put_json(
        &uri,
        martin.bearer(),
        &json!({"startTime": rfc3339(paris(quiet_day(), 13, 0))}),
    )
    .await
    .err(409, "SLOT_UNAVAILABLE");
    assert_eq!(app.appointment(&martin.token, &id).await, before);
}

#[tokio::test]
async fn a_status_sent_to_the_edit_endpoint_follows_the_action_rules() {
    let app = app().await;
    let (id, _, patient, martin) = pending(&app).await;
    let uri = format!("/api/appointments/{id}");
    app.put_json(&uri, patient.bearer(), &json!({"status": "confirmed"}))
        .await
        .err(403, "FORBIDDEN");
    app.put_json(&uri, martin.bearer(), &json!({"status": "completed"}))
        .await
        .err(409, "INVALID_TRANSITION");
    let confirmed = app
        .put_json(&uri, martin.bearer(), &json!({"status": "confirmed"}))
        .await;
    assert_eq!(confirmed.ok(200)["status"], "confirmed");
    app.put_json(&uri, martin.bearer(), &json!({"status": "no_show"}))
        .await
        .err(409, "INVALID_TRANSITION");
    // A patient may cancel their own appointment this way too.
    let cancelled = app
        .put_json(&uri, patient.bearer(), &json!({"status": "cancelled"}))
        .await;
    assert_eq!(cancelled.ok(200)["status"], "cancelled");
    app.put_json(&uri, martin.bearer(), &json!({"status": "confirmed"}))
        .await
        .err(409, "INVALID_TRANSITION");
}

#[tokio::test]
async fn staff_edit_a_past_visits_notes_but_not_its_time() {
    let app = app().await;
    let (id, _, _patient, martin) = pending(&app).await;
    app.put(&format!("/api/appointments/{id}/confirm"), martin.bearer())
        .await
        .ok(200);
    app.backdate(&id, Duration::hours(30)).await;
    app.put(&format!("/api/appointments/{id}/complete"), martin.bearer())
        .await
        .ok(200);
    let uri = format!("/api/appointments/{id}");
    let noted = app
        .put_json(&uri, martin.bearer(), &json!({"notes": "Détartrage fait"}))
        .await;
    assert_eq!(noted.ok(200)["notes"], "Détartrage fait");
    assert_eq!(noted.ok(200)["status"], "completed");
    app.put_json(
        &uri,
        martin.bearer(),
        &json!({"startTime": rfc3339(paris(quiet_day(), 9, 0))}),
    )
    .await
    .err(409, "INVALID_TRANSITION");
}
