//! Live slot pickers and reminders: what a screen showing a practitioner's free times sends
//! (`slots:watch` / `slots:unwatch`) and hears (`creneau:conflict` with a [`SlotTaken`],
//! `creneau:available` with a `SlotFreed`), and the `rappel:reminder` data.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{Appointment, Id};

/// `slots:watch` / `slots:unwatch` payload: the practitioner whose free times are on screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SlotWatch {
    pub practitioner_id: Id,
    /// The cabinet, like `X-Tenant-ID` on REST calls (one the caller belongs to); the caller's
    /// home cabinet when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cabinet_id: Option<Id>,
}

/// `creneau:conflict` data for watchers: a time was just booked. Nothing about who booked it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SlotTaken {
    pub practitioner_id: Id,
    #[serde(with = "crate::wire_time::timestamp")]
    pub start_time: DateTime<Utc>,
    /// Minutes.
    pub duration: u32,
}

impl From<&Appointment> for SlotTaken {
    fn from(a: &Appointment) -> Self {
        Self {
            practitioner_id: a.practitioner_id.clone(),
            start_time: a.start_time,
            duration: a.duration,
        }
    }
}

/// Which reminder: a day before, or two hours before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ReminderKind {
    #[serde(rename = "24h")]
    DayBefore,
    #[serde(rename = "2h")]
    TwoHoursBefore,
}

impl ReminderKind {
    pub const ALL: [ReminderKind; 2] = [Self::DayBefore, Self::TwoHoursBefore];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::DayBefore => "24h",
            Self::TwoHoursBefore => "2h",
        }
    }

    /// How long before the appointment it falls due, in seconds.
    pub fn lead_secs(self) -> i64 {
        match self {
            Self::DayBefore => 24 * 3600,
            Self::TwoHoursBefore => 2 * 3600,
        }
    }
}

/// `rappel:reminder` data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReminderNotice {
    pub reminder: ReminderKind,
    pub appointment: Appointment,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminder_kinds_are_spelt_as_their_lead() {
        assert_eq!(
            serde_json::to_value(ReminderKind::DayBefore).unwrap(),
            "24h"
        );
        for k in ReminderKind::ALL {
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
    }

    #[test]
    fn a_watch_names_one_practitioner() {
        assert!(serde_json::from_str::<SlotWatch>(r#"{"practitionerId":"p"}"#).is_ok());
        assert!(serde_json::from_str::<SlotWatch>(r#"{"practitionerId":3}"#).is_err());
        assert!(serde_json::from_str::<SlotWatch>(r#"{}"#).is_err());
    }
}
