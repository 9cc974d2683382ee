//! Each practitioner's day, from the dashboard query.

use leptos::prelude::*;
use nova_contract::PractitionerDay;

use super::figures::{duration, percent};
use crate::state::prefs::use_prefs;

/// A table: practitioner, appointments, booked over open time, and a fill bar.
#[component]
pub fn PractitionerLoad(days: Vec<PractitionerDay>) -> impl IntoView {
    let prefs = use_prefs();
    let rows = days
        .into_iter()
        .map(|p| {
            let booked = format!("{} / {}", duration(p.booked_minutes), duration(p.open_minutes));
            let width = format!("width:{}%", (p.fill_rate * 100.0).clamp(0.0, 100.0).round() as u8);
            let working = p.open_minutes > 0;
            view! {
                <tr data-practitioner=p.practitioner_id>
                    <th scope="row">{p.name}</th>
                    <td class="num">{p.appointments}</td>
                    {if working {
                        view! {
                            <td class="num">{booked}</td>
                            <td class="fill">
                                <span class="fill-bar"><span style=width></span></span>
                                <span class="num">{percent(p.fill_rate)}</span>
                            </td>
                        }
                            .into_any()
                    } else {
                        view! { <td class="muted" colspan="2">{prefs.tr(|t| t.not_working)}</td> }.into_any()
                    }}
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card load">
            <h2 class="card-title">{prefs.tr(|t| t.practitioner_load)}</h2>
            <table class="load-table">
                <thead>
                    <tr>
                        <th scope="col">{prefs.tr(|t| t.col_practitioner)}</th>
                        <th scope="col" class="num">{prefs.tr(|t| t.col_appointments)}</th>
                        <th scope="col" class="num">{prefs.tr(|t| t.col_booked_open)}</th>
                        <th scope="col">{prefs.tr(|t| t.col_fill)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}
