//! Who hears of a cancellation, a move or a completion, over real sockets on a real server:
//! the patient and the practitioner get the `rendezvous:*` event; screens watching the agenda
//! (`slots:watch`) get `creneau:available` for a freed time (practitioner and time only);
//! nobody else hears a thing.

mod common;

use chrono::Duration;
use common::scheduling::*;
use common::socket_client::Client;
use common::*;
use serde_json::json;

#[tokio::test]
async fn a_cancellation_reaches_the_people_concerned_and_frees_the_slot_for_its_watchers() {
    let server = served().await;
    let (addr, app) = (server.addr, &server.app);
    let patient = app.login(PATIENT).await;
    let patient2 = app.login(PATIENT2).await;
    let martin = app.login(MARTIN).await;
    let bernard = app.login(BERNARD).await;
    let leroy = app.login(LEROY).await;
    let start = paris(quiet_day(), 10, 0);
    let id = app
        .book(&patient.token, &booking(&martin.user_id, start, 30))
        .await;

    let mut patient_ws = Client::connect(addr, &patient.token).await;
    let mut martin_ws = Client::connect(addr, &martin.token).await;
    let mut patient2_ws = Client::connect(addr, &patient2.token).await;
    let mut bernard_ws = Client::connect(addr, &bernard.token).await;
    let mut leroy_ws = Client::connect(addr, &leroy.token).await;
    // Another patient's booking screen shows Dr Martin's free times.
    patient2_ws.watch(&martin.user_id).await;

    tcp_request(
        addr,
        "PUT",
        &format!("/api/appointments/{id}/cancel"),
        patient.bearer(),
        Some(&json!({"reason": "Malade"})),
    )
    .await
    .ok(200);

    for ws in [&mut patient_ws, &mut martin_ws] {
        let cancelled = ws.expect("rendezvous:cancelled").await;
        assert_eq!(cancelled["data"]["id"], id.as_str());
        assert_eq!(cancelled["data"]["status"], "cancelled");
        assert_eq!(cancelled["data"]["cancellationReason"], "Malade");
    }
    {
        let freed = patient2_ws.expect("creneau:available").await;
        assert_eq!(
            freed["data"],
            json!({
                "practitionerId": martin.user_id,
                "startTime": rfc3339(start),
                "endTime": rfc3339(start + Duration::minutes(30)),
            }),
            "the practitioner and the time, nothing about the patient"
        );
    }
    leroy_ws.silence("another cabinet").await;
    for (ws, who) in [
        (&mut patient_ws, "the patient"),
        (&mut martin_ws, "the practitioner"),
        (&mut patient2_ws, "the watcher"),
        (&mut bernard_ws, "another practitioner, not watching"),
    ] {
        ws.silence(who).await;
    }
}

#[tokio::test]
async fn a_move_tells_both_practitioners_and_frees_the_old_time() {
    let server = served().await;
    let (addr, app) = (server.addr, &server.app);
    let patient = app.login(PATIENT).await;
    let patient2 = app.login(PATIENT2).await;
    let martin = app.login(MARTIN).await;
    let bernard = app.login(BERNARD).await;
    let leroy = app.login(LEROY).await;
    let start = paris(quiet_day(), 10, 0);
    let id = app
        .book(&patient.token, &booking(&martin.user_id, start, 30))
        .await;

    let mut patient_ws = Client::connect(addr, &patient.token).await;
    let mut martin_ws = Client::connect(addr, &martin.token).await;
    let mut bernard_ws = Client::connect(addr, &bernard.token).await;
    let mut patient2_ws = Client::connect(addr, &patient2.token).await;
    let mut leroy_ws = Client::connect(addr, &leroy.token).await;
    patient2_ws.watch(&martin.user_id).await;

    // The patient moves it within Dr Martin's day.
    let later = paris(quiet_day(), 11, 0);
    tcp_request(
        addr,
        "PUT",
        &format!("/api/appointments/{id}/reschedule"),
        patient.bearer(),
        Some(&json!({"startTime": rfc3339(later)})),
    )
    .await
    .ok(200);
    for ws in [&mut patient_ws, &mut martin_ws] {
        let moved = ws.expect("rendezvous:rescheduled").await;
        assert_eq!(moved["data"]["id"], id.as_str());
        assert_eq!(moved["data"]["startTime"], rfc3339(later));
        assert_eq!(moved["data"]["previousStartTime"], rfc3339(start));
        assert_eq!(
            moved["data"]["previousPractitionerId"],
            martin.user_id.as_str()
        );
    }
    // The watcher sees the new time taken, then the old one freed.
    let taken = patient2_ws.expect("creneau:conflict").await;
    assert_eq!(
        taken["data"],
        json!({"practitionerId": martin.user_id, "startTime": rfc3339(later), "duration": 30})
    );
    let freed = patient2_ws.expect("creneau:available").await;
    assert_eq!(freed["data"]["startTime"], rfc3339(start));
    patient_ws.silence("the patient, not watching").await;
    bernard_ws
        .silence("dr.bernard, not concerned by the move")
        .await;
    leroy_ws.silence("another cabinet").await;

    // An admin hands it to Dr Bernard: he hears of it too.
    let admin = app.login(ADMIN).await;
    let bernard_time = paris(quiet_day(), 15, 0);
    tcp_request(
        addr,
        "PUT",
        &format!("/api/appointments/{id}"),
        admin.bearer(),
        Some(&json!({"practitionerId": bernard.user_id, "startTime": rfc3339(bernard_time)})),
    )
    .await
    .ok(200);
    for ws in [&mut patient_ws, &mut martin_ws, &mut bernard_ws] {
        let moved = ws.expect("rendezvous:rescheduled").await;
        assert_eq!(moved["data"]["practitionerId"], bernard.user_id.as_str());
        assert_eq!(
            moved["data"]["previousPractitionerId"],
            martin.user_id.as_str()
        );
    }
    // Watching Dr Martin only: the time taken at Dr Bernard's is not this screen's business.
    let freed = patient2_ws.expect("creneau:available").await;
    assert_eq!(freed["data"]["practitionerId"], martin.user_id.as_str());
    assert_eq!(freed["data"]["startTime"], rfc3339(later));
    patient2_ws.silence("a watcher of Dr Martin only").await;
    leroy_ws.silence("another cabinet").await;

    // A refused move tells nobody anything.
    let taken = paris(quiet_day(), 16, 0);
    app.book(&patient2.token, &booking(&bernard.user_id, taken, 30))
        .await;
    bernard_ws.expect("rendezvous:new").await;
    patient2_ws.expect("rendezvous:created").await;
    tcp_request(
        addr,
        "PUT",
        &format!("/api/appointments/{id}/reschedule"),
        patient.bearer(),
        Some(&json!({"startTime": rfc3339(taken)})),
    )
    .await
    .err(409, "SLOT_CONFLICT");
    patient_ws.silence("the patient after a refused move").await;
    martin_ws.silence("dr.martin after a refused move").await;
    bernard_ws.silence("dr.bernard after a refused move").await;
}

