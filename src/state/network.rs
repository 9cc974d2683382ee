//! Whether the browser is online and whether the page is in view, from three window events —
//! `online`/`offline`, `visibilitychange` and `focus` — and what the query cache does about
//! them: refresh what is stale when the page comes back, or when the network does.
//!
//! Three listeners are a few lines; `leptos-use` would bring them with much else.

use leptos::prelude::*;

use crate::api::query::QueryClient;

#[derive(Clone, Copy)]
pub struct Network {
    /// `navigator.onLine`: false means certainly offline; true means probably online.
    pub online: RwSignal<bool>,
}

pub fn provide_network(queries: QueryClient) -> Network {
    let online = RwSignal::new(window().navigator().on_line());
    let network = Network { online };
    provide_context(network);

    let q = queries.clone();
    let _ = window_event_listener_untyped("online", move |_| {
        online.set(true);
        q.on_reconnect();
    });
    let _ = window_event_listener_untyped("offline", move |_| online.set(false));
    // `visibilitychange` fires on the document and bubbles to the window.
    let q = queries.clone();
    let _ = window_event_listener_untyped("visibilitychange", move |_| {
        if !document().hidden() {
            q.on_focus();
        }
    });
    let _ = window_event_listener_untyped("focus", move |_| queries.on_focus());
    network
}

pub fn use_network() -> Network {
    expect_context::<Network>()
}
