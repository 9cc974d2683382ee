//! The manager's view of the practice today: how many appointments, in which state, live.

use leptos::prelude::*;
use nova_contract::{AppointmentStatus, Role};

use crate::api::endpoints;
use crate::components::appointment_item::AppointmentItem;
use crate::format;
use crate::state::auth::use_auth;
use crate::state::prefs::use_prefs;
use crate::state::realtime::use_realtime;

/// Counts by status for today, then the day's list across practitioners.
#[component]
pub fn ManagerHome() -> impl IntoView {
    let auth = use_auth();
    let prefs = use_prefs();
    let rt = use_realtime();
    let list = LocalResource::new(move || {
        let creds = auth.credentials();
        rt.appointments_changed.track();
        async move {
            let result = endpoints::appointments(&creds?, format::today(), None, 100).await;
            if let Err(e) = &result {
                auth.check(e);
            }
            Some(result)
        }
    });
    view! {
        <main class="page">
            <h1 class="page-title">{move || prefs.t().cabinet_today}</h1>
            {move || {
                let t = prefs.t();
                match list.get().flatten() {
                    None => view! { <p class="muted">{t.loading}</p> }.into_any(),
                    Some(Err(e)) => view! { <p class="form-error" role="alert">{t.error(e.code)}</p> }.into_any(),
                    Some(Ok(page)) => {
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
