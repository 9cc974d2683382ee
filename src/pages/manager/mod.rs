//! The manager's view of the practice today: how many appointments, in which state, live.

use leptos::prelude::*;
use nova_contract::{AppointmentStatus, Role};

use crate::api::endpoints::{self, AppointmentFilter};
use crate::api::query::{use_query, UseQueryOptions};
use crate::api::{queries, use_api};
use crate::components::appointment_item::AppointmentItem;
use crate::format;
use crate::state::auth::use_auth;
use crate::state::prefs::use_prefs;

/// Counts by status for today, then the day's list across practitioners.
#[component]
pub fn ManagerHome() -> impl IntoView {
    let auth = use_auth();
    let prefs = use_prefs();
    let api = use_api();
    let list = use_query(
        move || {
            auth.user_id()?;
            let filter = AppointmentFilter {
                from: format::today(),
                practitioner: None,
                page: 1,
                limit: 100,
            };
            Some((queries::appointment_list(&filter), filter))
        },
        move |filter, signal| {
            let api = api.clone();
            async move { endpoints::appointments(&api, &filter, signal).await }
        },
        UseQueryOptions {
            live: true,
            ..Default::default()
        },
    );
    view! {
        <main class="page">
            <h1 class="page-title">{prefs.tr(|t| t.cabinet_today)}</h1>
            {move || {
                let t = prefs.t();
                match (list.data.get(), list.error.get()) {
                    (None, None) => view! { <p class="muted">{t.loading}</p> }.into_any(),
                    (None, Some(e)) => view! { <p class="form-error" role="alert">{t.error(e.code)}</p> }.into_any(),
                    (Some(page), _) => {
                        let today = format::today();
                        let todays: Vec<_> =
                            page.items.into_iter().filter(|a| format::local_date(a.start_time) == today).collect();
                        let count = |s: AppointmentStatus| todays.iter().filter(|a| a.status == s).count();
                        let stats = [
                            AppointmentStatus::Pending,
                            AppointmentStatus::Confirmed,
                            AppointmentStatus::Completed,
                            AppointmentStatus::Cancelled,
                            AppointmentStatus::NoShow,
                        ]
                        .map(|s| (s, count(s)));
                        view! {
                            <div class="stats">
                                {stats
                                    .into_iter()
                                    .map(|(s, n)| {
                                        view! {
                                            <div class="stat" data-status=s.as_str()>
                                                <span class="stat-value">{n}</span>
                                                <span class="stat-label">{t.status(s)}</span>
                                            </div>
                                        }
                                    })
                                    .collect_view()}
                            </div>
                            <section class="card">
                                {if todays.is_empty() {
                                    view! { <p class="empty">{t.nothing_today}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="appointments">
                                            {todays
                                                .into_iter()
                                                .map(|a| view! { <AppointmentItem appointment=a viewer=Role::Manager /> })
                                                .collect_view()}
                                        </ul>
                                    }
                                        .into_any()
                                }}
                            </section>
                        }
                            .into_any()
                    }
                }
            }}
        </main>
    }
}
