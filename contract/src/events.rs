//! Socket.IO events (seed 004 names) and their payload `{id, type, message, data, timestamp}`.
//!
//! Rooms: `user:{id}`, `role:{ROLE}` and its cabinet-scoped twin `cabinet:{id}:role:{ROLE}`,
//! `cabinet:{id}`, `conversation:{id}`. Cabinet data only ever goes to cabinet-scoped rooms.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Event names, exactly as seeds 004, 001 and 003 spell them.
pub mod names {
    // Appointments (seed 004).
    pub const RENDEZVOUS_CREATED: &str = "rendezvous:created";
    pub const RENDEZVOUS_NEW: &str = "rendezvous:new";
    pub const RENDEZVOUS_CONFIRMED: &str = "rendezvous:confirmed";
    pub const RENDEZVOUS_CANCELLED: &str = "rendezvous:cancelled";
    pub const RENDEZVOUS_RESCHEDULED: &str = "rendezvous:rescheduled";
    pub const RENDEZVOUS_COMPLETED: &str = "rendezvous:completed";
    pub const RENDEZVOUS_NO_SHOW: &str = "rendezvous:no_show";
    // Slots (seed 004).
    pub const CRENEAU_CONFLICT: &str = "creneau:conflict";
    pub const CRENEAU_AVAILABLE: &str = "creneau:available";
    // Proposals inside a conversation (seed 001).
    pub const PROPOSAL_CREATED: &str = "proposal-created";
    pub const PROPOSAL_STATUS_CHANGED: &str = "proposal-status-changed";
    // Messaging (seeds 004 and 003).
    pub const MESSAGE_NEW: &str = "message:new";
    pub const MESSAGE_READ: &str = "message:read";
    pub const TYPING_INDICATOR: &str = "typing-indicator";
    pub const USER_STATUS: &str = "user-status";
    pub const CONVERSATION_UPDATED: &str = "conversation_updated";
    // Everything else (seed 004), and the managers' live dashboard.
    pub const NOTIFICATION_GENERAL: &str = "notification:general";
    pub const RAPPEL_REMINDER: &str = "rappel:reminder";
    pub const METRICS_UPDATE: &str = "metrics:update";
}

/// Events a client sends (seed 004 `join-room` / `leave-room`, and the live-screen events).
pub mod client_names {
    pub const JOIN_ROOM: &str = "join-room";
    pub const LEAVE_ROOM: &str = "leave-room";
    /// Watch a practitioner's free times (`{practitionerId}`): `creneau:conflict` and
    /// `creneau:available` for that agenda until `slots:unwatch` or disconnection.
    pub const SLOTS_WATCH: &str = "slots:watch";
    pub const SLOTS_UNWATCH: &str = "slots:unwatch";
    /// `{conversationId, isTyping}` from a screen showing a conversation; relayed to the other
    /// participants as `typing-indicator`.
    pub const TYPING: &str = "typing";
}

/// How a screen should present the event (seed 004 "Types de Notifications").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum NoticeKind {
    Success,
    Info,
    Warning,
    Error,
}

/// Every server → client event payload: `{id, type, message, data, timestamp}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RealtimeEvent<T> {
    /// Unique per event; clients drop an id they have already seen.
    pub id: String,
    #[serde(rename = "type")]
    pub kind: NoticeKind,
    /// A sentence for a person, in French (the cabinet's language); clients may translate by
    /// event name instead.
    pub message: String,
    pub data: T,
    #[serde(with = "crate::wire_time::timestamp")]
    pub timestamp: DateTime<Utc>,
}

/// The Socket.IO handshake `auth` object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SocketAuth {
    pub token: String,
    /// On reconnection, the `id` of the last durable event received (a decimal number, as a
    /// string or a number): the server first sends, in order, the person's durable events
    /// after it (up to 7 days back). Absent or not a number: no replay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_event_id: Option<String>,
}

/// The answer to every client event that asks for an ack: `{ok:true, data?}` or
/// `{ok:false, error:{code, message}}` (seed 004 `join-room` / `leave-room`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SocketAck<T> {
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<SocketAckError>,
}

/// Why a client event was refused; `code` is one of the REST error codes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SocketAckError {
    pub code: crate::ErrorCode,
    pub message: String,
}

impl<T> SocketAck<T> {
    pub fn success(data: T) -> Self {
        Self {
            ok: true,
            data: Some(data),
            error: None,
        }
    }

    pub fn failure(code: crate::ErrorCode, message: impl Into<String>) -> Self {
        Self {
            ok: false,
            data: None,
            error: Some(SocketAckError {
                code,
                message: message.into(),
            }),
        }
    }
}

/// `connect_error` messages of seed 004, kept verbatim because clients compare them.
pub mod connect_errors {
    pub const TOKEN_REQUIRED: &str = "Token d'authentification requis";
    pub const TOKEN_INVALID: &str = "Token invalide";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_payload_has_seed_004_shape() {
        let e = RealtimeEvent {
            id: "e1".into(),
            kind: NoticeKind::Success,
            message: "ok".into(),
            data: serde_json::json!({"a": 1}),
            timestamp: DateTime::from_timestamp(0, 0).unwrap(),
        };
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["type"], "success");
        assert_eq!(v["timestamp"], "1970-01-01T00:00:00Z");
        assert_eq!(v["data"]["a"], 1);
    }
}
