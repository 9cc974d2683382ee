//! The audit log through the real router: staff reads and changes of a patient's record are
//! written, the patient's own and refused reads are not, and only the cabinet's admins read it.

mod common;
mod records_support;

use common::*;
use records_support::*;
use serde_json::{json, Value};

async fn audit_of(app: &TestApp, token: &str, subject: &str) -> Vec<Value> {
    let reply = app
        .get(
            &format!("/api/audit?subjectId={subject}&limit=100"),
            Some(token),
        )
        .await;
    items(&reply)
}

#[tokio::test]
async fn staff_reads_are_audited_and_admins_read_the_log() {
    let app = app().await;
    let admin = app.login(ADMIN).await;
    let martin = app.login(MARTIN).await;
    let manager = app.login(MANAGER).await;
    let lea = app.login(PATIENT).await;
    let karim = app.login(PATIENT2).await;
    let record = format!("/api/patients/{}", lea.user_id);

    assert!(audit_of(&app, &admin.token, &lea.user_id).await.is_empty());
    // The patient's own reads and refused reads leave no trace.
    app.get(&record, lea.bearer()).await.ok(200);
    app.get(&format!("{record}/appointments"), lea.bearer())
        .await
        .ok(200);
    app.get(&record, karim.bearer()).await.err(403, "FORBIDDEN");
    let leroy = app.login(LEROY).await;
    app.get(&record, leroy.bearer()).await.err(404, "NOT_FOUND");
    assert!(audit_of(&app, &admin.token, &lea.user_id).await.is_empty());

    // Staff reads and changes do.
    app.get(&record, martin.bearer()).await.ok(200);
    app.get(&format!("{record}/appointments"), manager.bearer())
        .await
        .ok(200);
    put_json(
        &app,
        &record,
        admin.bearer(),
        &json!({"phone": "0611111111"}),
    )
    .await
    .ok(200);
    let log = audit_of(&app, &admin.token, &lea.user_id).await;
    assert_eq!(log.len(), 3, "{log:?}");
    let rows: Vec<(String, String, String)> = log
        .iter()
        .map(|e| {
            assert_eq!(e["subjectId"], lea.user_id.as_str());
            assert_eq!(e["subjectType"], "patient");
            assert!(e["at"].is_string() && e["id"].is_string());
            (
                str_of(e, "actorId").to_string(),
                str_of(e, "actorRole").to_string(),
                str_of(e, "action").to_string(),
            )
        })
        .collect();
    for expected in [
        (
            martin.user_id.clone(),
            "practitioner".to_string(),
            "patient.read".to_string(),
        ),
        (
            manager.user_id.clone(),
            "manager".to_string(),
            "patient.appointments.read".to_string(),
        ),
        (
            admin.user_id.clone(),
            "admin".to_string(),
            "patient.update".to_string(),
        ),
    ] {
        assert!(rows.contains(&expected), "{expected:?} in {rows:?}");
    }
    let martins = log
        .iter()
        .find(|e| e["actorId"] == martin.user_id.as_str())
        .unwrap();
    assert_eq!(martins["actorName"], "Claire Martin");

    // Another cabinet's reads stay in that cabinet's log.
    let lumiere_patient = app.login(LUMIERE_PATIENT).await;
    app.get(
        &format!("/api/patients/{}", lumiere_patient.user_id),
        leroy.bearer(),
    )
    .await
    .ok(200);
    assert!(audit_of(&app, &admin.token, &lumiere_patient.user_id)
        .await
        .is_empty());
    let whole = app.get("/api/audit?limit=100", admin.bearer()).await;
    let whole = items(&whole);
    assert_eq!(whole.len(), 3, "the unfiltered log is the cabinet's only");

    // Only admins read the log.
    for session in [&martin, &manager, &lea, &leroy] {
        app.get("/api/audit", session.bearer())
            .await
            .err(403, "FORBIDDEN");
    }
    app.get("/api/audit", None).await.err(401, "UNAUTHORIZED");
    app.get("/api/audit?limit=0", admin.bearer())
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is("limit");
    let paged = app.get("/api/audit?limit=2&page=2", admin.bearer()).await;
    let paged = paged.ok(200);
    assert_eq!(paged["pagination"]["total"], 3);
    assert_eq!(paged["items"].as_array().unwrap().len(), 1);
}
