//! The manager's figures as shown: today's counts, rates and who is connected, from the live
//! push when one has arrived, else from the dashboard query. Formatting is pure, so it tests
//! natively.

use nova_contract::{Dashboard, Language, LiveMetrics, StatusCounts};

/// The day's figures both sources carry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DayFigures {
    pub counts: StatusCounts,
    pub fill_rate: f64,
    pub no_show_rate: Option<f64>,
}

impl DayFigures {
    /// The live push wins: it is newer than any dashboard answer once it exists.
    pub fn pick(live: Option<&LiveMetrics>, dashboard: Option<&Dashboard>) -> Option<Self> {
        match (live, dashboard) {
            (Some(m), _) => Some(Self {
                counts: m.counts_by_status,
                fill_rate: m.fill_rate,
                no_show_rate: m.no_show_rate,
            }),
            (None, Some(d)) => Some(Self {
                counts: d.counts_by_status,
                fill_rate: d.fill_rate,
                no_show_rate: d.no_show_rate,
            }),
            (None, None) => None,
        }
    }
}

/// `0.42` → `42 %` (a narrow no-break space, as French typesetting wants; English readers
/// read it fine).
pub fn percent(rate: f64) -> String {
    // Through an integer: formatting an `f64` would bring the float printer into the bundle.
    format!("{}\u{202f}%", (rate * 100.0).round() as i64)
}

/// Milliseconds with one decimal, in the reader's decimal separator.
pub fn millis(ms: f64, lang: Language) -> String {
    let tenths = (ms * 10.0).round() as u64;
    let point = match lang {
        Language::Fr => ',',
        Language::En => '.',
    };
    format!("{}{point}{}", tenths / 10, tenths % 10)
}

/// `90` → `1 h 30`, `45` → `45 min`, `480` → `8 h`.
pub fn duration(minutes: u64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use nova_contract::ConnectedByRole;

    #[test]
    fn the_live_push_wins_over_the_dashboard() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let d = Dashboard {
            date,
            counts_by_status: StatusCounts {
                pending: 1,
                ..Default::default()
            },
            total: 1,
            fill_rate: 0.1,
            no_show_rate: None,
            practitioners: vec![],
        };
        let m = LiveMetrics {
            date,
            counts_by_status: StatusCounts {
                pending: 2,
                ..Default::default()
            },
            total: 2,
            fill_rate: 0.2,
            no_show_rate: Some(0.5),
            connected: ConnectedByRole::default(),
            latency_p50_ms: None,
            latency_p99_ms: None,
        };
        assert_eq!(DayFigures::pick(None, Some(&d)).unwrap().counts.pending, 1);
        let live = DayFigures::pick(Some(&m), Some(&d)).unwrap();
        assert_eq!((live.counts.pending, live.fill_rate), (2, 0.2));
        assert_eq!(DayFigures::pick(None, None), None);
    }

    #[test]
    fn figures_read_as_people_write_them() {
        assert_eq!(percent(0.424), "42\u{202f}%");
        assert_eq!(percent(0.0), "0\u{202f}%");
        assert_eq!(millis(0.44, Language::Fr), "0,4");
        assert_eq!(millis(12.0, Language::En), "12.0");
        assert_eq!(duration(45), "45 min");
        assert_eq!(duration(90), "1 h 30");
        assert_eq!(duration(480), "8 h");
    }
}
