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
                        disabled={current <= 1}
                        on:click=move |_| page.update(|p| *p = p.saturating_sub(1).max(1))
                    >
                        "‹"
                    </button>
                    <span>{format!("{} {current} / {total}", t.page)}</span>
                    <button
                        class="secondary small"
                        aria-label=t.next_page
                        disabled={current >= total}
                        on:click=move |_| page.update(|p| *p += 1)
                    >
                        "›"
                    </button>
                </nav>
            }
        })
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    use super::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    async fn moves_between_pages_within_bounds() {
        let container = document().create_element("div").unwrap();
        document().body().unwrap().append_child(&container).unwrap();
        let page = RwSignal::new(1u32);
        let el: web_sys::HtmlElement = container.clone().unchecked_into();
        let handle = leptos::mount::mount_to(el, move || {
            crate::state::prefs::provide_prefs();
            view! { <Pager page=page total_pages=Signal::derive_local(|| 2) /> }
        });
        let buttons = || container.query_selector_all("nav.pager button").unwrap();
        let button =
            |i| -> web_sys::HtmlButtonElement { buttons().get(i).unwrap().unchecked_into() };
        assert_eq!(buttons().length(), 2);
        assert_eq!(container.text_content().unwrap(), "‹Page 1 / 2›");
        assert!(button(0).disabled() && !button(1).disabled());
        button(1).click();
        gloo_timers::future::TimeoutFuture::new(10).await;
        assert_eq!(page.get_untracked(), 2);
        assert!(!button(0).disabled() && button(1).disabled());
        drop(handle);
        container.remove();
    }
}
