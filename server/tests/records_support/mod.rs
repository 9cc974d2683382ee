//! Helpers for the patient-record, analytics, GDPR and calendar tests: requests with bodies
//! and other verbs, raw (non-JSON) answers, and direct SQL on the test database for states the
//! API cannot reach yet (a visit completed or missed, an appointment moved into the past).
//!
//! Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use chrono::{DateTime, Utc};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::common::{request, rfc3339, Reply, TestApp};

pub async fn put_json(app: &TestApp, uri: &str, token: Option<&str>, body: &Value) -> Reply {
    app.send(request(Method::PUT, uri, token, Some(body.to_string())))
        .await
}

pub async fn delete(app: &TestApp, uri: &str, token: Option<&str>) -> Reply {
    app.send(request(Method::DELETE, uri, token, None)).await
}

/// An answer read as text, with its headers.
#[derive(Debug)]
pub struct Raw {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl Raw {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }
}

pub async fn raw(app: &TestApp, method: Method, uri: &str, token: Option<&str>) -> Raw {
    let req: Request<Body> = request(method, uri, token, None);
    let response = app
        .router
        .clone()
        .oneshot(req)
        .await
        .expect("the router answers");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body reads")
        .to_bytes();
    Raw {
        status,
        headers,
        text: String::from_utf8(bytes.to_vec()).expect("a UTF-8 body"),
    }
}

/// A value bound to a direct SQL statement.
pub enum Bind {
    Text(String),
    Int(i64),
}

pub fn text(s: &str) -> Bind {
    Bind::Text(s.to_string())
}

/// Runs one statement on the test database over its own connection (the store's pool is not
/// public) and returns the rows it changed. `$1, $2…` placeholders, as the store uses.
pub async fn sql(app: &TestApp, statement: &str, binds: Vec<Bind>) -> u64 {
    use sqlx::Connection;
    let mut conn = sqlx::AnyConnection::connect(&app.ctx.config.database_url)
        .await
        .expect("a direct connection to the test database");
    let mut q = sqlx::query(sqlx::AssertSqlSafe(statement.to_string()));
    for b in binds {
        q = match b {
            Bind::Text(s) => q.bind(s),
            Bind::Int(i) => q.bind(i),
        };
    }
    let done = q.execute(&mut conn).await.expect("the statement runs");
    conn.close().await.ok();
    done.rows_affected()
}

/// `SELECT CAST(COUNT(*) AS BIGINT) FROM …` with one text bind.
pub async fn count(app: &TestApp, from_where: &str, value: &str) -> i64 {
    use sqlx::Connection;
    let mut conn = sqlx::AnyConnection::connect(&app.ctx.config.database_url)
        .await
        .expect("a direct connection to the test database");
    let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM {from_where}"
    )))
    .bind(value.to_string())
    .fetch_one(&mut conn)
    .await
    .expect("the count runs");
    conn.close().await.ok();
    n
}

/// Sets an appointment's status directly (as the visit's outcome would).
pub async fn set_status(app: &TestApp, appointment_id: &str, status: &str) {
    let n = sql(
        app,
        "UPDATE appointments SET status = $1 WHERE id = $2",
        vec![text(status), text(appointment_id)],
    )
    .await;
    assert_eq!(n, 1, "appointment {appointment_id} exists");
}

/// Moves an appointment to `start`, keeping its duration.
pub async fn move_to(app: &TestApp, appointment_id: &str, start: DateTime<Utc>) {
    let n = sql(
        app,
        "UPDATE appointments SET starts_at = $1, ends_at = $1 + duration * 60 WHERE id = $2",
        vec![Bind::Int(start.timestamp()), text(appointment_id)],
    )
    .await;
    assert_eq!(n, 1, "appointment {appointment_id} exists");
}

/// A staff booking for a known patient; returns the appointment.
pub async fn book_for(
    app: &TestApp,
    staff_token: &str,
    practitioner_id: &str,
    patient_id: &str,
    start: DateTime<Utc>,
    duration: u32,
    kind: &str,
) -> Value {
    let body = json!({
        "practitionerId": practitioner_id,
        "patientId": patient_id,
        "type": kind,
        "startTime": rfc3339(start),
        "duration": duration,
    });
    app.post("/api/appointments", Some(staff_token), &body)
        .await
        .ok(201)
        .clone()
}

/// A patient's own booking (pending); returns the appointment.
pub async fn book_as_patient(
    app: &TestApp,
    patient_token: &str,
    practitioner_id: &str,
    start: DateTime<Utc>,
    duration: u32,
    notes: Option<&str>,
) -> Value {
    let mut body = json!({
        "practitionerId": practitioner_id,
        "type": "consultation",
        "startTime": rfc3339(start),
        "duration": duration,
    });
    if let Some(n) = notes {
        body["notes"] = json!(n);
    }
    app.post("/api/appointments", Some(patient_token), &body)
        .await
        .ok(201)
        .clone()
}

pub fn items(reply: &Reply) -> Vec<Value> {
    reply.ok(200)["items"]
        .as_array()
        .expect("a page of items")
        .clone()
}

pub fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_else(|| panic!("{key} in {v}"))
}

/// The id of a patient of the caller's cabinet found by email, through the patient list.
pub async fn patient_id(app: &TestApp, staff_token: &str, email: &str) -> String {
    let reply = app
        .get(&format!("/api/patients?search={email}"), Some(staff_token))
        .await;
    items(&reply)
        .iter()
        .find(|p| p["email"] == email)
        .map(|p| str_of(p, "id").to_string())
        .unwrap_or_else(|| panic!("no patient {email} in {reply:?}"))
}
