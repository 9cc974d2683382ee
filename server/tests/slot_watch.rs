//! Slot watchers over real sockets: a screen that sent `slots:watch` for a practitioner hears
//! `creneau:conflict` when one of their times is booked and `creneau:available` when one is
//! freed, with the practitioner and the time only; screens not watching, and other cabinets,
//! hear nothing; another cabinet's practitioner cannot be watched; bad payloads are refused.

mod common;

use common::scheduling::*;
use common::socket_client::Client;
use common::*;
use serde_json::json;

#[tokio::test]
async fn watchers_hear_a_time_taken_then_freed_and_no_one_else_does() {
    let server = served().await;
    let (addr, app) = (server.addr, &server.app);
    let patient = app.login(PATIENT).await;
    let patient2 = app.login(PATIENT2).await;
    let martin = app.login(MARTIN).await;
    let bernard = app.login(BERNARD).await;
    let leroy = app.login(LEROY).await;

    let mut watcher = Client::connect(addr, &patient2.token).await;
    let ack = watcher
        .emit_ack("slots:watch", json!({"practitionerId": martin.user_id}))
        .await;
    assert_eq!(
        ack,
        json!({"ok": true, "data": {"practitionerId": martin.user_id}})
    );
    // The same person's other tab, not watching; a watcher of another agenda; another cabinet.
    let mut other_tab = Client::connect(addr, &patient2.token).await;
    let mut bernard_watcher = Client::connect(addr, &patient2.token).await;
    bernard_watcher.watch(&bernard.user_id).await;
    let mut leroy_ws = Client::connect(addr, &leroy.token).await;
    leroy_ws.watch(&leroy.user_id).await;

    let start = paris(quiet_day(), 10, 0);
    let id = app
        .book(&patient.token, &booking(&martin.user_id, start, 30))
        .await;
    let taken = watcher.expect("creneau:conflict").await;
    assert_eq!(
        taken["data"],
        json!({"practitionerId": martin.user_id, "startTime": rfc3339(start), "duration": 30}),
        "the practitioner and the time, nothing about the patient"
    );

    app.put_json(
        &format!("/api/appointments/{id}/cancel"),
        patient.bearer(),
        &json!({}),
    )
    .await
    .ok(200);
    let freed = watcher.expect("creneau:available").await;
    assert_eq!(
        freed["data"],
        json!({
            "practitionerId": martin.user_id,
            "startTime": rfc3339(start),
            "endTime": rfc3339(start + chrono::Duration::minutes(30)),
        })
    );
    watcher.silence("the watcher, told once of each").await;
    other_tab.silence("a tab not watching").await;
    bernard_watcher.silence("a watcher of another agenda").await;
    leroy_ws.silence("another cabinet").await;

    // Unwatched, the screen hears nothing more.
    let ack = watcher
        .emit_ack("slots:unwatch", json!({"practitionerId": martin.user_id}))
        .await;
    assert_eq!(ack["ok"], true, "{ack}");
    app.book(&patient.token, &booking(&martin.user_id, start, 30))
        .await;
    watcher.silence("a screen that stopped watching").await;
}

#[tokio::test]
async fn another_cabinets_practitioner_cannot_be_watched() {
    let server = served().await;
    let (addr, app) = (server.addr, &server.app);
    let patient = app.login(PATIENT).await;
    let martin = app.login(MARTIN).await;
    let leroy = app.login(LEROY).await;
    let lumiere_patient = app.login(LUMIERE_PATIENT).await;

    let mut spy = Client::connect(addr, &leroy.token).await;
    let ack = spy
        .emit_ack("slots:watch", json!({"practitionerId": martin.user_id}))
        .await;
    assert_eq!(ack["ok"], false, "{ack}");
    assert_eq!(ack["error"]["code"], "NOT_FOUND", "{ack}");
    // A patient id is not a practitioner either.
    let mut curious = Client::connect(addr, &lumiere_patient.token).await;
    let ack = curious
        .emit_ack("slots:watch", json!({"practitionerId": patient.user_id}))
        .await;
    assert_eq!(ack["error"]["code"], "NOT_FOUND", "{ack}");
    // Naming the other cabinet does not help a non-member.
    let ack = spy
        .emit_ack(
            "slots:watch",
            json!({"practitionerId": martin.user_id, "cabinetId": "cab-parc"}),
        )
        .await;
    assert_eq!(ack["error"]["code"], "FORBIDDEN", "{ack}");

    app.book(
        &patient.token,
        &booking(&martin.user_id, paris(quiet_day(), 11, 0), 30),
    )
    .await;
    spy.silence("another cabinet's practitioner").await;
    curious.silence("another cabinet's patient").await;
}

#[tokio::test]
async fn malformed_watch_requests_get_an_error_ack_and_join_nothing() {
    let server = served().await;
    let (addr, app) = (server.addr, &server.app);
    let patient = app.login(PATIENT).await;
    let martin = app.login(MARTIN).await;
    let mut ws = Client::connect(addr, &patient.token).await;
    for bad in [
        json!("slots:martin"),
        json!({}),
        json!({"practitionerId": 5}),
        json!({"practitionerId": ""}),
        json!({"practitionerId": martin.user_id, "cabinetId": 5}),
        json!({"practitionerId": martin.user_id, "room": "cabinet:cab-lumiere"}),
        json!(null),
    ] {
        for event in ["slots:watch", "slots:unwatch"] {
            let ack = ws.emit_ack(event, bad.clone()).await;
            assert_eq!(ack["ok"], false, "{event} {bad}: {ack}");
            assert_eq!(
                ack["error"]["code"], "VALIDATION_ERROR",
                "{event} {bad}: {ack}"
            );
        }
    }
    app.book(
        &patient.token,
        &booking(&martin.user_id, paris(quiet_day(), 9, 0), 30),
    )
    .await;
    // Only the patient's own durable booking event comes; no slot event.
    ws.expect("rendezvous:created").await;
    ws.silence("a socket whose watch requests were all refused")
        .await;
}

#[tokio::test]
async fn a_member_of_two_cabinets_watches_in_the_one_they_name() {
    let server = served().await;
    let (addr, app) = (server.addr, &server.app);
    let patient = app.login(PATIENT).await;
    let leroy = app.login(LEROY).await;
    let lumiere_patient = app.login(LUMIERE_PATIENT).await;
    app.ctx
        .store
        .add_membership(
            &patient.user_id,
            "cab-lumiere",
            nova_contract::Role::Patient,
        )
        .await
        .unwrap();
    let mut ws = Client::connect(addr, &patient.token).await;
    // Dr Leroy is not in the home cabinet...
    let ack = ws
        .emit_ack("slots:watch", json!({"practitionerId": leroy.user_id}))
        .await;
    assert_eq!(ack["error"]["code"], "NOT_FOUND", "{ack}");
    // ...but is in the other one, named.
    let ack = ws
        .emit_ack(
            "slots:watch",
            json!({"practitionerId": leroy.user_id, "cabinetId": "cab-lumiere"}),
        )
        .await;
    assert_eq!(ack["ok"], true, "{ack}");
    let start = paris(quiet_day(), 10, 0);
    app.book(&lumiere_patient.token, &booking(&leroy.user_id, start, 30))
        .await;
    let taken = ws.expect("creneau:conflict").await;
    assert_eq!(taken["data"]["practitionerId"], leroy.user_id.as_str());
}
