//! The notification centre's panel: history newest first, unread ones marked, mark-read.

use leptos::prelude::*;

use crate::format;
use crate::state::notifications::use_notifications;
use crate::state::prefs::use_prefs;

/// The list that drops down from the bell (which closes it, also on Escape).
#[component]
pub fn NotificationPanel() -> impl IntoView {
    let notices = use_notifications();
    let prefs = use_prefs();
    view! {
        <section id="notification-panel" class="notification-panel" aria-label=prefs.tr(|t| t.notifications)>
            <header class="panel-head">
                <h2>{prefs.tr(|t| t.notifications)}</h2>
                <button
                    class="link"
                    disabled=move || notices.unread() == 0
                    on:click=move |_| notices.mark_all_read()
                >
                    {prefs.tr(|t| t.mark_all_read)}
                </button>
            </header>
            {move || {
                let t = prefs.t();
                let items = notices.items();
                if items.is_empty() {
                    return view! { <p class="empty">{t.no_notifications}</p> }.into_any();
                }
                view! {
                    <ul class="notices">
                        {items
                            .into_iter()
                            .map(|n| {
                                let id = n.id.clone();
                                let kind = n.kind_str();
                                view! {
                                    <li class="notice" class:unread=!n.read data-kind=kind>
                                        <button class="notice-body" on:click=move |_| notices.mark_read(&id)>
                                            <strong>{n.title}</strong>
                                            {n.body.map(|b| view! { <span>{b}</span> })}
                                            <time>{format::when(t, n.at)}</time>
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}
