//! OpenAPI schemas written by hand (feature `openapi`), for the two enums whose
//! `#[serde(other)] Unknown` variant is a reading fallback and not a value anyone sends: a
//! derived schema would list `"UNKNOWN"` / `"unknown"` as a code the server may answer. These
//! list the values actually sent and tell clients to expect new ones.

use std::borrow::Cow;

use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use crate::{AuditAction, ErrorCode};

fn open_enum(values: Vec<String>, description: String) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::String))
        .enum_values(Some(values))
        .description(Some(description))
        .into()
}

impl ErrorCode {
    /// The code as it is spelt on the wire (`SLOT_CONFLICT`).
    fn wire(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }
}

impl PartialSchema for ErrorCode {
    fn schema() -> RefOr<Schema> {
        // NETWORK_ERROR is made by the browser client when it cannot reach the server.
        let sent: Vec<ErrorCode> = ErrorCode::ALL
            .into_iter()
            .filter(|c| *c != ErrorCode::NetworkError)
            .collect();
        let table: Vec<String> = sent
            .iter()
            .map(|c| {
                let retry = if c.retryable() { " (retryable)" } else { "" };
                format!("`{}` {}{retry}", c.wire(), c.status())
            })
            .collect();
        open_enum(
            sent.iter().map(|c| c.wire()).collect(),
            format!(
                "Stable error code; clients switch on it, never on the translated message. \
                 Each code and its HTTP status: {}. A newer server may send a code not listed \
                 here: treat it as a failure of the request's HTTP status.",
                table.join(", ")
            ),
        )
    }
}

impl ToSchema for ErrorCode {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("ErrorCode")
    }
}

impl PartialSchema for AuditAction {
    fn schema() -> RefOr<Schema> {
        open_enum(
            AuditAction::ALL
                .into_iter()
                .map(|a| a.as_str().to_owned())
                .collect(),
            "What an audit entry records: staff reading or changing a patient's record, and a \
             person's own GDPR requests. A newer server may send an action not listed here."
                .into(),
        )
    }
}

impl ToSchema for AuditAction {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("AuditAction")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enum_of<T: PartialSchema>() -> serde_json::Value {
        serde_json::to_value(T::schema()).unwrap()["enum"].clone()
    }

    #[test]
    fn fallbacks_are_not_listed_as_values() {
        let codes = enum_of::<ErrorCode>();
        assert!(codes.as_array().unwrap().contains(&"SLOT_CONFLICT".into()));
        assert!(!codes.as_array().unwrap().contains(&"UNKNOWN".into()));
        assert!(!codes.as_array().unwrap().contains(&"NETWORK_ERROR".into()));
        let actions = enum_of::<AuditAction>();
        assert_eq!(actions.as_array().unwrap().len(), AuditAction::ALL.len());
        assert!(actions.as_array().unwrap().contains(&"gdpr.erase".into()));
    }
}
