//! The practitioner's day: today's and upcoming appointments, live, with confirmation.

use leptos::prelude::*;
use leptos::task::spawn_local;
use nova_contract::{Appointment, NoticeKind, Role};

use crate::api::endpoints;
use crate::components::appointment_item::AppointmentItem;
use crate::format;
use crate::state::auth::use_auth;
use crate::state::prefs::use_prefs;
use crate::state::realtime::use_realtime;
use crate::state::toasts::use_toasts;

/// Today first, then what is coming; a new booking appears here the moment it is made.
#[component]
pub fn PractitionerHome() -> impl IntoView {
    let auth = use_auth();
    let prefs = use_prefs();
    let rt = use_realtime();
    let toasts = use_toasts();
    let list = LocalResource::new(move || {
        let creds = auth.credentials();
        let user = auth.user();
        rt.appointments_changed.track();
        async move {
            let (creds, user) = (creds?, user?);
            // Practitioners see their own agenda; the cabinet's admin sees everyone's.
            let own = (user.role == Role::Practitioner).then_some(user.id.as_str());
            let result = endpoints::appointments(&creds, format::today(), own, 100).await;
            if let Err(e) = &result {
                auth.check(e);
            }
            Some(result)
        }
    });
    let confirm = Callback::new(move |id: String| {
        let Some(creds) = auth.credentials() else {
            return;
        };
        spawn_local(async move {
            match endpoints::confirm(&creds, &id).await {
                Ok(_) => rt.appointments_changed.update(|v| *v += 1),
                Err(e) => {
                    auth.check(&e);
                    toasts.push(NoticeKind::Error, prefs.t().error(e.code), None);
                    list.refetch();
                }
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
                                            on_confirm=confirm
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
        <main class="page">
            <h1 class="page-title">{move || prefs.t().agenda_title}</h1>
            {move || {
                let t = prefs.t();
                match list.get().flatten() {
                    None => view! { <p class="muted">{t.loading}</p> }.into_any(),
                    Some(Err(e)) => {
                        view! {
                            <div class="form-error" role="alert">
                                {t.error(e.code)}
                                <button class="link" on:click=move |_| list.refetch()>{t.retry}</button>
                            </div>
                        }
                            .into_any()
                    }
                    Some(Ok(page)) => {
                        let today = format::today();
                        let (todays, later): (Vec<_>, Vec<_>) =
                            page.items.into_iter().partition(|a| format::local_date(a.start_time) == today);
                        view! {
                            <div class="two-columns">
                                {section(t.today, t.nothing_today, todays, false)}
                                {section(t.upcoming, t.nothing_upcoming, later, true)}
                            </div>
                        }
                            .into_any()
                    }
                }
            }}
        </main>
    }
}
