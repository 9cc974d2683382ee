//! The practitioner's day: today's and upcoming appointments, live: requests to confirm, visits
//! to mark held or missed, appointments to move to another time (the patient's booking card,
//! opened above the agenda).

use chrono::Duration;
use leptos::prelude::*;
use leptos::task::spawn_local;
use nova_contract::{Appointment, AppointmentStatus, NoticeKind, Role};

use crate::api::endpoints::AppointmentFilter;
use crate::api::query::{use_mutation_with, use_query_client};
use crate::api::use_api;
use crate::components::appointment_item::AppointmentItem;
use crate::components::query_view::QueryView;
use crate::format;
use crate::pages::patient::BookingPanel;
use crate::pages::use_appointment_list;
use crate::state::agenda;
use crate::state::auth::use_auth;
use crate::state::prefs::use_prefs;
use crate::state::toasts::use_toasts;

/// How far back the agenda looks for visits nobody marked held or missed.
const CLOSE_WINDOW_DAYS: i64 = 30;

/// Today first, then what is coming; a new booking appears here the moment it is made. Above
/// them, the past month's visits still "confirmed": until someone says whether they took place,
/// they count neither as held nor as missed in the cabinet's figures.
#[component]
pub fn PractitionerHome() -> impl IntoView {
    let auth = use_auth();
    let prefs = use_prefs();
    let toasts = use_toasts();
    let api = use_api();
    // Practitioners see their own agenda; the cabinet's admin sees everyone's.
    let own_agenda = move || {
        let user = auth.user()?;
        Some((user.role == Role::Practitioner).then_some(user.id))
    };
    let list = use_appointment_list(
        move || {
            Some(AppointmentFilter {
                from: format::today(),
                to: None,
                practitioner: own_agenda()?,
                status: None,
                patient: None,
                page: 1,
                limit: 100,
            })
        },
        false,
    );
    let left_open = use_appointment_list(
        move || {
            let today = format::today();
            Some(AppointmentFilter {
                from: today - Duration::days(CLOSE_WINDOW_DAYS),
                to: today.pred_opt(),
                practitioner: own_agenda()?,
                status: Some(AppointmentStatus::Confirmed),
                patient: None,
                page: 1,
                limit: 100,
            })
        },
        false,
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
    // The appointment being moved, if any: the booking card shows its practitioner's free times
    // until one is chosen or the move is called off.
    let moving = RwSignal::new(None::<Appointment>);
    let choose_new_time = Callback::new(move |a: Appointment| {
        moving.set(Some(a));
        scroll_to_card();
    });
    let rows = move |items: Vec<Appointment>, with_date: bool| {
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
                                on_move=choose_new_time
                                with_date=with_date
                            />
                        }
                    })
                    .collect_view()}
            </ul>
        }
    };
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
                    rows(items, with_date).into_any()
                }}
            </section>
        }
    };
    // Shown only when there is something to close; a row leaves as soon as it is marked (the
    // optimistic update changes its status in this list's cache too).
    let to_close = move || {
        let items: Vec<Appointment> = left_open
            .data
            .get()?
            .items
            .into_iter()
            .filter(|a| a.status == AppointmentStatus::Confirmed)
            .collect();
        if items.is_empty() {
            return None;
        }
        let t = prefs.t();
        Some(view! {
            <section class="card to-close" aria-labelledby="to-close">
                <h2 id="to-close">{t.to_close} <span class="count">{items.len()}</span></h2>
                <p class="hint">{t.to_close_hint}</p>
                {rows(items, true)}
            </section>
        })
    };
    view! {
        <main class="page" aria-busy=move || list.is_fetching.get().to_string()>
            <h1 class="page-title">{prefs.tr(|t| t.agenda_title)}</h1>
            <Show when=move || moving.with(Option::is_some)>
                <div class="moving" id="move-card">
                    <BookingPanel moving=moving />
                </div>
            </Show>
            {to_close}
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

/// Brings the booking card into view: the row that opened it may be far down the agenda.
fn scroll_to_card() {
    #[cfg(target_arch = "wasm32")]
    request_animation_frame(|| {
        if let Some(card) = document().get_element_by_id("move-card") {
            card.scroll_into_view();
        }
    });
}
