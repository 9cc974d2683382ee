//! The patient's upcoming appointments, a page at a time, kept live by realtime events.

use leptos::prelude::*;
use nova_contract::Role;

use crate::api::endpoints::{self, AppointmentFilter};
use crate::api::query::{use_query, UseQueryOptions};
use crate::api::{queries, use_api};
use crate::components::appointment_item::AppointmentItem;
use crate::components::pager::Pager;
use crate::components::query_view::QueryView;
use crate::format;
use crate::state::auth::use_auth;
use crate::state::prefs::use_prefs;

const PAGE_SIZE: u32 = 10;

/// "My appointments": what is booked, and whether the practice has confirmed it.
#[component]
pub fn MyAppointments() -> impl IntoView {
    let auth = use_auth();
    let prefs = use_prefs();
    let api = use_api();
    let page = RwSignal::new(1u32);
    let list = use_query(
        move || {
            auth.user_id()?;
            let filter = AppointmentFilter {
                from: format::today(),
                practitioner: None,
                page: page.get(),
                limit: PAGE_SIZE,
            };
            Some((queries::appointment_list(&filter), filter))
        },
        move |filter, signal| {
            let api = api.clone();
            async move { endpoints::appointments(&api, &filter, signal).await }
        },
        UseQueryOptions {
            live: true,
            keep_previous_data: true,
            ..Default::default()
        },
    );
    let total_pages = Signal::derive_local(move || {
        list.data
            .with(|d| d.as_ref().map_or(0, |p| p.pagination.total_pages))
    });
    view! {
        <section class="card" aria-labelledby="my-appointments" aria-busy=move || list.is_fetching.get().to_string()>
            <h2 id="my-appointments">{prefs.tr(|t| t.my_appointments)}</h2>
            <QueryView
                query=list
                ready=move |page| {
                    if page.items.is_empty() {
                        return view! { <p class="empty">{prefs.tr(|t| t.no_appointments)}</p> }.into_any();
                    }
                    view! {
                        <ul class="appointments">
                            {page
                                .items
                                .into_iter()
                                .map(|a| view! { <AppointmentItem appointment=a viewer=Role::Patient with_date=true /> })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            />
            <Pager page=page total_pages=total_pages />
        </section>
    }
}
