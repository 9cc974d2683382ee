//! GDPR through the real router: the export holds the caller's data and nobody else's; erasure
//! anonymises the account, keeps the practice's appointments, frees future slots and ends
//! every session.

mod common;
mod records_support;

use axum::http::Method;
use chrono::{Duration, Utc};
use common::*;
use records_support::*;
use serde_json::{json, Value};

async fn export(app: &TestApp, token: &str) -> (Raw, Value) {
    let raw = raw(app, Method::GET, "/api/me/export", Some(token)).await;
    let json = raw.json();
    (raw, json)
}

#[tokio::test]
async fn a_patients_export_is_theirs_alone() {
    let app = app().await;
    let login = app
        .post(
            "/api/auth/login",
            None,
            &json!({"email": PATIENT, "password": PASSWORD}),
        )
        .await;
    let refresh = str_of(login.ok(200), "refreshToken").to_string();
    let lea = app.login(PATIENT).await;
    let martin = app.login(MARTIN).await;
    let slot = app.next_free_slot(&lea.token, &martin.user_id, 30).await;
    let mine = book_as_patient(
        &app,
        &lea.token,
        &martin.user_id,
        slot.start,
        30,
        Some("Sensibilité dent 36"),
    )
    .await;
    // A staff read, which the export must show.
    app.get(&format!("/api/patients/{}", lea.user_id), martin.bearer())
        .await
        .ok(200);

    let (raw, data) = export(&app, &lea.token).await;
    assert_eq!(raw.status, 200, "{}", raw.text);
    assert_eq!(
        raw.header("content-type"),
        "application/json; charset=utf-8"
    );
    assert_eq!(
        raw.header("content-disposition"),
        format!(
            "attachment; filename=\"nova-rdv-export-{}.json\"",
            Utc::now().format("%Y-%m-%d")
        )
    );
    assert_eq!(raw.header("cache-control"), "no-store");
    assert_eq!(data["format"], "nova-rdv-export/1");
    let profile = &data["profile"];
    assert_eq!(profile["id"], lea.user_id.as_str());
    assert_eq!(profile["email"], PATIENT);
    assert_eq!(profile["firstName"], "Léa");
    assert_eq!(profile["role"], "patient");
    assert_eq!(profile["cabinetName"], "Cabinet Dentaire du Parc");
    assert!(profile["preferences"]["language"].is_string());

    // Every appointment of hers, with its notes, and nobody else's.
    let listed = app.get("/api/appointments?limit=100", lea.bearer()).await;
    let mut expected: Vec<String> = items(&listed)
        .iter()
        .map(|a| str_of(a, "id").to_string())
        .collect();
    expected.sort();
    let exported = data["appointmentsAsPatient"].as_array().unwrap();
    let mut got: Vec<String> = exported
        .iter()
        .map(|a| str_of(a, "id").to_string())
        .collect();
    got.sort();
    assert_eq!(got, expected);
    let booked = exported.iter().find(|a| a["id"] == mine["id"]).unwrap();
    assert_eq!(booked["notes"], "Sensibilité dent 36");
    assert_eq!(booked["practitioner"]["lastName"], "Martin");
    assert_eq!(booked["status"], "pending");
    assert!(data["appointmentsAsPractitioner"]
        .as_array()
        .unwrap()
        .is_empty());
    for other in ["Benali", "Karim", PATIENT2, "Girard", LUMIERE_PATIENT] {
        assert!(!raw.text.contains(other), "{other} leaked into the export");
    }

    // Sessions without secrets.
    let sessions = data["sessions"].as_array().unwrap();
    assert!(sessions.len() >= 2, "two logins, two sessions");
    assert!(sessions
        .iter()
        .all(|s| s["createdAt"].is_string() && s["expiresAt"].is_string()));
    let refresh_hash = nova_server::auth::tokens::hash_refresh(&refresh);
    assert!(!raw.text.contains(&refresh) && !raw.text.contains(&refresh_hash));
    assert!(!raw.text.contains("argon2"), "no password hash");

    // The audit entries about her: Martin's read, and this export.
    let audit = data["audit"].as_array().unwrap();
    assert!(audit.iter().any(|e| e["actorId"] == martin.user_id.as_str()
        && e["action"] == "patient.read"
        && e["actorRole"] == "practitioner"));
    assert!(audit
        .iter()
        .any(|e| e["actorId"] == lea.user_id.as_str() && e["action"] == "gdpr.export"));
    assert!(data["calendarFeedCreatedAt"].is_null());

    app.get("/api/me/export", None)
        .await
        .err(401, "UNAUTHORIZED");
}

