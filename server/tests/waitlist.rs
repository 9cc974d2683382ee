//! The waitlist: REST (join, list, leave, and every refusal), and what a freed time does —
//! waiting patients it fits hear `creneau:available` in the order they joined, the one who
//! freed it and those whose window it misses hear nothing, and booking it closes the entry.

mod common;

use chrono::Duration;
use common::scheduling::*;
use common::socket_client::Client;
use common::*;
use serde_json::{json, Value};

async fn join(app: &TestApp, token: &str, body: Value) -> Reply {
    app.post("/api/waitlist", Some(token), &body).await
}

#[tokio::test]
async fn patients_join_list_and_leave_and_bad_requests_are_refused() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    let patient2 = app.login(PATIENT2).await;
    let martin = app.login(MARTIN).await;
    let leroy = app.login(LEROY).await;
    let from = quiet_day();
    let to = from + Duration::days(5);

    let reply = join(
        &app,
        &patient.token,
        json!({"practitionerId": martin.user_id, "dateFrom": from, "dateTo": to}),
    )
    .await;
    let entry = reply.ok(201).clone();
    assert_eq!(entry["status"], "waiting");
    assert_eq!(entry["practitionerId"], martin.user_id.as_str());
    assert_eq!(entry["practitioner"]["lastName"], "Martin");
    assert_eq!(entry["dateFrom"], from.to_string());
    let id = entry["id"].as_str().unwrap().to_string();

    // Refusals, none of which writes anything.
    join(
        &app,
        &patient.token,
        json!({"practitionerId": martin.user_id}),
    )
    .await
    .err(422, "VALIDATION_ERROR")
    .field_is("practitionerId");
    join(
        &app,
        &patient.token,
        json!({"practitionerId": leroy.user_id}),
    )
    .await
    .err(422, "VALIDATION_ERROR")
    .field_is("practitionerId");
    join(
        &app,
        &patient.token,
        json!({"practitionerId": martin.user_id, "dateFrom": to, "dateTo": from}),
    )
    .await
    .err(422, "VALIDATION_ERROR")
    .field_is("dateTo");
    join(
        &app,
        &patient2.token,
        json!({"practitionerId": martin.user_id, "dateTo": paris_today() - Duration::days(1)}),
    )
    .await
    .err(422, "VALIDATION_ERROR")
    .field_is("dateTo");
    join(
        &app,
        &patient2.token,
        json!({"practitionerId": martin.user_id, "x": 1}),
    )
    .await
    .err(422, "VALIDATION_ERROR")
    .field_is("x");
    join(&app, &patient2.token, json!({}))
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is("practitionerId");
    app.post_raw("/api/waitlist", patient2.bearer(), "{nope")
        .await
        .err(400, "MALFORMED_JSON");
    join(
        &app,
        &martin.token,
        json!({"practitionerId": martin.user_id}),
    )
    .await
    .err(403, "FORBIDDEN");
    app.post(
        "/api/waitlist",
        None,
        &json!({"practitionerId": martin.user_id}),
    )
    .await
    .err(401, "UNAUTHORIZED");

    let mine = app.get("/api/waitlist", patient.bearer()).await;
    assert_eq!(mine.ok(200).as_array().unwrap().len(), 1);
    let theirs = app.get("/api/waitlist", patient2.bearer()).await;
    assert!(theirs.ok(200).as_array().unwrap().is_empty(), "{theirs:?}");

    // Someone else's entry is not found; one's own is deleted once.
    app.delete(&format!("/api/waitlist/{id}"), patient2.bearer())
        .await
        .err(404, "NOT_FOUND");
    let gone = app
        .delete(&format!("/api/waitlist/{id}"), patient.bearer())
        .await;
    assert_eq!(gone.ok(200)["id"], id.as_str());
    app.delete(&format!("/api/waitlist/{id}"), patient.bearer())
        .await
        .err(404, "NOT_FOUND");
    let mine = app.get("/api/waitlist", patient.bearer()).await;
    assert!(mine.ok(200).as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_cancellation_is_offered_to_waiting_patients_first_come_first_served() {
    let server = served().await;
    let (addr, app) = (server.addr, &server.app);
    let patient = app.login(PATIENT).await;
    let patient2 = app.login(PATIENT2).await;
    let martin = app.login(MARTIN).await;
    let start = paris(quiet_day(), 10, 0);

    // Dr Martin books a new patient; patient2 joins the waitlist first, then the demo patient,
    // then the demo patient again for Dr Bernard (another agenda).
    let booked = app
        .post(
            "/api/appointments",
            martin.bearer(),
            &booking_for_new_patient(&martin.user_id, start, 30, "tard@nova-rdv.test"),
        )
        .await;
    let id = booked.ok(201)["id"].as_str().unwrap().to_string();
    let first = join(
        app,
        &patient2.token,
        json!({"practitionerId": martin.user_id}),
    )
    .await
    .ok(201)["id"]
        .clone();
    let second = join(
        app,
        &patient.token,
        json!({"practitionerId": martin.user_id, "dateFrom": quiet_day()}),
    )
    .await
    .ok(201)["id"]
        .clone();
    let mut patient_ws = Client::connect(addr, &patient.token).await;
    let mut patient2_ws = Client::connect(addr, &patient2.token).await;

    app.cancel(&martin.token, &id).await;
    let offer1 = patient2_ws.expect("creneau:available").await;
    let offer2 = patient_ws.expect("creneau:available").await;
    for (offer, entry) in [(&offer1, &first), (&offer2, &second)] {
        assert_eq!(
            offer["data"],
            json!({
                "practitionerId": martin.user_id,
                "startTime": rfc3339(start),
                "endTime": rfc3339(start + Duration::minutes(30)),
                "waitlistEntryId": entry,
            })
        );
    }
    let sent_at = |e: &Value| {
        e["timestamp"]
            .as_str()
            .unwrap()
            .parse::<chrono::DateTime<chrono::Utc>>()
            .unwrap()
    };
    assert!(
        sent_at(&offer1) <= sent_at(&offer2),
        "first come, first told"
    );
    let order = app
        .ctx
        .store
        .waiting_for("cab-parc", &martin.user_id, start.timestamp(), "")
        .await
        .unwrap();
    let order: Vec<&str> = order.iter().map(|w| w.entry_id.as_str()).collect();
    assert_eq!(order, [first.as_str().unwrap(), second.as_str().unwrap()]);
    patient_ws.silence("the demo patient, told once").await;
    patient2_ws.silence("patient2, told once").await;

    // patient2 books it: their entry is closed, the other still waits.
    let taken = app
        .book(&patient2.token, &booking(&martin.user_id, start, 30))
        .await;
    patient2_ws.expect("rendezvous:created").await;
    let mine = app.get("/api/waitlist", patient2.bearer()).await;
    let entry = &mine.ok(200)[0];
    assert_eq!(entry["status"], "fulfilled");
    assert_eq!(entry["appointmentId"], taken.as_str());
    let theirs = app.get("/api/waitlist", patient.bearer()).await;
    assert_eq!(theirs.ok(200)[0]["status"], "waiting");

    // patient2 cancels it again: the freed time goes to the demo patient, not to patient2
    // (who freed it and is no longer waiting anyway).
    app.cancel(&patient2.token, &taken).await;
    patient2_ws.expect("rendezvous:cancelled").await;
    let again = patient_ws.expect("creneau:available").await;
    assert_eq!(again["data"]["waitlistEntryId"], second);
    patient2_ws.silence("the patient who freed it").await;
}

#[tokio::test]
async fn a_freed_time_outside_the_window_or_the_notice_is_not_offered() {
    let server = served().await;
    let (addr, app) = (server.addr, &server.app);
    let patient = app.login(PATIENT).await;
    let patient2 = app.login(PATIENT2).await;
    let martin = app.login(MARTIN).await;
    let bernard = app.login(BERNARD).await;
    let day = quiet_day();
    let start = paris(day, 10, 0);
    let id = app
        .book_for(&martin.token, &patient.user_id, &martin.user_id, start, 30)
        .await;
    // patient2 wants Dr Martin only before that day, and Dr Bernard any time.
    join(
        app,
        &patient2.token,
        json!({"practitionerId": martin.user_id, "dateTo": day - Duration::days(1)}),
    )
    .await
    .ok(201);
    join(
        app,
        &patient2.token,
        json!({"practitionerId": bernard.user_id}),
    )
    .await
    .ok(201);
    let mut patient2_ws = Client::connect(addr, &patient2.token).await;
    app.cancel(&martin.token, &id).await;
    patient2_ws
        .silence("a waiting patient whose window the time misses")
        .await;

    // Waiting for Dr Bernard, but the freed time is within the cabinet's notice: patients could
    // not book it, so it is not offered.
    let admin = app.login(ADMIN).await;
    app.set_cabinet(&admin.token, json!({"minNoticeMinutes": 43200}))
        .await;
    let soon = app
        .book_for(
            &bernard.token,
            &patient.user_id,
            &bernard.user_id,
            paris(day, 11, 0),
            30,
        )
        .await;
    app.cancel(&bernard.token, &soon).await;
    patient2_ws
        .silence("a waiting patient, for a time they could not book")
        .await;
    // With the usual notice, the same kind of freed time is offered.
    app.set_cabinet(&admin.token, json!({"minNoticeMinutes": 60}))
        .await;
    let again = app
        .book_for(
            &bernard.token,
            &patient.user_id,
            &bernard.user_id,
            paris(day, 11, 0),
            30,
        )
        .await;
    app.cancel(&bernard.token, &again).await;
    let offer = patient2_ws.expect("creneau:available").await;
    assert_eq!(offer["data"]["practitionerId"], bernard.user_id.as_str());
}

#[tokio::test]
async fn the_export_shows_the_waitlist_and_erasure_removes_it() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    let martin = app.login(MARTIN).await;
    join(
        &app,
        &patient.token,
        json!({"practitionerId": martin.user_id}),
    )
    .await
    .ok(201);
    let export = app.get("/api/me/export", patient.bearer()).await;
    assert_eq!(export.status.as_u16(), 200);
    assert_eq!(
        export.body["waitlist"][0]["practitionerId"],
        martin.user_id.as_str()
    );
    app.delete("/api/me", patient.bearer()).await.ok(200);
    let left = app
        .ctx
        .store
        .waitlist_everywhere(&patient.user_id)
        .await
        .unwrap();
    assert!(left.is_empty(), "{left:?}");
}
