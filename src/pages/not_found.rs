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
            <p>{prefs.tr(|t| t.page_not_found)}</p>
            <Link href="/">{prefs.tr(|t| t.back_home)}</Link>
        </main>
    }
}