#[tokio::test]
async fn a_practitioners_export_leaves_their_patients_out() {
    let app = app().await;
    let martin = app.login(MARTIN).await;
    app.get("/api/practitioners/me/calendar", martin.bearer())
        .await
        .ok(200);
    let (raw, data) = export(&app, &martin.token).await;
    assert_eq!(raw.status, 200);
    assert_eq!(data["profile"]["role"], "practitioner");
    assert_eq!(data["profile"]["specialty"], "Chirurgien-dentiste");
    let theirs = data["appointmentsAsPractitioner"].as_array().unwrap();
    let listed = app
        .total(&martin.token, &format!("practitionerId={}", martin.user_id))
        .await;
    assert_eq!(theirs.len() as u64, listed);
    assert!(theirs
        .iter()
        .all(|a| a.get("patientId").is_none() && a.get("patient").is_none()));
    for patient in ["Benali", "Karim", "Dubois", PATIENT2, PATIENT] {
        assert!(
            !raw.text.contains(patient),
            "{patient} leaked into the export"
        );
    }
    assert!(data["calendarFeedCreatedAt"].is_string());
    let feed = app
        .get("/api/practitioners/me/calendar", martin.bearer())
        .await;
    let url = str_of(feed.ok(200), "url").to_string();
    let token = url.split("token=").nth(1).unwrap();
    assert!(!raw.text.contains(token), "the feed secret is not exported");
}

#[tokio::test]
async fn erasure_anonymises_keeps_records_and_frees_future_slots() {
    let app = app().await;
    let lea = app.login(PATIENT).await;
    let martin = app.login(MARTIN).await;
    let admin = app.login(ADMIN).await;
    let slot = app.next_free_slot(&lea.token, &martin.user_id, 30).await;
    let future = book_as_patient(
        &app,
        &lea.token,
        &martin.user_id,
        slot.start,
        30,
        Some("Allergie pénicilline"),
    )
    .await;
    // A past visit with notes, as the practice's record.
    let past_slot = app.next_free_slot(&martin.token, &martin.user_id, 30).await;
    let past = book_for(
        &app,
        &martin.token,
        &martin.user_id,
        &lea.user_id,
        past_slot.start,
        30,
        "soin",
    )
    .await;
    let past_id = str_of(&past, "id").to_string();
    move_to(&app, &past_id, Utc::now() - Duration::days(30)).await;
    set_status(&app, &past_id, "completed").await;
    sql(
        &app,
        "UPDATE appointments SET notes = $1 WHERE id = $2",
        vec![text("Carie 26 traitée"), text(&past_id)],
    )
    .await;
    let history_uri = format!(
        "/api/patients/{}/appointments?includeHistory=true&limit=100",
        lea.user_id
    );
    let before = items(&app.get(&history_uri, martin.bearer()).await);
    let now = Utc::now();
    let future_holding: Vec<String> = before
        .iter()
        .filter(|a| {
            ["pending", "confirmed"].contains(&str_of(a, "status"))
                && str_of(a, "startTime")
                    .parse::<chrono::DateTime<Utc>>()
                    .unwrap()
                    > now
        })
        .map(|a| str_of(a, "id").to_string())
        .collect();
    assert!(future_holding.len() >= 2, "the demo's and ours");
    assert!(
        !app.slot_at(&lea.token, &martin.user_id, slot.start, 30)
            .await
            .unwrap()
            .available
    );

    // Staff cannot erase themselves; nothing changes for them.
    for session in [&martin, &admin] {
        delete(&app, "/api/me", session.bearer())
            .await
            .err(403, "FORBIDDEN");
    }
    app.login(MARTIN).await;
    delete(&app, "/api/me", None).await.err(401, "UNAUTHORIZED");

    let reply = delete(&app, "/api/me", lea.bearer()).await;
    let receipt = reply.ok(200).clone();
    assert_eq!(
        receipt["cancelledAppointments"],
        future_holding.len() as u64
    );
    assert_eq!(receipt["keptAppointments"], before.len() as u64);
    assert!(receipt["erasedAt"].is_string());

    // She can no longer sign in, and her token opens nothing of hers.
    app.post(
        "/api/auth/login",
        None,
        &json!({"email": PATIENT, "password": PASSWORD}),
    )
    .await
    .err(401, "INVALID_CREDENTIALS");
    delete(&app, "/api/me", lea.bearer())
        .await
        .err(401, "UNAUTHORIZED");
    app.get("/api/me/export", lea.bearer())
        .await
        .err(401, "UNAUTHORIZED");
    app.get(&format!("/api/patients/{}", lea.user_id), lea.bearer())
        .await
        .err(401, "UNAUTHORIZED");
    put_json(
        &app,
        &format!("/api/patients/{}", lea.user_id),
        lea.bearer(),
        &json!({"firstName": "Léa"}),
    )
    .await
    .err(401, "UNAUTHORIZED");
    assert_eq!(
        count(&app, "refresh_tokens WHERE user_id = $1", &lea.user_id).await,
        0
    );

    // The record stays, anonymised.
    let record = app
        .get(&format!("/api/patients/{}", lea.user_id), martin.bearer())
        .await;
    let record = record.ok(200).clone();
    assert_eq!(record["firstName"], "Patient");
    assert_eq!(record["lastName"], "Anonymisé");
    let email = str_of(&record, "email");
    assert!(
        email.starts_with("erased-") && email.ends_with("@invalid"),
        "{email}"
    );
    assert!(record["phone"].is_null());
    assert_eq!(record["appointmentCount"], before.len() as u64);
    assert!(record["nextAppointmentAt"].is_null());
    let list = app
        .get("/api/patients?search=dubois", martin.bearer())
        .await;
    assert!(items(&list).is_empty(), "her name is gone");
    // Staff cannot write her name back.
    put_json(
        &app,
        &format!("/api/patients/{}", lea.user_id),
        admin.bearer(),
        &json!({"lastName": "Dubois"}),
    )
    .await
    .err(403, "FORBIDDEN");

    // Every appointment kept, none with notes, future ones cancelled, past ones untouched.
    let after = items(&app.get(&history_uri, martin.bearer()).await);
    assert_eq!(after.len(), before.len());
    for a in &after {
        assert!(a.get("notes").is_none(), "{a}");
        assert_eq!(a["patient"]["lastName"], "Anonymisé");
        let id = str_of(a, "id").to_string();
        if future_holding.contains(&id) {
            assert_eq!(a["status"], "cancelled");
        } else {
            let was = before.iter().find(|b| b["id"] == id.as_str()).unwrap();
            assert_eq!(a["status"], was["status"]);
        }
    }
    assert!(after
        .iter()
        .any(|a| a["id"] == past_id.as_str() && a["status"] == "completed"));
    assert!(after.iter().any(|a| a["id"] == future["id"]));
    // The freed slot can be booked again.
    assert!(
        app.slot_at(&martin.token, &martin.user_id, slot.start, 30)
            .await
            .unwrap()
            .available
    );
    let karim = app.login(PATIENT2).await;
    book_as_patient(&app, &karim.token, &martin.user_id, slot.start, 30, None).await;

    // The erasure is in the cabinet's audit log, under her id only.
    let log = app
        .get(
            &format!("/api/audit?subjectId={}", lea.user_id),
            admin.bearer(),
        )
        .await;
    let log = items(&log);
    assert!(log.iter().any(|e| e["action"] == "gdpr.erase"
        && e["actorId"] == lea.user_id.as_str()
        && e["actorName"] == "Patient Anonymisé"));
}

