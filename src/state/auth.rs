//! Who is signed in. The session survives a reload (localStorage), follows other tabs (a
//! refresh or sign-out there applies here), and ends when the server refuses to refresh it.
//!
//! The API client reads and rotates the tokens through [`SessionStore`]; this file is the only
//! place that knows they live in a signal and in storage.

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use nova_contract::{AuthSession, AuthUser};

use crate::api::client::{Credentials, RetryPolicy, SessionStore};
use crate::api::http::FetchTransport;
use crate::api::json;
use crate::api::query::QueryClient;
use crate::api::session::FlatSession;
use crate::api::{endpoints, provide_api, ApiClient};

const STORAGE_KEY: &str = "nova_auth";

#[derive(Clone, Copy)]
pub struct Auth {
    session: RwSignal<Option<AuthSession>>,
    /// The person alone: a token refresh changes the session every few minutes, and screens
    /// must not re-render (and lose what was typed) for that.
    user: Memo<Option<AuthUser>>,
}

impl Auth {
    pub fn user(&self) -> Option<AuthUser> {
        self.user.get()
    }

    pub fn user_id(&self) -> Option<String> {
        self.user.with(|u| u.as_ref().map(|u| u.id.clone()))
    }

    pub fn sign_in(&self, session: AuthSession) {
        if let Err(e) = LocalStorage::set(STORAGE_KEY, FlatSession::from(&session)) {
            leptos::logging::warn!("session not persisted: {e}");
        }
        self.session.set(Some(session));
    }

    /// Forgets the session here (and, through storage, in other tabs).
    pub fn sign_out(&self) {
        LocalStorage::delete(STORAGE_KEY);
        self.session.set(None);
    }

    /// Revokes the session on the server, then signs out here whatever the answer.
    pub fn log_out(&self, api: &ApiClient) {
        let Some(refresh) = self
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.tokens.refresh_token.clone()))
        else {
            return;
        };
        let (this, api) = (*self, api.clone());
        leptos::task::spawn_local(async move {
            let _ = endpoints::logout(&api, &refresh).await;
            this.sign_out();
        });
    }

    /// A session restored from storage may have expired or its account changed: ask the
    /// server once and keep the fresh profile. A refused session is cleared by the client.
    fn revalidate(self, api: ApiClient) {
        if self.session.with_untracked(Option::is_none) {
            return;
        }
        leptos::task::spawn_local(async move {
            if let Ok(user) = endpoints::me(&api).await {
                self.session.update(|s| {
                    if let Some(s) = s.as_mut().filter(|s| s.user.id == user.id) {
                        s.user = user;
                    }
                });
            }
        });
    }
}

/// The client's view of the session: read without subscribing (requests are not reactive).
struct AuthStore(Auth);

impl SessionStore for AuthStore {
    fn credentials(&self) -> Option<Credentials> {
        self.0.session.with_untracked(|s| {
            s.as_ref().map(|s| Credentials {
                token: s.tokens.access_token.clone(),
                refresh_token: s.tokens.refresh_token.clone(),
                tenant: s.user.cabinet_id.clone(),
            })
        })
    }

    fn replace(&self, session: AuthSession) {
        self.0.sign_in(session);
    }

    fn clear(&self) {
        self.0.sign_out();
    }
}

/// Provides the session and the API client that uses it.
pub fn provide_auth() -> (Auth, ApiClient) {
    let stored = stored_session();
    let session = RwSignal::new(stored);
    let auth = Auth {
        session,
        user: Memo::new(move |_| session.with(|s| s.as_ref().map(|s| s.user.clone()))),
    };
    provide_context(auth);
    let api = ApiClient::new(FetchTransport, AuthStore(auth), RetryPolicy::default());
    provide_api(api.clone());
    // Another tab rotated the tokens or signed out: adopt its session, or a refresh here
    // would reuse a spent refresh token and revoke both.
    let _ = window_event_listener_untyped("storage", move |ev| {
        use wasm_bindgen::JsCast;
        let key = ev.dyn_ref::<web_sys::StorageEvent>().and_then(|e| e.key());
        if key.as_deref().is_none_or(|k| k == STORAGE_KEY) {
            auth.session.set(stored_session());
        }
    });
    auth.revalidate(api.clone());
    (auth, api)
}

/// Empties the query cache whenever the signed-in person changes, so nobody sees the last
/// person's appointments.
pub fn clear_cache_on_user_change(auth: Auth, queries: QueryClient) {
    Effect::new(move |prev: Option<Option<String>>| {
        let id = auth.user_id();
        if prev.is_some_and(|p| p != id) {
            queries.clear();
        }
        id
    });
}

/// The session this browser keeps (same JSON as the login answer).
fn stored_session() -> Option<AuthSession> {
    json::stored::<FlatSession>(STORAGE_KEY).map(AuthSession::from)
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}
