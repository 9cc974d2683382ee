//! Previous / next for a paginated list; hidden when everything fits on one page.

use leptos::prelude::*;

use crate::state::prefs::use_prefs;

/// "‹ Page 2 / 3 ›" under a list.
#[component]
pub fn Pager(
    /// 1-based.
    page: RwSignal<u32>,
    total_pages: Signal<u32, LocalStorage>,
) -> impl IntoView {
    let prefs = use_prefs();
    move || {
        let total = total_pages.get();
        (total > 1).then(|| {
            let t = prefs.t();
            let current = page.get();
            view! {
                <nav class="pager" aria-label=t.page>
                    <button
                        class="secondary small"
                        aria-label=t.previous_page
                        disabled=current <= 1
                        on:click=move |_| page.update(|p| *p = p.saturating_sub(1).max(1))
                    >
                        "‹"
                    </button>
                    <span>{format!("{} {current} / {total}", t.page)}</span>
                    <button
                        class="secondary small"
                        aria-label=t.next_page
                        disabled=current >= total
                        on:click=move |_| page.update(|p| *p += 1)
                    >
                        "›"
                    </button>
                </nav>
            }
        })
    }
}
