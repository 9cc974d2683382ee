//! The patient's upcoming appointments, a page at a time, kept live by realtime events; each
//! can be cancelled until it starts (offline, the cancellation waits in the outbox).

use leptos::prelude::*;
use leptos::task::spawn_local;
use nova_contract::{Appointment, NoticeKind, Role};

use crate::api::endpoints::AppointmentFilter;
use crate::api::http::new_idempotency_key;
use crate::api::query::{use_mutation_with, use_query_client};
use crate::api::use_api;
use crate::components::appointment_item::AppointmentItem;
use crate::components::pager::Pager;
use crate::components::query_view::QueryView;
use crate::format;
use crate::pages::use_appointment_list;
use crate::state::agenda::{self, Action};
use crate::state::auth::use_auth;
use crate::state::network::use_network;
use crate::state::outbox::{use_outbox, Change, PendingChange};
use crate::state::prefs::use_prefs;
use crate::state::realtime::{use_realtime, Connection};
use crate::state::toasts::use_toasts;

const PAGE_SIZE: u32 = 10;

/// "My appointments": what is booked, and whether the practice has confirmed it.
#[component]
pub fn MyAppointments(
    /// The appointment whose new time the booking card is asking for.
    moving: RwSignal<Option<Appointment>>,
) -> impl IntoView {
    let auth = use_auth();
    let prefs = use_prefs();
    let api = use_api();
    let page = RwSignal::new(1u32);
    let list = use_appointment_list(
        move || {
            auth.user_id()?;
            Some(AppointmentFilter {
                from: format::today(),
                to: None,
                practitioner: None,
                status: None,
                patient: None,
                page: page.get(),
                limit: PAGE_SIZE,
            })
        },
        true,
    );
    let toasts = use_toasts();
    let network = use_network();
    let outbox = use_outbox();
    let rt = use_realtime();
    let acting = use_mutation_with(agenda::act(api, use_query_client()));
    // A patient's only action on a row is cancelling it (see `agenda::actions`); the offline
    // queue and the toasts below are a cancellation's.
    let act = Callback::new(move |(id, action): (String, Action)| {
        if action != Action::Cancel {
            return;
        }
        if !network.online.get_untracked() {
            let label = list
                .data
                .with_untracked(|d| {
                    let a = d.as_ref()?.items.iter().find(|a| a.id == id)?;
                    let t = prefs.t();
                    Some(format!("{} · {}", t.cancel, format::when(t, a.start_time)))
                })
                .unwrap_or_default();
            outbox.enqueue(PendingChange::new(
                new_idempotency_key(),
                label,
                &Change::Cancel { id, reason: None },
            ));
            toasts.push(NoticeKind::Info, prefs.t().cancel_queued, None);
            return;
        }
        spawn_local(async move {
            let live = rt.connection.get_untracked() == Connection::Live;
            match acting.mutate_async((id, action)).await {
                // When live, the server's own event brings the toast.
                Ok(_) if !live => toasts.push(NoticeKind::Success, prefs.t().toast_cancelled, None),
                Ok(_) => {}
                Err(e) => toasts.push(NoticeKind::Error, prefs.t().error(e.code), None),
            }
        });
    });
    let choose_new_time = Callback::new(move |a: Appointment| {
        moving.set(Some(a));
        // On a phone the booking card is above this list.
        if let Some(w) = web_sys::window() {
            w.scroll_to_with_x_and_y(0.0, 0.0);
        }
    });
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
                                .map(|a| {
                                    view! {
                                        <AppointmentItem
                                            appointment=a
                                            viewer=Role::Patient
                                            on_action=act
                                            on_move=choose_new_time
                                            with_date=true
                                        />
                                    }
                                })
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
