//! Booking: pick a practitioner and a reason, browse free times week by week, book one. The same
//! card moves an appointment chosen in "my appointments" (or, for staff, in the agenda): same
//! practitioner and length, a new time; staff are warned when it overlaps another of the
//! patient's visits. Offline, either waits in the offline queue and goes out when the network
//! returns.

use chrono::Duration;
use leptos::prelude::*;
use leptos::task::spawn_local;
use nova_contract::{
    Appointment, AppointmentSlot, AppointmentType, CreateAppointmentRequest, ErrorCode, NoticeKind,
    Role,
};

use crate::api::endpoints::AppointmentFilter;
use crate::api::http::new_idempotency_key;
use crate::api::query::{use_mutation, use_query, MutationOptions, UseQueryOptions};
use crate::api::{endpoints, queries, use_api};
use crate::components::query_view::QueryView;
use crate::components::slot_picker::SlotPicker;
use crate::format;
use crate::pages::use_appointment_list;
use crate::state::auth::use_auth;
use crate::state::network::use_network;
use crate::state::outbox::{use_outbox, Change, PendingChange};
use crate::state::prefs::use_prefs;
use crate::state::realtime::{use_realtime, Connection};
use crate::state::toasts::use_toasts;

/// How far ahead a patient may browse.
const MAX_WEEKS_AHEAD: i64 = 8;

