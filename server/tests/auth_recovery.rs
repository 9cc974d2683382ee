//! Getting in without the password, through the real router, reading the mail from the outbox
//! (no SMTP server is configured in tests): reset links and 6-digit sign-in codes, their
//! expiry, single use, try limits, and answers that never reveal whether an account exists.

mod common;

use common::*;
use nova_server::store::outbox::OutboxMail;
use serde_json::json;

async fn outbox(app: &TestApp, email: &str) -> Vec<OutboxMail> {
    app.ctx.store.outbox_for(email).await.expect("outbox reads")
}

/// The text after `marker` in the latest mail to `email`, up to the end of its line.
async fn latest(app: &TestApp, email: &str, marker: &str) -> String {
    let mails = outbox(app, email).await;
    let mail = mails.last().expect("a mail was written");
    let (_, rest) = mail
        .body
        .split_once(marker)
        .unwrap_or_else(|| panic!("no {marker:?} in {mail:?}"));
    rest.lines().next().unwrap_or_default().trim().to_string()
}

async fn reset_token(app: &TestApp, email: &str) -> String {
    latest(app, email, "reset-password?token=").await
}

async fn otp(app: &TestApp, email: &str) -> String {
    let code = latest(app, email, "Votre code de connexion : ").await;
    assert!(
        code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()),
        "six digits: {code:?}"
    );
    code
}

async fn request_reset(app: &TestApp, email: &str) -> Reply {
    app.post(
        "/api/auth/password-reset-request",
        None,
        &json!({"email": email}),
    )
    .await
}

async fn reset(app: &TestApp, token: &str, new_password: &str) -> Reply {
    app.post(
        "/api/auth/password-reset",
        None,
        &json!({"token": token, "newPassword": new_password}),
    )
    .await
}

async fn request_otp(app: &TestApp, email: &str) -> Reply {
    app.post("/api/auth/otp-request", None, &json!({"email": email}))
        .await
}

async fn login_otp(app: &TestApp, email: &str, code: &str) -> Reply {
    app.post(
        "/api/auth/login-otp",
        None,
        &json!({"email": email, "otp": code}),
    )
    .await
}

async fn login_with(app: &TestApp, email: &str, password: &str) -> Reply {
    app.post(
        "/api/auth/login",
        None,
        &json!({"email": email, "password": password}),
    )
    .await
}

/// A six-digit code that is not `code`.
fn other_than(code: &str) -> String {
    let n: u32 = code.parse().unwrap();
    format!("{:06}", (n + 1) % 1_000_000)
}

// ---------------------------------------------------------------------------------------------
// Password reset

#[tokio::test]
async fn a_reset_request_answers_the_same_for_unknown_addresses_and_mails_nothing() {
    let app = app().await;
    let unknown = request_reset(&app, "nobody@nova-rdv.test").await;
    let known = request_reset(&app, PATIENT).await;
    assert_eq!(unknown.status, 200);
    assert_eq!(unknown.body, known.body, "the answers cannot be told apart");
    assert!(outbox(&app, "nobody@nova-rdv.test").await.is_empty());
    let mails = outbox(&app, PATIENT).await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].subject.contains("mot de passe"));
    assert_eq!(reset_token(&app, PATIENT).await.len(), 64);
}

#[tokio::test]
async fn a_reset_link_sets_the_password_once_and_ends_every_session() {
    let app = app().await;
    let session = app.login(PATIENT).await;
    request_reset(&app, " Patient@Nova-RDV.test ").await.ok(200);
    let token = reset_token(&app, PATIENT).await;

    // A too-short password is refused without spending the link.
    reset(&app, &token, "short")
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is("newPassword");
    reset(&app, &token, "a brand new password").await.ok(200);

    login_with(&app, PATIENT, PASSWORD)
        .await
        .err(401, "INVALID_CREDENTIALS");
    login_with(&app, PATIENT, "a brand new password")
        .await
        .ok(200);
    let refresh = session.user["refreshToken"].as_str().unwrap();
    app.post("/api/auth/refresh", None, &json!({"refreshToken": refresh}))
        .await
        .err(401, "UNAUTHORIZED");

    // Single use.
    reset(&app, &token, "yet another password")
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is("token");
    login_with(&app, PATIENT, "a brand new password")
        .await
        .ok(200);
}

