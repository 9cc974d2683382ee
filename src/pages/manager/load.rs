//! Each practitioner's day, from the dashboard query.

use leptos::prelude::*;
use nova_contract::{Dashboard, PractitionerDay};

use super::figures::{duration, percent};
use crate::i18n::Texts;
use crate::state::prefs::use_prefs;

/// A table: practitioner, appointments, booked over open time, and a fill bar.
#[component]
pub fn PractitionerLoad(dashboard: Signal<Option<Dashboard>, LocalStorage>) -> impl IntoView {
    let prefs = use_prefs();
    // The rows as one HTML string: a table of text re-rendered whole when the dashboard is
    // refetched. Built as views, each row's cells cost about 3 kB brotli of generic view code.
    let rows = move || {
        let t = prefs.t();
        dashboard.with(|d| {
            d.as_ref()
                .map_or(String::new(), |d| rows_html(&d.practitioners, t))
        })
    };
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
                <tbody inner_html=rows></tbody>
            </table>
        </section>
    }
}

/// The table's rows; every text from the server is escaped.
pub fn rows_html(days: &[PractitionerDay], t: &Texts) -> String {
    let mut html = String::new();
    for p in days {
        let (id, name) = (escape(&p.practitioner_id), escape(&p.name));
        let cells = if p.open_minutes > 0 {
            let width = (p.fill_rate * 100.0).clamp(0.0, 100.0).round() as u8;
            format!(
                "<td class=\"num\">{} / {}</td><td class=\"fill\"><span class=\"fill-bar\"><span style=\"width:{width}%\"></span></span><span class=\"num\">{}</span></td>",
                duration(p.booked_minutes),
                duration(p.open_minutes),
                percent(p.fill_rate)
            )
        } else {
            format!("<td class=\"muted\" colspan=\"2\">{}</td>", t.not_working)
        };
        html += &format!(
            "<tr data-practitioner=\"{id}\"><th scope=\"row\">{name}</th><td class=\"num\">{}</td>{cells}</tr>",
            p.appointments
        );
    }
    html
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::FR;

    fn day(name: &str, open: u64) -> PractitionerDay {
        PractitionerDay {
            practitioner_id: "dr".into(),
            name: name.into(),
            appointments: 3,
            booked_minutes: 90,
            open_minutes: open,
            fill_rate: if open > 0 { 90.0 / open as f64 } else { 0.0 },
        }
    }

    #[test]
    fn rows_show_load_or_a_day_off_and_escape_names() {
        let html = rows_html(
            &[
                day("Claire <b>Martin</b> & co", 480),
                day("Hugo Bernard", 0),
            ],
            &FR,
        );
        assert!(html.contains("Claire &lt;b&gt;Martin&lt;/b&gt; &amp; co"));
        assert!(!html.contains("<b>"));
        assert!(html.contains("1 h 30 / 8 h"));
        assert!(html.contains("width:19%"));
        assert!(html.contains(FR.not_working));
        assert_eq!(html.matches("<tr").count(), 2);
    }
}
