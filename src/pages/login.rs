//! Sign-in with email and password.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::home_path;
use crate::api::{endpoints, use_api};
use crate::router::use_router;
use crate::state::auth::use_auth;
use crate::state::prefs::use_prefs;

/// The sign-in form; on success the user lands on their role's dashboard.
#[component]
pub fn LoginPage() -> impl IntoView {
    let auth = use_auth();
    let api = StoredValue::new_local(use_api());
    let prefs = use_prefs();
    let router = use_router();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<&'static str>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        let api = api.get_value();
        spawn_local(async move {
            match endpoints::login(&api, &email.get_untracked(), &password.get_untracked()).await {
                Ok(session) => {
                    let path = home_path(session.user.role);
                    auth.sign_in(session);
                    router.navigate(path);
                }
                Err(e) => error.set(Some(prefs.t().error(e.code))),
            }
            pending.set(false);
        });
    };

    view! {
        <main class="login">
            <div class="login-card">
                <img src="/favicon.svg" alt="" width="48" height="48" />
                <h1>"Nova RDV"</h1>
                <p class="tagline">{prefs.tr(|t| t.tagline)}</p>
                <form on:submit=submit>
                    <label>
                        {prefs.tr(|t| t.email)}
                        <input type="email" autocomplete="username" required bind:value=email />
                    </label>
                    <label>
                        {prefs.tr(|t| t.password)}
                        <input type="password" autocomplete="current-password" required bind:value=password />
                    </label>
                    {move || error.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
                    <button type="submit" class="primary wide" disabled=move || pending.get()>
                        {move || if pending.get() { prefs.t().signing_in } else { prefs.t().sign_in }}
                    </button>
                </form>
                <p class="hint">{prefs.tr(|t| t.demo_hint)}</p>
            </div>
        </main>
    }
}
