//! Patient records (seed 000 `PatientsService`) and the audit log of who read them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{Id, Role, SortOrder};

/// A patient of the caller's cabinet, as staff see them in their list and record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Patient {
    pub id: Id,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(with = "crate::wire_time::timestamp")]
    pub created_at: DateTime<Utc>,
    /// Start of the latest past appointment that was not cancelled or rescheduled.
    #[serde(default)]
    #[serde(with = "crate::wire_time::timestamp_opt")]
    pub last_appointment_at: Option<DateTime<Utc>>,
    /// Start of the soonest future appointment that still holds its slot (pending, confirmed).
    #[serde(default)]
    #[serde(with = "crate::wire_time::timestamp_opt")]
    pub next_appointment_at: Option<DateTime<Utc>>,
    /// Every appointment of the patient in this cabinet, whatever its status.
    pub appointment_count: u64,
}

/// How `GET /api/patients` may be sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum PatientSort {
    /// Last name, then first name.
    #[default]
    LastName,
    CreatedAt,
}

/// `GET /api/patients` (seed 000 `PaginationParams`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PatientListQuery {
    /// Case-insensitive substring of the first name, last name, full name, email or phone.
    #[serde(default)]
    pub search: Option<String>,
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub limit: Option<u32>,
    #[serde(default)]
    pub sort_by: Option<PatientSort>,
    #[serde(default)]
    pub sort_order: Option<SortOrder>,
}

/// `PUT /api/patients/{id}`: only the fields present change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdatePatientRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Also the patient's login; unique across the service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// `GET /api/patients/{id}/appointments`. Without `includeHistory`, only the upcoming
/// appointments that hold their slot (pending, confirmed), soonest first; with it, every
/// appointment, latest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PatientAppointmentsQuery {
    #[serde(default)]
    pub include_history: Option<bool>,
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub limit: Option<u32>,
}

/// What an audit entry records. Staff reading or changing a patient's record, and the GDPR
/// requests of the person themself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AuditAction {
    #[serde(rename = "patient.read")]
    PatientRead,
    #[serde(rename = "patient.appointments.read")]
    PatientAppointmentsRead,
    #[serde(rename = "patient.update")]
    PatientUpdate,
    #[serde(rename = "gdpr.export")]
    GdprExport,
    #[serde(rename = "gdpr.erase")]
    GdprErase,
    /// An action this build does not know yet (sent by a newer server).
    #[serde(other)]
    Unknown,
}

impl AuditAction {
    pub const ALL: [AuditAction; 5] = [
        Self::PatientRead,
        Self::PatientAppointmentsRead,
        Self::PatientUpdate,
        Self::GdprExport,
        Self::GdprErase,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PatientRead => "patient.read",
            Self::PatientAppointmentsRead => "patient.appointments.read",
            Self::PatientUpdate => "patient.update",
            Self::GdprExport => "gdpr.export",
            Self::GdprErase => "gdpr.erase",
            Self::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .unwrap_or(Self::Unknown)
    }
}

/// One line of the audit log: who did what to whose record, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub id: Id,
    pub actor_id: Id,
    pub actor_role: Role,
    /// The actor's name as it is now (an erased account reads "Patient Anonymisé").
    pub actor_name: String,
    pub action: AuditAction,
    /// `"patient"` or `"user"` today.
    pub subject_type: String,
    pub subject_id: Id,
    #[serde(with = "crate::wire_time::timestamp")]
    pub at: DateTime<Utc>,
}

/// `GET /api/audit`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuditQuery {
    #[serde(default)]
    pub subject_id: Option<Id>,
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub limit: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patient_is_camel_case_with_optional_dates() {
        let p = Patient {
            id: "p".into(),
            first_name: "Léa".into(),
            last_name: "Dubois".into(),
            email: "lea@x.test".into(),
            phone: None,
            created_at: DateTime::from_timestamp(0, 0).unwrap(),
            last_appointment_at: None,
            next_appointment_at: DateTime::from_timestamp(60, 0),
            appointment_count: 2,
        };
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["firstName"], "Léa");
        assert_eq!(v["appointmentCount"], 2);
        assert!(v["lastAppointmentAt"].is_null());
        assert_eq!(v["nextAppointmentAt"], "1970-01-01T00:01:00Z");
        assert_eq!(serde_json::from_value::<Patient>(v).unwrap(), p);
    }

    #[test]
    fn query_spellings() {
        let q: PatientListQuery =
            serde_json::from_str(r#"{"sortBy":"createdAt","sortOrder":"desc"}"#).unwrap();
        assert_eq!(q.sort_by, Some(PatientSort::CreatedAt));
        assert_eq!(q.sort_order, Some(SortOrder::Desc));
        assert!(serde_json::from_str::<PatientListQuery>(r#"{"sortBy":"email"}"#).is_err());
        assert!(serde_json::from_str::<UpdatePatientRequest>(r#"{"role":"admin"}"#).is_err());
    }

    #[test]
    fn audit_actions_round_trip() {
        for a in AuditAction::ALL {
            assert_eq!(AuditAction::parse(a.as_str()), a);
            assert_eq!(
                serde_json::to_string(&a).unwrap(),
                format!("\"{}\"", a.as_str())
            );
        }
        let later: AuditAction = serde_json::from_str("\"patient.print\"").unwrap();
        assert_eq!(later, AuditAction::Unknown);
    }
}
