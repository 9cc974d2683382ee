//! The app shell: contexts provided once, the routes, the layout around every page.

use leptos::prelude::*;
use nova_contract::Role;

use crate::api::query::{provide_query_client, QueryClient};
use crate::components::offline_banner::OfflineBanner;
use crate::components::toast_region::ToastRegion;
use crate::components::top_bar::TopBar;
use crate::on_demand::{self, prefetch_screens, OnDemand};
use crate::pages::home_path;
use crate::pages::login::LoginPage;
use crate::pages::not_found::NotFound;
use crate::router::{provide_router, Redirect};
use crate::state::auth::{clear_cache_on_user_change, provide_auth, use_auth};
use crate::state::network::provide_network;
use crate::state::notifications::provide_notifications;
use crate::state::outbox::{provide_outbox, OutboxDeps};
use crate::state::prefs::provide_prefs;
use crate::state::realtime::{provide_realtime, RealtimeDeps};
use crate::state::toasts::provide_toasts;

#[component]
pub fn App() -> impl IntoView {
    let (auth, api) = provide_auth();
    let queries = QueryClient::default();
    provide_query_client(queries.clone());
    clear_cache_on_user_change(auth, queries.clone());
    let prefs = provide_prefs();
    let toasts = provide_toasts();
    let network = provide_network(queries.clone());
    let notices = provide_notifications(auth, api.clone(), prefs);
    provide_outbox(OutboxDeps {
        auth,
        api: api.clone(),
        queries: queries.clone(),
        network,
        toasts,
        notices,
        prefs,
    });
    provide_realtime(RealtimeDeps {
        auth,
        api,
        queries,
        network,
        prefs,
        toasts,
        notices,
    });
    // Signed in: the role's other screens come in the background (they then open offline too).
    // (Runs again when the user is refreshed: loads already done or under way are not redone.)
    Effect::new(move |_| {
        if let Some(role) = auth.user().map(|u| u.role) {
            prefetch_screens(role);
        }
    });
    let router = provide_router();
    let page = move || match router.path().as_str() {
        "/" => view! { <Home /> }.into_any(),
        "/login" => view! { <Login /> }.into_any(),
        "/patient" => guarded(&[Role::Patient], on_demand::patient_home),
        "/practitioner" => guarded(
            &[Role::Practitioner, Role::Admin],
            on_demand::practitioner_home,
        ),
        "/messages" => guarded(
            &[Role::Patient, Role::Practitioner, Role::Admin],
            on_demand::messages_page,
        ),
        "/manager" => guarded(&[Role::Manager], on_demand::manager_home),
        _ => view! { <NotFound /> }.into_any(),
    };
    view! {
        <TopBar />
        <OfflineBanner />
        {page}
        <ToastRegion />
    }
}

/// `/` sends each visitor where they belong.
#[component]
fn Home() -> impl IntoView {
    let auth = use_auth();
    move || {
        let to = auth.user().map(|u| home_path(u.role)).unwrap_or("/login");
        view! { <Redirect path=to /> }
    }
}

/// The login page, or the dashboard for someone already signed in.
#[component]
fn Login() -> impl IntoView {
    let auth = use_auth();
    move || match auth.user() {
        Some(u) => view! { <Redirect path=home_path(u.role) /> }.into_any(),
        None => view! { <LoginPage /> }.into_any(),
    }
}

/// A screen for the given roles, fetched when first shown (`on_demand`).
fn guarded(roles: &'static [Role], load: on_demand::Load) -> AnyView {
    view! {
        <Guard roles=roles>
            <OnDemand load=load fallback_class="page" />
        </Guard>
    }
    .into_any()
}

/// Shows its children only to the given roles; others go to login or to their own home.
#[component]
fn Guard(roles: &'static [Role], children: ChildrenFn) -> impl IntoView {
    let auth = use_auth();
    move || match auth.user() {
        None => view! { <Redirect path="/login" /> }.into_any(),
        Some(u) if !roles.contains(&u.role) => {
            view! { <Redirect path=home_path(u.role) /> }.into_any()
        }
        Some(_) => children().into_any(),
    }
}
