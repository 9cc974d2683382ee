//! The manager's dashboard (seed 000 `analytics/`): one day of a cabinet in numbers.
//!
//! Definitions, for every figure below:
//! - **the day** runs from local midnight to the next local midnight in the cabinet's time zone
//!   (23 or 25 hours on daylight-saving days); an appointment belongs to the day it starts in.
//! - **booked minutes**: the durations of the day's appointments that hold or have held their
//!   slot — `pending`, `confirmed`, `completed`, `no_show`. Cancelled and rescheduled ones
//!   freed their time and do not count.
//! - **open minutes**: the practitioner's weekly opening hours for that weekday, in local
//!   wall-clock minutes.
//! - **fill rate** = booked minutes / open minutes; `0` when there are no open minutes. It
//!   exceeds `1` only if appointments sit outside the opening hours.
//! - **no-show rate** = `no_show` / (`completed` + `no_show`) over the day's appointments;
//!   `null` when neither happened (nothing to measure yet).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::Id;

/// `GET /api/analytics/dashboard`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DashboardQuery {
    /// `YYYY-MM-DD`; today in the cabinet's time zone when absent.
    #[serde(default)]
    pub date: Option<String>,
}

/// How many of the day's appointments are in each status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct StatusCounts {
    pub pending: u64,
    pub confirmed: u64,
    pub cancelled: u64,
    pub completed: u64,
    pub no_show: u64,
    pub rescheduled: u64,
}

impl StatusCounts {
    pub fn total(&self) -> u64 {
        self.pending
            + self.confirmed
            + self.cancelled
            + self.completed
            + self.no_show
            + self.rescheduled
    }
}

/// One practitioner's day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PractitionerDay {
    pub practitioner_id: Id,
    /// `First Last`.
    pub name: String,
    /// Appointments starting that day, whatever their status.
    pub appointments: u64,
    pub booked_minutes: u64,
    pub open_minutes: u64,
    pub fill_rate: f64,
}

/// The dashboard of one day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Dashboard {
    #[serde(with = "crate::wire_time::date")]
    pub date: NaiveDate,
    pub counts_by_status: StatusCounts,
    /// Every appointment starting that day (the sum of `countsByStatus`).
    pub total: u64,
    /// All practitioners' booked minutes over all their open minutes.
    pub fill_rate: f64,
    #[serde(default)]
    pub no_show_rate: Option<f64>,
    /// Every practitioner of the cabinet, by last name, including those not working that day.
    pub practitioners: Vec<PractitionerDay>,
}

/// `metrics:update` (volatile, to the cabinet's managers every few seconds and on change):
/// today's figures as in [`Dashboard`], who is connected, and how fast notifications go out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LiveMetrics {
    #[serde(with = "crate::wire_time::date")]
    pub date: NaiveDate,
    pub counts_by_status: StatusCounts,
    pub total: u64,
    pub fill_rate: f64,
    #[serde(default)]
    pub no_show_rate: Option<f64>,
    /// People (not tabs) connected to this cabinet in real time, by role.
    pub connected: ConnectedByRole,
    /// Server-side notification latency (domain event to hand-off to the sockets), in
    /// milliseconds, over the recent events of the instance; `null` before any event.
    #[serde(default)]
    pub latency_p50_ms: Option<f64>,
    #[serde(default)]
    pub latency_p99_ms: Option<f64>,
}

/// `POST /api/announcements`: a manager's or admin's message to everyone of the cabinet who
/// is connected now (or to one role), as a volatile `notification:general` ("the practice
/// closes at 17:00 today").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AnnouncementRequest {
    /// 1 to 500 characters.
    pub message: String,
    /// Only people of this role; everyone of the cabinet when absent.
    #[serde(default)]
    pub audience: Option<crate::Role>,
}

/// What was announced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Announcement {
    pub message: String,
    #[serde(default)]
    pub audience: Option<crate::Role>,
}

/// Connected people by role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ConnectedByRole {
    pub patients: u64,
    pub practitioners: u64,
    pub managers: u64,
    pub admins: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dashboard_wire_names() {
        let d = Dashboard {
            date: NaiveDate::from_ymd_opt(2026, 3, 30).unwrap(),
            counts_by_status: StatusCounts {
                no_show: 1,
                completed: 1,
                ..Default::default()
            },
            total: 2,
            fill_rate: 0.5,
            no_show_rate: Some(0.5),
            practitioners: vec![],
        };
        let v = serde_json::to_value(&d).unwrap();
        assert_eq!(v["date"], "2026-03-30");
        assert_eq!(v["countsByStatus"]["noShow"], 1);
        assert_eq!(v["noShowRate"], 0.5);
        assert_eq!(d.counts_by_status.total(), 2);
    }
}
