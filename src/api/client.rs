//! The API client: every REST call goes through [`ApiClient::execute`], which adds the bearer
//! token and tenant, refreshes an expired session once for everyone, retries what is safe to
//! repeat, and turns every failure into the contract's `ErrorDetails`.
//!
//! The client owns no session: it reads and writes one through [`SessionStore`], which the app
//! implements on its reactive auth state and tests implement on a `RefCell`. Likewise the wire is
//! a [`Transport`], so tests script the server's answers.

use std::cell::RefCell;
use std::rc::Rc;

use futures_channel::oneshot;
use nova_contract::{AuthSession, ErrorCode, ErrorDetails};
use serde::de::DeserializeOwned;
use serde::Serialize;
use web_sys::AbortSignal;

use super::backoff::Backoff;
use super::http::{
    aborted_error, decode, decode_error, network_error, ApiResult, HttpRequest, HttpResponse,
    Method, Transport, TransportError,
};
use super::session::FlatSession;

/// What a signed-in request is sent with.
#[derive(Debug, Clone, PartialEq)]
pub struct Credentials {
    pub token: String,
    pub refresh_token: String,
    pub tenant: String,
}

/// Where the session lives. Implementations must be cheap: `credentials` runs for every
/// request.
pub trait SessionStore {
    fn credentials(&self) -> Option<Credentials>;
    /// A refresh succeeded: keep the new tokens (and the fresh profile that comes with them).
    fn replace(&self, session: AuthSession);
    /// The session is over (refresh refused): forget it, which sends the user to login.
    fn clear(&self);
}

/// How often and how patiently to repeat a request that failed for a passing reason.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Repeats after the first attempt.
    pub retries: u32,
    pub backoff: Backoff,
}

impl Default for RetryPolicy {
    /// Three repeats over about two seconds: long enough for a server restart behind a proxy,
    /// short enough that a person is not left staring at a spinner.
    fn default() -> Self {
        Self {
            retries: 3,
            backoff: Backoff {
                base_ms: 250,
                factor: 2.0,
                cap_ms: 4_000,
                jitter: 0.5,
            },
        }
    }
}

/// Whether an attempt that failed this way may be sent again. Only requests that cannot do a
/// thing twice qualify: reads, and writes the server deduplicates by `Idempotency-Key`. A 4xx
/// is an answer, not an accident, and is never repeated.
pub fn may_retry(method: Method, has_idempotency_key: bool, status: Option<u16>) -> bool {
    let transient = match status {
        None => true,
        Some(s) => s >= 500,
    };
    transient && (method == Method::Get || has_idempotency_key)
}

/// Whether a 401 body says the access token is no longer good (as opposed to, say, a wrong
/// password on the login form).
fn session_expired(status: u16, body: &str) -> bool {
    status == 401
        && matches!(
            decode_error(status, body).code,
            ErrorCode::TokenExpired | ErrorCode::Unauthorized
        )
}

/// One call to the API.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: Method,
    pub path: String,
    /// JSON text.
    pub body: Option<String>,
    /// Sent as `Idempotency-Key`; makes a write safe to retry and to replay from the offline
    /// queue.
    pub idempotency_key: Option<String>,
    pub signal: Option<AbortSignal>,
    /// Send the bearer token (and refresh it on expiry). Off for login and refresh themselves.
    pub authenticated: bool,
}

impl Call {
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            body: None,
            idempotency_key: None,
            signal: None,
            authenticated: true,
        }
    }

    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        // Serializing the contract's plain structs cannot fail.
        self.body = serde_json::to_string(body).ok();
        self
    }

    pub fn idempotency_key(mut self, key: Option<String>) -> Self {
        self.idempotency_key = key;
        self
    }

    pub fn signal(mut self, signal: Option<AbortSignal>) -> Self {
        self.signal = signal;
        self
    }

    pub fn anonymous(mut self) -> Self {
        self.authenticated = false;
        self
    }
}

/// A cheap, clonable handle; all clones share one refresh.
#[derive(Clone)]
pub struct ApiClient {
    inner: Rc<Inner>,
}

struct Inner {
    transport: Box<dyn Transport>,
    session: Box<dyn SessionStore>,
    retry: RetryPolicy,
    /// `Some` while a refresh is under way: the requests waiting for its outcome.
    refreshing: RefCell<Option<Vec<oneshot::Sender<ApiResult<()>>>>>,
}

impl ApiClient {
    pub fn new(
        transport: impl Transport + 'static,
        session: impl SessionStore + 'static,
        retry: RetryPolicy,
    ) -> Self {
        Self {
            inner: Rc::new(Inner {
                transport: Box::new(transport),
                session: Box::new(session),
                retry,
                refreshing: RefCell::new(None),
            }),
        }
    }

