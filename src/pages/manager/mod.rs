//! The manager's view of the practice today: live figures, how many appointments in which
//! state (from the server's counts), each practitioner's load, and the day's list.

mod figures;
mod load;
mod strip;

use leptos::prelude::*;
use nova_contract::{AppointmentStatus, Role};

use figures::DayFigures;
use load::PractitionerLoad;
use strip::{figure, MetricsStrip, Text, NONE};

use crate::api::endpoints::{self, AppointmentFilter};
use crate::api::query::{use_query, UseQueryOptions};
use crate::api::{queries, use_api};
use crate::components::appointment_item::AppointmentItem;
use crate::components::query_view::QueryView;
use crate::format;
use crate::pages::use_appointment_list;
use crate::state::auth::use_auth;
use crate::state::prefs::use_prefs;
use crate::state::realtime::{use_realtime, Connection};

const STATUSES: [AppointmentStatus; 5] = [
    AppointmentStatus::Pending,
    AppointmentStatus::Confirmed,
    AppointmentStatus::Completed,
    AppointmentStatus::Cancelled,
    AppointmentStatus::NoShow,
];

/// Live figures and counts by status for today, each practitioner's load, then the day's list
/// across practitioners.
#[component]
pub fn ManagerHome() -> impl IntoView {
    let auth = use_auth();
    let prefs = use_prefs();
    let api = use_api();
    let rt = use_realtime();
    let live = rt.metrics;
    let api2 = api.clone();
    let dashboard = use_query(
        move || {
            auth.user_id()?;
            let day = format::today();
            Some((queries::dashboard(day), day))
        },
        move |day, signal| {
            let api = api2.clone();
            async move { endpoints::dashboard(&api, day, signal).await }
        },
        // Live: polled while the socket is down, refetched when it comes back.
        UseQueryOptions {
            live: true,
            ..Default::default()
        },
    );
    let day: Signal<Option<DayFigures>, LocalStorage> = Signal::derive_local(move || {
        // Without the socket its last push goes stale while the polled dashboard moves on.
        let pushing = rt.connection.get() == Connection::Live;
        live.with(|m| {
            dashboard
                .data
                .with(|d| DayFigures::pick(m.as_ref().filter(|_| pushing), d.as_ref()))
        })
    });
    let count = move |s: AppointmentStatus| -> Text {
        Box::new(move || {
            day.with(|d| {
                d.map_or(NONE.into(), |d| {
                    let c = d.counts;
                    match s {
                        AppointmentStatus::Pending => c.pending,
                        AppointmentStatus::Confirmed => c.confirmed,
                        AppointmentStatus::Completed => c.completed,
                        AppointmentStatus::Cancelled => c.cancelled,
                        AppointmentStatus::NoShow => c.no_show,
                        AppointmentStatus::Rescheduled => c.rescheduled,
                    }
                    .to_string()
                })
            })
        })
    };
    let list = use_appointment_list(
        move || {
            auth.user_id()?;
            Some(AppointmentFilter {
                from: format::today(),
                to: None,
                practitioner: None,
                status: None,
                patient: None,
                page: 1,
                limit: 100,
            })
        },
        false,
    );
    view! {
        <main class="page">
            <h1 class="page-title">{prefs.tr(|t| t.cabinet_today)}</h1>
            <MetricsStrip day live=live.into() />
            <div class="stats">
                {STATUSES
                    .map(|s| {
                        let label = move || prefs.t().status(s);
                        figure("stat", s.as_str(), count(s), Box::new(label))
                    })
                    .collect_view()}
            </div>
            <PractitionerLoad dashboard=dashboard.data />
            <QueryView
                query=list
                ready=move |page| {
                    let today = format::today();
                    let todays: Vec<_> =
                        page.items.into_iter().filter(|a| format::local_date(a.start_time) == today).collect();
                    view! {
                        <section class="card">
                            {if todays.is_empty() {
                                view! { <p class="empty">{prefs.tr(|t| t.nothing_today)}</p> }.into_any()
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
                }
            />
        </main>
    }
}
