//! Practitioners and the short person summaries embedded in appointments.

use serde::{Deserialize, Serialize};

use crate::Id;

/// `GET /api/practitioners`: someone a patient can book with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Practitioner {
    pub id: Id,
    pub first_name: String,
    pub last_name: String,
    pub specialty: String,
    pub cabinet_id: Id,
}

/// A person named on an appointment (its patient or practitioner).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PersonSummary {
    pub id: Id,
    pub first_name: String,
    pub last_name: String,
}

impl PersonSummary {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}
