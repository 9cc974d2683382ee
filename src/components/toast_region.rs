//! The toast stack, announced to screen readers.

use leptos::prelude::*;
use nova_contract::NoticeKind;

use crate::state::prefs::use_prefs;
use crate::state::toasts::use_toasts;

/// Notifications sliding in at the bottom right: what just happened, live.
#[component]
pub fn ToastRegion() -> impl IntoView {
    let toasts = use_toasts();
    let prefs = use_prefs();
    view! {
        <section class="toasts" aria-live="polite" aria-label=move || prefs.t().notifications>
            {move || {
                toasts
                    .visible()
                    .into_iter()
                    .map(|toast| {
                        let id = toast.id;
                        let class = match toast.kind {
                            NoticeKind::Success => "toast toast-success",
                            NoticeKind::Info => "toast toast-info",
                            NoticeKind::Warning => "toast toast-warning",
                            NoticeKind::Error => "toast toast-error",
                        };
                        let role = if toast.kind == NoticeKind::Error { "alert" } else { "status" };
                        view! {
                            <div class=class role=role>
                                <div class="toast-text">
                                    <strong>{toast.title}</strong>
                                    {toast.body.map(|b| view! { <span>{b}</span> })}
                                </div>
                                <button
                                    class="toast-close"
                                    aria-label=move || prefs.t().dismiss
                                    on:click=move |_| toasts.dismiss(id)
                                >
                                    "×"
                                </button>
                            </div>
                        }
                    })
                    .collect_view()
            }}
        </section>
    }
}
