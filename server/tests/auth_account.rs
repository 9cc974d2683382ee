//! The signed-in user's own account through the real router: profile changes and their checks,
//! and changing the password.

mod common;

use axum::http::Method;
use common::*;
use serde_json::{json, Value};

async fn put_json(app: &TestApp, uri: &str, token: Option<&str>, body: &Value) -> Reply {
    app.send(request(Method::PUT, uri, token, Some(body.to_string())))
        .await
}

async fn me(app: &TestApp, token: &str) -> Value {
    app.get("/api/auth/me", Some(token)).await.ok(200).clone()
}

async fn login_with(app: &TestApp, email: &str, password: &str) -> Reply {
    app.post(
        "/api/auth/login",
        None,
        &json!({"email": email, "password": password}),
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Profile

#[tokio::test]
async fn a_profile_change_persists_and_leaves_the_rest_alone() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    let before = me(&app, &patient.token).await;
    assert_eq!(before["preferences"]["theme"], "auto");
    assert!(
        before.get("phone").is_none(),
        "the demo patient has no phone"
    );

    let updated = put_json(
        &app,
        "/api/auth/profile",
        patient.bearer(),
        &json!({
            "firstName": "  Léa-Marie ",
            "phone": "+33 6 12 34 56 78",
            "preferences": {"theme": "dark", "notifications": {"sms": true}},
        }),
    )
    .await
    .ok(200)
    .clone();
    assert_eq!(updated["firstName"], "Léa-Marie", "trimmed");
    assert_eq!(updated["lastName"], before["lastName"], "absent: unchanged");
    assert_eq!(updated["phone"], "+33 6 12 34 56 78");
    // The per-family choices (`notifications.types`) are tested in notifications.rs.
    let mut prefs = updated["preferences"].clone();
    prefs["notifications"]
        .as_object_mut()
        .expect("notifications")
        .remove("types");
    assert_eq!(
        prefs,
        json!({"theme": "dark", "language": "fr",
               "notifications": {"email": true, "push": true, "sms": true}})
    );
    assert_eq!(updated["email"], before["email"]);
    assert_eq!(updated["role"], "patient");

    // It is stored: /me and the next login say the same.
    assert_eq!(me(&app, &patient.token).await, updated);
    let again = app.login(PATIENT).await;
    assert_eq!(again.user["firstName"], "Léa-Marie");
    assert_eq!(again.user["preferences"]["theme"], "dark");

    // Only the language changes; an empty phone removes it.
    let updated = put_json(
        &app,
        "/api/auth/profile",
        patient.bearer(),
        &json!({"preferences": {"language": "en"}, "phone": ""}),
    )
    .await
    .ok(200)
    .clone();
    assert_eq!(updated["preferences"]["language"], "en");
    assert_eq!(updated["preferences"]["theme"], "dark");
    assert!(updated.get("phone").is_none());
    // An empty object changes nothing.
    let same = put_json(&app, "/api/auth/profile", patient.bearer(), &json!({}))
        .await
        .ok(200)
        .clone();
    assert_eq!(same, updated);
}

#[tokio::test]
async fn bad_profile_input_names_its_field_and_changes_nothing() {
    let app = app().await;
    let martin = app.login(MARTIN).await;
    let before = me(&app, &martin.token).await;
    let cases = [
        (json!({"firstName": "   "}), "firstName"),
        (json!({"lastName": "x".repeat(101)}), "lastName"),
        (json!({"firstName": "Claire", "lastName": ""}), "lastName"),
        (json!({"firstName": "Claire", "phone": "call me"}), "phone"),
        (json!({"phone": "123"}), "phone"),
        (json!({"firstName": 3}), "firstName"),
        (
            json!({"preferences": {"theme": "blue"}}),
            "preferences.theme",
        ),
        (
            json!({"preferences": {"notifications": {"sms": "yes"}}}),
            "preferences.notifications.sms",
        ),
        (json!({"preferences": {"font": "big"}}), "preferences.font"),
        (json!({"email": "new@nova-rdv.test"}), "email"),
        (json!({"role": "admin"}), "role"),
    ];
    for (body, field) in cases {
        put_json(&app, "/api/auth/profile", martin.bearer(), &body)
            .await
            .err(422, "VALIDATION_ERROR")
            .field_is(field);
    }
    app.send(request(
        Method::PUT,
        "/api/auth/profile",
        martin.bearer(),
        Some("{\"firstName\":".into()),
    ))
    .await
    .err(400, "MALFORMED_JSON");
    put_json(&app, "/api/auth/profile", None, &json!({"firstName": "X"}))
        .await
        .err(401, "UNAUTHORIZED");
    assert_eq!(me(&app, &martin.token).await, before);
}

// ---------------------------------------------------------------------------------------------
// Password change

#[tokio::test]
async fn a_password_change_needs_the_current_one_and_a_long_enough_new_one() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    let change = |current: &str, new: &str| json!({"currentPassword": current, "newPassword": new});
    put_json(
        &app,
        "/api/auth/change-password",
        patient.bearer(),
        &change("wrong-password", "a-new-password"),
    )
    .await
    .err(422, "VALIDATION_ERROR")
    .field_is("currentPassword");
    put_json(
        &app,
        "/api/auth/change-password",
        patient.bearer(),
        &change(PASSWORD, "short"),
    )
    .await
    .err(422, "VALIDATION_ERROR")
    .field_is("newPassword");
    put_json(
        &app,
        "/api/auth/change-password",
        patient.bearer(),
        &json!({"currentPassword": PASSWORD}),
    )
    .await
    .err(422, "VALIDATION_ERROR")
    .field_is("newPassword");
    put_json(
        &app,
        "/api/auth/change-password",
        None,
        &change(PASSWORD, "a-new-password"),
    )
    .await
    .err(401, "UNAUTHORIZED");
    // Nothing changed: the old password still works, and the session too.
    login_with(&app, PATIENT, PASSWORD).await.ok(200);
    let refresh = patient.user["refreshToken"].as_str().unwrap();
    app.post("/api/auth/refresh", None, &json!({"refreshToken": refresh}))
        .await
        .ok(200);
}

#[tokio::test]
async fn after_a_password_change_only_the_new_password_signs_in() {
    let app = app().await;
    let patient = app.login(PATIENT).await;
    let other_session = app.login(PATIENT).await;
    put_json(
        &app,
        "/api/auth/change-password",
        patient.bearer(),
        &json!({"currentPassword": PASSWORD, "newPassword": "correct horse battery"}),
    )
    .await
    .ok(200);
    login_with(&app, PATIENT, PASSWORD)
        .await
        .err(401, "INVALID_CREDENTIALS");
    login_with(&app, PATIENT, "correct horse battery")
        .await
        .ok(200);
    // Every earlier session has to sign in again.
    for session in [&patient, &other_session] {
        let refresh = session.user["refreshToken"].as_str().unwrap();
        app.post("/api/auth/refresh", None, &json!({"refreshToken": refresh}))
            .await
            .err(401, "UNAUTHORIZED");
    }
}
