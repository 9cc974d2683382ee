//! `POST /api/announcements`: managers and admins reach the people of their cabinet who are
//! connected now (or one role of them), nobody else; others are refused.

mod common;

use common::socket_client::Client;
use common::*;
use serde_json::json;

#[tokio::test]
async fn an_announcement_reaches_the_cabinet_connected_now_and_no_one_else() {
    let server = served().await;
    let app = &server.app;
    let manager = app.login(MANAGER).await;
    let patient = app.login(PATIENT).await;
    let martin = app.login(MARTIN).await;
    let leroy = app.login(LEROY).await;
    let mut patient_ws = Client::connect(server.addr, &patient.token).await;
    let mut martin_ws = Client::connect(server.addr, &martin.token).await;
    let mut leroy_ws = Client::connect(server.addr, &leroy.token).await;

    let body = json!({"message": "Le cabinet ferme à 17 h aujourd'hui"});
    let reply = app
        .post("/api/announcements", manager.bearer(), &body)
        .await;
    assert_eq!(
        reply.ok(200)["message"],
        "Le cabinet ferme à 17 h aujourd'hui"
    );
    for ws in [&mut patient_ws, &mut martin_ws] {
        let event = ws.expect("notification:general").await;
        assert_eq!(event["message"], "Le cabinet ferme à 17 h aujourd'hui");
    }
    leroy_ws.silence("dr.leroy (other cabinet)").await;

    let body = json!({"message": "Réunion d'équipe à 13 h", "audience": "practitioner"});
    app.post("/api/announcements", manager.bearer(), &body)
        .await
        .ok(200);
    martin_ws.expect("notification:general").await;
    patient_ws
        .silence("a patient, for a staff announcement")
        .await;
}

#[tokio::test]
async fn only_managers_and_admins_announce_and_the_message_is_checked() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    let martin = app.login(MARTIN).await;
    let admin = app.login(ADMIN).await;
    let body = json!({"message": "Bonjour"});
    for who in [&patient, &martin] {
        app.post("/api/announcements", who.bearer(), &body)
            .await
            .err(403, "FORBIDDEN");
    }
    app.post("/api/announcements", admin.bearer(), &body)
        .await
        .ok(200);
    for bad in [
        json!({"message": "  "}),
        json!({"message": "x".repeat(501)}),
    ] {
        app.post("/api/announcements", admin.bearer(), &bad)
            .await
            .err(422, "VALIDATION_ERROR")
            .field_is("message");
    }
    app.post("/api/announcements", None, &body)
        .await
        .err(401, "UNAUTHORIZED");
}
