//! What decides when a practitioner can be booked: the cabinet's booking settings, weekly hours,
//! absences and cabinet-wide closures, and the catalogue of appointment types.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{AppointmentType, Id};

/// `GET /api/cabinets/current`: the caller's cabinet and its booking rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CabinetSettings {
    pub id: Id,
    pub name: String,
    pub city: String,
    /// IANA zone (`Europe/Paris`); weekly hours are wall-clock times in this zone.
    pub timezone: String,
    /// Minutes that must separate two appointments of one practitioner.
    pub buffer_minutes: u32,
    /// How long before its start a patient may still book a time. Staff are not bound by it.
    pub min_notice_minutes: u32,
}

/// `PUT /api/cabinets/current` (admins). Absent fields keep their value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateCabinetRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buffer_minutes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_notice_minutes: Option<u32>,
}

/// One opening window of a weekday, in the cabinet's wall-clock time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HoursWindow {
    /// ISO weekday: 1 = Monday … 7 = Sunday.
    pub weekday: u8,
    /// `HH:MM`.
    pub start: String,
    /// `HH:MM`, after `start`; `24:00` closes at midnight.
    pub end: String,
}

/// `GET /api/practitioners/{id}/hours`, and the answer to a replace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct WeeklyHours {
    pub practitioner_id: Id,
    /// The zone the windows are read in (the cabinet's).
    pub timezone: String,
    /// By weekday, then start.
    pub hours: Vec<HoursWindow>,
}

/// `PUT /api/practitioners/{id}/hours`: the whole week, replacing what was there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReplaceHoursRequest {
    pub hours: Vec<HoursWindow>,
}

/// A time a practitioner (or, with no practitioner, the whole cabinet) takes no appointments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Absence {
    pub id: Id,
    pub cabinet_id: Id,
    /// `None`: the whole cabinet is closed.
    pub practitioner_id: Option<Id>,
    #[serde(with = "crate::wire_time::timestamp")]
    pub start_time: DateTime<Utc>,
    #[serde(with = "crate::wire_time::timestamp")]
    pub end_time: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(with = "crate::wire_time::timestamp")]
    pub created_at: DateTime<Utc>,
}

/// `POST /api/practitioners/{id}/absences` and `POST /api/cabinets/current/closures`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateAbsenceRequest {
    #[serde(with = "crate::wire_time::timestamp")]
    pub start_time: DateTime<Utc>,
    #[serde(with = "crate::wire_time::timestamp")]
    pub end_time: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The answer to creating an absence. Existing appointments are kept, never cancelled: those
/// that fall inside the absence are listed so staff can move or cancel them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AbsenceCreated {
    #[serde(flatten)]
    pub absence: Absence,
    pub overlapping_appointment_ids: Vec<Id>,
}

/// `GET /api/practitioners/{id}/absences` and `GET /api/cabinets/current/closures` query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AbsenceQuery {
    /// Absences ending after this instant; all upcoming ones (from now) when absent.
    #[serde(default)]
    #[serde(with = "crate::wire_time::timestamp_opt")]
    pub from: Option<DateTime<Utc>>,
    /// Absences starting before this instant.
    #[serde(default)]
    #[serde(with = "crate::wire_time::timestamp_opt")]
    pub to: Option<DateTime<Utc>>,
}

/// A name in each language the app speaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Labels {
    pub fr: String,
    pub en: String,
}

/// `GET /api/appointment-types`: one kind of visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AppointmentTypeInfo {
    #[serde(rename = "type")]
    pub kind: AppointmentType,
    /// Minutes.
    pub default_duration: u32,
    pub labels: Labels,
}

impl AppointmentTypeInfo {
    pub fn of(kind: AppointmentType) -> Self {
        Self {
            kind,
            default_duration: kind.default_duration(),
            labels: Labels {
                fr: kind.label_fr().into(),
                en: kind.label_en().into(),
            },
        }
    }

    /// Seed 000's eight types, in their usual order.
    pub fn all() -> Vec<Self> {
        AppointmentType::ALL.into_iter().map(Self::of).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_catalogue_is_complete_and_camel_case() {
        let all = AppointmentTypeInfo::all();
        assert_eq!(all.len(), 8);
        let v = serde_json::to_value(&all[2]).unwrap();
        assert_eq!(v["type"], "soin");
        assert_eq!(v["defaultDuration"], 45);
        assert_eq!(v["labels"]["fr"], "Soin");
        assert_eq!(v["labels"]["en"], "Treatment");
    }

    #[test]
    fn absence_created_is_flat() {
        let created = AbsenceCreated {
            absence: Absence {
                id: "a".into(),
                cabinet_id: "c".into(),
                practitioner_id: None,
                start_time: DateTime::from_timestamp(0, 0).unwrap(),
                end_time: DateTime::from_timestamp(3600, 0).unwrap(),
                reason: None,
                created_at: DateTime::from_timestamp(0, 0).unwrap(),
            },
            overlapping_appointment_ids: vec!["x".into()],
        };
        let v = serde_json::to_value(&created).unwrap();
        assert_eq!(v["practitionerId"], serde_json::Value::Null);
        assert_eq!(v["overlappingAppointmentIds"][0], "x");
        assert_eq!(v["endTime"], "1970-01-01T01:00:00Z");
    }

    #[test]
    fn requests_refuse_unknown_fields() {
        assert!(serde_json::from_str::<ReplaceHoursRequest>(
            r#"{"hours":[{"weekday":1,"start":"09:00","end":"12:00","x":1}]}"#
        )
        .is_err());
        assert!(serde_json::from_str::<UpdateCabinetRequest>(r#"{"name":"x"}"#).is_err());
        let r: UpdateCabinetRequest = serde_json::from_str(r#"{"bufferMinutes":10}"#).unwrap();
        assert_eq!(r.buffer_minutes, Some(10));
    }
}
