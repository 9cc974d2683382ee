//! Durable notifications: every event addressed to a person is kept, numbered per person,
//! listed with its unread count, marked read one by one or all at once, only by its person;
//! numbers never repeat or go back, even with two server instances on one database; and a
//! family turned off in the app is kept for the record but not pushed.

mod common;

use std::collections::BTreeSet;

use axum::http::Method;
use common::socket_client::Client;
use common::*;
use nova_contract::{Channel, NotificationFamily};
use serde_json::{json, Value};

/// The caller's notification list for this query string.
async fn list(app: &TestApp, session: &Session, query: &str) -> Value {
    app.get(&format!("/api/notifications{query}"), session.bearer())
        .await
        .ok(200)
        .clone()
}

fn ids(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|n| n["id"].as_str().expect("an id").to_string())
        .collect()
}

#[tokio::test]
async fn a_booking_is_kept_for_both_people_listed_and_marked_read() {
    let app = app().await;
    let martin = app.login(MARTIN).await;
    let patient = app.login(PATIENT).await;
    let patient2 = app.login(PATIENT2).await;
    assert_eq!(list(&app, &patient, "").await["unreadCount"], 0);

    let slot = app
        .next_free_slot(&patient.token, &martin.user_id, 30)
        .await;
    let booked = app
        .post(
            "/api/appointments",
            patient.bearer(),
            &booking(&martin.user_id, slot.start, 30),
        )
        .await
        .ok(201)
        .clone();
    app.post("/api/notifications/read-all", patient2.bearer(), &json!({}))
        .await
        .ok(200);

    // Each person has their own copy, under their own number.
    let mine = list(&app, &patient, "").await;
    assert_eq!(mine["unreadCount"], 1);
    assert_eq!(mine["pagination"]["total"], 1);
    let n = &mine["items"][0];
    assert_eq!(n["event"], "rendezvous:created");
    assert_eq!(n["type"], "success");
    assert_eq!(n["family"], "appointments");
    assert_eq!(n["read"], false);
    assert_eq!(n["data"]["id"], booked["id"]);
    assert!(n["message"].as_str().is_some_and(|m| !m.is_empty()));
    let id = n["id"].as_str().unwrap().to_string();
    assert!(id.parse::<u64>().is_ok(), "ids are numbers: {id}");
    let theirs = list(&app, &martin, "").await;
    assert_eq!(theirs["items"][0]["event"], "rendezvous:new");
    assert_eq!(theirs["unreadCount"], 1);
    assert_eq!(list(&app, &patient2, "").await["pagination"]["total"], 0);

    // Nobody else can mark it: patient2 has no such notification.
    app.post(
        &format!("/api/notifications/{id}/read"),
        patient2.bearer(),
        &json!({}),
    )
    .await
    .err(404, "NOT_FOUND");
    for bad in ["abc", "-1", "999999"] {
        app.post(
            &format!("/api/notifications/{bad}/read"),
            patient.bearer(),
            &json!({}),
        )
        .await
        .err(404, "NOT_FOUND");
    }
    assert_eq!(list(&app, &patient, "").await["unreadCount"], 1);

    let read = app
        .post(
            &format!("/api/notifications/{id}/read"),
            patient.bearer(),
            &json!({}),
        )
        .await
        .ok(200)
        .clone();
    assert_eq!(read["read"], true);
    let read_at = read["readAt"].clone();
    assert!(read_at.is_string());
    // Again (with PUT, as the browser sends it): still read, first reading time kept.
    let again = app
        .send(request(
            Method::PUT,
            &format!("/api/notifications/{id}/read"),
            patient.bearer(),
            None,
        ))
        .await
        .ok(200)
        .clone();
    assert_eq!(again["readAt"], read_at);
    let mine = list(&app, &patient, "").await;
    assert_eq!(mine["unreadCount"], 0);
    assert_eq!(mine["items"][0]["read"], true);
    assert_eq!(
        list(&app, &patient, "?unreadOnly=true").await["pagination"]["total"],
        0
    );
    // Martin's copy is untouched.
    assert_eq!(list(&app, &martin, "").await["unreadCount"], 1);

    // Martin confirms: one more for each of them.
    let uri = format!(
        "/api/appointments/{}/confirm",
        booked["id"].as_str().unwrap()
    );
    app.send(request(Method::PUT, &uri, martin.bearer(), None))
        .await
        .ok(200);
    let theirs = list(&app, &martin, "").await;
    assert_eq!(theirs["unreadCount"], 2);
    let done = app
        .post("/api/notifications/read-all", martin.bearer(), &json!({}))
        .await
        .ok(200)
        .clone();
    assert_eq!(done, json!({"updated": 2, "unreadCount": 0}));
    assert_eq!(list(&app, &patient, "").await["unreadCount"], 1);
}

