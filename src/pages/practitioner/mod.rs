//! The practitioner's day: today's and upcoming appointments, live: requests to confirm, visits
//! to mark held or missed.

use leptos::prelude::*;
use leptos::task::spawn_local;
use nova_contract::{Appointment, NoticeKind, Role};

use crate::api::endpoints::{self, AppointmentFilter};
use crate::api::query::{use_mutation_with, use_query, use_query_client, UseQueryOptions};
use crate::api::{queries, use_api};
use crate::components::appointment_item::AppointmentItem;
use crate::components::query_view::QueryView;
use crate::format;
use crate::state::agenda;
use crate::state::auth::use_auth;
use crate::state::prefs::use_prefs;
use crate::state::toasts::use_toasts;

/// Today first, then what is coming; a new booking appears here the moment it is made.
#[component]
pub fn PractitionerHome() -> impl IntoView {
    let auth = use_auth();
    let prefs = use_prefs();
    let toasts = use_toasts();
    let api = use_api();
    let a = api.clone();
    let list = use_query(
        move || {
            let user = auth.user()?;
            // Practitioners see their own agenda; the cabinet's admin sees everyone's.
            let filter = AppointmentFilter {
                from: format::today(),
                practitioner: (user.role == Role::Practitioner).then_some(user.id),
                page: 1,
                limit: 100,
            };
            Some((queries::appointment_list(&filter), filter))
        },
        move |filter, signal| {
            let api = a.clone();
            async move { endpoints::appointments(&api, &filter, signal).await }
        },
        UseQueryOptions {
            live: true,
            ..Default::default()
        },
    );
    // Optimistic: the row changes status at once and turns back if the server refuses.
    let acting = use_mutation_with(agenda::act(api, use_query_client()));
    let act = Callback::new(move |step: (String, agenda::Action)| {
        spawn_local(async move {
            if let Err(e) = acting.mutate_async(step).await {
                toasts.push(NoticeKind::Error, prefs.t().error(e.code), None);
            }
        });
    });
    let section = move |title: &'static str,
                        empty: &'static str,
                        items: Vec<Appointment>,
                        with_date: bool| {
        let id = if with_date { "upcoming" } else { "today" };
        view! {
            <section class="card" aria-labelledby=id>
                <h2 id=id>{title} <span class="count">{items.len()}</span></h2>
                {if items.is_empty() {
                    view! { <p class="empty">{empty}</p> }.into_any()
                } else {
                    view! {
                        <ul class="appointments">
                            {items
                                .into_iter()
                                .map(|a| {
                                    view! {
                                        <AppointmentItem
                                            appointment=a
                                            viewer=Role::Practitioner
                                            on_action=act
                                            with_date=with_date
                                        />
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }}
            </section>
        }
    };
    view! {
        <main class="page" aria-busy=move || list.is_fetching.get().to_string()>
            <h1 class="page-title">{prefs.tr(|t| t.agenda_title)}</h1>
            <QueryView
                query=list
                ready=move |page| {
                    let t = prefs.t();
                    let today = format::today();
                    let (todays, later): (Vec<_>, Vec<_>) =
                        page.items.into_iter().partition(|a| format::local_date(a.start_time) == today);
                    view! {
                        <div class="two-columns">
                            {section(t.today, t.nothing_today, todays, false)}
                            {section(t.upcoming, t.nothing_upcoming, later, true)}
                        </div>
                    }
                }
            />
        </main>
    }
}