#[tokio::test]
async fn completion_and_no_show_reach_the_patient_and_the_practitioner() {
    let server = served().await;
    let (addr, app) = (server.addr, &server.app);
    let patient = app.login(PATIENT).await;
    let patient2 = app.login(PATIENT2).await;
    let martin = app.login(MARTIN).await;
    let first = app
        .book_for(
            &martin.token,
            &patient.user_id,
            &martin.user_id,
            paris(quiet_day(), 9, 0),
            30,
        )
        .await;
    let second = app
        .book_for(
            &martin.token,
            &patient.user_id,
            &martin.user_id,
            paris(quiet_day(), 10, 0),
            30,
        )
        .await;
    app.backdate(&first, Duration::hours(30)).await;
    app.backdate(&second, Duration::hours(40)).await;

    let mut patient_ws = Client::connect(addr, &patient.token).await;
    let mut martin_ws = Client::connect(addr, &martin.token).await;
    let mut patient2_ws = Client::connect(addr, &patient2.token).await;

    tcp_request(
        addr,
        "PUT",
        &format!("/api/appointments/{first}/complete"),
        martin.bearer(),
        None,
    )
    .await
    .ok(200);
    tcp_request(
        addr,
        "PUT",
        &format!("/api/appointments/{second}/no-show"),
        martin.bearer(),
        None,
    )
    .await
    .ok(200);
    for ws in [&mut patient_ws, &mut martin_ws] {
        let done = ws.expect("rendezvous:completed").await;
        assert_eq!(done["data"]["id"], first.as_str());
        assert_eq!(done["type"], "success");
        let missed = ws.expect("rendezvous:no_show").await;
        assert_eq!(missed["data"]["id"], second.as_str());
        assert_eq!(missed["data"]["status"], "no_show");
    }
    patient2_ws
        .silence("another patient: nothing was freed")
        .await;
}

#[tokio::test]
async fn an_erasure_frees_the_patients_future_slots_live() {
    let server = served().await;
    let (addr, app) = (server.addr, &server.app);
    let patient = app.login(PATIENT).await;
    let martin = app.login(MARTIN).await;
    let start = paris(quiet_day(), 11, 0);
    let id = app
        .book(&patient.token, &booking(&martin.user_id, start, 30))
        .await;
    let mut martin_ws = Client::connect(addr, &martin.token).await;
    martin_ws.watch(&martin.user_id).await;

    tcp_request(addr, "DELETE", "/api/me", patient.bearer(), None).await;

    // Dr Martin's own screen shows his free times and hears them freed.
    let (mut cancelled, mut freed) = (None, None);
    while let Some((name, event)) = martin_ws.event(std::time::Duration::from_secs(2)).await {
        match name.as_str() {
            "rendezvous:cancelled" => cancelled = Some(event),
            "creneau:available" if event["data"]["practitionerId"] == martin.user_id.as_str() => {
                freed = Some(event)
            }
            _ => {}
        }
        if cancelled.is_some() && freed.is_some() {
            break;
        }
    }
    let cancelled = cancelled.expect("Dr Martin hears of the cancellation");
    assert_eq!(cancelled["data"]["id"], id.as_str());
    assert_eq!(cancelled["data"]["status"], "cancelled");
    let freed = freed.expect("the watcher hears the slot is free");
    assert_eq!(freed["data"]["startTime"], rfc3339(start).as_str());
}