#[tokio::test]
async fn a_reset_link_expires_after_an_hour_and_a_newer_one_replaces_it() {
    let app = app().await;
    request_reset(&app, PATIENT).await.ok(200);
    let first = reset_token(&app, PATIENT).await;
    request_reset(&app, PATIENT).await.ok(200);
    let second = reset_token(&app, PATIENT).await;
    assert_ne!(first, second);
    reset(&app, &first, "a brand new password")
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is("token");

    app.ctx.clock.advance(3600);
    reset(&app, &second, "a brand new password")
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is("token");
    reset(&app, "0123456789abcdef", "a brand new password")
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is("token");
    login_with(&app, PATIENT, PASSWORD).await.ok(200);
}

#[tokio::test]
async fn bad_reset_input_is_refused_and_writes_nothing() {
    let app = app().await;
    let cases = [
        ("/api/auth/password-reset-request", json!({}), "email"),
        (
            "/api/auth/password-reset-request",
            json!({"email": ""}),
            "email",
        ),
        (
            "/api/auth/password-reset-request",
            json!({"email": "patient"}),
            "email",
        ),
        (
            "/api/auth/password-reset-request",
            json!({"email": PATIENT, "x": 1}),
            "x",
        ),
        (
            "/api/auth/password-reset",
            json!({"newPassword": "long enough"}),
            "token",
        ),
        (
            "/api/auth/password-reset",
            json!({"token": "", "newPassword": "long enough"}),
            "token",
        ),
        (
            "/api/auth/password-reset",
            json!({"token": "t"}),
            "newPassword",
        ),
    ];
    for (uri, body, field) in cases {
        app.post(uri, None, &body)
            .await
            .err(422, "VALIDATION_ERROR")
            .field_is(field);
    }
    for uri in [
        "/api/auth/password-reset-request",
        "/api/auth/password-reset",
    ] {
        app.post_raw(uri, None, "{\"email\"")
            .await
            .err(400, "MALFORMED_JSON");
    }
    assert!(outbox(&app, PATIENT).await.is_empty());
    login_with(&app, PATIENT, PASSWORD).await.ok(200);
}

// ---------------------------------------------------------------------------------------------
// Sign-in codes

#[tokio::test]
async fn a_mailed_code_signs_in_once() {
    let app = app().await;
    let unknown = request_otp(&app, "nobody@nova-rdv.test").await;
    let known = request_otp(&app, PATIENT).await;
    assert_eq!(unknown.status, 200);
    assert_eq!(unknown.body, known.body, "the answers cannot be told apart");
    assert!(outbox(&app, "nobody@nova-rdv.test").await.is_empty());
    let code = otp(&app, PATIENT).await;

    let data = login_otp(&app, "PATIENT@nova-rdv.test", &code)
        .await
        .ok(200)
        .clone();
    assert_eq!(data["email"], PATIENT);
    assert_eq!(data["tokenType"], "Bearer");
    assert!(data["lastLoginAt"].is_string());
    let access = data["accessToken"].as_str().unwrap();
    assert_eq!(
        app.get("/api/auth/me", Some(access)).await.ok(200)["email"],
        PATIENT
    );
    let refresh = data["refreshToken"].as_str().unwrap();
    app.post("/api/auth/refresh", None, &json!({"refreshToken": refresh}))
        .await
        .ok(200);

    login_otp(&app, PATIENT, &code)
        .await
        .err(401, "INVALID_CREDENTIALS");
}

#[tokio::test]
async fn five_wrong_codes_kill_the_code() {
    let app = app().await;
    request_otp(&app, PATIENT).await.ok(200);
    let code = otp(&app, PATIENT).await;
    let wrong = other_than(&code);
    for _ in 0..5 {
        login_otp(&app, PATIENT, &wrong)
            .await
            .err(401, "INVALID_CREDENTIALS");
    }
    login_otp(&app, PATIENT, &code)
        .await
        .err(401, "INVALID_CREDENTIALS");
    // A new code gets fresh tries, and four wrong ones leave the fifth try to the right code.
    // (A quarter of an hour later, so the per-account attempt limit has room again.)
    app.ctx.clock.advance(15 * 60);
    request_otp(&app, PATIENT).await.ok(200);
    let code = otp(&app, PATIENT).await;
    for _ in 0..4 {
        login_otp(&app, PATIENT, &other_than(&code))
            .await
            .err(401, "INVALID_CREDENTIALS");
    }
    login_otp(&app, PATIENT, &code).await.ok(200);
}

