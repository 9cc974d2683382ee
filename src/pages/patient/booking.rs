//! Booking: pick a practitioner and a reason, browse free times week by week, book one.

use chrono::Duration;
use leptos::prelude::*;
use leptos::task::spawn_local;
use nova_contract::{
    AppointmentSlot, AppointmentType, CreateAppointmentRequest, ErrorCode, NoticeKind,
};

use crate::api::endpoints;
use crate::components::slot_picker::SlotPicker;
use crate::format;
use crate::state::auth::use_auth;
use crate::state::prefs::use_prefs;
use crate::state::realtime::{use_realtime, Connection};
use crate::state::toasts::use_toasts;

/// How far ahead a patient may browse.
const MAX_WEEKS_AHEAD: i64 = 8;

/// The booking form. Slots refresh by themselves when someone else takes one.
#[component]
pub fn BookingPanel() -> impl IntoView {
    let auth = use_auth();
    let prefs = use_prefs();
    let rt = use_realtime();
    let toasts = use_toasts();

    let practitioners = LocalResource::new(move || {
        let creds = auth.credentials();
        async move {
            let result = endpoints::practitioners(&creds?).await;
            if let Err(e) = &result {
                auth.check(e);
            }
            Some(result)
        }
    });
    let chosen = RwSignal::new(None::<String>);
    let practitioner_id = move || {
        chosen.get().or_else(|| {
            practitioners
                .get()
                .flatten()
                .and_then(|r| r.ok())
                .and_then(|l| l.first().map(|p| p.id.clone()))
        })
    };
    let kind = RwSignal::new(AppointmentType::Consultation);
    let week = RwSignal::new(0i64);
    let selected = RwSignal::new(None::<AppointmentSlot>);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<&'static str>);

    // Seven days at a time from today, so the first page is never an empty weekend.
    let range = move || {
        let start = format::today() + Duration::weeks(week.get());
        (start, start + Duration::days(6))
    };
    let slots = LocalResource::new(move || {
        let creds = auth.credentials();
        let practitioner = practitioner_id();
        let duration = kind.get().default_duration();
        let (from, to) = range();
        rt.slots_changed.track();
        async move {
            let (creds, practitioner) = (creds?, practitioner?);
            Some(endpoints::slots(&creds, &practitioner, from, to, duration).await)
        }
    });
    // A choice made for another practitioner, reason or week is no longer on screen.
    Effect::new(move |_| {
        let _ = (chosen.get(), kind.get(), week.get());
        selected.set(None);
    });

    let book = move |_| {
        let (Some(creds), Some(slot)) = (auth.credentials(), selected.get_untracked()) else {
            return;
        };
        let req = CreateAppointmentRequest {
            patient_id: None,
            patient_data: None,
            practitioner_id: slot.practitioner_id.clone(),
            kind: kind.get_untracked(),
            start_time: slot.start_time,
            duration: slot.duration,
            notes: None,
            urgency: None,
        };
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            let live = rt.connection.get_untracked() == Connection::Live;
            match endpoints::book(&creds, &req).await {
                Ok(_) => {
                    selected.set(None);
                    // When live, the server's own event brings the toast and the refresh.
                    if !live {
                        toasts.push(NoticeKind::Success, prefs.t().booked, None);
                        rt.appointments_changed.update(|v| *v += 1);
                    }
                    slots.refetch();
                }
                Err(e) => {
                    auth.check(&e);
                    selected.set(None);
                    slots.refetch();
                    if !(live && e.code == ErrorCode::SlotConflict) {
                        error.set(Some(prefs.t().error(e.code)));
                    }
                }
            }
            pending.set(false);
        });
    };

    view! {
        <section class="card" aria-labelledby="book-title">
            <h2 id="book-title">{move || prefs.t().book_title}</h2>
            <div class="form-row">
                <label>
                    {move || prefs.t().practitioner}
                    <select on:change=move |ev| chosen.set(Some(event_target_value(&ev)))>
                        {move || {
                            let current = practitioner_id();
                            practitioners
                                .get()
                                .flatten()
                                .and_then(|r| r.ok())
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
                    {move || prefs.t().visit_type}
                    <select on:change=move |ev| {
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
                    "‹ " {move || prefs.t().earlier}
                </button>
                <span class="week-label">
                    {move || {
                        let (from, to) = range();
                        format!("{} – {}", format::day(prefs.t(), from), format::day(prefs.t(), to))
                    }}
                </span>
                <button class="secondary small" disabled=move || { week.get() >= MAX_WEEKS_AHEAD } on:click=move |_| week.update(|w| *w += 1)>
                    {move || prefs.t().later} " ›"
                </button>
            </div>
            {move || match slots.get().flatten() {
                None => view! { <p class="muted">{prefs.t().loading}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="form-error" role="alert">{prefs.t().error(e.code)}</p> }.into_any(),
                Some(Ok(list)) => view! { <SlotPicker slots=list selected=selected /> }.into_any(),
            }}
            {move || error.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
            <div class="book-bar">
                <span class="muted">
                    {move || match selected.get() {
                        Some(s) => format!("{} · {}", format::day(prefs.t(), s.date), s.time),
                        None => prefs.t().choose_slot.to_string(),
                    }}
                </span>
                <button
                    class="primary"
                    disabled=move || selected.get().is_none() || pending.get()
                    on:click=book
                >
                    {move || if pending.get() { prefs.t().booking } else { prefs.t().book }}
                </button>
            </div>
        </section>
    }
}
