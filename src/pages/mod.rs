//! Screens, one folder per role, plus sign-in and the messages screen both patients and staff use.

pub mod login;
pub mod manager;
pub mod messages;
pub mod not_found;
pub mod patient;
pub mod practitioner;

use nova_contract::{Appointment, PaginatedResponse, Practitioner, Role};

use crate::api::endpoints::AppointmentFilter;
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

/// A page of appointments, kept fresh by realtime events: the agenda, the manager's day, "my
/// appointments" and the staff move warning. `filter` is reactive; `None` fetches nothing (no
/// one signed in yet, nothing to look at). One query type for all of them, compiled once.
pub fn use_appointment_list(
    filter: impl Fn() -> Option<AppointmentFilter> + 'static,
    keep_previous_data: bool,
) -> UseQueryReturn<PaginatedResponse<Appointment>> {
    let api = use_api();
    let filter: Box<dyn Fn() -> Option<AppointmentFilter>> = Box::new(filter);
    use_query(
        move || filter().map(|f| (queries::appointment_list(&f), f)),
        move |filter, signal| {
            let api = api.clone();
            async move { endpoints::appointments(&api, &filter, signal).await }
        },
        UseQueryOptions {
            live: true,
            keep_previous_data,
            ..Default::default()
        },
    )
}