    // Read by the socket (browser only) for its CONNECT token.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    pub fn credentials(&self) -> Option<Credentials> {
        self.inner.session.credentials()
    }

    /// Sends the call and decodes the `data` of a successful answer.
    pub async fn fetch<T: DeserializeOwned>(&self, call: Call) -> ApiResult<T> {
        let r = self.execute(call).await?;
        decode(r.status, &r.body)
    }

    /// Sends the call; `Ok` only for a 2xx answer. Not generic, so it is compiled once.
    pub async fn execute(&self, call: Call) -> ApiResult<HttpResponse> {
        let retry_allowed = |status| may_retry(call.method, call.idempotency_key.is_some(), status);
        let mut retries = 0;
        let mut refreshed = false;
        loop {
            let creds = if call.authenticated {
                self.inner.session.credentials()
            } else {
                None
            };
            let request = self.request(&call, creds.as_ref());
            match self
                .inner
                .transport
                .send(request, call.signal.clone())
                .await
            {
                Err(TransportError::Aborted) => return Err(aborted_error()),
                Err(TransportError::Network(message)) => {
                    if retries >= self.inner.retry.retries || !retry_allowed(None) {
                        return Err(network_error(message));
                    }
                }
                Ok(r) if (200..300).contains(&r.status) => return Ok(r),
                Ok(r) => {
                    if let Some(creds) = creds.as_ref().filter(|_| !refreshed) {
                        if session_expired(r.status, &r.body) {
                            refreshed = true;
                            self.refresh_after(&creds.token).await?;
                            continue;
                        }
                    }
                    if retries >= self.inner.retry.retries || !retry_allowed(Some(r.status)) {
                        return Err(decode_error(r.status, &r.body));
                    }
                }
            }
            let delay = self
                .inner
                .retry
                .backoff
                .delay_ms(retries, js_sys::Math::random());
            retries += 1;
            sleep(delay).await;
            if call.signal.as_ref().is_some_and(|s| s.aborted()) {
                return Err(aborted_error());
            }
        }
    }

    fn request(&self, call: &Call, creds: Option<&Credentials>) -> HttpRequest {
        let mut headers = vec![("Accept", "application/json".to_owned())];
        if let Some(c) = creds {
            headers.push(("Authorization", format!("Bearer {}", c.token)));
            headers.push(("X-Tenant-ID", c.tenant.clone()));
        }
        if let Some(key) = &call.idempotency_key {
            headers.push(("Idempotency-Key", key.clone()));
        }
        HttpRequest {
            method: call.method,
            path: call.path.clone(),
            headers,
            body: call.body.clone(),
        }
    }

    /// Makes sure the access token that was just refused (`used`) is replaced, with at most one
    /// refresh request in flight: whoever comes second waits for the first one's outcome.
    async fn refresh_after(&self, used: &str) -> ApiResult<()> {
        match self.inner.session.credentials() {
            // Someone (another request, another tab) already refreshed: just retry.
            Some(c) if c.token != used => return Ok(()),
            Some(_) => {}
            None => return Err(expired()),
        }
        let waiting = self.inner.refreshing.borrow_mut().as_mut().map(|waiters| {
            let (tx, rx) = oneshot::channel();
            waiters.push(tx);
            rx
        });
        if let Some(rx) = waiting {
            return rx.await.unwrap_or_else(|_| Err(expired()));
        }
        *self.inner.refreshing.borrow_mut() = Some(Vec::new());
        let outcome = self.refresh().await;
        let waiters = self
            .inner
            .refreshing
            .borrow_mut()
            .take()
            .unwrap_or_default();
        for w in waiters {
            let _ = w.send(outcome.clone());
        }
        outcome
    }

    /// `POST /api/auth/refresh`. Never retried: the server rotates refresh tokens, and sending
    /// one twice reads as theft and revokes the session. A network failure leaves the session
    /// in place (the next request tries again); a refusal ends it.
    async fn refresh(&self) -> ApiResult<()> {
        let Some(creds) = self.inner.session.credentials() else {
            return Err(expired());
        };
        let call = Call::new(Method::Post, super::endpoints::REFRESH_PATH)
            .json(&nova_contract::RefreshRequest {
                refresh_token: creds.refresh_token.clone(),
            })
            .anonymous();
        let request = self.request(&call, None);
        match self.inner.transport.send(request, None).await {
            Err(TransportError::Network(m)) => Err(network_error(m)),
            Err(TransportError::Aborted) => Err(aborted_error()),
            Ok(r) if (200..300).contains(&r.status) => {
                match decode::<FlatSession>(r.status, &r.body) {
                    Ok(session) => {
                        self.inner.session.replace(session.into());
                        Ok(())
                    }
                    Err(e) => {
                        self.inner.session.clear();
                        Err(e)
                    }
                }
            }
            Ok(r) if r.status >= 500 => Err(decode_error(r.status, &r.body)),
            Ok(_) => {
                self.inner.session.clear();
                Err(expired())
            }
        }
    }
}

fn expired() -> ErrorDetails {
    ErrorDetails {
        code: ErrorCode::TokenExpired,
        message: "session expired".to_owned(),
        status: Some(401),
        field: None,
        retryable: Some(false),
    }
}

async fn sleep(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_retry_on_network_errors_and_5xx_only() {
        assert!(may_retry(Method::Get, false, None));
        assert!(may_retry(Method::Get, false, Some(503)));
        assert!(!may_retry(Method::Get, false, Some(404)));
        assert!(!may_retry(Method::Get, false, Some(429)));
    }

    #[test]
    fn writes_retry_only_with_an_idempotency_key() {
        assert!(!may_retry(Method::Post, false, None));
        assert!(!may_retry(Method::Put, false, Some(500)));
        assert!(may_retry(Method::Post, true, None));
        assert!(may_retry(Method::Post, true, Some(502)));
        assert!(!may_retry(Method::Post, true, Some(409)));
    }

    #[test]
    fn only_token_errors_count_as_an_expired_session() {
        let body =
            |code| format!(r#"{{"success":false,"error":{{"code":"{code}","message":"m"}}}}"#);
        assert!(session_expired(401, &body("TOKEN_EXPIRED")));
        assert!(session_expired(401, &body("UNAUTHORIZED")));
        assert!(session_expired(401, ""));
        assert!(!session_expired(401, &body("INVALID_CREDENTIALS")));
        assert!(!session_expired(403, &body("FORBIDDEN")));
    }
}
