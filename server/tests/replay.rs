//! Replay: a socket that reconnects with `auth.lastEventId` first receives, in order, exactly
//! the durable events it missed, then live ones; volatile events are never replayed; a
//! malformed `lastEventId` is ignored.

mod common;

use chrono::Utc;
use common::socket_client::{Client, PATIENCE};
use common::*;
use nova_contract::SlotFreed;
use serde_json::{json, Value};

/// Sends `count` general notices to one person, numbered from `from` in their message.
async fn notices(app: &TestApp, user_id: &str, from: usize, count: usize) {
    for i in from..from + count {
        app.ctx
            .notify
            .general(&[user_id], format!("avis {i}"), json!({ "i": i }))
            .await;
    }
}

/// The next `count` events, which must all be general notices; their `data.i` and ids.
async fn receive(client: &mut Client, count: usize) -> Vec<(u64, String)> {
    let mut out = Vec::new();
    for _ in 0..count {
        let n = client.expect("notification:general").await;
        out.push((
            n["data"]["i"].as_u64().expect("data.i"),
            n["id"].as_str().expect("id").to_string(),
        ));
    }
    out
}

fn auth(token: &str, last: Value) -> Value {
    json!({ "token": token, "lastEventId": last })
}

#[tokio::test]
async fn a_reconnecting_socket_gets_exactly_what_it_missed_in_order() {
    let server = served().await;
    let app = &server.app;
    let patient = app.login(PATIENT).await;
    let patient2 = app.login(PATIENT2).await;

    let mut socket = Client::connect(server.addr, &patient.token).await;
    notices(app, &patient.user_id, 0, 2).await;
    let seen = receive(&mut socket, 2).await;
    let last = seen[1].1.clone();
    drop(socket);

    // Missed while away: three of the patient's, and one for someone else.
    notices(app, &patient.user_id, 2, 3).await;
    notices(app, &patient2.user_id, 100, 1).await;

    // lastEventId as a string, as the browser sends it.
    let mut socket = Client::connect_with(server.addr, auth(&patient.token, json!(last))).await;
    let replayed = receive(&mut socket, 3).await;
    assert_eq!(
        replayed.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
        vec![2, 3, 4]
    );
    socket.silence("the patient, after the replay").await;
    // Then live events flow as usual.
    notices(app, &patient.user_id, 5, 1).await;
    assert_eq!(receive(&mut socket, 1).await[0].0, 5);
    drop(socket);

    // lastEventId as a number; and 0 means "everything kept".
    let third: u64 = replayed[0].1.parse().unwrap();
    let mut socket = Client::connect_with(server.addr, auth(&patient.token, json!(third))).await;
    let again = receive(&mut socket, 3).await;
    assert_eq!(
        again.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
        vec![3, 4, 5]
    );
    socket.silence("the patient").await;
    let mut socket = Client::connect_with(server.addr, auth(&patient.token, json!(0))).await;
    let everything = receive(&mut socket, 6).await;
    assert_eq!(
        everything.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
        (0..6).collect::<Vec<_>>()
    );
    socket.silence("the patient").await;
}

#[tokio::test]
async fn volatile_events_are_not_replayed() {
    let server = served().await;
    let app = &server.app;
    let patient = app.login(PATIENT).await;
    let martin = app.login(MARTIN).await;
    let mut socket = Client::connect(server.addr, &patient.token).await;
    // The patient's booking screen shows Dr Martin's free times.
    socket.watch(&martin.user_id).await;
    notices(app, &patient.user_id, 0, 1).await;
    let last = receive(&mut socket, 1).await[0].1.clone();

    // A slot freed is volatile: a watching socket hears it, with a uuid id.
    let freed = || SlotFreed {
        practitioner_id: martin.user_id.clone(),
        start_time: Utc::now(),
        end_time: Utc::now(),
    };
    app.ctx.notify.slot_freed("cab-parc", freed()).await;
    let live = socket.expect("creneau:available").await;
    assert!(live["id"].as_str().unwrap().parse::<u64>().is_err());
    drop(socket);

    app.ctx.notify.slot_freed("cab-parc", freed()).await;
    notices(app, &patient.user_id, 1, 1).await;
    let mut socket = Client::connect_with(server.addr, auth(&patient.token, json!(last))).await;
    // Only the durable notice comes back, not either slot event.
    assert_eq!(receive(&mut socket, 1).await[0].0, 1);
    socket.silence("the patient").await;
}

