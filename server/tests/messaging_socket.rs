//! Messaging in real time over a real server: `message:new` to the other participant, typing
//! relayed to the conversation's screens but never to the sender, `join-room` for
//! conversation rooms of one's own only, and proposals heard by both sides.

mod common;

use common::messaging::*;
use common::scheduling::*;
use common::socket_client::Client;
use common::*;
use serde_json::json;

#[tokio::test]
async fn a_message_reaches_the_other_participant_and_open_screens_can_dedup() {
    let server = served().await;
    let app = &server.app;
    let patient = app.login(PATIENT2).await;
    let martin = app.login(MARTIN).await;
    let bernard = app.login(BERNARD).await;
    let patient2 = app.login(PATIENT).await;
    let id = app.conversation_with(&patient.token, &martin.user_id).await;

    let mut martin_ws = Client::connect(server.addr, &martin.token).await;
    let mut patient_ws = Client::connect(server.addr, &patient.token).await;
    let mut bernard_ws = Client::connect(server.addr, &bernard.token).await;
    let mut patient2_ws = Client::connect(server.addr, &patient2.token).await;

    let sent = app.say(&patient.token, &id, "Bonjour").await;
    let new = martin_ws.expect("message:new").await;
    assert_eq!(new["data"]["id"], sent["id"]);
    assert_eq!(new["data"]["content"], "Bonjour");
    assert_eq!(new["data"]["conversationId"], id.as_str());
    assert_eq!(new["data"]["senderId"], patient.user_id.as_str());
    let updated = martin_ws.expect("conversation_updated").await;
    assert_eq!(updated["data"]["id"], id.as_str());
    assert_eq!(updated["data"]["unreadCount"], 1);
    assert_eq!(updated["data"]["lastMessage"]["id"], sent["id"]);
    // The sender's list updates, without a message:new of their own.
    let own = patient_ws.expect("conversation_updated").await;
    assert_eq!(own["data"]["unreadCount"], 0);
    patient_ws.silence("the sender").await;
    martin_ws.silence("dr.martin, a second time").await;
    bernard_ws.silence("dr.bernard").await;
    patient2_ws.silence("patient2").await;

    // A screen showing the conversation hears it in its room too: same message id.
    emit_ok(
        &mut martin_ws,
        "join-room",
        json!(format!("conversation:{id}")),
    )
    .await;
    let sent = app.say(&patient.token, &id, "Vous êtes là ?").await;
    // The durable copy (user room) and the room copy, then the list update.
    for copy in ["user room", "conversation room"] {
        let new = martin_ws.expect("message:new").await;
        assert_eq!(
            new["data"]["id"], sent["id"],
            "{copy}: the copies share data.id"
        );
    }
    martin_ws.expect("conversation_updated").await;
    martin_ws.silence("dr.martin").await;

    // Reading tells the patient (message:read) and martin's own list (conversation_updated).
    let _ = patient_ws.expect("conversation_updated").await;
    app.put(&format!("/api/conversations/{id}/read"), martin.bearer())
        .await
        .ok(200);
    let read = patient_ws.expect("message:read").await;
    assert_eq!(read["data"]["userId"], martin.user_id.as_str());
    assert_eq!(read["data"]["lastReadSeq"], 2);
    let got = expect_each(&mut martin_ws, &["conversation_updated", "message:read"]).await;
    assert_eq!(got["conversation_updated"]["data"]["unreadCount"], 0);
    patient_ws.silence("the patient").await;

    // After leave-room, only the durable copy comes.
    emit_ok(
        &mut martin_ws,
        "leave-room",
        json!(format!("conversation:{id}")),
    )
    .await;
    app.say(&patient.token, &id, "Merci").await;
    expect_each(&mut martin_ws, &["message:new", "conversation_updated"]).await;
    martin_ws.silence("dr.martin after leaving the room").await;
}

