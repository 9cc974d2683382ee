//! Free times grouped by day, as buttons; the chosen one is highlighted.

use std::collections::BTreeMap;

use leptos::prelude::*;
use nova_contract::AppointmentSlot;

use crate::format;
use crate::state::prefs::use_prefs;

/// Columns of days, each with its free times. Taken times are not offered.
#[component]
pub fn SlotPicker(
    slots: Vec<AppointmentSlot>,
    selected: RwSignal<Option<AppointmentSlot>>,
) -> impl IntoView {
    let prefs = use_prefs();
    let mut by_day: BTreeMap<_, Vec<AppointmentSlot>> = BTreeMap::new();
    for s in slots.into_iter().filter(|s| s.available) {
        by_day.entry(s.date).or_default().push(s);
    }
    if by_day.is_empty() {
        return view! { <p class="empty">{prefs.tr(|t| t.no_slots)}</p> }.into_any();
    }
    view! {
        <div class="slot-days">
            {by_day
                .into_iter()
                .map(|(date, slots)| {
                    view! {
                        <div class="slot-day">
                            <h4>{move || format::day(prefs.t(), date)}</h4>
                            <div class="slot-times">
                                {slots
                                    .into_iter()
                                    .map(|slot| {
                                        let start = slot.start_time;
                                        let label = slot.time.clone();
                                        let is_selected = move || {
                                            selected.with(|s| s.as_ref().map(|s| s.start_time) == Some(start))
                                        };
                                        view! {
                                            <button
                                                class="slot"
                                                data-start=start.to_rfc3339()
                                                class:selected=is_selected
                                                aria-pressed=move || is_selected().to_string()
                                                on:click=move |_| selected.set(Some(slot.clone()))
                                            >
                                                {label}
                                            </button>
                                        }
                                    })
                                    .collect_view()}
                            </div>
                        </div>
                    }
                })
                .collect_view()}
        </div>
    }
    .into_any()
}