/// The booking form. Slots refresh by themselves when someone else takes or frees one: the
/// socket watches the agenda on screen.
#[component]
pub fn BookingPanel(
    /// The appointment to move, when the patient asked to move one.
    moving: RwSignal<Option<Appointment>>,
) -> impl IntoView {
    let prefs = use_prefs();
    let auth = use_auth();
    let viewer = untrack(move || auth.user()).map(|u| u.role);
    let rt = use_realtime();
    let toasts = use_toasts();
    let network = use_network();
    let outbox = use_outbox();
    let api = use_api();

    let practitioners = crate::pages::use_practitioners();
    let chosen = RwSignal::new(None::<String>);
    let practitioner_id = move || {
        chosen.get().or_else(|| {
            practitioners
                .data
                .with(|d| d.as_ref().and_then(|l| l.first().map(|p| p.id.clone())))
        })
    };
    let kind = RwSignal::new(AppointmentType::Consultation);
    let week = RwSignal::new(0i64);
    let selected = RwSignal::new(None::<AppointmentSlot>);
    let error = RwSignal::new(None::<&'static str>);

    // Seven days at a time from today, so the first page is never an empty weekend.
    let range = move || {
        let start = format::today() + Duration::weeks(week.get());
        (start, start + Duration::days(6))
    };
    let a = api.clone();
    let slots = use_query(
        move || {
            let practitioner = practitioner_id()?;
            let duration = moving
                .with(|m| m.as_ref().map(|a| a.duration))
                .unwrap_or_else(|| kind.get().default_duration());
            let (from, to) = range();
            let key = queries::slot_week(&practitioner, from, duration);
            Some((key, (practitioner, from, to, duration)))
        },
        move |(practitioner, from, to, duration), signal| {
            let api = a.clone();
            async move { endpoints::slots(&api, &practitioner, from, to, duration, signal).await }
        },
        UseQueryOptions {
            live: true,
            ..Default::default()
        },
    );
    // Told live when a time on this agenda is taken or freed; the list refreshes in place.
    Effect::new(move |_| rt.watch_slots(practitioner_id()));
    on_cleanup(move || rt.watch_slots(None));
    // A chosen time that someone else just took is no longer on offer.
    Effect::new(move |_| {
        let gone = slots.data.with(|list| {
            let Some(list) = list else { return false };
            selected.with_untracked(|s| {
                s.as_ref()
                    .is_some_and(|s| list.iter().all(|l| l.start_time != s.start_time))
            })
        });
        if gone {
            selected.set(None);
        }
    });
    // Moving an appointment: its practitioner's agenda, for its reason and length.
    Effect::new(move |_| {
        if let Some((practitioner, k)) =
            moving.with(|m| m.as_ref().map(|a| (a.practitioner_id.clone(), a.kind)))
        {
            chosen.set(Some(practitioner));
            kind.set(k);
            week.set(0);
        }
    });
    // A choice made for another practitioner, reason or week is no longer on screen.
    Effect::new(move |_| {
        let _ = (chosen.get(), kind.get(), week.get());
        selected.set(None);
    });

    let a = api.clone();
    let booking = use_mutation(
        move |(req, key): (CreateAppointmentRequest, String)| {
            let api = a.clone();
            async move { endpoints::book(&api, &req, Some(key)).await }
        },
        MutationOptions {
            invalidate: vec![queries::appointments(), queries::slots()],
            ..Default::default()
        },
    );

    let a = api.clone();
    let moving_to = use_mutation(
        move |(id, start, key): (String, chrono::DateTime<chrono::Utc>, String)| {
            let api = a.clone();
            async move { endpoints::reschedule(&api, &id, start, Some(key)).await }
        },
        MutationOptions {
            invalidate: vec![queries::appointments(), queries::slots()],
            ..Default::default()
        },
    );
    // Staff moving someone's visit: that patient's other visits, to warn before a time that
    // overlaps one. A warning, not a refusal: a practice may do it on purpose (a dentist's
    // check during a hygienist's cleaning).
    let patient_visits = use_appointment_list(
        move || {
            if viewer == Some(Role::Patient) {
                return None;
            }
            Some(AppointmentFilter {
                from: format::today(),
                to: None,
                practitioner: None,
                status: None,
                patient: Some(moving.with(|m| m.as_ref().map(|a| a.patient_id.clone()))?),
                page: 1,
                limit: 100,
            })
        },
        false,
    );
    let clash = move || {
        let slot = selected.get()?;
        let moved = moving.with(|m| m.as_ref().map(|a| a.id.clone()))?;
        let end = slot.start_time + Duration::minutes(i64::from(slot.duration));
        patient_visits.data.with(|page| {
            page.as_ref()?
                .items
                .iter()
                .find(|o| {
                    o.id != moved
                        && o.status.holds_slot()
                        && o.start_time < end
                        && o.end_time > slot.start_time
                })
                .cloned()
        })
    };

    let move_here = move |from: Appointment, slot: AppointmentSlot| {
        let t = prefs.t();
        let change = PendingChange::new(
            new_idempotency_key(),
            format!("{} · {}", t.reschedule, format::when(t, slot.start_time)),
            &Change::Reschedule {
                id: from.id.clone(),
                start_time: slot.start_time,
            },
        );
        error.set(None);
        selected.set(None);
        let queue = move |change: PendingChange| {
            outbox.enqueue(change);
            moving.set(None);
            toasts.push(NoticeKind::Info, prefs.t().move_queued, None);
        };
        if !network.online.get_untracked() {
            queue(change);
            return;
        }
        spawn_local(async move {
            let live = rt.connection.get_untracked() == Connection::Live;
            let sent = (from.id, slot.start_time, change.key.clone());
            match moving_to.mutate_async(sent).await {
                Ok(_) => {
                    moving.set(None);
                    // When live, the server's own event brings the toast.
                    if !live {
                        toasts.push(NoticeKind::Success, prefs.t().toast_rescheduled, None);
                    }
                }
                Err(e) if e.code == ErrorCode::NetworkError => queue(change),
                Err(e) => error.set(Some(prefs.t().error(e.code))),
            }
        });
    };

    let book = move |_| {
        let Some(slot) = selected.get_untracked() else {
            return;
        };
        if let Some(from) = moving.get_untracked() {
            move_here(from, slot);
            return;
        }
        let t = prefs.t();
        let k = kind.get_untracked();
        let req = CreateAppointmentRequest {
            patient_id: None,
            patient_data: None,
            practitioner_id: slot.practitioner_id.clone(),
            kind: k,
            start_time: slot.start_time,
            duration: slot.duration,
            notes: None,
            urgency: None,
        };
        let doctor = practitioners.data.with_untracked(|d| {
            d.as_ref()
                .and_then(|l| l.iter().find(|p| p.id == slot.practitioner_id))
                .map(|p| format!(" · Dr {}", p.last_name))
        });
        // The key is fixed now, so a retry or a replay of this booking is the same booking.
        let change = PendingChange::new(
            new_idempotency_key(),
            format!(
                "{} · {}{}",
                t.kind(k),
                format::when(t, slot.start_time),
                doctor.unwrap_or_default()
            ),
            &Change::Book {
                request: req.clone(),
            },
        );
        error.set(None);
        selected.set(None);
        let queue = move |change: PendingChange| {
            outbox.enqueue(change);
            toasts.push(NoticeKind::Info, prefs.t().queued_offline, None);
        };
        if !network.online.get_untracked() {
            queue(change);
            return;
        }
        spawn_local(async move {
            let live = rt.connection.get_untracked() == Connection::Live;
            match booking.mutate_async((req, change.key.clone())).await {
                // When live, the server's own event brings the toast.
                Ok(_) if !live => toasts.push(NoticeKind::Success, prefs.t().booked, None),
                Ok(_) => {}
                // The answer was lost on the way (or never left): the queue sends it again
                // with the same key when the network is back.
                Err(e) if e.code == ErrorCode::NetworkError => queue(change),
                Err(e) if live && e.code == ErrorCode::SlotConflict => {}
                Err(e) => error.set(Some(prefs.t().error(e.code))),
            }
        });
    };

    view! {
        <section class="card" aria-labelledby="book-title">
            <h2 id="book-title">
                {move || if moving.with(Option::is_some) { prefs.t().move_title } else { prefs.t().book_title }}
            </h2>
            {move || {
                moving
                    .get()
                    .map(|a| {
                        let t = prefs.t();
                        // Patients move their own visit: name the practitioner. Staff move
                        // someone's: name the patient.
                        let who = if viewer == Some(Role::Patient) {
                            a.practitioner
                                .as_ref()
                                .map(|p| format!(" · Dr {} {}", p.first_name, p.last_name))
                        } else {
                            a.patient.as_ref().map(|p| format!(" · {}", p.full_name()))
                        }
                        .unwrap_or_default();
                        view! {
                            <div class="move-note" role="status">
                                <span>{format!("{} {}{}", t.move_from, format::when(t, a.start_time), who)}</span>
                                <button class="secondary small" on:click=move |_| moving.set(None)>
                                    {t.keep_time}
                                </button>
                            </div>
                        }
                    })
            }}
            <div class="form-row">
                <label>
                    {prefs.tr(|t| t.practitioner)}
                    <select
                        disabled=move || moving.with(Option::is_some)
                        on:change=move |ev| chosen.set(Some(event_target_value(&ev)))
                    >
                        {move || {
                            let current = practitioner_id();
                            practitioners
                                .data
                                .get()
                                .unwrap_or_default()
                                .into_iter()
                                .map(|p| {
                                    let is_current = current.as_deref() == Some(p.id.as_str());
                                    view! {
                                        <option value=p.id.clone() selected=is_current>
                                            {format!("Dr {} {} — {}", p.first_name, p.last_name, p.specialty)}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
                <label>
                    {prefs.tr(|t| t.visit_type)}
                    <select
                        disabled=move || moving.with(Option::is_some)
                        on:change=move |ev| {
                        if let Some(k) = AppointmentType::parse(&event_target_value(&ev)) {
                            kind.set(k);
                        }
                    }>
                        {AppointmentType::ALL
                            .into_iter()
                            .filter(|k| *k != AppointmentType::Urgence)
                            .map(|k| {
                                view! {
                                    <option value=k.as_str() selected=move || kind.get() == k>
                                        {move || format!("{} ({} {})", prefs.t().kind(k), k.default_duration(), prefs.t().minutes)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
            </div>
            <div class="week-nav">
                <button class="secondary small" disabled=move || { week.get() <= 0 } on:click=move |_| week.update(|w| *w -= 1)>
                    "‹ " {prefs.tr(|t| t.earlier)}
                </button>
                <span class="week-label">
                    {move || {
                        let (from, to) = range();
                        format!("{} – {}", format::day(prefs.t(), from), format::day(prefs.t(), to))
                    }}
                </span>
                <button class="secondary small" disabled=move || { week.get() >= MAX_WEEKS_AHEAD } on:click=move |_| week.update(|w| *w += 1)>
                    {prefs.tr(|t| t.later)} " ›"
                </button>
            </div>
            <QueryView query=slots ready=move |list| view! { <SlotPicker slots=list selected=selected /> } />
            {move || error.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
            {move || {
                clash()
                    .map(|other| {
                        let t = prefs.t();
                        let who = moving
                            .with(|m| m.as_ref().and_then(|a| a.patient.as_ref().map(|p| p.full_name())))
                            .unwrap_or_default();
                        let with = other
                            .practitioner
                            .as_ref()
                            .map(|p| format!("Dr {} {}, ", p.first_name, p.last_name))
                            .unwrap_or_default();
                        view! {
                            <p class="move-warning" role="status">
                                {format!("{who} {} {with}{}", t.patient_elsewhere, format::time(other.start_time))}
                            </p>
                        }
                    })
            }}
            <div class="book-bar">
                <span class="muted">
                    {move || match selected.get() {
                        Some(s) => format!("{} · {}", format::day(prefs.t(), s.date), s.time),
                        None => prefs.t().choose_slot.to_string(),
                    }}
                </span>
                <button
                    class="primary"
                    disabled=move || {
                        selected.get().is_none() || booking.pending.get() || moving_to.pending.get()
                    }
                    on:click=book
                >
                    {move || {
                        let t = prefs.t();
                        match (moving.with(Option::is_some), booking.pending.get() || moving_to.pending.get()) {
                            (false, false) => t.book,
                            (false, true) => t.booking,
                            (true, false) => t.move_here,
                            (true, true) => t.moving,
                        }
                    }}
                </button>
            </div>
        </section>
    }
}
