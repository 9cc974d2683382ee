//! Screens, one folder per role, plus sign-in and the messages screen both patients and staff use.

pub mod login;
pub mod manager;
pub mod messages;
pub mod not_found;
pub mod patient;
pub mod practitioner;

use nova_contract::{Practitioner, Role};

use crate::api::query::{use_query, ObserveOptions, UseQueryOptions, UseQueryReturn};
use crate::api::{endpoints, queries, use_api};
use crate::state::auth::use_auth;

/// Where each role lands after signing in.
pub fn home_path(role: Role) -> &'static str {
    match role {
        Role::Patient => "/patient",
        Role::Practitioner | Role::Admin => "/practitioner",
        Role::Manager => "/manager",
    }
}

/// The cabinet's practitioners: the booking panel and "write to the practice" share one cached
/// query.
pub fn use_practitioners() -> UseQueryReturn<Vec<Practitioner>> {
    let auth = use_auth();
    let api = use_api();
    use_query(
        move || {
            auth.user_id()?;
            Some((queries::practitioners(), ()))
        },
        move |(), signal| {
            let api = api.clone();
            async move { endpoints::practitioners(&api, signal).await }
        },
        UseQueryOptions {
            // The list of practitioners hardly changes during a visit.
            observe: ObserveOptions {
                stale_time: 5.0 * 60_000.0,
                ..Default::default()
            },
            ..Default::default()
        },
    )
}
