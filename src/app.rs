//! The app shell: contexts provided once, the router, the layout around every page.

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;
use nova_contract::Role;

use crate::components::toast_region::ToastRegion;
use crate::components::top_bar::TopBar;
use crate::pages::home_path;
use crate::pages::login::LoginPage;
use crate::pages::manager::ManagerHome;
use crate::pages::not_found::NotFound;
use crate::pages::patient::PatientHome;
use crate::pages::practitioner::PractitionerHome;
use crate::state::auth::{provide_auth, use_auth};
use crate::state::prefs::provide_prefs;
use crate::state::realtime::provide_realtime;
use crate::state::toasts::provide_toasts;

#[component]
pub fn App() -> impl IntoView {
    let auth = provide_auth();
    let prefs = provide_prefs();
    let toasts = provide_toasts();
    provide_realtime(auth, prefs, toasts);
    view! {
        <Router>
            <TopBar />
            <Routes fallback=NotFound>
                <Route path=path!("/") view=Home />
                <Route path=path!("/login") view=Login />
                <Route
                    path=path!("/patient")
                    view=|| view! { <Guard roles=&[Role::Patient]><PatientHome /></Guard> }
                />
                <Route
                    path=path!("/practitioner")
                    view=|| view! { <Guard roles=&[Role::Practitioner, Role::Admin]><PractitionerHome /></Guard> }
                />
                <Route
                    path=path!("/manager")
                    view=|| view! { <Guard roles=&[Role::Manager]><ManagerHome /></Guard> }
                />
            </Routes>
            <ToastRegion />
        </Router>
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