#[tokio::test]
async fn typing_is_relayed_to_the_room_but_never_to_the_sender() {
    let server = served().await;
    let app = &server.app;
    let patient = app.login(PATIENT2).await;
    let martin = app.login(MARTIN).await;
    let id = app.conversation_with(&patient.token, &martin.user_id).await;
    let room = json!(format!("conversation:{id}"));

    let mut martin_ws = Client::connect(server.addr, &martin.token).await;
    let mut patient_ws = Client::connect(server.addr, &patient.token).await;
    let mut patient_tab = Client::connect(server.addr, &patient.token).await;

    // Not on the conversation's screen yet: refused.
    emit_refused(
        &mut patient_ws,
        "typing",
        json!({"conversationId": id, "isTyping": true}),
        "FORBIDDEN",
    )
    .await;
    for ws in [&mut martin_ws, &mut patient_ws, &mut patient_tab] {
        assert_eq!(emit_ok(ws, "join-room", room.clone()).await["room"], room);
    }

    let relayed = emit_ok(
        &mut patient_ws,
        "typing",
        json!({"conversationId": id, "isTyping": true}),
    )
    .await;
    assert_eq!(relayed["relayed"], true);
    let typing = martin_ws.expect("typing-indicator").await;
    assert_eq!(typing["data"]["conversationId"], id.as_str());
    assert_eq!(typing["data"]["userId"], patient.user_id.as_str());
    assert_eq!(typing["data"]["isTyping"], true);
    patient_ws.silence("the typing tab").await;
    patient_tab.silence("the typist's other tab").await;

    // Throttled: a second "typing" at once is not relayed; "stopped" always is.
    let again = emit_ok(
        &mut patient_ws,
        "typing",
        json!({"conversationId": id, "isTyping": true}),
    )
    .await;
    assert_eq!(again["relayed"], false);
    martin_ws.silence("dr.martin (throttled)").await;
    emit_ok(
        &mut patient_ws,
        "typing",
        json!({"conversationId": id, "isTyping": false}),
    )
    .await;
    assert_eq!(
        martin_ws.expect("typing-indicator").await["data"]["isTyping"],
        false
    );

    // The other way round.
    emit_ok(
        &mut martin_ws,
        "typing",
        json!({"conversationId": id, "isTyping": true}),
    )
    .await;
    assert_eq!(
        patient_ws.expect("typing-indicator").await["data"]["userId"],
        martin.user_id.as_str()
    );
    assert_eq!(
        patient_tab.expect("typing-indicator").await["data"]["userId"],
        martin.user_id.as_str()
    );
    martin_ws.silence("dr.martin, who typed").await;

    // Malformed typing payloads are refused and relay nothing.
    for bad in [
        json!("x"),
        json!({"conversationId": id}),
        json!({"isTyping": true}),
        json!(null),
    ] {
        emit_refused(&mut patient_ws, "typing", bad, "VALIDATION_ERROR").await;
    }
    martin_ws.silence("dr.martin (malformed typing)").await;
}

#[tokio::test]
async fn join_room_admits_participants_to_their_conversation_only() {
    let server = served().await;
    let app = &server.app;
    let patient = app.login(PATIENT2).await;
    let patient2 = app.login(PATIENT).await;
    let martin = app.login(MARTIN).await;
    let bernard = app.login(BERNARD).await;
    let leroy = app.login(LEROY).await;
    let id = app.conversation_with(&patient.token, &martin.user_id).await;
    let room = format!("conversation:{id}");

    let mut patient2_ws = Client::connect(server.addr, &patient2.token).await;
    let mut bernard_ws = Client::connect(server.addr, &bernard.token).await;
    let mut leroy_ws = Client::connect(server.addr, &leroy.token).await;

    // Every automatic or made-up room is refused, whatever the asker.
    for name in [
        format!("user:{}", martin.user_id),
        format!("user:{}", patient2.user_id),
        "role:SUPERADMIN".to_string(),
        "role:PRACTITIONER".to_string(),
        "cabinet:cab-parc".to_string(),
        "cabinet:cab-parc:role:ADMIN".to_string(),
        "lobby".to_string(),
    ] {
        emit_refused(&mut patient2_ws, "join-room", json!(name), "FORBIDDEN").await;
        emit_refused(&mut patient2_ws, "leave-room", json!(name), "FORBIDDEN").await;
    }
    // Someone else's conversation, from this cabinet or another, or none at all.
    for ws in [&mut patient2_ws, &mut bernard_ws, &mut leroy_ws] {
        emit_refused(ws, "join-room", json!(room), "FORBIDDEN").await;
        emit_refused(
            ws,
            "join-room",
            json!("conversation:00000000-0000-4000-8000-000000000000"),
            "FORBIDDEN",
        )
        .await;
    }
    // Malformed payloads (from a fresh socket: the first has spent its event budget).
    let mut fresh = Client::connect(server.addr, &patient2.token).await;
    for bad in [
        json!(42),
        json!(null),
        json!({}),
        json!({"room": 7}),
        json!(["conversation:x"]),
        json!("conversation:"),
        json!("conversation:../x"),
    ] {
        emit_refused(&mut fresh, "join-room", bad, "VALIDATION_ERROR").await;
    }
    // The refused heard nothing of the conversation.
    app.say(&patient.token, &id, "privé").await;
    patient2_ws.silence("patient2").await;
    fresh.silence("patient2 (second socket)").await;
    bernard_ws.silence("dr.bernard").await;
    leroy_ws.silence("dr.leroy").await;
    // Their own user room still works: leaving was refused above.
    let slot = app
        .next_free_slot(&patient2.token, &martin.user_id, 30)
        .await;
    app.post(
        "/api/appointments",
        patient2.bearer(),
        &booking(&martin.user_id, slot.start, 30),
    )
    .await
    .ok(201);
    patient2_ws.expect("rendezvous:created").await;

    // A participant joins with `{room}` too.
    let mut patient_ws = Client::connect(server.addr, &patient.token).await;
    emit_ok(&mut patient_ws, "join-room", json!({"room": room})).await;
    // An event many times the server's WebSocket read buffer still arrives whole: the room
    // comes after the padding, so a truncated frame could not name it.
    let padded = json!({"padding": "x".repeat(8 * 1024), "room": room});
    assert_eq!(
        emit_ok(&mut patient_ws, "join-room", padded).await["room"],
        room
    );
}

