//! Test doubles for the data layer: a scripted server behind the [`Transport`] seam and a
//! session kept in memory. The real `fetch` transport is exercised end to end by Playwright.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;
use nova_contract::AuthSession;
use web_sys::AbortSignal;

use super::backoff::Backoff;
use super::client::{ApiClient, Credentials, RetryPolicy, SessionStore};
use super::http::{HttpRequest, HttpResponse, LocalBoxFuture, Transport, TransportError};

/// What the scripted server does with one request.
pub enum Reply {
    Json(u16, String),
    Network,
    /// Answers after a delay (ms), so concurrent requests overlap.
    After(u32, Box<Reply>),
}

pub fn ok(data: &str) -> Reply {
    Reply::Json(200, format!(r#"{{"success":true,"data":{data}}}"#))
}

pub fn fail(status: u16, code: &str) -> Reply {
    Reply::Json(
        status,
        format!(r#"{{"success":false,"error":{{"code":"{code}","message":"m"}}}}"#),
    )
}

type Script = dyn Fn(&HttpRequest) -> Reply;

/// A server whose answers come from a closure; every request is recorded.
#[derive(Clone)]
pub struct Stub {
    script: Rc<Script>,
    pub log: Rc<RefCell<Vec<HttpRequest>>>,
}

impl Stub {
    pub fn new(script: impl Fn(&HttpRequest) -> Reply + 'static) -> Self {
        Self {
            script: Rc::new(script),
            log: Rc::default(),
        }
    }

    pub fn paths(&self) -> Vec<String> {
        self.log.borrow().iter().map(|r| r.path.clone()).collect()
    }

    pub fn count(&self, path: &str) -> usize {
        self.log.borrow().iter().filter(|r| r.path == path).count()
    }
}

impl Transport for Stub {
    fn send(
        &self,
        request: HttpRequest,
        signal: Option<AbortSignal>,
    ) -> LocalBoxFuture<Result<HttpResponse, TransportError>> {
        let reply = (self.script)(&request);
        self.log.borrow_mut().push(request);
        Box::pin(async move {
            let mut reply = reply;
            while let Reply::After(ms, next) = reply {
                TimeoutFuture::new(ms).await;
                reply = *next;
            }
            if signal.is_some_and(|s| s.aborted()) {
                return Err(TransportError::Aborted);
            }
            match reply {
                Reply::Json(status, body) => Ok(HttpResponse { status, body }),
                Reply::Network => Err(TransportError::Network("offline".into())),
                Reply::After(..) => unreachable!(),
            }
        })
    }
}

/// A session in memory; counts how often it was replaced or cleared.
#[derive(Clone, Default)]
pub struct MemorySession {
    pub session: Rc<RefCell<Option<AuthSession>>>,
    pub replaced: Rc<Cell<u32>>,
    pub cleared: Rc<Cell<u32>>,
}

impl SessionStore for MemorySession {
    fn credentials(&self) -> Option<Credentials> {
        self.session.borrow().as_ref().map(|s| Credentials {
            token: s.tokens.access_token.clone(),
            refresh_token: s.tokens.refresh_token.clone(),
            tenant: s.user.cabinet_id.clone(),
        })
    }

    fn replace(&self, session: AuthSession) {
        self.replaced.set(self.replaced.get() + 1);
        *self.session.borrow_mut() = Some(session);
    }

    fn clear(&self) {
        self.cleared.set(self.cleared.get() + 1);
        *self.session.borrow_mut() = None;
    }
}

/// The JSON of a session with these tokens.
pub fn session_json(access: &str, refresh: &str) -> String {
    format!(
        r#"{{"id":"u1","email":"p@x","firstName":"Léa","lastName":"Dubois","role":"patient",
        "cabinetId":"c1","cabinetName":"Cabinet","preferences":{{"theme":"auto","language":"fr",
        "notifications":{{"email":true,"push":true,"sms":false}}}},"permissions":[],
        "lastLoginAt":null,"createdAt":"2026-01-01T00:00:00Z","accessToken":"{access}",
        "refreshToken":"{refresh}","expiresIn":900,"tokenType":"Bearer"}}"#
    )
}

pub fn session(access: &str, refresh: &str) -> AuthSession {
    serde_json::from_str(&session_json(access, refresh)).unwrap()
}

/// Retries with millisecond delays, so tests stay fast.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        retries: 3,
        backoff: Backoff {
            base_ms: 1,
            factor: 2.0,
            cap_ms: 8,
            jitter: 0.0,
        },
    }
}

pub fn client(stub: &Stub, session: &MemorySession) -> ApiClient {
    ApiClient::new(stub.clone(), session.clone(), fast_retry())
}

/// Lets spawned tasks and short timers run.
pub async fn settle(ms: u32) {
    TimeoutFuture::new(ms).await;
}
