//! One appointment in a list: when, who, what, its status, and the action staff can take.

use leptos::prelude::*;
use nova_contract::{Appointment, AppointmentStatus, Role};

use crate::format;
use crate::state::prefs::use_prefs;

/// A row of an agenda or of "my appointments". `viewer` decides whose name is shown.
#[component]
pub fn AppointmentItem(
    appointment: Appointment,
    viewer: Role,
    /// Shown as a Confirm button on pending appointments when given.
    #[prop(optional)]
    on_confirm: Option<Callback<String>>,
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
    let id = a.id.clone();
    let badge = match status {
        AppointmentStatus::Pending => "badge badge-pending",
        AppointmentStatus::Confirmed => "badge badge-confirmed",
        AppointmentStatus::Completed => "badge badge-done",
        AppointmentStatus::Cancelled | AppointmentStatus::NoShow => "badge badge-off",
        AppointmentStatus::Rescheduled => "badge badge-info",
    };
    let confirm = on_confirm.filter(|_| status == AppointmentStatus::Pending);
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
            {confirm
                .map(|cb| {
                    let id = id.clone();
                    let label = person.clone();
                    view! {
                        <button
                            class="primary small"
                            aria-label=move || format!("{} {}", prefs.t().confirm, label)
                            on:click=move |_| cb.run(id.clone())
                        >
                            {prefs.tr(|t| t.confirm)}
                        </button>
                    }
                })}
        </li>
    }
}
