//! The bar across the top: the practice, links to the person's home and messages, whether the
//! screen is live, the notification bell.

use leptos::prelude::*;

use crate::api::use_api;
use crate::on_demand::{self, OnDemand};
use crate::pages::home_path;
use crate::pages::messages::use_conversations;
use crate::router::Link;
use crate::state::auth::use_auth;
use crate::state::notifications::use_notifications;
use crate::state::prefs::use_prefs;
use crate::state::realtime::{use_realtime, Connection};

/// Brand, cabinet, live indicator, bell, language switch and sign-out.
#[component]
pub fn TopBar() -> impl IntoView {
    let auth = use_auth();
    let api = StoredValue::new_local(use_api());
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
            {move || {
                auth.user()
                    .filter(|u| u.role != nova_contract::Role::Manager)
                    .map(|u| {
                        view! {
                            <nav class="top-nav" aria-label="Nova RDV">
                                <Link href=home_path(u.role)>{prefs.tr(|t| t.agenda_nav)}</Link>
                                <MessagesLink />
                            </nav>
                        }
                    })
            }}
            <div class="top-actions">
                {move || {
                    auth.user()
                        .map(|u| {
                            view! {
                                <span class=move || status().0 role="status" data-testid="connection">
                                    {move || status().1}
                                </span>
                                <Bell />
                                <span class="who">{format!("{} {}", u.first_name, u.last_name)}</span>
                            }
                        })
                }}
                <button class="link" on:click=move |_| prefs.toggle_language()>
                    {prefs.tr(|t| t.language_switch)}
                </button>
                <Show when=move || auth.user().is_some()>
                    <button class="secondary" on:click=move |_| auth.log_out(&api.get_value())>
                        {prefs.tr(|t| t.sign_out)}
                    </button>
                </Show>
            </div>
        </header>
    }
}

/// The link to Messages, with the number of unread messages as a badge, kept live by the
/// socket like the conversation list it shares its query with.
#[component]
fn MessagesLink() -> impl IntoView {
    let prefs = use_prefs();
    let list = use_conversations();
    let unread = move || {
        list.data.with(|l| {
            l.as_ref()
                .map_or(0, |l| l.iter().map(|c| c.unread_count).sum::<u64>())
        })
    };
    view! {
        <Link href="/messages">
            {prefs.tr(|t| t.nav_messages)}
            {move || {
                let n = unread();
                (n > 0)
                    .then(|| {
                        view! {
                            <span class="unread-count" data-testid="messages-unread">
                                {n}
                                <span class="visually-hidden">" "{prefs.t().unread_messages}</span>
                            </span>
                        }
                    })
            }}
        </Link>
    }
}

/// The bell: unread count as a badge; opens the notification centre.
#[component]
fn Bell() -> impl IntoView {
    let notices = use_notifications();
    let prefs = use_prefs();
    let open = RwSignal::new(false);
    // Escape closes the panel first; the toast stack only gets an Escape nobody handled.
    // (This listener is registered before the toast stack's, so it runs first.)
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" && open.get_untracked() {
            ev.prevent_default();
            open.set(false);
        }
    });
    on_cleanup(move || handle.remove());
    let label = move || {
        let t = prefs.t();
        format!("{} ({} {})", t.notifications, notices.unread(), t.unread)
    };
    view! {
        <div class="bell-wrap">
            <button
                class="bell"
                aria-label=label
                aria-expanded=move || open.get().to_string()
                aria-controls="notification-panel"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                    <path
                        fill="currentColor"
                        d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
                    />
                </svg>
                {move || {
                    let n = notices.unread();
                    (n > 0).then(|| view! { <span class="bell-count" data-testid="unread-count">{n}</span> })
                }}
            </button>
            <Show when=move || open.get()>
                <OnDemand load=on_demand::notification_panel fallback_class="notification-panel" />
            </Show>
        </div>
    }
}
