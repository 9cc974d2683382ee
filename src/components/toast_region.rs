//! The toast stack, announced to screen readers: critical toasts in an assertive live region,
//! the rest in a polite one. Escape dismisses the newest; every button is reachable by Tab.

use leptos::prelude::*;
use nova_contract::NoticeKind;

use crate::state::prefs::use_prefs;
use crate::state::toasts::{use_toasts, Priority, Toast, Toasts};

/// Notifications sliding in at the bottom right: what just happened, live.
#[component]
pub fn ToastRegion() -> impl IntoView {
    let toasts = use_toasts();
    let prefs = use_prefs();
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" && !ev.default_prevented() && toasts.dismiss_newest() {
            ev.prevent_default();
        }
    });
    on_cleanup(move || handle.remove());
    let region = move |critical: bool| {
        view! {
            <For
                each=move || toasts.ids(|t| (t.priority == Priority::Critical) == critical)
                key=|id| *id
                children=move |id| toasts.find(id).map(|t| view! { <ToastCard toast=t toasts=toasts /> })
            />
        }
    };
    view! {
        <div class="toasts" aria-label=prefs.tr(|t| t.notifications) role="region">
            <div aria-live="assertive" class="toast-list">{region(true)}</div>
            <div aria-live="polite" class="toast-list">{region(false)}</div>
        </div>
    }
}

/// One toast: title, details, its actions and a close button.
#[component]
fn ToastCard(toast: Toast, toasts: Toasts) -> impl IntoView {
    let prefs = use_prefs();
    let id = toast.id;
    let class = match toast.kind {
        NoticeKind::Success => "toast toast-success",
        NoticeKind::Info => "toast toast-info",
        NoticeKind::Warning => "toast toast-warning",
        NoticeKind::Error => "toast toast-error",
    };
    // `alert` is assertive by itself: only critical toasts may interrupt.
    let role = if toast.sticky() { "alert" } else { "status" };
    let actions = toast
        .actions
        .into_iter()
        .map(|a| {
            let class = if a.primary {
                "primary small"
            } else {
                "secondary small"
            };
            let label = a.label.clone();
            view! { <button class=class on:click=move |_| toasts.act(id, &a)>{label}</button> }
        })
        .collect_view();
    view! {
        <div
            class=class
            role=role
            data-priority=toast.priority.as_str()
            on:mouseenter=move |_| toasts.hold(id, true)
            on:mouseleave=move |_| toasts.hold(id, false)
            on:focusin=move |_| toasts.hold(id, true)
            on:focusout=move |_| toasts.hold(id, false)
        >
            <div class="toast-text">
                <strong>{toast.title}</strong>
                {toast.body.map(|b| view! { <span>{b}</span> })}
                <div class="toast-actions">{actions}</div>
            </div>
            <button class="toast-close" aria-label=prefs.tr(|t| t.dismiss) on:click=move |_| toasts.dismiss(id)>
                "×"
            </button>
        </div>
    }
}
