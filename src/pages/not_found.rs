//! Unknown addresses.

use leptos::prelude::*;

use crate::router::Link;
use crate::state::prefs::use_prefs;

/// A friendly dead end with a way back.
#[component]
pub fn NotFound() -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <main class="page narrow">
            <h1>"404"</h1>
            <p>{move || prefs.t().page_not_found}</p>
            <Link href="/">{move || prefs.t().back_home}</Link>
        </main>
    }
}
