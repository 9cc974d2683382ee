//! Routing for six fixed paths: the path as a signal, moves through the History API, the back
//! button through `popstate`.
//!
//! Why not `leptos_router`: the app has no nested routes, parameters or loaders, and the
//! general router, with the URL parsing and Unicode normalisation crates it pulls in, measured
//! 35.7 kB brotli of a bundle that must stay small (see README, "Bundle"). This is the part of
//! it the app uses.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

#[derive(Clone, Copy)]
pub struct Router {
    path: RwSignal<String>,
}

impl Router {
    /// The current path; reading it subscribes the caller.
    pub fn path(&self) -> String {
        self.path.get()
    }

    /// Goes to `to`, adding a history entry.
    pub fn navigate(&self, to: &str) {
        self.go(to, false);
    }

    /// Goes to `to` in place of the current entry (redirects: Back must not bounce).
    pub fn replace(&self, to: &str) {
        self.go(to, true);
    }

    fn go(&self, to: &str, replace: bool) {
        if self.path.get_untracked() == to {
            return;
        }
        if let Ok(history) = window().history() {
            let _ = if replace {
                history.replace_state_with_url(&JsValue::NULL, "", Some(to))
            } else {
                history.push_state_with_url(&JsValue::NULL, "", Some(to))
            };
        }
        self.path.set(to.to_owned());
    }
}

fn location_path() -> String {
    window()
        .location()
        .pathname()
        .unwrap_or_else(|_| "/".into())
}

pub fn provide_router() -> Router {
    let router = Router {
        path: RwSignal::new(location_path()),
    };
    provide_context(router);
    let _ = window_event_listener_untyped("popstate", move |_| router.path.set(location_path()));
    router
}

pub fn use_router() -> Router {
    expect_context::<Router>()
}

/// Sends the visitor to `path` once rendered, replacing the current history entry.
#[component]
pub fn Redirect(path: &'static str) -> impl IntoView {
    let router = use_router();
    Effect::new(move |_| router.replace(path));
}

/// An in-app link: a real `<a href>` (so it opens in a new tab too) that moves without a reload.
#[component]
pub fn Link(href: &'static str, children: Children) -> impl IntoView {
    let router = use_router();
    let click = move |ev: leptos::ev::MouseEvent| {
        let plain =
            ev.button() == 0 && !(ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key());
        if plain {
            ev.prevent_default();
            router.navigate(href);
        }
    };
    view! { <a href=href on:click=click>{children()}</a> }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    use super::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    async fn moves_follow_the_history_api_and_the_back_button() {
        let owner = Owner::new();
        owner.set();
        let start = location_path();
        let history = window().history().unwrap();
        let entries = history.length().unwrap();
        let router = provide_router();

        router.navigate("/router-test-a");
        assert_eq!(router.path.get_untracked(), "/router-test-a");
        assert_eq!(location_path(), "/router-test-a");
        assert_eq!(history.length().unwrap(), entries + 1);

        router.replace("/router-test-b");
        assert_eq!(location_path(), "/router-test-b");
        assert_eq!(
            history.length().unwrap(),
            entries + 1,
            "a redirect adds no entry"
        );

        history.back().unwrap();
        gloo_timers::future::TimeoutFuture::new(50).await;
        assert_eq!(
            router.path.get_untracked(),
            start,
            "popstate brings the path back"
        );
    }
}
