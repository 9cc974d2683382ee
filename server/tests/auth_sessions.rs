//! Sessions through the real router: refresh-token rotation and reuse detection, a race of two
//! refreshes, logout, and the attempt limits on login (per account, per client IP, behind a
//! trusted proxy or not).

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request};
use common::*;
use serde_json::{json, Value};
use tower::ServiceExt;

/// A password login's `data`.
async fn login_data(app: &TestApp, email: &str) -> Value {
    app.post(
        "/api/auth/login",
        None,
        &json!({"email": email, "password": PASSWORD}),
    )
    .await
    .ok(200)
    .clone()
}

fn refresh_token(data: &Value) -> String {
    data["refreshToken"]
        .as_str()
        .expect("a refresh token")
        .to_string()
}

async fn refresh(app: &TestApp, token: &str) -> Reply {
    app.post("/api/auth/refresh", None, &json!({"refreshToken": token}))
        .await
}

/// A login attempt with a wrong password, as sent from behind a proxy.
fn bad_login(email: &str, forwarded_for: Option<&str>) -> Request<Body> {
    let mut req = request(
        Method::POST,
        "/api/auth/login",
        None,
        Some(json!({"email": email, "password": "wrong-password"}).to_string()),
    );
    if let Some(xff) = forwarded_for {
        req.headers_mut()
            .insert("x-forwarded-for", xff.parse().expect("a header value"));
    }
    req
}

/// Sends a request and returns the reply with its `Retry-After` header, if any.
async fn send_with_retry_after(app: &TestApp, req: Request<Body>) -> (Reply, Option<String>) {
    let response = app.router.clone().oneshot(req).await.expect("answers");
    let retry_after = response
        .headers()
        .get(header::RETRY_AFTER)
        .map(|v| v.to_str().expect("ASCII").to_string());
    let reply = send_with(response).await;
    (reply, retry_after)
}

async fn send_with(response: axum::response::Response) -> Reply {
    use http_body_util::BodyExt;
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Reply {
        status,
        body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    }
}

#[track_caller]
fn assert_retry_after(reply: &Reply, retry_after: Option<String>) {
    reply.err(429, "RATE_LIMITED");
    assert_eq!(reply.body["error"]["retryable"], true);
    let secs: u64 = retry_after
        .expect("a Retry-After header")
        .parse()
        .expect("Retry-After in whole seconds");
    assert!(
        (1..=900).contains(&secs),
        "within the 15-minute window: {secs}"
    );
}

// ---------------------------------------------------------------------------------------------
// Refresh

#[tokio::test]
async fn a_refresh_token_works_once_and_its_successor_works_next() {
    let app = app().await;
    let first = login_data(&app, PATIENT).await;
    let token1 = refresh_token(&first);

    let second = refresh(&app, &token1).await.ok(200).clone();
    let token2 = refresh_token(&second);
    assert_ne!(token2, token1, "a new refresh token each time");
    assert_eq!(
        second["email"], PATIENT,
        "the same flattened shape as login"
    );
    assert_eq!(second["tokenType"], "Bearer");
    assert_eq!(second["expiresIn"], 900);
    let access = second["accessToken"].as_str().unwrap();
    app.get("/api/auth/me", Some(access)).await.ok(200);

    let third = refresh(&app, &token2).await.ok(200).clone();
    assert_ne!(refresh_token(&third), token2);
}

