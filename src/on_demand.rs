//! Each role's screens, and the notification centre's panel, fetched when first shown.
//!
//! The first visit downloads the shell (sign-in, top bar, real-time store, toasts, offline
//! queue) and nothing of the screens a role never opens: a patient's browser never loads the
//! manager's metrics. With `--cfg nova_split` (set by scripts/build-web.sh for the release
//! bundle) each screen below is a split point of `wasm_split_helpers` (the crate behind
//! Leptos's `#[lazy]`, used directly for its `fallible` option), which `wasm-split-cli` turns
//! into a wasm module of its own, fetched on first call; code several screens share goes to
//! shared modules. Without the flag (tests, clippy, debug builds) they are plain async
//! functions, so every caller reads the same either way.
//!
//! `fallible` because a screen can fail to load (offline before it was ever fetched): `#[lazy]`
//! would panic, and a panic ends the whole app; here the screen says so and offers a retry,
//! and retries by itself when the network comes back. Once signed in, the other screens the
//! role can open (and the panel) are fetched in the background, so going offline afterwards
//! loses nothing.

use leptos::prelude::*;
use leptos::task::spawn_local;
use nova_contract::Role;
use send_wrapper::SendWrapper;

use crate::api::http::LocalBoxFuture;
use crate::components::notification_panel::NotificationPanel;
use crate::pages::manager::ManagerHome;
use crate::pages::messages::MessagesPage;
use crate::pages::patient::PatientHome;
use crate::pages::practitioner::PractitionerHome;
use crate::state::network::use_network;
use crate::state::prefs::use_prefs;

/// A screen's module could not be fetched (the loader logs why to the console).
pub struct Unavailable;

#[cfg(nova_split)]
impl From<leptos::wasm_split::SplitLoaderError> for Unavailable {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        Unavailable
    }
}

/// How a screen is asked for: one type for every screen, so [`OnDemand`] is compiled once.
pub type Load = fn() -> LocalBoxFuture<Result<AnyView, Unavailable>>;

/// `screen!(name, split_name, preload_name, Component)`: `name()` (a [`Load`]) builds
/// `Component` through `split_name()`, split out with `--cfg nova_split`, and an async
/// `preload_name()` only fetches it.
macro_rules! screen {
    ($name:ident, $split:ident, $preload:ident, $component:ident) => {
        pub fn $name() -> LocalBoxFuture<Result<AnyView, Unavailable>> {
            Box::pin($split())
        }

        #[cfg(nova_split)]
        #[leptos::wasm_split::wasm_split($name, wasm_split_path = ::leptos::wasm_split, preload($preload), fallible)]
        fn $split() -> Result<AnyView, Unavailable> {
            Ok(view! { <$component /> }.into_any())
        }

        #[cfg(not(nova_split))]
        async fn $split() -> Result<AnyView, Unavailable> {
            Ok(view! { <$component /> }.into_any())
        }

        #[cfg(not(nova_split))]
        async fn $preload() -> Result<(), Unavailable> {
            Ok(())
        }
    };
}

screen!(
    patient_home,
    patient_split,
    preload_patient_home,
    PatientHome
);
screen!(
    practitioner_home,
    practitioner_split,
    preload_practitioner_home,
    PractitionerHome
);
screen!(
    manager_home,
    manager_split,
    preload_manager_home,
    ManagerHome
);
screen!(
    messages_page,
    messages_split,
    preload_messages_page,
    MessagesPage
);
screen!(
    notification_panel,
    panel_split,
    preload_notification_panel,
    NotificationPanel
);

/// The screen `load` builds, once its module is here; if it cannot be fetched, a notice with
/// Retry (in a box of `fallback_class`, where the screen would have been), retried by itself
/// when the browser comes back online.
#[component]
pub fn OnDemand(load: Load, fallback_class: &'static str) -> impl IntoView {
    let attempt = RwSignal::new(0u32);
    let failed = RwSignal::new(false);
    let network = use_network();
    Effect::new(move |_| {
        if network.online.get() && failed.get_untracked() {
            attempt.update(|n| *n += 1);
        }
    });
    move || {
        attempt.track();
        let screen = load();
        // The loader's future is not `Send` (it holds a JS promise); the browser has one thread.
        Suspend::new(SendWrapper::new(async move {
            match screen.await {
                Ok(view) => {
                    failed.set(false);
                    view
                }
                Err(Unavailable) => {
                    failed.set(true);
                    unavailable(fallback_class, attempt)
                }
            }
        }))
    }
}

fn unavailable(class: &'static str, attempt: RwSignal<u32>) -> AnyView {
    let t = use_prefs().t();
    view! {
        <div class=class>
            <div class="form-error" role="alert">
                {t.screen_unavailable}
                <button class="link" on:click=move |_| attempt.update(|n| *n += 1)>{t.retry}</button>
            </div>
        </div>
    }
    .into_any()
}

/// Fetches, in the background, the screens `role` can open and the notification panel, so
/// that they open offline too.
/// A failure is retried when the screen is opened; nothing to report here.
pub fn prefetch_screens(role: Role) {
    spawn_local(async move {
        // One after the other: the first is usually the screen already open, hence here.
        match role {
            Role::Patient => {
                let _ = preload_patient_home().await;
                let _ = preload_messages_page().await;
            }
            Role::Practitioner | Role::Admin => {
                let _ = preload_practitioner_home().await;
                let _ = preload_messages_page().await;
            }
            Role::Manager => {
                let _ = preload_manager_home().await;
            }
        }
        let _ = preload_notification_panel().await;
    });
}