#[tokio::test]
async fn a_malformed_last_event_id_is_ignored() {
    let server = served().await;
    let app = &server.app;
    let patient = app.login(PATIENT).await;
    notices(app, &patient.user_id, 0, 2).await;
    for bad in [
        json!("e-1"),
        json!("6f1c2a9e-0000-4000-8000-000000000000"),
        json!(-1),
        json!(1.5),
        json!({"id": 1}),
        json!([1]),
        json!(null),
        json!(""),
    ] {
        let mut socket = Client::connect_with(server.addr, auth(&patient.token, bad.clone())).await;
        socket
            .silence(&format!("lastEventId {bad}: nothing replayed"))
            .await;
        // The socket works as a fresh one: live events arrive.
        notices(app, &patient.user_id, 10, 1).await;
        assert_eq!(receive(&mut socket, 1).await[0].0, 10, "{bad}");
    }
}

/// Events keep coming while the client reconnects: whatever the timing, it ends up with every
/// event after its lastEventId, in increasing order, none twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn nothing_is_lost_between_the_room_join_and_the_replay() {
    let server = served().await;
    let app = &server.app;
    let patient = app.login(PATIENT).await;
    const TOTAL: usize = 200;
    let mut socket = Client::connect(server.addr, &patient.token).await;
    notices(app, &patient.user_id, 0, 1).await;
    let mut last: u64 = receive(&mut socket, 1).await[0].1.parse().unwrap();
    drop(socket);

    let notify = app.ctx.notify.clone();
    let user = patient.user_id.clone();
    let emitter = tokio::spawn(async move {
        for i in 1..=TOTAL {
            notify
                .general(&[&user], format!("avis {i}"), json!({ "i": i }))
                .await;
        }
    });
    // Reconnect repeatedly while the emitter runs, each time from the last id seen.
    let mut received: Vec<u64> = Vec::new();
    while received.len() < TOTAL {
        let mut socket =
            Client::connect_with(server.addr, auth(&patient.token, json!(last.to_string()))).await;
        for _ in 0..7 {
            if received.len() == TOTAL {
                break;
            }
            let (name, payload) = socket
                .event(PATIENCE)
                .await
                .unwrap_or_else(|| panic!("stuck after {received:?}"));
            assert_eq!(name, "notification:general");
            let id: u64 = payload["id"].as_str().unwrap().parse().unwrap();
            assert!(
                id > last,
                "event {id} after {last}: out of order or repeated"
            );
            last = id;
            received.push(payload["data"]["i"].as_u64().unwrap());
        }
    }
    emitter.await.unwrap();
    assert_eq!(received, (1..=TOTAL as u64).collect::<Vec<_>>());
}

/// A replay reaches back 7 days at least; the purge deletes what is older than 30.
#[tokio::test]
async fn a_replay_reaches_back_a_week_and_old_notifications_are_purged() {
    use nova_contract::NoticeKind;
    use nova_server::store::notifications::NewNotification;

    let server = served().await;
    let app = &server.app;
    let patient = app.login(PATIENT).await;
    let now = Utc::now().timestamp();
    let day = 24 * 3600;
    let old = |age_days: i64, i: u64| NewNotification {
        user_id: patient.user_id.clone(),
        event: "notification:general",
        kind: NoticeKind::Info,
        message: format!("avis {i}"),
        data: json!({ "i": i }).to_string(),
        created_at: now - age_days * day,
    };
    let stored = app
        .ctx
        .store
        .insert_notifications(&[old(31, 0), old(9, 1), old(7, 2), old(6, 3)])
        .await
        .unwrap();
    assert_eq!(
        stored.iter().map(|p| p.seq).collect::<Vec<_>>(),
        vec![1, 2, 3, 4]
    );

    // 7 days back, and a little more, come back; 9 days do not.
    let mut socket = Client::connect_with(server.addr, auth(&patient.token, json!(0))).await;
    let replayed: Vec<u64> = receive(&mut socket, 2).await.iter().map(|r| r.0).collect();
    assert_eq!(replayed, vec![2, 3]);
    socket.silence("the patient").await;

    let purged = app
        .ctx
        .store
        .purge_notifications(now - 30 * day)
        .await
        .unwrap();
    assert_eq!(purged, 1);
    let list = app
        .get("/api/notifications?limit=10", patient.bearer())
        .await
        .ok(200)
        .clone();
    assert_eq!(list["pagination"]["total"], 3);
}