#[tokio::test]
async fn the_list_is_newest_first_paginated_and_filters_unread() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    for i in 0..5 {
        app.ctx
            .notify
            .general(&[&patient.user_id], format!("Avis {i}"), json!({ "i": i }))
            .await;
    }
    let page1 = list(&app, &patient, "?limit=2").await;
    assert_eq!(page1["pagination"]["total"], 5);
    assert_eq!(page1["pagination"]["totalPages"], 3);
    assert_eq!(page1["pagination"]["hasNext"], true);
    assert_eq!(page1["unreadCount"], 5);
    let page3 = list(&app, &patient, "?limit=2&page=3").await;
    let all: Vec<u64> = [page1, list(&app, &patient, "?limit=2&page=2").await, page3]
        .iter()
        .flat_map(ids)
        .map(|i| i.parse().unwrap())
        .collect();
    let mut newest_first = all.clone();
    newest_first.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(all, newest_first);
    assert_eq!(all.len(), 5);

    let oldest = all[4].to_string();
    app.post(
        &format!("/api/notifications/{oldest}/read"),
        patient.bearer(),
        &json!({}),
    )
    .await
    .ok(200);
    let unread = list(&app, &patient, "?unreadOnly=true").await;
    assert_eq!(unread["pagination"]["total"], 4);
    assert!(!ids(&unread).contains(&oldest));
    assert_eq!(unread["unreadCount"], 4);

    app.get("/api/notifications?limit=0", patient.bearer())
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is("limit");
    app.get("/api/notifications?unreadOnly=maybe", patient.bearer())
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is("unreadOnly");
    app.get("/api/notifications", None)
        .await
        .err(401, "UNAUTHORIZED");
}

/// Many events for one person at once, through two server instances sharing the database:
/// numbers are unique and gapless, and each instance's socket sees its own in increasing order.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn numbers_increase_strictly_per_person_under_concurrent_emits() {
    let server = served().await;
    let app = &server.app;
    let other = nova_server::build(nova_server::Config::for_tests(
        app.ctx.config.database_url.clone(),
    ))
    .await
    .expect("a second instance on the same database");
    let patient = app.login(PATIENT).await;
    let mut socket = Client::connect(server.addr, &patient.token).await;

    const TASKS: usize = 16;
    const EACH: usize = 10;
    let mut tasks = Vec::new();
    for t in 0..TASKS {
        let notify = if t % 2 == 0 {
            app.ctx.notify.clone()
        } else {
            other.ctx.notify.clone()
        };
        let user = patient.user_id.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..EACH {
                notify
                    .general(&[&user], format!("{t}/{i}"), json!({"t": t, "i": i}))
                    .await;
            }
        }));
    }
    for t in tasks {
        t.await.expect("an emitting task");
    }
    let total = TASKS * EACH;
    let stored = app
        .ctx
        .store
        .notifications_after(&patient.user_id, 0, 0, 10_000)
        .await
        .unwrap();
    let numbers: Vec<u64> = stored.iter().map(|n| n.id.parse().unwrap()).collect();
    assert_eq!(numbers, (1..=total as u64).collect::<Vec<_>>());
    // Every event's message is there once: no event numbered twice, none lost.
    let messages: BTreeSet<&str> = stored.iter().map(|n| n.message.as_str()).collect();
    assert_eq!(messages.len(), total);

    // This instance's socket hears this instance's half, in increasing order. With PostgreSQL
    // the adapter also relays the other instance's half, later and interleaved: across
    // instances order is not promised (clients keep the highest id), so only this instance's
    // own emits are checked for order.
    let mut seen = Vec::new();
    while seen.len() < total / 2 {
        let (name, payload) = socket
            .event(common::socket_client::PATIENCE)
            .await
            .unwrap_or_else(|| panic!("only {} of {} events arrived", seen.len(), total / 2));
        assert_eq!(name, "notification:general");
        if payload["data"]["t"].as_u64().unwrap() % 2 == 0 {
            seen.push(payload["id"].as_str().unwrap().parse::<u64>().unwrap());
        }
    }
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    assert_eq!(app.ctx.notify.failed_emits(), 0);
    assert_eq!(app.ctx.notify.unpersisted_events(), 0);
}

