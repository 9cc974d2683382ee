//! One appointment in a list: when, who, what, its status, and what the viewer may do with it.

use chrono::Utc;
use leptos::prelude::*;
use nova_contract::{Appointment, AppointmentStatus, Role};

use crate::format;
use crate::state::agenda::{self, Action};
use crate::state::prefs::use_prefs;

/// A row of an agenda or of "my appointments". `viewer` decides whose name is shown and which
/// buttons appear: staff confirm a request and, once a visit has started, mark it held or
/// missed; a patient may cancel until it starts (after a second, explicit click).
#[component]
pub fn AppointmentItem(
    appointment: Appointment,
    viewer: Role,
    /// Runs the action a button asks for; no buttons without it.
    #[prop(optional)]
    on_action: Option<Callback<(String, Action)>>,
    /// Offered to a patient on what is still to come: choose a new time for it.
    #[prop(optional)]
    on_move: Option<Callback<Appointment>>,
    /// Show the full date instead of the time only.
    #[prop(optional)]
    with_date: bool,
) -> impl IntoView {
    let prefs = use_prefs();
    let a = appointment;
    let status = a.status;
    let person = match viewer {
        Role::Patient => a
            .practitioner
            .as_ref()
            .map(|p| format!("Dr {} {}", p.first_name, p.last_name)),
        _ => a.patient.as_ref().map(|p| p.full_name()),
    }
    .unwrap_or_default();
    let start = a.start_time;
    let kind = a.kind;
    let duration = a.duration;
    let badge = match status {
        AppointmentStatus::Pending => "badge badge-pending",
        AppointmentStatus::Confirmed => "badge badge-confirmed",
        AppointmentStatus::Completed => "badge badge-done",
        AppointmentStatus::Cancelled | AppointmentStatus::NoShow => "badge badge-off",
        AppointmentStatus::Rescheduled => "badge badge-info",
    };
    let started = start <= Utc::now();
    let actions = agenda::actions(viewer, status, started);
    let movable = agenda::movable(viewer, status, started);
    let move_button = on_move.filter(|_| movable).map(|choose| {
        let label = person.clone();
        let appointment = a.clone();
        view! {
            <button
                class="secondary small"
                aria-label=move || format!("{} {}", prefs.t().reschedule, label)
                on:click=move |_| choose.run(appointment.clone())
            >
                {prefs.tr(|t| t.reschedule)}
            </button>
        }
    });
    let buttons = on_action.filter(|_| !actions.is_empty()).map(|run| {
        let id = a.id.clone();
        let label = person.clone();
        let asking = RwSignal::new(false);
        let take = move |action: Action| {
            let id = id.clone();
            move |_| {
                if action == Action::Cancel && !asking.get_untracked() {
                    asking.set(true);
                } else {
                    asking.set(false);
                    run.run((id.clone(), action));
                }
            }
        };
        let take_each = take.clone();
        let button = move |action: Action| {
            let label = label.clone();
            let (class, text): (&str, fn(&crate::i18n::Texts) -> &'static str) = match action {
                Action::Confirm => ("primary small", |t| t.confirm),
                Action::Complete => ("primary small", |t| t.mark_done),
                Action::NoShow => ("secondary small", |t| t.mark_no_show),
                Action::Cancel | Action::Refuse => ("secondary small", |t| t.cancel),
            };
            view! {
                <button
                    class=class
                    aria-label=move || format!("{} {}", text(prefs.t()), label)
                    on:click=take_each(action)
                >
                    {move || text(prefs.t())}
                </button>
            }
        };
        view! {
            <div class="actions" hidden=move || asking.get()>
                {move_button}
                {actions.iter().map(|&action| button(action)).collect_view()}
            </div>
            <div class="ask" role="group" hidden=move || !asking.get()>
                <span>{prefs.tr(|t| t.cancel_ask)}</span>
                <button class="danger small" on:click=take(Action::Cancel)>
                    {prefs.tr(|t| t.cancel_yes)}
                </button>
                <button class="secondary small" on:click=move |_| asking.set(false)>
                    {prefs.tr(|t| t.keep)}
                </button>
            </div>
        }
    });
    view! {
        <li class="appointment" data-status=status.as_str()>
            <div class="when">
                {move || if with_date { format::when(prefs.t(), start) } else { format::time(start) }}
            </div>
            <div class="what">
                <span class="person">{person.clone()}</span>
                <span class="kind">
                    {move || format!(" · {} · {} {}", prefs.t().kind(kind), duration, prefs.t().minutes)}
                </span>
            </div>
            <span class=badge>{move || prefs.t().status(status)}</span>
            {buttons}
        </li>
    }
}
