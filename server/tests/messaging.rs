//! Messaging over REST: opening conversations, sending and paging messages, read positions,
//! and every refusal (other cabinet, non-participant, bad input) writing nothing.

mod common;

use common::*;
use serde_json::{json, Value};

/// The number of messages in a conversation, as a participant sees it.
async fn count(app: &TestApp, token: &str, id: &str) -> usize {
    let reply = app
        .get(
            &format!("/api/conversations/{id}/messages?limit=100"),
            Some(token),
        )
        .await;
    reply.ok(200)["items"].as_array().unwrap().len()
}

/// The caller's view of one conversation, from their list.
async fn listed(app: &TestApp, token: &str, id: &str) -> Option<Value> {
    let reply = app.get("/api/conversations", Some(token)).await;
    reply
        .ok(200)
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .cloned()
}

fn seqs(page: &Value) -> Vec<u64> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["seq"].as_u64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_patient_and_a_practitioner_share_one_conversation() {
    let app = app().await;
    let patient = app.login(PATIENT2).await;
    let martin = app.login(MARTIN).await;

    let first = app
        .post(
            "/api/conversations",
            patient.bearer(),
            &json!({"practitionerId": martin.user_id}),
        )
        .await;
    let conversation = first.ok(201).clone();
    let id = conversation["id"].as_str().unwrap().to_string();
    assert_eq!(conversation["cabinetId"], "cab-parc");
    assert_eq!(conversation["patientId"], patient.user_id.as_str());
    assert_eq!(conversation["unreadCount"], 0);
    assert!(conversation.get("lastMessage").is_none());
    let people: Vec<&str> = conversation["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(people.len(), 2);
    assert!(
        people.contains(&patient.user_id.as_str()) && people.contains(&martin.user_id.as_str())
    );

    // Opening it again, from either side, finds the same conversation.
    let again = app
        .post(
            "/api/conversations",
            patient.bearer(),
            &json!({"practitionerId": martin.user_id}),
        )
        .await;
    assert_eq!(again.ok(200)["id"], id.as_str());
    let from_staff = app
        .post(
            "/api/conversations",
            martin.bearer(),
            &json!({"patientId": patient.user_id}),
        )
        .await;
    assert_eq!(from_staff.ok(200)["id"], id.as_str());

    // Two messages: the practitioner has two unread, the patient none (they wrote them).
    let m1 = app.say(&patient.token, &id, "Bonjour docteur").await;
    let m2 = app
        .say(&patient.token, &id, "  J'ai mal à une dent  ")
        .await;
    assert_eq!(m1["seq"], 1);
    assert_eq!(m2["seq"], 2);
    assert_eq!(m2["content"], "J'ai mal à une dent", "trimmed");
    assert_eq!(m2["senderId"], patient.user_id.as_str());

    let mine = listed(&app, &martin.token, &id).await.expect("listed");
    assert_eq!(mine["unreadCount"], 2);
    assert_eq!(mine["lastMessage"]["id"], m2["id"]);
    let theirs = listed(&app, &patient.token, &id).await.expect("listed");
    assert_eq!(theirs["unreadCount"], 0);
    let all = app.get("/api/conversations", patient.bearer()).await;
    assert_eq!(all.ok(200).as_array().unwrap().len(), 1);

    // The practitioner answers, then reads everything.
    app.say(&martin.token, &id, "Venez demain").await;
    let read = app
        .put(&format!("/api/conversations/{id}/read"), martin.bearer())
        .await;
    assert_eq!(read.ok(200)["lastReadSeq"], 3);
    let one = app
        .get(&format!("/api/conversations/{id}"), martin.bearer())
        .await;
    assert_eq!(one.ok(200)["unreadCount"], 0);
    let one = app
        .get(&format!("/api/conversations/{id}"), patient.bearer())
        .await;
    let one = one.ok(200).clone();
    assert_eq!(one["unreadCount"], 1);
    let martin_seen = one["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == martin.user_id.as_str())
        .unwrap()["lastReadSeq"]
        .clone();
    assert_eq!(martin_seen, 3, "read receipts show in the conversation");
}

#[tokio::test]
async fn messages_page_backwards_and_catch_up_forwards() {
    let app = app().await;
    let patient = app.login(PATIENT2).await;
    let martin = app.login(MARTIN).await;
    let id = app.conversation_with(&patient.token, &martin.user_id).await;
    for i in 1..=5 {
        app.say(&patient.token, &id, &format!("message {i}")).await;
    }
    let uri = |q: &str| format!("/api/conversations/{id}/messages{q}");
    let newest = app.get(&uri("?limit=2"), martin.bearer()).await;
    assert_eq!(seqs(newest.ok(200)), vec![4, 5]);
    assert_eq!(newest.data()["hasMore"], true);
    let older = app.get(&uri("?limit=2&before=4"), martin.bearer()).await;
    assert_eq!(seqs(older.ok(200)), vec![2, 3]);
    let oldest = app.get(&uri("?limit=2&before=2"), martin.bearer()).await;
    assert_eq!(seqs(oldest.ok(200)), vec![1]);
    assert_eq!(oldest.data()["hasMore"], false);
    let missed = app.get(&uri("?after=3"), martin.bearer()).await;
    assert_eq!(seqs(missed.ok(200)), vec![4, 5]);
    assert_eq!(missed.data()["hasMore"], false);
    let missed = app.get(&uri("?after=1&limit=2"), martin.bearer()).await;
    assert_eq!(seqs(missed.ok(200)), vec![2, 3]);
    assert_eq!(missed.data()["hasMore"], true);

    for (q, field) in [
        ("?limit=0", "limit"),
        ("?limit=101", "limit"),
        ("?before=2&after=1", "after"),
        ("?before=-1", "before"),
        ("?page=2", "page"),
    ] {
        app.get(&uri(q), martin.bearer())
            .await
            .err(422, "VALIDATION_ERROR")
            .field_is(field);
    }

    // A read position moves forward only, and not past the last message.
    let read = |body: Value| {
        let app = &app;
        let id = id.clone();
        let token = martin.token.clone();
        async move {
            app.put_json(
                &format!("/api/conversations/{id}/read"),
                Some(&token),
                &body,
            )
            .await
        }
    };
    assert_eq!(read(json!({"seq": 3})).await.ok(200)["lastReadSeq"], 3);
    assert_eq!(read(json!({"seq": 1})).await.ok(200)["lastReadSeq"], 3);
    read(json!({"seq": 6}))
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is("seq");
    read(json!({"seq": "x"}))
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is("seq");
    let mine = listed(&app, &martin.token, &id).await.expect("listed");
    assert_eq!(mine["unreadCount"], 2);
}

#[tokio::test]
async fn outsiders_see_nothing_and_write_nothing() {
    let app = app().await;
    let patient = app.login(PATIENT2).await;
    let martin = app.login(MARTIN).await;
    let patient2 = app.login(PATIENT).await;
    let bernard = app.login(BERNARD).await;
    let manager = app.login(MANAGER).await;
    let leroy = app.login(LEROY).await;
    let lumiere_patient = app.login(LUMIERE_PATIENT).await;
    let id = app.conversation_with(&patient.token, &martin.user_id).await;
    app.say(&patient.token, &id, "privé").await;

    let paths = [
        format!("/api/conversations/{id}"),
        format!("/api/conversations/{id}/messages"),
        format!("/api/conversations/{id}/proposals"),
    ];
    // Another patient of the cabinet and anyone of another cabinet learn nothing; staff of the
    // cabinet who take no part are refused.
    for (who, status, code) in [
        (&patient2, 404, "NOT_FOUND"),
        (&lumiere_patient, 404, "NOT_FOUND"),
        (&leroy, 404, "NOT_FOUND"),
        (&bernard, 403, "FORBIDDEN"),
        (&manager, 403, "FORBIDDEN"),
    ] {
        for path in &paths {
            app.get(path, who.bearer()).await.err(status, code);
        }
        app.post(
            &format!("/api/conversations/{id}/messages"),
            who.bearer(),
            &json!({"content": "intrus"}),
        )
        .await
        .err(status, code);
        app.put(&format!("/api/conversations/{id}/read"), who.bearer())
            .await
            .err(status, code);
        assert!(listed(&app, &who.token, &id).await.is_none());
    }
    assert_eq!(
        count(&app, &martin.token, &id).await,
        1,
        "nothing was written"
    );
    let unknown = "00000000-0000-4000-8000-000000000000";
    app.get(&format!("/api/conversations/{unknown}"), martin.bearer())
        .await
        .err(404, "NOT_FOUND");
    app.get("/api/conversations", None)
        .await
        .err(401, "UNAUTHORIZED");
}

#[tokio::test]
async fn bad_input_is_refused_with_its_field() {
    let app = app().await;
    let patient = app.login(PATIENT2).await;
    let martin = app.login(MARTIN).await;
    let leroy = app.login(LEROY).await;
    let manager = app.login(MANAGER).await;
    let lumiere_patient = app.login(LUMIERE_PATIENT).await;
    let id = app.conversation_with(&patient.token, &martin.user_id).await;
    let uri = format!("/api/conversations/{id}/messages");

    for (body, field) in [
        (json!({"content": ""}), "content"),
        (json!({"content": " \n\t "}), "content"),
        (json!({"content": "x".repeat(4001)}), "content"),
        (json!({"content": 12}), "content"),
        (json!({}), "content"),
        (json!({"content": "a", "sender": "x"}), "sender"),
    ] {
        app.post(&uri, patient.bearer(), &body)
            .await
            .err(422, "VALIDATION_ERROR")
            .field_is(field);
    }
    app.post_raw(&uri, patient.bearer(), "{\"content\":")
        .await
        .err(400, "MALFORMED_JSON");
    // Exactly the limit passes.
    app.say(&patient.token, &id, &"é".repeat(4000)).await;
    assert_eq!(count(&app, &patient.token, &id).await, 1);

    // Opening: a practitioner of another cabinet, a patient of another cabinet, the wrong side.
    for (token, body, field) in [
        (
            &patient.token,
            json!({"practitionerId": leroy.user_id}),
            "practitionerId",
        ),
        (
            &patient.token,
            json!({"practitionerId": patient.user_id}),
            "practitionerId",
        ),
        (&patient.token, json!({}), "practitionerId"),
        (
            &patient.token,
            json!({"patientId": patient.user_id}),
            "patientId",
        ),
        (
            &martin.token,
            json!({"patientId": lumiere_patient.user_id}),
            "patientId",
        ),
        (
            &martin.token,
            json!({"patientId": martin.user_id}),
            "patientId",
        ),
        (
            &martin.token,
            json!({"practitionerId": martin.user_id}),
            "practitionerId",
        ),
        (&martin.token, json!({"other": 1}), "other"),
    ] {
        app.post("/api/conversations", Some(token), &body)
            .await
            .err(422, "VALIDATION_ERROR")
            .field_is(field);
    }
    app.post(
        "/api/conversations",
        manager.bearer(),
        &json!({"patientId": patient.user_id}),
    )
    .await
    .err(403, "FORBIDDEN");
    // The demo conversation and this one: no stray conversation.
    let list = app.get("/api/conversations", martin.bearer()).await;
    assert_eq!(
        list.ok(200).as_array().unwrap().len(),
        2,
        "no stray conversation"
    );
}

#[tokio::test]
async fn the_demo_patient_has_an_unread_answer_from_dr_martin() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    let martin = app.login(MARTIN).await;
    let list = app.get("/api/conversations", patient.bearer()).await;
    let list = list.ok(200).as_array().unwrap().clone();
    assert_eq!(list.len(), 1);
    let demo = &list[0];
    assert_eq!(demo["unreadCount"], 1);
    assert_eq!(demo["lastMessage"]["senderId"], martin.user_id.as_str());
    let id = demo["id"].as_str().unwrap();
    assert_eq!(count(&app, &martin.token, id).await, 4);
    let theirs = listed(&app, &martin.token, id)
        .await
        .expect("listed for dr.martin");
    assert_eq!(theirs["unreadCount"], 0);
    // Opening it again finds it.
    let again = app
        .post(
            "/api/conversations",
            patient.bearer(),
            &json!({"practitionerId": martin.user_id}),
        )
        .await;
    assert_eq!(again.ok(200)["id"], id);
}

#[tokio::test]
async fn an_erased_patient_s_words_leave_the_conversation() {
    let app = app().await;
    let patient = app.login(PATIENT2).await;
    let martin = app.login(MARTIN).await;
    let id = app.conversation_with(&patient.token, &martin.user_id).await;
    app.say(&patient.token, &id, "Mes symptômes : …").await;
    app.say(&martin.token, &id, "Merci, à demain").await;
    app.send(request(
        axum::http::Method::DELETE,
        "/api/me",
        patient.bearer(),
        None,
    ))
    .await
    .ok(200);
    let page = app
        .get(
            &format!("/api/conversations/{id}/messages"),
            martin.bearer(),
        )
        .await;
    let items = page.ok(200)["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 2, "the thread stays for the practitioner");
    assert_eq!(
        items[0]["content"], "",
        "the erased patient's words are gone"
    );
    assert_eq!(items[1]["content"], "Merci, à demain");
}
