//! The strip under the top bar that says the app is offline and what waits to be sent.

use leptos::prelude::*;

use crate::state::network::use_network;
use crate::state::outbox::use_outbox;
use crate::state::prefs::use_prefs;

/// "You are offline", then the changes waiting to go out, each as the person described it.
#[component]
pub fn OfflineBanner() -> impl IntoView {
    let network = use_network();
    let outbox = use_outbox();
    let prefs = use_prefs();
    move || {
        let online = network.online.get();
        let pending = outbox.pending();
        if online && pending.is_empty() {
            return None;
        }
        let t = prefs.t();
        let count = match pending.len() {
            0 => None,
            1 => Some(t.pending_one.to_owned()),
            n => Some(format!("{n} {}", t.pending_many)),
        };
        let sending = online && outbox.replaying();
        Some(view! {
            <div class="banner" class:banner-offline=!online role="status" data-testid="offline-banner">
                {(!online).then(|| view! { <strong>{t.offline_banner}</strong> })}
                {count.map(|c| view! { <span class="banner-count">{c} {sending.then_some(" · ")} {sending.then_some(t.sending)}</span> })}
                {(!pending.is_empty()).then(|| view! {
                    <ul class="banner-list">
                        {pending.into_iter().map(|p| view! { <li>{p.label}</li> }).collect_view()}
                    </ul>
                })}
            </div>
        })
    }
}
