//! The manager's figures (`Dashboard`, `metrics:update`'s `LiveMetrics`) read by hand from a
//! JSON value. The socket and the HTTP client already parse into `serde_json::Value`; the
//! derived decoders of these five structs would add about 4 kB brotli to the bundle for two
//! screens' worth of numbers. The tests hold the readers to the contract's own serialisation.

use nova_contract::wire_time::parse_date;
use nova_contract::{ConnectedByRole, Dashboard, LiveMetrics, PractitionerDay, StatusCounts};
use serde_json::Value;

fn count(v: &Value, key: &str) -> Option<u64> {
    v.get(key)?.as_u64()
}

fn number(v: &Value, key: &str) -> Option<f64> {
    v.get(key)?.as_f64()
}

/// Absent and `null` both mean "nothing to measure yet".
fn maybe(v: &Value, key: &str) -> Option<f64> {
    v.get(key).and_then(Value::as_f64)
}

fn counts(v: &Value) -> Option<StatusCounts> {
    Some(StatusCounts {
        pending: count(v, "pending")?,
        confirmed: count(v, "confirmed")?,
        cancelled: count(v, "cancelled")?,
        completed: count(v, "completed")?,
        no_show: count(v, "noShow")?,
        rescheduled: count(v, "rescheduled")?,
    })
}

fn practitioner(v: &Value) -> Option<PractitionerDay> {
    Some(PractitionerDay {
        practitioner_id: v.get("practitionerId")?.as_str()?.into(),
        name: v.get("name")?.as_str()?.into(),
        appointments: count(v, "appointments")?,
        booked_minutes: count(v, "bookedMinutes")?,
        open_minutes: count(v, "openMinutes")?,
        fill_rate: number(v, "fillRate")?,
    })
}

/// `GET /api/analytics/dashboard`'s `data`; `None` if anything is missing or mistyped.
pub fn dashboard(v: &Value) -> Option<Dashboard> {
    Some(Dashboard {
        date: parse_date(v.get("date")?.as_str()?)?,
        counts_by_status: counts(v.get("countsByStatus")?)?,
        total: count(v, "total")?,
        fill_rate: number(v, "fillRate")?,
        no_show_rate: maybe(v, "noShowRate"),
        practitioners: v
            .get("practitioners")?
            .as_array()?
            .iter()
            .map(practitioner)
            .collect::<Option<_>>()?,
    })
}

/// `metrics:update`'s `data`; `None` if anything is missing or mistyped.
pub fn live_metrics(v: &Value) -> Option<LiveMetrics> {
    let c = v.get("connected")?;
    Some(LiveMetrics {
        date: parse_date(v.get("date")?.as_str()?)?,
        counts_by_status: counts(v.get("countsByStatus")?)?,
        total: count(v, "total")?,
        fill_rate: number(v, "fillRate")?,
        no_show_rate: maybe(v, "noShowRate"),
        connected: ConnectedByRole {
            patients: count(c, "patients")?,
            practitioners: count(c, "practitioners")?,
            managers: count(c, "managers")?,
            admins: count(c, "admins")?,
        },
        latency_p50_ms: maybe(v, "latencyP50Ms"),
        latency_p99_ms: maybe(v, "latencyP99Ms"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn counts() -> StatusCounts {
        StatusCounts {
            pending: 1,
            confirmed: 2,
            cancelled: 3,
            completed: 4,
            no_show: 5,
            rescheduled: 6,
        }
    }

    #[test]
    fn the_dashboard_reads_back_as_the_contract_writes_it() {
        let d = Dashboard {
            date: day(),
            counts_by_status: counts(),
            total: 21,
            fill_rate: 0.375,
            no_show_rate: Some(0.5),
            practitioners: vec![PractitionerDay {
                practitioner_id: "dr".into(),
                name: "Claire Martin".into(),
                appointments: 3,
                booked_minutes: 90,
                open_minutes: 480,
                fill_rate: 0.1875,
            }],
        };
        let v = serde_json::to_value(&d).unwrap();
        assert_eq!(dashboard(&v), Some(d.clone()));
        let none = Dashboard {
            no_show_rate: None,
            ..d
        };
        assert_eq!(dashboard(&serde_json::to_value(&none).unwrap()), Some(none));
        let mut broken = v;
        broken["practitioners"][0]["openMinutes"] = "8 h".into();
        assert_eq!(dashboard(&broken), None);
    }

    #[test]
    fn live_metrics_read_back_as_the_contract_writes_them() {
        let m = LiveMetrics {
            date: day(),
            counts_by_status: counts(),
            total: 21,
            fill_rate: 0.0,
            no_show_rate: None,
            connected: ConnectedByRole {
                patients: 7,
                practitioners: 2,
                managers: 1,
                admins: 0,
            },
            latency_p50_ms: Some(0.4),
            latency_p99_ms: None,
        };
        let v = serde_json::to_value(&m).unwrap();
        assert_eq!(live_metrics(&v), Some(m));
        let mut broken = v;
        broken.as_object_mut().unwrap().remove("connected");
        assert_eq!(live_metrics(&broken), None);
    }
}
