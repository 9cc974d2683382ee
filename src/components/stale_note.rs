//! A quiet line above data that could not be refreshed: it is still shown, but may be old.

use leptos::prelude::*;

use crate::state::prefs::use_prefs;

/// "What you see may be out of date." with a Retry button.
#[component]
pub fn StaleNote(retry: impl Fn() + 'static) -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <p class="stale-note" role="status">
            {prefs.tr(|t| t.stale_data)}
            <button class="link" on:click=move |_| retry()>{prefs.tr(|t| t.retry)}</button>
        </p>
    }
}
