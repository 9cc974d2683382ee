//! The bar across the top: the practice, the signed-in person, whether the screen is live.

use leptos::prelude::*;

use crate::state::auth::use_auth;
use crate::state::prefs::use_prefs;
use crate::state::realtime::{use_realtime, Connection};

/// Brand, cabinet, live indicator, language switch and sign-out.
#[component]
pub fn TopBar() -> impl IntoView {
    let auth = use_auth();
    let prefs = use_prefs();
    let rt = use_realtime();
    let status = move || {
        let t = prefs.t();
        match rt.connection.get() {
            Connection::Live => ("pill pill-live", t.live),
            Connection::Connecting | Connection::Reconnecting { .. } => {
                ("pill pill-wait", t.reconnecting)
            }
            Connection::Offline => ("pill pill-off", t.offline),
        }
    };
    view! {
        <header class="top-bar">
            <div class="brand">
                <img src="/favicon.svg" alt="" width="28" height="28" />
                <span class="brand-name">"Nova RDV"</span>
                {move || auth.user().map(|u| view! { <span class="cabinet">{u.cabinet_name}</span> })}
            </div>
            <div class="top-actions">
                {move || {
                    auth.user()
                        .map(|u| {
                            view! {
                                <span class=move || status().0 role="status" data-testid="connection">
                                    {move || status().1}
                                </span>
                                <span class="who">{format!("{} {}", u.first_name, u.last_name)}</span>
                            }
                        })
                }}
                <button class="link" on:click=move |_| prefs.toggle_language()>
                    {move || prefs.t().language_switch}
                </button>
                <Show when=move || auth.user().is_some()>
                    <button class="secondary" on:click=move |_| auth.sign_out()>
                        {move || prefs.t().sign_out}
                    </button>
                </Show>
            </div>
        </header>
    }
}
