//! The waitlist: a patient asks to be told when an earlier time frees up with a practitioner of
//! their cabinet (`/api/waitlist`). When one does, each waiting patient whose window it fits
//! gets `creneau:available` with a [`WaitlistOffer`], in the order they joined; booking it stays
//! first to book wins.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::{Id, PersonSummary, SlotFreed};

/// `POST /api/waitlist`: wait for a freed time with this practitioner, optionally only between
/// two local days (inclusive, in the cabinet's time zone). `dateTo` alone means "before".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateWaitlistRequest {
    pub practitioner_id: Id,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(with = "crate::wire_time::date_opt")]
    pub date_from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(with = "crate::wire_time::date_opt")]
    pub date_to: Option<NaiveDate>,
}

/// Whether an entry still waits, or a booking in its window closed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum WaitlistStatus {
    Waiting,
    Fulfilled,
}

/// One of the patient's waitlist entries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct WaitlistEntry {
    pub id: Id,
    pub practitioner_id: Id,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub practitioner: Option<PersonSummary>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(with = "crate::wire_time::date_opt")]
    pub date_from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(with = "crate::wire_time::date_opt")]
    pub date_to: Option<NaiveDate>,
    pub status: WaitlistStatus,
    /// The booking that closed the entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointment_id: Option<Id>,
    #[serde(with = "crate::wire_time::timestamp")]
    pub created_at: DateTime<Utc>,
}

/// `creneau:available` data sent to a waiting patient: the freed time and the entry it answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct WaitlistOffer {
    #[serde(flatten)]
    pub slot: SlotFreed,
    pub waitlist_entry_id: Id,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offer_is_a_freed_slot_plus_the_entry() {
        let offer = WaitlistOffer {
            slot: SlotFreed {
                practitioner_id: "p".into(),
                start_time: DateTime::from_timestamp(0, 0).unwrap(),
                end_time: DateTime::from_timestamp(1800, 0).unwrap(),
            },
            waitlist_entry_id: "w".into(),
        };
        let v = serde_json::to_value(&offer).unwrap();
        assert_eq!(v["practitionerId"], "p");
        assert_eq!(v["endTime"], "1970-01-01T00:30:00Z");
        assert_eq!(v["waitlistEntryId"], "w");
    }

    #[test]
    fn a_request_may_name_only_the_practitioner() {
        let r: CreateWaitlistRequest = serde_json::from_str(r#"{"practitionerId":"p"}"#).unwrap();
        assert_eq!(r.date_from, None);
        assert!(
            serde_json::from_str::<CreateWaitlistRequest>(r#"{"practitionerId":"p","x":1}"#)
                .is_err()
        );
    }
}