#[tokio::test]
async fn a_code_expires_after_ten_minutes_and_a_new_one_replaces_it() {
    let app = app().await;
    request_otp(&app, PATIENT2).await.ok(200);
    let first = otp(&app, PATIENT2).await;
    request_otp(&app, PATIENT2).await.ok(200);
    let second = otp(&app, PATIENT2).await;
    assert_eq!(outbox(&app, PATIENT2).await.len(), 2);
    if first != second {
        login_otp(&app, PATIENT2, &first)
            .await
            .err(401, "INVALID_CREDENTIALS");
    }
    app.ctx.clock.advance(10 * 60);
    login_otp(&app, PATIENT2, &second)
        .await
        .err(401, "INVALID_CREDENTIALS");
    // Codes are for accounts that exist; anything else is refused the same way.
    login_otp(&app, "nobody@nova-rdv.test", "123456")
        .await
        .err(401, "INVALID_CREDENTIALS");
}

#[tokio::test]
async fn bad_code_input_is_refused_without_spending_a_try() {
    let app = app().await;
    request_otp(&app, PATIENT).await.ok(200);
    let code = otp(&app, PATIENT).await;
    for bad in ["12345", "1234567", "abcdef", ""] {
        login_otp(&app, PATIENT, bad)
            .await
            .err(422, "VALIDATION_ERROR")
            .field_is("otp");
    }
    app.post("/api/auth/login-otp", None, &json!({"email": PATIENT}))
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is("otp");
    app.post(
        "/api/auth/login-otp",
        None,
        &json!({"email": PATIENT, "otp": code, "password": "x"}),
    )
    .await
    .err(422, "VALIDATION_ERROR")
    .field_is("password");
    app.post_raw("/api/auth/login-otp", None, "{")
        .await
        .err(400, "MALFORMED_JSON");
    app.post("/api/auth/otp-request", None, &json!({"mail": PATIENT}))
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is("mail");
    assert_eq!(outbox(&app, PATIENT).await.len(), 1, "no other mail");
    login_otp(&app, PATIENT, &code).await.ok(200);
}

#[tokio::test]
async fn code_requests_and_tries_are_rate_limited_per_account() {
    let app = app().await;
    for _ in 0..5 {
        request_otp(&app, MARTIN).await.ok(200);
    }
    request_otp(&app, MARTIN).await.err(429, "RATE_LIMITED");
    assert_eq!(
        outbox(&app, MARTIN).await.len(),
        5,
        "no mail past the limit"
    );
    let code = otp(&app, MARTIN).await;
    // Ten tries, wrong or on a dead code, then even the right code waits.
    for _ in 0..10 {
        login_otp(&app, MARTIN, &other_than(&code))
            .await
            .err(401, "INVALID_CREDENTIALS");
    }
    login_otp(&app, MARTIN, &code)
        .await
        .err(429, "RATE_LIMITED");
    // Someone else is not affected.
    request_otp(&app, BERNARD).await.ok(200);
    let code_b = otp(&app, BERNARD).await;
    login_otp(&app, BERNARD, &code_b).await.ok(200);
    // After the window, a new code works.
    app.ctx.clock.advance(15 * 60);
    request_otp(&app, MARTIN).await.ok(200);
    let code = otp(&app, MARTIN).await;
    login_otp(&app, MARTIN, &code).await.ok(200);
}

#[tokio::test]
async fn reset_mails_are_rate_limited_without_revealing_accounts() {
    let app = app().await;
    for _ in 0..5 {
        request_reset(&app, "nobody@nova-rdv.test").await.ok(200);
        request_reset(&app, PATIENT).await.ok(200);
    }
    request_reset(&app, "nobody@nova-rdv.test")
        .await
        .err(429, "RATE_LIMITED");
    request_reset(&app, PATIENT).await.err(429, "RATE_LIMITED");
    assert_eq!(outbox(&app, PATIENT).await.len(), 5);
}