#[tokio::test]
async fn a_family_turned_off_in_the_app_is_kept_read_and_not_pushed() {
    let server = served().await;
    let app = &server.app;
    let martin = app.login(MARTIN).await;
    let patient = app.login(PATIENT).await;
    let body = json!({"preferences": {"notifications": {
        "types": {"appointments": {"inApp": false, "email": false}}
    }}});
    let me = app
        .send(request(
            Method::PUT,
            "/api/auth/profile",
            patient.bearer(),
            Some(body.to_string()),
        ))
        .await
        .ok(200)
        .clone();
    let prefs = &me["preferences"]["notifications"];
    assert_eq!(prefs["email"], true, "the other choices stay");
    assert_eq!(prefs["types"]["appointments"]["inApp"], false);
    assert_eq!(prefs["types"]["messages"]["inApp"], true);
    let stored = app
        .ctx
        .store
        .notification_prefs(&patient.user_id)
        .await
        .unwrap();
    assert!(!stored.allows(NotificationFamily::Appointments, Channel::Email));
    assert!(stored.allows(NotificationFamily::Reminders, Channel::Email));

    let mut socket = Client::connect(server.addr, &patient.token).await;
    let slot = app
        .next_free_slot(&patient.token, &martin.user_id, 30)
        .await;
    app.post(
        "/api/appointments",
        patient.bearer(),
        &booking(&martin.user_id, slot.start, 30),
    )
    .await
    .ok(201);
    app.ctx
        .notify
        .general(
            &[&patient.user_id],
            "Fermeture le 1er mai".into(),
            json!({}),
        )
        .await;
    // The general notice comes; the appointment event, before it, did not.
    let next = socket.expect("notification:general").await;
    assert_eq!(next["message"], "Fermeture le 1er mai");
    let mine = list(app, &patient, "").await;
    assert_eq!(mine["pagination"]["total"], 2, "both kept");
    assert_eq!(mine["unreadCount"], 1);
    assert_eq!(mine["items"][1]["event"], "rendezvous:created");
    assert_eq!(mine["items"][1]["read"], true);
}

#[tokio::test]
async fn an_unknown_family_or_channel_in_the_preferences_is_refused() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    for (body, field) in [
        (
            json!({"preferences": {"notifications": {"types": {"fax": {}}}}}),
            "preferences.notifications.types.fax",
        ),
        (
            json!({"preferences": {"notifications": {"types": {"slots": {"pigeon": true}}}}}),
            "preferences.notifications.types.slots.pigeon",
        ),
    ] {
        app.send(request(
            Method::PUT,
            "/api/auth/profile",
            patient.bearer(),
            Some(body.to_string()),
        ))
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is(field);
    }
}