#[tokio::test]
async fn erasure_touches_no_one_else() {
    let app = app().await;
    let karim = app.login(PATIENT2).await;
    let martin = app.login(MARTIN).await;
    let lea = app.login(PATIENT).await;
    let karim_before = app
        .get(&format!("/api/patients/{}", karim.user_id), martin.bearer())
        .await
        .ok(200)
        .clone();
    let karim_list = items(&app.get("/api/appointments?limit=100", karim.bearer()).await);
    delete(&app, "/api/me", lea.bearer()).await.ok(200);
    let karim_after = app
        .get(&format!("/api/patients/{}", karim.user_id), martin.bearer())
        .await
        .ok(200)
        .clone();
    assert_eq!(karim_before, karim_after);
    assert_eq!(
        items(&app.get("/api/appointments?limit=100", karim.bearer()).await),
        karim_list
    );
    app.login(PATIENT2).await;
    app.login(LUMIERE_PATIENT).await;
}

#[tokio::test]
async fn erasure_also_removes_mail_and_one_time_secrets_sent_to_the_account() {
    let app = app().await;
    let patient = app.login(PATIENT2).await;
    for path in ["/api/auth/otp-request", "/api/auth/password-reset-request"] {
        app.post(path, None, &json!({"email": PATIENT2}))
            .await
            .ok(200);
    }
    assert_eq!(
        app.ctx
            .store
            .outbox_for(PATIENT2)
            .await
            .expect("outbox")
            .len(),
        2
    );

    app.send(common::request(
        Method::DELETE,
        "/api/me",
        patient.bearer(),
        None,
    ))
    .await
    .ok(200);

    assert!(app
        .ctx
        .store
        .outbox_for(PATIENT2)
        .await
        .expect("outbox")
        .is_empty());
    // The old address no longer names an account, so no code can open it.
    app.post(
        "/api/auth/login-otp",
        None,
        &json!({"email": PATIENT2, "otp": "000000"}),
    )
    .await
    .err(401, "INVALID_CREDENTIALS");
}
