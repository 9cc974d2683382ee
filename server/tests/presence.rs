//! Presence (`user-status`): online with a person's first socket, offline when their last one
//! closes, whatever the number of tabs; staff presence reaches the whole cabinet, a patient's
//! only its staff.

mod common;

use common::socket_client::Client;
use common::*;
use serde_json::Value;

/// A socket that reports `user-status` events. Staff hear their own arrival (it goes to the
/// whole cabinet); it is read here.
async fn watcher(server: &Served, session: &Session) -> Client {
    let mut c = Client::connect(server.addr, &session.token).await;
    c.presence = true;
    if session.user["role"] != "patient" {
        status(&mut c, session, "online").await;
    }
    c
}

/// The next event, which must be `user-status` for this person and status.
async fn status(client: &mut Client, who: &Session, expected: &str) -> Value {
    let payload = client.expect("user-status").await;
    assert_eq!(payload["data"]["userId"], who.user_id.as_str(), "{payload}");
    assert_eq!(payload["data"]["status"], expected, "{payload}");
    assert!(payload["data"]["lastSeen"]
        .as_str()
        .and_then(|t| t.parse::<chrono::DateTime<chrono::Utc>>().ok())
        .is_some());
    payload
}

#[tokio::test]
async fn two_tabs_make_one_online_and_one_offline() {
    let server = served().await;
    let app = &server.app;
    let manager = app.login(MANAGER).await;
    let martin = app.login(MARTIN).await;
    let mut watching = watcher(&server, &manager).await;

    let tab1 = Client::connect(server.addr, &martin.token).await;
    status(&mut watching, &martin, "online").await;
    let tab2 = Client::connect(server.addr, &martin.token).await;
    watching.silence("a second tab").await;
    drop(tab1);
    watching.silence("one tab closed, one open").await;
    drop(tab2);
    status(&mut watching, &martin, "offline").await;

    // Back again: online again.
    let _tab3 = Client::connect(server.addr, &martin.token).await;
    status(&mut watching, &martin, "online").await;
}

#[tokio::test]
async fn staff_presence_reaches_the_cabinet_and_a_patients_only_the_staff() {
    let server = served().await;
    let app = &server.app;
    let manager = app.login(MANAGER).await;
    let patient = app.login(PATIENT).await;
    let patient2 = app.login(PATIENT2).await;
    let martin = app.login(MARTIN).await;
    let leroy = app.login(LEROY).await;

    let mut by_leroy = watcher(&server, &leroy).await;
    let mut by_manager = watcher(&server, &manager).await;
    let mut by_patient2 = watcher(&server, &patient2).await;
    // The manager hears patient2 arrive; patient2 is not told of itself.
    status(&mut by_manager, &patient2, "online").await;

    let _martin = Client::connect(server.addr, &martin.token).await;
    status(&mut by_manager, &martin, "online").await;
    status(&mut by_patient2, &martin, "online").await;

    let p = Client::connect(server.addr, &patient.token).await;
    status(&mut by_manager, &patient, "online").await;
    by_patient2.silence("another patient").await;
    drop(p);
    status(&mut by_manager, &patient, "offline").await;
    by_patient2.silence("another patient").await;
    by_leroy.silence("another cabinet").await;
}

/// Whether the conversation, as `viewer` reads it, shows `who` online.
async fn shown_online(app: &TestApp, viewer: &Session, conversation: &str, who: &Session) -> bool {
    let list = app.get("/api/conversations", Some(&viewer.token)).await;
    let one = app
        .get(
            &format!("/api/conversations/{conversation}"),
            Some(&viewer.token),
        )
        .await;
    let in_list = list
        .ok(200)
        .as_array()
        .expect("a list")
        .iter()
        .find(|c| c["id"] == conversation)
        .expect("the conversation is listed")
        .clone();
    let flag = |c: &Value| {
        c["participants"]
            .as_array()
            .expect("participants")
            .iter()
            .find(|p| p["id"] == who.user_id.as_str())
            .expect("a participant")["online"]
            .as_bool()
            .expect("online is a boolean")
    };
    let listed = flag(&in_list);
    assert_eq!(
        listed,
        flag(one.ok(200)),
        "the list and the conversation agree"
    );
    listed
}

#[tokio::test]
async fn a_conversation_says_who_has_the_app_open() {
    let server = served().await;
    let app = &server.app;
    let manager = app.login(MANAGER).await;
    let patient = app.login(PATIENT).await;
    let martin = app.login(MARTIN).await;
    let martin_id = app.practitioner_id(&patient.token, "Martin").await;
    let conversation = app.conversation_with(&patient.token, &martin_id).await;
    let mut watching = watcher(&server, &manager).await;

    assert!(!shown_online(app, &patient, &conversation, &martin).await);
    assert!(!shown_online(app, &martin, &conversation, &patient).await);

    let tab = Client::connect(server.addr, &martin.token).await;
    status(&mut watching, &martin, "online").await;
    assert!(shown_online(app, &patient, &conversation, &martin).await);
    let patient_tab = Client::connect(server.addr, &patient.token).await;
    status(&mut watching, &patient, "online").await;
    assert!(shown_online(app, &martin, &conversation, &patient).await);

    drop(tab);
    status(&mut watching, &martin, "offline").await;
    assert!(!shown_online(app, &patient, &conversation, &martin).await);
    drop(patient_tab);
}