#[tokio::test]
async fn a_flood_of_client_events_is_rate_limited() {
    let server = served().await;
    let app = &server.app;
    let patient = app.login(PATIENT2).await;
    let mut ws = Client::connect(server.addr, &patient.token).await;
    let mut limited = 0;
    for _ in 0..40 {
        let (ack, _) = emit_ack(&mut ws, "join-room", json!("lobby")).await;
        assert_eq!(ack["ok"], false);
        if ack["error"]["code"] == "RATE_LIMITED" {
            limited += 1;
        }
    }
    assert!(limited > 0, "40 events at once exceed the budget");
}

#[tokio::test]
async fn both_sides_hear_a_proposal_and_its_acceptance() {
    let server = served().await;
    let app = &server.app;
    let patient = app.login(PATIENT2).await;
    let martin = app.login(MARTIN).await;
    let bernard = app.login(BERNARD).await;
    let id = app.conversation_with(&patient.token, &martin.user_id).await;
    let mut martin_ws = Client::connect(server.addr, &martin.token).await;
    let mut patient_ws = Client::connect(server.addr, &patient.token).await;
    let mut bernard_ws = Client::connect(server.addr, &bernard.token).await;

    let start = paris(quiet_day(), 10, 30);
    let proposal = app
        .propose(&martin.token, &id, &martin.user_id, start, 30)
        .await;
    let created = patient_ws.expect("proposal-created").await;
    assert_eq!(created["data"]["id"], proposal["id"]);
    assert_eq!(created["data"]["startTime"], rfc3339(start));
    martin_ws.silence("dr.martin, who proposed").await;

    let pid = proposal["id"].as_str().unwrap();
    let accepted = app
        .put(&format!("/api/proposals/{pid}/accept"), patient.bearer())
        .await;
    let appointment = accepted.ok(200)["appointment"]["id"].clone();
    let got = expect_each(
        &mut patient_ws,
        &["rendezvous:created", "proposal-status-changed"],
    )
    .await;
    assert_eq!(got["rendezvous:created"]["data"]["id"], appointment);
    assert_eq!(got["proposal-status-changed"]["data"]["status"], "accepted");
    assert_eq!(
        got["proposal-status-changed"]["data"]["appointmentId"],
        appointment
    );
    let got = expect_each(
        &mut martin_ws,
        &["rendezvous:new", "proposal-status-changed"],
    )
    .await;
    assert_eq!(got["rendezvous:new"]["data"]["id"], appointment);
    assert_eq!(got["proposal-status-changed"]["data"]["id"], proposal["id"]);
    patient_ws.silence("the patient").await;
    martin_ws.silence("dr.martin").await;
    bernard_ws.silence("dr.bernard").await;

    // A proposal whose time passed unanswered: accepting it says so, and both sides hear it
    // expire.
    let late = app
        .propose(
            &martin.token,
            &id,
            &martin.user_id,
            paris(quiet_day(), 11, 30),
            30,
        )
        .await;
    patient_ws.expect("proposal-created").await;
    let lid = late["id"].as_str().unwrap();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&app.ctx.config.database_url)
        .await
        .unwrap();
    sqlx::query("UPDATE proposals SET starts_at = $1 WHERE id = $2")
        .bind(chrono::Utc::now().timestamp() - 60)
        .bind(lid)
        .execute(&mut conn)
        .await
        .unwrap();
    app.put(&format!("/api/proposals/{lid}/accept"), patient.bearer())
        .await
        .err(409, "SLOT_UNAVAILABLE");
    for ws in [&mut patient_ws, &mut martin_ws] {
        let changed = ws.expect("proposal-status-changed").await;
        assert_eq!(changed["data"]["id"], lid);
        assert_eq!(changed["data"]["status"], "expired");
    }

    // A rejection is heard by both too.
    let other = app
        .propose(
            &martin.token,
            &id,
            &martin.user_id,
            paris(quiet_day(), 16, 0),
            30,
        )
        .await;
    patient_ws.expect("proposal-created").await;
    let oid = other["id"].as_str().unwrap();
    app.put(&format!("/api/proposals/{oid}/reject"), patient.bearer())
        .await
        .ok(200);
    for ws in [&mut patient_ws, &mut martin_ws] {
        let changed = ws.expect("proposal-status-changed").await;
        assert_eq!(changed["data"]["status"], "rejected");
    }
}
