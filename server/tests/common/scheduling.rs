//! Helpers for the scheduling, lifecycle and idempotency tests: PUT and DELETE with JSON, POSTs
//! with an `Idempotency-Key` (and the answer's headers), bookings, and moving an appointment
//! into the past (the API refuses to book there, so the test writes the row itself).

use axum::http::{HeaderMap, Method};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

use super::*;

impl TestApp {
    pub async fn put_json(&self, uri: &str, token: Option<&str>, body: &Value) -> Reply {
        self.send(request(Method::PUT, uri, token, Some(body.to_string())))
            .await
    }

    pub async fn delete(&self, uri: &str, token: Option<&str>) -> Reply {
        self.send(request(Method::DELETE, uri, token, None)).await
    }

    /// A POST carrying `Idempotency-Key: key`; the reply and the answer's headers.
    pub async fn post_keyed(
        &self,
        uri: &str,
        token: Option<&str>,
        body: &Value,
        key: &str,
    ) -> (Reply, HeaderMap) {
        send_with_headers(self.router.clone(), keyed(uri, token, body, key)).await
    }

    /// Books and returns the new appointment's id (201 expected).
    pub async fn book(&self, token: &str, body: &Value) -> String {
        let reply = self.post("/api/appointments", Some(token), body).await;
        reply.ok(201)["id"].as_str().expect("an id").to_string()
    }

    /// Staff booking for an existing patient.
    pub async fn book_for(
        &self,
        staff_token: &str,
        patient_id: &str,
        practitioner_id: &str,
        start: DateTime<Utc>,
        duration: u32,
    ) -> String {
        let mut body = booking(practitioner_id, start, duration);
        body["patientId"] = json!(patient_id);
        self.book(staff_token, &body).await
    }

    /// Cancels without a reason (200 expected).
    pub async fn cancel(&self, token: &str, id: &str) {
        self.put_json(
            &format!("/api/appointments/{id}/cancel"),
            Some(token),
            &json!({}),
        )
        .await
        .ok(200);
    }

    /// One appointment as this caller sees it.
    pub async fn appointment(&self, token: &str, id: &str) -> Value {
        self.get(&format!("/api/appointments/{id}"), Some(token))
            .await
            .ok(200)
            .clone()
    }

    /// Whether the practitioner's slot at `start` is offered and free.
    pub async fn is_free(
        &self,
        token: &str,
        practitioner_id: &str,
        start: DateTime<Utc>,
        duration: u32,
    ) -> bool {
        self.slot_at(token, practitioner_id, start, duration)
            .await
            .is_some_and(|s| s.available)
    }

    /// Changes the caller's cabinet settings (admin), expecting success.
    pub async fn set_cabinet(&self, admin_token: &str, body: Value) -> Value {
        self.put_json("/api/cabinets/current", Some(admin_token), &body)
            .await
            .ok(200)
            .clone()
    }

    /// Moves an appointment so that it started `ago` before now (and lasts as long as before):
    /// a visit that is under way or over, which the API cannot create.
    pub async fn backdate(&self, id: &str, ago: Duration) {
        let mut conn =
            <sqlx::AnyConnection as sqlx::Connection>::connect(&self.ctx.config.database_url)
                .await
                .expect("a direct connection to the test database");
        let start = (Utc::now() - ago).timestamp();
        sqlx::query(
            "UPDATE appointments SET starts_at = $1, ends_at = $1 + duration * 60 WHERE id = $2",
        )
        .bind(start)
        .bind(id)
        .execute(&mut conn)
        .await
        .expect("backdate the appointment");
    }
}

pub fn keyed(uri: &str, token: Option<&str>, body: &Value, key: &str) -> Request<axum::body::Body> {
    let mut request = request(Method::POST, uri, token, Some(body.to_string()));
    request
        .headers_mut()
        .insert("idempotency-key", key.parse().expect("a header value"));
    request
}

/// Like `send`, also returning the response headers.
pub async fn send_with_headers(
    router: axum::Router,
    request: Request<axum::body::Body>,
) -> (Reply, HeaderMap) {
    let response = router.oneshot(request).await.expect("the router answers");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body reads")
        .to_bytes();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (Reply { status, body }, headers)
}

/// A weekday beyond the demo week, so its agenda is empty.
pub fn quiet_day() -> NaiveDate {
    weekday_on_or_after(paris_today() + Duration::days(10))
}

/// The `items` of a list reply.
pub fn list_items(reply: &Reply) -> Vec<Value> {
    reply.ok(200)["items"].as_array().expect("items").clone()
}
