//! Appointments and slots (seed 000 `AppointmentsService`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::{Id, PersonSummary, SortOrder};

/// Seed 000's eight kinds of visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum AppointmentType {
    Consultation,
    Controle,
    Soin,
    Detartrage,
    Extraction,
    Implant,
    Orthodontie,
    Urgence,
}

impl AppointmentType {
    pub const ALL: [AppointmentType; 8] = [
        Self::Consultation,
        Self::Controle,
        Self::Soin,
        Self::Detartrage,
        Self::Extraction,
        Self::Implant,
        Self::Orthodontie,
        Self::Urgence,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Consultation => "consultation",
            Self::Controle => "controle",
            Self::Soin => "soin",
            Self::Detartrage => "detartrage",
            Self::Extraction => "extraction",
            Self::Implant => "implant",
            Self::Orthodontie => "orthodontie",
            Self::Urgence => "urgence",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// Minutes a visit of this kind usually takes.
    pub fn default_duration(self) -> u32 {
        match self {
            Self::Controle => 20,
            Self::Consultation | Self::Detartrage | Self::Orthodontie | Self::Urgence => 30,
            Self::Soin | Self::Extraction => 45,
            Self::Implant => 90,
        }
    }

    /// The name a French-speaking person reads.
    pub fn label_fr(self) -> &'static str {
        match self {
            Self::Consultation => "Consultation",
            Self::Controle => "Contrôle",
            Self::Soin => "Soin",
            Self::Detartrage => "Détartrage",
            Self::Extraction => "Extraction",
            Self::Implant => "Implant",
            Self::Orthodontie => "Orthodontie",
            Self::Urgence => "Urgence",
        }
    }

    /// The name an English-speaking person reads.
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Consultation => "Consultation",
            Self::Controle => "Check-up",
            Self::Soin => "Treatment",
            Self::Detartrage => "Scaling",
            Self::Extraction => "Extraction",
            Self::Implant => "Implant",
            Self::Orthodontie => "Orthodontics",
            Self::Urgence => "Emergency",
        }
    }
}

/// Where an appointment stands (seed 000 `AppointmentStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AppointmentStatus {
    Pending,
    Confirmed,
    Cancelled,
    Completed,
    NoShow,
    Rescheduled,
}

impl AppointmentStatus {
    pub const ALL: [AppointmentStatus; 6] = [
        Self::Pending,
        Self::Confirmed,
        Self::Cancelled,
        Self::Completed,
        Self::NoShow,
        Self::Rescheduled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Confirmed => "confirmed",
            Self::Cancelled => "cancelled",
            Self::Completed => "completed",
            Self::NoShow => "no_show",
            Self::Rescheduled => "rescheduled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// Whether the appointment still holds its time in the practitioner's agenda.
    pub fn holds_slot(self) -> bool {
        matches!(self, Self::Pending | Self::Confirmed)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Urgency {
    #[default]
    Normal,
    Urgent,
    Emergency,
}

impl Urgency {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Normal => "normal",
            Self::Urgent => "urgent",
            Self::Emergency => "emergency",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Normal, Self::Urgent, Self::Emergency]
            .into_iter()
            .find(|u| u.as_str() == s)
    }
}

/// seed 000 `Appointment`, with its patient and practitioner named.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Appointment {
    pub id: Id,
    pub patient_id: Id,
    pub practitioner_id: Id,
    pub cabinet_id: Id,
    #[serde(rename = "type")]
    pub kind: AppointmentType,
    pub status: AppointmentStatus,
    #[serde(with = "crate::wire_time::timestamp")]
    pub start_time: DateTime<Utc>,
    #[serde(with = "crate::wire_time::timestamp")]
    pub end_time: DateTime<Utc>,
    /// Minutes.
    pub duration: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    pub urgency: Urgency,
    /// Why it was cancelled, when it was and a reason was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancellation_reason: Option<String>,
    #[serde(with = "crate::wire_time::timestamp")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "crate::wire_time::timestamp")]
    pub updated_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patient: Option<PersonSummary>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub practitioner: Option<PersonSummary>,
}

