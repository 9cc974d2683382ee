//! The strip of live figures above the manager's counts.

use leptos::prelude::*;
use nova_contract::LiveMetrics;

use super::figures::{millis, percent, DayFigures};
use crate::i18n::Texts;
use crate::state::prefs::use_prefs;

pub const NONE: &str = "—";

/// A figure's text, read reactively.
pub type Text = Box<dyn Fn() -> String + Send + Sync>;

/// One figure over what it measures. The strip and the status counts both use it, so its view
/// code is compiled once.
pub fn figure(
    class: &'static str,
    id: &'static str,
    value: Text,
    label: Box<dyn Fn() -> &'static str + Send + Sync>,
) -> impl IntoView {
    view! {
        <div class=class data-figure=id>
            <span class="figure-value">{move || value()}</span>
            <span class="figure-label">{move || label()}</span>
        </div>
    }
}

/// Fill rate, no-show rate, who is connected now by role, and how fast notifications go out.
#[component]
pub fn MetricsStrip(
    day: Signal<Option<DayFigures>, LocalStorage>,
    live: Signal<Option<LiveMetrics>, LocalStorage>,
) -> impl IntoView {
    let prefs = use_prefs();
    let rate = move |f: fn(&DayFigures) -> Option<f64>| -> Text {
        Box::new(move || day.with(|d| d.as_ref().and_then(f).map_or(NONE.into(), percent)))
    };
    let connected = move |f: fn(&LiveMetrics) -> u64| -> Text {
        Box::new(move || live.with(|m| m.as_ref().map_or(NONE.into(), |m| f(m).to_string())))
    };
    let latency: Text = Box::new(move || {
        let lang = prefs.lang.get();
        let ms = |v: Option<f64>| v.map_or(NONE.into(), |v| millis(v, lang));
        live.with(|m| {
            m.as_ref().map_or(NONE.into(), |m| {
                format!("{} / {} ms", ms(m.latency_p50_ms), ms(m.latency_p99_ms))
            })
        })
    });
    // Managers and admins together: the contract counts them apart, the practice calls both
    // its staff.
    let metrics = [
        (
            "fill-rate",
            (|t| t.fill_rate) as fn(&'static Texts) -> &'static str,
            rate(|d| Some(d.fill_rate)),
        ),
        ("no-show-rate", |t| t.no_show_rate, rate(|d| d.no_show_rate)),
        (
            "connected-patients",
            |t| t.connected_patients,
            connected(|m| m.connected.patients),
        ),
        (
            "connected-practitioners",
            |t| t.connected_practitioners,
            connected(|m| m.connected.practitioners),
        ),
        (
            "connected-staff",
            |t| t.connected_staff,
            connected(|m| m.connected.managers + m.connected.admins),
        ),
        ("latency", |t| t.notification_latency, latency),
    ];
    view! {
        <section class="metrics" aria-label=prefs.tr(|t| t.live_metrics)>
            {metrics
                .map(|(id, label, value)| figure("metric", id, value, Box::new(prefs.tr(label))))
                .collect_view()}
        </section>
    }
}
