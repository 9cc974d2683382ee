//! `Idempotency-Key` on POST requests, as a middleware around every route: a client that is not
//! sure its request arrived (timeout, lost connection, double click) sends it again with the
//! same key and gets the first answer back instead of a second appointment.
//!
//! - Keys are per signed-in user (a request without a valid token is passed through untouched)
//!   and remembered 24 hours. 1 to 255 visible ASCII characters, else 422 on `Idempotency-Key`.
//! - The key is claimed in the database first (a row "in progress", unique per user and key),
//!   so of two requests racing with one key only one runs. The other waits for it (polling, a
//!   few seconds at most) and replays its answer; if it is still running after that, 409
//!   `IDEMPOTENCY_KEY_IN_PROGRESS` (retryable).
//! - Same key, same method, path and body: the stored status and body, with the header
//!   `Idempotent-Replayed: true`; nothing runs again. Same key, different request: 422
//!   `IDEMPOTENCY_KEY_REUSED`.
//! - Answers are stored whatever their status, except server failures (5xx) and 429, which
//!   release the key so a retry runs for real. A request abandoned midway releases it too.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use nova_contract::{ErrorCode, IDEMPOTENCY_KEY_HEADER};
use sha2::{Digest, Sha256};
use tokio::time::Instant;

use super::extract::CurrentUser;
use crate::error::{Error, Result};
use crate::state::ApiContext;
use crate::store::idempotency::Claim;
use crate::store::Store;

/// Bodies larger than this are refused when a key is sent (ours are a few hundred bytes).
const MAX_BODY: usize = 1024 * 1024;
/// How long a duplicate waits for the first request to finish.
const WAIT: Duration = Duration::from_secs(5);
const POLL: Duration = Duration::from_millis(20);
/// Expired keys are purged at most this often (seconds).
const PURGE_EVERY: i64 = 3600;

static LAST_PURGE: AtomicI64 = AtomicI64::new(0);

pub async fn guard(State(ctx): State<ApiContext>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let Some(raw) = req.headers().get(IDEMPOTENCY_KEY_HEADER).cloned() else {
        return next.run(req).await;
    };
    let (mut parts, body) = req.into_parts();
    let Ok(caller) = CurrentUser::from_request_parts(&mut parts, &ctx).await else {
        return next.run(Request::from_parts(parts, body)).await;
    };
    let key = match raw.to_str() {
        Ok(k) if valid_key(k) => k.to_string(),
        _ => {
            return Error::validation(IDEMPOTENCY_KEY_HEADER, "1 à 255 caractères ASCII visibles")
                .into_response()
        }
    };
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return Error::new(ErrorCode::MalformedJson, "Corps de requête illisible").into_response();
    };
    let hash = request_hash(
        &parts.method,
        parts.uri.path_and_query().map(|p| p.as_str()),
        &bytes,
    );
    let request = Request::from_parts(parts, Body::from(bytes));
    once(&ctx, &caller.id, &key, &hash, request, next)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

fn valid_key(k: &str) -> bool {
    (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic())
}

/// What identifies "the same request": method, path with query, body.
fn request_hash(method: &Method, path: Option<&str>, body: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(method.as_str().as_bytes());
    h.update(b"\n");
    h.update(path.unwrap_or_default().as_bytes());
    h.update(b"\n");
    h.update(body);
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Runs the request at most once per (user, key).
async fn once(
    ctx: &ApiContext,
    user_id: &str,
    key: &str,
    hash: &str,
    request: Request,
    next: Next,
) -> Result<Response> {
    let now = Utc::now().timestamp();
    purge_now_and_then(&ctx.store, now).await;
    let deadline = Instant::now() + WAIT;
    loop {
        match ctx
            .store
            .claim_idempotency_key(user_id, key, hash, now)
            .await?
        {
            Claim::Claimed => break,
            Claim::Replay { status, body } => return Ok(replay(status, body)),
            Claim::Mismatch => {
                return Err(Error::field(
                    ErrorCode::IdempotencyKeyReused,
                    IDEMPOTENCY_KEY_HEADER,
                    "Cette clé a déjà servi pour une autre requête",
                ))
            }
            Claim::InProgress if Instant::now() >= deadline => {
                return Err(Error::field(
                    ErrorCode::IdempotencyKeyInProgress,
                    IDEMPOTENCY_KEY_HEADER,
                    "Une requête avec cette clé est en cours ; réessayez",
                ))
            }
            Claim::InProgress => tokio::time::sleep(POLL).await,
        }
    }
    let mut claim = Held {
        store: ctx.store.clone(),
        user_id: user_id.to_string(),
        key: key.to_string(),
        armed: true,
    };
    let response = next.run(request).await;
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_else(|_| Bytes::new());
    let status = parts.status.as_u16();
    if status >= 500 || parts.status == StatusCode::TOO_MANY_REQUESTS {
        ctx.store.release_idempotency_key(user_id, key).await?;
    } else if let Err(e) = ctx
        .store
        .finish_idempotency_key(user_id, key, status, &String::from_utf8_lossy(&bytes))
        .await
    {
        // The request did run: answer it. The claim stays "in progress" rather than released,
        // so a retry is refused (409) instead of running twice, until it is deemed abandoned.
        tracing::error!(error = %e, "idempotency key not stored");
    }
    claim.armed = false;
    Ok(Response::from_parts(parts, Body::from(bytes)))
}

fn replay(status: u16, body: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}

async fn purge_now_and_then(store: &Store, now: i64) {
    let last = LAST_PURGE.load(Ordering::Relaxed);
    if now - last < PURGE_EVERY
        || LAST_PURGE
            .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
            .is_err()
    {
        return;
    }
    if let Err(e) = store.purge_idempotency_keys(now).await {
        tracing::warn!(error = %e, "purging idempotency keys failed");
    }
}

/// A claimed key; if the request is abandoned midway (client gone, task cancelled), the claim
/// is released so a retry can run.
struct Held {
    store: Store,
    user_id: String,
    key: String,
    armed: bool,
}

impl Drop for Held {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        let (store, user_id, key) = (self.store.clone(), self.user_id.clone(), self.key.clone());
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                if let Err(e) = store.release_idempotency_key(&user_id, &key).await {
                    tracing::warn!(error = %e, "releasing an idempotency key failed");
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_short_visible_ascii() {
        assert!(valid_key("a"));
        assert!(valid_key("5f0c1f6e-2b8a-4c1e-9d1a-3a3b5c7d9e0f"));
        assert!(!valid_key(""));
        assert!(!valid_key("has space"));
        assert!(!valid_key(&"x".repeat(256)));
        assert!(valid_key(&"x".repeat(255)));
        assert!(!valid_key("clé"));
    }

    #[test]
    fn the_hash_covers_method_path_and_body() {
        let a = request_hash(&Method::POST, Some("/api/appointments"), b"{}");
        assert_eq!(a.len(), 64);
        assert_eq!(
            a,
            request_hash(&Method::POST, Some("/api/appointments"), b"{}")
        );
        assert_ne!(
            a,
            request_hash(&Method::POST, Some("/api/appointments"), b"{ }")
        );
        assert_ne!(a, request_hash(&Method::POST, Some("/api/other"), b"{}"));
        assert_ne!(
            a,
            request_hash(&Method::PUT, Some("/api/appointments"), b"{}")
        );
    }
}
