//! GDPR (RGPD) rights of the signed-in user: a copy of their data (`GET /api/me/export`) and
//! erasure (`DELETE /api/me`), plus the practitioner's private calendar feed address.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{
    AppointmentStatus, AppointmentType, AuditAction, Id, PersonSummary, Preferences, Role,
};

/// The format tag of [`DataExport`], bumped when its shape changes.
pub const EXPORT_FORMAT: &str = "nova-rdv-export/1";

/// Everything the service holds about the caller. Served as a bare JSON document (no
/// envelope), as a file to keep: `Content-Disposition: attachment`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DataExport {
    /// Always [`EXPORT_FORMAT`].
    pub format: String,
    #[serde(with = "crate::wire_time::timestamp")]
    pub exported_at: DateTime<Utc>,
    pub profile: ExportedProfile,
    /// Appointments where the caller is the patient, with their notes.
    pub appointments_as_patient: Vec<ExportedAppointment>,
    /// Appointments where the caller is the practitioner. Other people's data is left out:
    /// no patient, no notes.
    pub appointments_as_practitioner: Vec<ExportedAppointment>,
    /// Refresh-token sessions (never the tokens or their hashes).
    pub sessions: Vec<ExportedSession>,
    /// Who read or changed the caller's record, and the caller's own GDPR requests.
    pub audit: Vec<ExportedAuditEntry>,
    /// When the caller's calendar feed address was created (practitioners), never the secret.
    #[serde(default)]
    #[serde(with = "crate::wire_time::timestamp_opt")]
    pub calendar_feed_created_at: Option<DateTime<Utc>>,
    /// The caller's waitlist entries, in every cabinet.
    #[serde(default)]
    pub waitlist: Vec<crate::WaitlistEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExportedProfile {
    pub id: Id,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    #[serde(default)]
    pub phone: Option<String>,
    pub role: Role,
    #[serde(default)]
    pub specialty: Option<String>,
    pub cabinet_id: Id,
    pub cabinet_name: String,
    pub preferences: Preferences,
    #[serde(default)]
    #[serde(with = "crate::wire_time::timestamp_opt")]
    pub last_login_at: Option<DateTime<Utc>>,
    #[serde(with = "crate::wire_time::timestamp")]
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExportedAppointment {
    pub id: Id,
    pub cabinet_id: Id,
    #[serde(rename = "type")]
    pub kind: AppointmentType,
    pub status: AppointmentStatus,
    #[serde(with = "crate::wire_time::timestamp")]
    pub start_time: DateTime<Utc>,
    #[serde(with = "crate::wire_time::timestamp")]
    pub end_time: DateTime<Utc>,
    pub duration: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// The practitioner, on the caller's appointments as patient.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub practitioner: Option<PersonSummary>,
    #[serde(with = "crate::wire_time::timestamp")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "crate::wire_time::timestamp")]
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExportedSession {
    #[serde(with = "crate::wire_time::timestamp")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "crate::wire_time::timestamp")]
    pub expires_at: DateTime<Utc>,
    #[serde(default)]
    #[serde(with = "crate::wire_time::timestamp_opt")]
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExportedAuditEntry {
    pub actor_id: Id,
    pub actor_role: Role,
    pub action: AuditAction,
    #[serde(with = "crate::wire_time::timestamp")]
    pub at: DateTime<Utc>,
}

/// `DELETE /api/me`: what the erasure did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ErasureReceipt {
    #[serde(with = "crate::wire_time::timestamp")]
    pub erased_at: DateTime<Utc>,
    /// Future pending or confirmed appointments cancelled, their slots freed.
    pub cancelled_appointments: u64,
    /// Appointments kept as the practice's records — all of them, the ones just cancelled
    /// included — naming the anonymised account, their notes cleared.
    pub kept_appointments: u64,
}

/// `GET /api/practitioners/me/calendar` and `POST …/rotate`: the secret address of the
/// practitioner's iCalendar feed. Anyone holding it can read the agenda; rotating it makes the
/// old one answer 404.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CalendarFeed {
    /// Path and query, relative to the API's origin: `/api/practitioners/{id}/calendar.ics?token=…`.
    pub url: String,
    #[serde(with = "crate::wire_time::timestamp")]
    pub created_at: DateTime<Utc>,
}