#[tokio::test]
async fn replaying_a_used_refresh_token_ends_its_whole_family() {
    let app = app().await;
    let token1 = refresh_token(&login_data(&app, PATIENT).await);
    let other_device = refresh_token(&login_data(&app, PATIENT).await);
    let token2 = refresh_token(refresh(&app, &token1).await.ok(200));

    // Someone replays the first token: refused, and the second generation dies with it.
    refresh(&app, &token1).await.err(401, "UNAUTHORIZED");
    refresh(&app, &token2).await.err(401, "UNAUTHORIZED");
    // Another login of the same person is another family and lives on.
    refresh(&app, &other_device).await.ok(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_two_simultaneous_refreshes_with_one_token_exactly_one_succeeds() {
    let app = app().await;
    for round in 0..5 {
        let token = refresh_token(&login_data(&app, PATIENT2).await);
        let body = json!({"refreshToken": token}).to_string();
        let race = |body: String| {
            let router = app.router.clone();
            tokio::spawn(async move {
                let req = request(Method::POST, "/api/auth/refresh", None, Some(body));
                send(router, req).await
            })
        };
        let (a, b) = (race(body.clone()), race(body));
        let replies = [a.await.unwrap(), b.await.unwrap()];
        let winners: Vec<&Reply> = replies.iter().filter(|r| r.status == 200).collect();
        assert_eq!(winners.len(), 1, "round {round}: {replies:?}");
        let loser = replies.iter().find(|r| r.status != 200).unwrap();
        loser.err(401, "UNAUTHORIZED");
        // The loser counts as a replay, so the family, winner's new token included, is over.
        refresh(&app, &refresh_token(winners[0].data()))
            .await
            .err(401, "UNAUTHORIZED");
    }
}

#[tokio::test]
async fn unknown_expired_and_malformed_refreshes_are_refused() {
    let app = app().await;
    refresh(&app, "not-a-token").await.err(401, "UNAUTHORIZED");
    app.post("/api/auth/refresh", None, &json!({"refreshToken": " "}))
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is("refreshToken");
    app.post("/api/auth/refresh", None, &json!({}))
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is("refreshToken");
    app.post_raw("/api/auth/refresh", None, "{\"refreshToken\":")
        .await
        .err(400, "MALFORMED_JSON");
    let token = refresh_token(&login_data(&app, PATIENT).await);
    app.post(
        "/api/auth/refresh",
        None,
        &json!({"refreshToken": token, "extra": 1}),
    )
    .await
    .err(422, "VALIDATION_ERROR")
    .field_is("extra");
    // None of that spent the token: it still works, until it is 30 days old.
    let token = refresh_token(refresh(&app, &token).await.ok(200));
    app.ctx.clock.advance(30 * 24 * 3600 + 1);
    refresh(&app, &token).await.err(401, "UNAUTHORIZED");
}

// ---------------------------------------------------------------------------------------------
// Logout

#[tokio::test]
async fn logout_with_a_token_ends_that_session_only() {
    let app = app().await;
    let laptop = login_data(&app, MARTIN).await;
    let phone = login_data(&app, MARTIN).await;
    let access = laptop["accessToken"].as_str().unwrap();
    let laptop_next = refresh_token(refresh(&app, &refresh_token(&laptop)).await.ok(200));

    app.post(
        "/api/auth/logout",
        Some(access),
        &json!({"refreshToken": laptop_next}),
    )
    .await
    .ok(200);
    refresh(&app, &laptop_next).await.err(401, "UNAUTHORIZED");
    refresh(&app, &refresh_token(&phone)).await.ok(200);
    // Logging out twice is fine.
    app.post(
        "/api/auth/logout",
        Some(access),
        &json!({"refreshToken": laptop_next}),
    )
    .await
    .ok(200);
}

#[tokio::test]
async fn logout_without_a_token_ends_every_session_of_the_caller_only() {
    let app = app().await;
    let one = login_data(&app, MARTIN).await;
    let two = login_data(&app, MARTIN).await;
    let someone_else = login_data(&app, BERNARD).await;
    // Seed 000's client sends no body at all.
    app.send(request(
        Method::POST,
        "/api/auth/logout",
        one["accessToken"].as_str(),
        None,
    ))
    .await
    .ok(200);
    refresh(&app, &refresh_token(&one))
        .await
        .err(401, "UNAUTHORIZED");
    refresh(&app, &refresh_token(&two))
        .await
        .err(401, "UNAUTHORIZED");
    refresh(&app, &refresh_token(&someone_else)).await.ok(200);
}

#[tokio::test]
async fn logout_needs_a_bearer_and_cannot_end_someone_elses_session() {
    let app = app().await;
    let martin = login_data(&app, MARTIN).await;
    let bernard = login_data(&app, BERNARD).await;
    app.post(
        "/api/auth/logout",
        None,
        &json!({"refreshToken": refresh_token(&martin)}),
    )
    .await
    .err(401, "UNAUTHORIZED");
    app.post(
        "/api/auth/logout",
        bernard["accessToken"].as_str(),
        &json!({"refreshToken": refresh_token(&martin)}),
    )
    .await
    .ok(200);
    let bearer = bernard["accessToken"].as_str();
    app.post_raw("/api/auth/logout", bearer, "{")
        .await
        .err(400, "MALFORMED_JSON");
    app.post("/api/auth/logout", bearer, &json!({"token": "x"}))
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is("token");
    // Martin's session survived all of it, and so did Bernard's.
    refresh(&app, &refresh_token(&martin)).await.ok(200);
    refresh(&app, &refresh_token(&bernard)).await.ok(200);
}

// ---------------------------------------------------------------------------------------------
// Attempt limits on login

#[tokio::test]
async fn the_eleventh_login_attempt_for_one_account_waits() {
    let app = app().await;
    for _ in 0..10 {
        app.send(bad_login(MARTIN, None))
            .await
            .err(401, "INVALID_CREDENTIALS");
    }
    // Even the right password waits now, and says how long.
    let right = request(
        Method::POST,
        "/api/auth/login",
        None,
        Some(json!({"email": MARTIN, "password": PASSWORD}).to_string()),
    );
    let (reply, retry_after) = send_with_retry_after(&app, right).await;
    assert_retry_after(&reply, retry_after);
    // The account key is the email as stored: case and spaces do not make a new one.
    app.post(
        "/api/auth/login",
        None,
        &json!({"email": " DR.Martin@nova-rdv.test", "password": PASSWORD}),
    )
    .await
    .err(429, "RATE_LIMITED");
    // Other accounts are not affected.
    login_data(&app, BERNARD).await;
    // Once the window has passed, Martin signs in again.
    app.ctx.clock.advance(15 * 60);
    login_data(&app, MARTIN).await;
}

#[tokio::test]
async fn one_client_address_is_limited_across_accounts() {
    let server = served().await;
    let app = &server.app;
    // In process there is no peer address: every request shares one key.
    for i in 0..30 {
        app.send(bad_login(&format!("nobody{i}@nova-rdv.test"), None))
            .await
            .err(401, "INVALID_CREDENTIALS");
    }
    let (reply, retry_after) = send_with_retry_after(app, bad_login(PATIENT, None)).await;
    assert_retry_after(&reply, retry_after);
    // Over TCP the peer address (127.0.0.1) is the key, and it is still fresh.
    let reply = tcp_request(
        server.addr,
        "POST",
        "/api/auth/login",
        None,
        Some(&json!({"email": PATIENT, "password": PASSWORD})),
    )
    .await;
    assert_eq!(reply.ok(200)["email"], PATIENT);
}

#[tokio::test]
async fn x_forwarded_for_counts_only_behind_a_trusted_proxy() {
    // Not trusted (the default): a client rotating the header still hits the limit.
    let app = app().await;
    for i in 0..30 {
        let xff = format!("198.51.100.{i}");
        app.send(bad_login(&format!("a{i}@nova-rdv.test"), Some(&xff)))
            .await
            .err(401, "INVALID_CREDENTIALS");
    }
    app.send(bad_login(PATIENT, Some("198.51.100.200")))
        .await
        .err(429, "RATE_LIMITED");

    // Trusted: the last entry, the one the proxy appended, is the client.
    let app = app_with(|c| c.trust_proxy = true).await;
    for i in 0..30 {
        app.send(bad_login(
            &format!("b{i}@nova-rdv.test"),
            Some("203.0.113.7"),
        ))
        .await
        .err(401, "INVALID_CREDENTIALS");
    }
    app.send(bad_login(PATIENT, Some("203.0.113.7")))
        .await
        .err(429, "RATE_LIMITED");
    // What the client wrote before the proxy's entry changes nothing.
    app.send(bad_login(PATIENT, Some("203.0.113.8, 203.0.113.7")))
        .await
        .err(429, "RATE_LIMITED");
    app.send(bad_login(PATIENT, Some("203.0.113.8")))
        .await
        .err(401, "INVALID_CREDENTIALS");
}
