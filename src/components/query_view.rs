//! The states a screen's data goes through, shown the same way on every screen: loading, failed
//! with a Retry button, and shown, with a note above it when a refresh failed and it may be old.

use leptos::prelude::*;
use nova_contract::ErrorDetails;

use crate::api::query::UseQueryReturn;
use crate::components::stale_note::StaleNote;
use crate::state::prefs::use_prefs;

/// A query's data through `ready`, or "Loading…", or its failure with Retry.
#[component]
pub fn QueryView<T, F, V>(query: UseQueryReturn<T>, ready: F) -> impl IntoView
where
    T: Clone + 'static,
    F: Fn(T) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    // Only this match is compiled once per screen; the views it picks are shared.
    let retry = Callback::new(move |()| query.refetch());
    move || match (query.data.get(), query.error.get()) {
        // Retrying after a failure: say so rather than keep showing the failure.
        (None, Some(e)) if !query.is_loading.get() => failed(e, retry),
        (None, _) => loading(),
        (Some(data), stale) => shown(stale.is_some(), ready(data).into_any(), retry),
    }
}

fn loading() -> AnyView {
    let prefs = use_prefs();
    view! { <p class="muted">{prefs.tr(|t| t.loading)}</p> }.into_any()
}

fn failed(e: ErrorDetails, retry: Callback<()>) -> AnyView {
    let t = use_prefs().t();
    view! {
        <div class="form-error" role="alert">
            {t.error(e.code)}
            <button class="link" on:click=move |_| retry.run(())>{t.retry}</button>
        </div>
    }
    .into_any()
}

fn shown(stale: bool, data: AnyView, retry: Callback<()>) -> AnyView {
    view! {
        {stale.then(|| view! { <StaleNote retry=move || retry.run(()) /> })}
        {data}
    }
    .into_any()
}
