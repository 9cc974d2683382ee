//! Real-time events over a real server: a minimal Engine.IO v4 / Socket.IO v5 client speaks
//! WebSocket to the server on 127.0.0.1, while bookings go over real HTTP/1.1.

mod common;

use common::socket_client::{Client, PATIENCE};
use common::*;
use nova_server::auth::tokens::{issue_access, Claims};
use serde_json::{json, Value};

#[tokio::test]
async fn a_valid_token_connects() {
    let server = served().await;
    let patient = server.app.login(PATIENT).await;
    let client = Client::open(server.addr).await;
    assert!(client.open["sid"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(client.open["pingInterval"].as_u64().is_some_and(|n| n > 0));
    assert!(client.open["pingTimeout"].as_u64().is_some_and(|n| n > 0));
    drop(client);

    let mut client = Client::connect(server.addr, &patient.token).await;
    client.silence("a freshly connected socket").await;
}

#[tokio::test]
async fn a_missing_token_is_refused() {
    let server = served().await;
    for auth in [
        None,
        Some(json!({})),
        Some(json!({"token": ""})),
        Some(json!({"token": 42})),
    ] {
        let (_client, answer) = Client::handshake(server.addr, auth.clone()).await;
        let payload = answer
            .strip_prefix("44")
            .unwrap_or_else(|| panic!("{auth:?}: expected connect_error, got {answer}"));
        let payload: Value = serde_json::from_str(payload).unwrap();
        assert_eq!(
            payload,
            json!({"message": "Token d'authentification requis"}),
            "{auth:?}"
        );
    }
}

#[tokio::test]
async fn a_bad_or_expired_token_is_refused() {
    let server = served().await;
    let patient = server.app.login(PATIENT).await;
    let now = chrono::Utc::now().timestamp() as u64;
    let expired = issue_access(
        &server.app.ctx.config.jwt_secret,
        &Claims {
            sub: patient.user_id.clone(),
            cab: "cab-parc".into(),
            role: nova_contract::Role::Patient,
            iat: now - 7200,
            exp: now - 3600,
        },
    )
    .unwrap();
    let other_secret = issue_access(
        b"some-other-secret-entirely",
        &Claims {
            sub: patient.user_id.clone(),
            cab: "cab-parc".into(),
            role: nova_contract::Role::Patient,
            iat: now,
            exp: now + 600,
        },
    )
    .unwrap();
    for token in ["garbage", expired.as_str(), other_secret.as_str()] {
        let (_client, answer) =
            Client::handshake(server.addr, Some(json!({ "token": token }))).await;
        assert_eq!(answer, r#"44{"message":"Token invalide"}"#, "{token}");
    }
}

#[tokio::test]
async fn booking_events_reach_exactly_the_people_concerned() {
    let server = served().await;
    let addr = server.addr;
    let app = &server.app;
    let martin = app.login(MARTIN).await;
    let bernard = app.login(BERNARD).await;
    let leroy = app.login(LEROY).await;
    let patient = app.login(PATIENT).await;
    let patient2 = app.login(PATIENT2).await;
    let manager = app.login(MANAGER).await;

    let mut martin_ws = Client::connect(addr, &martin.token).await;
    let mut bernard_ws = Client::connect(addr, &bernard.token).await;
    let mut leroy_ws = Client::connect(addr, &leroy.token).await;
    let mut patient_ws = Client::connect(addr, &patient.token).await;
    let mut patient2_ws = Client::connect(addr, &patient2.token).await;
    let mut manager_ws = Client::connect(addr, &manager.token).await;

    // The patient books with Dr Martin over HTTP.
    let slot = app
        .next_free_slot(&patient.token, &martin.user_id, 30)
        .await;
    let body = booking(&martin.user_id, slot.start, 30);
    let reply = tcp_request(
        addr,
        "POST",
        "/api/appointments",
        patient.bearer(),
        Some(&body),
    )
    .await;
    let created = reply.ok(201).clone();
    let id = created["id"].as_str().unwrap().to_string();

    let new = martin_ws.expect("rendezvous:new").await;
    assert_eq!(new["type"], "info");
    assert_eq!(new["data"]["id"], id.as_str());
    assert_eq!(new["data"]["status"], "pending");
    assert_eq!(new["data"]["patientId"], patient.user_id.as_str());
    assert_eq!(new["data"]["startTime"], rfc3339(slot.start));
    let ack = patient_ws.expect("rendezvous:created").await;
    assert_eq!(ack["type"], "success");
    assert_eq!(ack["data"]["id"], id.as_str());
    // Durable events are numbered per person (the number a reconnecting client sends back).
    for e in [&new, &ack] {
        assert!(e["id"].as_str().unwrap().parse::<u64>().is_ok(), "{e}");
    }

    // Nobody else hears of it: not the other practitioner, not the other cabinet, not the
    // other patient, not the manager; and each concerned person heard it once.
    bernard_ws.silence("dr.bernard").await;
    leroy_ws.silence("dr.leroy (other cabinet)").await;
    patient2_ws.silence("patient2").await;
    manager_ws.silence("the manager").await;
    martin_ws.silence("dr.martin, a second time").await;
    patient_ws.silence("the patient, a second time").await;

    // Dr Martin confirms: the patient is told, and so are Dr Martin's other screens.
    let uri = format!("/api/appointments/{id}/confirm");
    tcp_request(addr, "PUT", &uri, martin.bearer(), None)
        .await
        .ok(200);
    let confirmed = patient_ws.expect("rendezvous:confirmed").await;
    assert_eq!(confirmed["data"]["id"], id.as_str());
    assert_eq!(confirmed["data"]["status"], "confirmed");
    let echoed = martin_ws.expect("rendezvous:confirmed").await;
    assert_eq!(echoed["data"]["id"], id.as_str());
    bernard_ws.silence("dr.bernard").await;
    leroy_ws.silence("dr.leroy").await;
    patient2_ws.silence("patient2").await;

    // patient2 tries the same slot and loses: only patient2's screens are told to refresh.
    let reply = tcp_request(
        addr,
        "POST",
        "/api/appointments",
        patient2.bearer(),
        Some(&body),
    )
    .await;
    reply.err(409, "SLOT_CONFLICT");
    let conflict = patient2_ws.expect("creneau:conflict").await;
    assert_eq!(conflict["type"], "error");
    assert_eq!(conflict["data"]["practitionerId"], martin.user_id.as_str());
    assert_eq!(conflict["data"]["startTime"], rfc3339(slot.start));
    assert_eq!(conflict["data"]["duration"], 30);
    patient_ws.silence("the patient").await;
    martin_ws.silence("dr.martin").await;
    bernard_ws.silence("dr.bernard").await;
}

#[tokio::test]
async fn every_tab_of_a_user_receives_their_events() {
    let server = served().await;
    let app = &server.app;
    let martin = app.login(MARTIN).await;
    let patient = app.login(PATIENT).await;
    let mut tabs = Vec::new();
    for _ in 0..3 {
        tabs.push(Client::connect(server.addr, &patient.token).await);
    }
    let slot = app
        .next_free_slot(&patient.token, &martin.user_id, 30)
        .await;
    let reply = tcp_request(
        server.addr,
        "POST",
        "/api/appointments",
        patient.bearer(),
        Some(&booking(&martin.user_id, slot.start, 30)),
    )
    .await;
    let id = reply.ok(201)["id"].clone();
    for tab in &mut tabs {
        let created = tab.expect("rendezvous:created").await;
        assert_eq!(created["data"]["id"], id);
    }
    // A closed tab does not stop the others from hearing.
    drop(tabs.pop());
    let uri = format!("/api/appointments/{}/confirm", id.as_str().unwrap());
    tcp_request(server.addr, "PUT", &uri, martin.bearer(), None)
        .await
        .ok(200);
    for tab in &mut tabs {
        assert_eq!(tab.expect("rendezvous:confirmed").await["data"]["id"], id);
    }
}

/// Told "connected", a client already receives its events: the rooms are joined before the
/// connect ack, not in a task that runs after it. (Under load, joining after the ack lost about
/// one event in a thousand.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_sent_right_after_the_connect_ack_arrives() {
    let server = served().await;
    let app = &server.app;
    let martin = app.login(MARTIN).await;
    let patient2 = app.login(PATIENT2).await;
    let slot = app.next_free_slot(&martin.token, &martin.user_id, 30).await;
    let taken = booking(&martin.user_id, slot.start, 30);
    let mut by_staff = taken.clone();
    by_staff["patientId"] = json!(patient2.user_id);
    app.post("/api/appointments", martin.bearer(), &by_staff)
        .await
        .ok(201);
    for attempt in 0..200 {
        let mut client = Client::connect(server.addr, &patient2.token).await;
        // The losing booking is the fastest way to make the server emit to this user.
        app.post("/api/appointments", patient2.bearer(), &taken)
            .await
            .err(409, "SLOT_CONFLICT");
        let (name, _) = client
            .event(PATIENCE)
            .await
            .unwrap_or_else(|| panic!("attempt {attempt}: the event was lost"));
        assert_eq!(name, "creneau:conflict");
    }
}

#[tokio::test]
async fn an_unknown_client_event_is_answered_not_found() {
    let server = served().await;
    let patient = server.app.login(PATIENT).await;
    let mut ws = Client::connect(server.addr, &patient.token).await;
    let ack = ws.emit_ack("rooms:list", json!({})).await;
    assert_eq!(ack["ok"], false, "{ack}");
    assert_eq!(ack["error"]["code"], "NOT_FOUND", "{ack}");
    // The socket still works: a known event is handled as before.
    let ack = ws.emit_ack("join-room", json!("cabinet:cab-parc")).await;
    assert_eq!(ack["ok"], false, "{ack}");
    assert_eq!(ack["error"]["code"], "FORBIDDEN", "{ack}");
}
