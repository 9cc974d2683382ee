//! Who is signed in. The session survives a reload (localStorage) and is cleared when the
//! server says it is no longer valid.

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use nova_contract::{AuthSession, AuthUser, ErrorCode, ErrorDetails};

use crate::api::endpoints;
use crate::api::http::Credentials;

const STORAGE_KEY: &str = "nova_auth";

#[derive(Clone, Copy)]
pub struct Auth {
    session: RwSignal<Option<AuthSession>>,
}

impl Auth {
    pub fn user(&self) -> Option<AuthUser> {
        self.session.with(|s| s.as_ref().map(|s| s.user.clone()))
    }

    pub fn credentials(&self) -> Option<Credentials> {
        self.session.with(|s| {
            s.as_ref().map(|s| Credentials {
                token: s.tokens.access_token.clone(),
                tenant: s.user.cabinet_id.clone(),
            })
        })
    }

    pub fn sign_in(&self, session: AuthSession) {
        if let Err(e) = LocalStorage::set(STORAGE_KEY, &session) {
            leptos::logging::warn!("session not persisted: {e}");
        }
        self.session.set(Some(session));
    }

    pub fn sign_out(&self) {
        LocalStorage::delete(STORAGE_KEY);
        self.session.set(None);
    }

    /// Signs out when an API error says the session is over, so the router sends the user to
    /// the login page instead of showing a broken screen.
    pub fn check(&self, error: &ErrorDetails) {
        if matches!(
            error.code,
            ErrorCode::Unauthorized | ErrorCode::TokenExpired
        ) {
            self.sign_out();
        }
    }
}

pub fn provide_auth() -> Auth {
    let stored = LocalStorage::get::<AuthSession>(STORAGE_KEY).ok();
    let auth = Auth {
        session: RwSignal::new(stored),
    };
    provide_context(auth);
    auth.revalidate();
    auth
}

impl Auth {
    /// A session restored from storage may have expired or its account changed: ask the
    /// server once, keep the fresh profile, or sign out.
    fn revalidate(self) {
        let Some(creds) = self.credentials() else {
            return;
        };
        leptos::task::spawn_local(async move {
            match endpoints::me(&creds).await {
                Ok(user) => self.session.update(|s| {
                    if let Some(s) = s.as_mut().filter(|s| s.user.id == user.id) {
                        s.user = user;
                    }
                }),
                Err(e) => self.check(&e),
            }
        });
    }
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}