/// seed 000 `AppointmentSlot`, plus the exact instant in `startTime`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AppointmentSlot {
    /// Day in the cabinet's time zone.
    #[serde(with = "crate::wire_time::date")]
    pub date: NaiveDate,
    /// `HH:MM` in the cabinet's time zone.
    pub time: String,
    pub available: bool,
    pub practitioner_id: Id,
    /// Minutes.
    pub duration: u32,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<AppointmentType>,
    #[serde(with = "crate::wire_time::timestamp")]
    pub start_time: DateTime<Utc>,
}

/// `GET /api/appointments/slots` query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SlotQuery {
    pub practitioner_id: Id,
    #[serde(with = "crate::wire_time::date")]
    pub date_from: NaiveDate,
    #[serde(with = "crate::wire_time::date")]
    pub date_to: NaiveDate,
    /// Minutes; 30 when absent.
    #[serde(default)]
    pub duration: Option<u32>,
}

/// Who a new patient is, when staff book for someone not yet known (seed 000 `patientData`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PatientData {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
}

/// `POST /api/appointments` (seed 000 `CreateAppointmentRequest`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateAppointmentRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patient_id: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patient_data: Option<PatientData>,
    pub practitioner_id: Id,
    #[serde(rename = "type")]
    pub kind: AppointmentType,
    #[serde(with = "crate::wire_time::timestamp")]
    pub start_time: DateTime<Utc>,
    /// Minutes.
    pub duration: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgency: Option<Urgency>,
}

/// `GET /api/appointments` filters and paging (seed 000 `AppointmentFilters & PaginationParams`).
/// `status` and `type` may repeat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppointmentListQuery {
    #[serde(default)]
    pub status: Vec<AppointmentStatus>,
    #[serde(default, rename = "type")]
    pub kind: Vec<AppointmentType>,
    #[serde(default)]
    pub practitioner_id: Option<Id>,
    #[serde(default)]
    pub patient_id: Option<Id>,
    #[serde(default)]
    #[serde(with = "crate::wire_time::date_opt")]
    pub date_from: Option<NaiveDate>,
    #[serde(default)]
    #[serde(with = "crate::wire_time::date_opt")]
    pub date_to: Option<NaiveDate>,
    #[serde(default)]
    pub urgency: Option<Urgency>,
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub limit: Option<u32>,
    /// `startTime` when absent.
    #[serde(default)]
    pub sort_by: Option<AppointmentSort>,
    /// `asc` when absent.
    #[serde(default)]
    pub sort_order: Option<SortOrder>,
    /// Part of the patient's first name, last name or email, in any case.
    #[serde(default)]
    pub search: Option<String>,
}

/// What a list of appointments is ordered by (seed 000 `PaginationParams.sortBy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum AppointmentSort {
    #[default]
    StartTime,
    CreatedAt,
    /// By the status's wire spelling, alphabetically.
    Status,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_spellings_match_seed_000() {
        assert_eq!(
            serde_json::to_string(&AppointmentStatus::NoShow).unwrap(),
            "\"no_show\""
        );
        assert_eq!(
            serde_json::to_string(&AppointmentType::Detartrage).unwrap(),
            "\"detartrage\""
        );
        for t in AppointmentType::ALL {
            assert_eq!(AppointmentType::parse(t.as_str()), Some(t));
            assert_eq!(
                serde_json::to_string(&t).unwrap(),
                format!("\"{}\"", t.as_str())
            );
        }
        for s in AppointmentStatus::ALL {
            assert_eq!(AppointmentStatus::parse(s.as_str()), Some(s));
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
        }
    }

    #[test]
    fn create_request_uses_type_and_camel_case() {
        let req: CreateAppointmentRequest = serde_json::from_str(
            r#"{"practitionerId":"p","type":"soin","startTime":"2026-03-30T07:00:00Z","duration":45}"#,
        )
        .unwrap();
        assert_eq!(req.kind, AppointmentType::Soin);
        assert_eq!(req.duration, 45);
        assert!(serde_json::from_str::<CreateAppointmentRequest>(
            r#"{"practitionerId":"p","type":"soin","startTime":"2026-03-30T07:00:00Z","duration":45,"x":1}"#
        )
        .is_err());
    }
}
