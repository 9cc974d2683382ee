//! Changing an appointment after it is booked: edits, cancellation, rescheduling, and the data
//! of the events those changes emit.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{Appointment, AppointmentStatus, Id};

/// `PUT /api/appointments/{id}` (seed 000 `UpdateAppointmentRequest`), for staff.
///
/// `status` follows the same rules as the action endpoints (`confirmed` = `/confirm`,
/// `cancelled` = `/cancel`, `completed` = `/complete`, `no_show` = `/no-show`) and must then be
/// the only field. `notes: ""` clears the notes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateAppointmentRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(with = "crate::wire_time::timestamp_opt")]
    pub start_time: Option<DateTime<Utc>>,
    /// Minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<AppointmentStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub practitioner_id: Option<Id>,
}

/// `PUT /api/appointments/{id}/cancel`; the body may also be empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CancelAppointmentRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `PUT /api/appointments/{id}/reschedule`: the same appointment at a new time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RescheduleAppointmentRequest {
    #[serde(with = "crate::wire_time::timestamp")]
    pub start_time: DateTime<Utc>,
    /// Minutes; the current duration when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<u32>,
}

/// `creneau:available` data: a time that was held is free again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SlotFreed {
    pub practitioner_id: Id,
    #[serde(with = "crate::wire_time::timestamp")]
    pub start_time: DateTime<Utc>,
    #[serde(with = "crate::wire_time::timestamp")]
    pub end_time: DateTime<Utc>,
}

impl From<&crate::Appointment> for SlotFreed {
    fn from(a: &crate::Appointment) -> Self {
        Self {
            practitioner_id: a.practitioner_id.clone(),
            start_time: a.start_time,
            end_time: a.end_time,
        }
    }
}

/// `rendezvous:rescheduled` data: the appointment as it is now, and where it was before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AppointmentMoved {
    #[serde(flatten)]
    pub appointment: Appointment,
    #[serde(with = "crate::wire_time::timestamp")]
    pub previous_start_time: DateTime<Utc>,
    #[serde(with = "crate::wire_time::timestamp")]
    pub previous_end_time: DateTime<Utc>,
    pub previous_practitioner_id: Id,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_request_is_seed_000_shaped() {
        let r: UpdateAppointmentRequest = serde_json::from_str(
            r#"{"startTime":"2026-03-30T07:00:00Z","duration":30,"status":"no_show","notes":"x","practitionerId":"p"}"#,
        )
        .unwrap();
        assert_eq!(r.status, Some(AppointmentStatus::NoShow));
        assert!(
            serde_json::from_str::<UpdateAppointmentRequest>(r#"{"urgency":"normal"}"#).is_err()
        );
        assert!(
            serde_json::from_str::<RescheduleAppointmentRequest>(r#"{"duration":30}"#).is_err()
        );
        assert!(serde_json::from_str::<CancelAppointmentRequest>(r#"{"why":"x"}"#).is_err());
    }
}
