//! Messaging between a patient and the cabinet's staff (seed 003), read receipts and typing,
//! and appointment proposals made inside a conversation (seed 001).
//!
//! Messages of a conversation are numbered (`seq` 1, 2, 3…): a read position is one number, a
//! page of history is "before seq N", and a client catching up after a disconnection asks for
//! "after seq N" and drops any message id it already shows (the same message may reach an open
//! screen through `message:new` in its user room and in the conversation room).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{Appointment, AppointmentType, Id, Role};

/// One person taking part in a conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ConversationParticipant {
    pub id: Id,
    pub first_name: String,
    pub last_name: String,
    /// Their role in the conversation's cabinet.
    pub role: Role,
    /// The `seq` of the last message they have read (0: none).
    pub last_read_seq: u64,
    /// Whether they have the app open in this cabinet now. A snapshot taken when the
    /// conversation was read; `user-status` events say when it changes.
    #[serde(default)]
    pub online: bool,
}

/// One message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Message {
    pub id: Id,
    pub conversation_id: Id,
    /// Position in the conversation, from 1, without gaps.
    pub seq: u64,
    pub sender_id: Id,
    pub content: String,
    #[serde(with = "crate::wire_time::timestamp")]
    pub created_at: DateTime<Utc>,
}

/// A conversation as one of its participants sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Conversation {
    pub id: Id,
    pub cabinet_id: Id,
    pub patient_id: Id,
    pub participants: Vec<ConversationParticipant>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_message: Option<Message>,
    /// Messages from others the caller has not read.
    pub unread_count: u64,
    #[serde(with = "crate::wire_time::timestamp")]
    pub created_at: DateTime<Utc>,
    /// When the last message was sent (its creation before any).
    #[serde(with = "crate::wire_time::timestamp")]
    pub updated_at: DateTime<Utc>,
}

/// `POST /api/conversations`: a patient names a practitioner of their cabinet, staff name a
/// patient. Opening a conversation that exists answers it (200) instead of making another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OpenConversationRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub practitioner_id: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patient_id: Option<Id>,
}

/// Longest message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 4000;

/// `POST /api/conversations/{id}/messages`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SendMessageRequest {
    /// 1 to 4000 characters once trimmed.
    pub content: String,
}

/// `GET /api/conversations/{id}/messages`: the newest `limit` messages, or those just before
/// `before`, or (catching up) those just after `after`. Always oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MessageListQuery {
    /// Only messages with a smaller `seq` (older history).
    #[serde(default)]
    pub before: Option<u64>,
    /// Only messages with a larger `seq` (what was missed); not with `before`.
    #[serde(default)]
    pub after: Option<u64>,
    /// 1 to 100; 50 when absent.
    #[serde(default)]
    pub limit: Option<u32>,
}

/// A page of messages, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MessagePage {
    pub items: Vec<Message>,
    /// Whether more messages lie beyond this page in the direction asked (older for `before`
    /// or no cursor, newer for `after`).
    pub has_more: bool,
}

/// `PUT /api/conversations/{id}/read`: everything up to `seq` (the latest message when absent)
/// is read. A read position never moves back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MarkReadRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
}

/// `message:read` data: how far a participant has read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReadReceipt {
    pub conversation_id: Id,
    pub user_id: Id,
    pub last_read_seq: u64,
    #[serde(with = "crate::wire_time::timestamp")]
    pub read_at: DateTime<Utc>,
}

/// The client event `typing` (`{conversationId, isTyping}`), and the `typing-indicator` data the
/// other participants' open screens receive (with `userId`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TypingEvent {
    pub conversation_id: Id,
    pub is_typing: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<Id>,
}

/// Where a proposal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ProposalStatus {
    /// Waiting for the patient.
    Pending,
    /// The patient took it: `appointmentId` is booked.
    Accepted,
    Rejected,
    /// Its time passed or was taken before the patient answered.
    Expired,
}

impl ProposalStatus {
    pub const ALL: [ProposalStatus; 4] =
        [Self::Pending, Self::Accepted, Self::Rejected, Self::Expired];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
            Self::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// An appointment slot offered to the conversation's patient (seed 001).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Proposal {
    pub id: Id,
    pub conversation_id: Id,
    pub cabinet_id: Id,
    pub practitioner_id: Id,
    pub patient_id: Id,
    /// The staff member who made it.
    pub proposed_by: Id,
    #[serde(rename = "type")]
    pub kind: AppointmentType,
    #[serde(with = "crate::wire_time::timestamp")]
    pub start_time: DateTime<Utc>,
    #[serde(with = "crate::wire_time::timestamp")]
    pub end_time: DateTime<Utc>,
    /// Minutes.
    pub duration: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    pub status: ProposalStatus,
    /// The appointment booked by accepting it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointment_id: Option<Id>,
    #[serde(with = "crate::wire_time::timestamp")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "crate::wire_time::timestamp")]
    pub updated_at: DateTime<Utc>,
}

/// `POST /api/conversations/{id}/proposals`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateProposalRequest {
    pub practitioner_id: Id,
    #[serde(rename = "type")]
    pub kind: AppointmentType,
    #[serde(with = "crate::wire_time::timestamp")]
    pub start_time: DateTime<Utc>,
    /// Minutes.
    pub duration: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// `PUT /api/proposals/{id}/accept`: the proposal, now accepted, and the appointment it booked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ProposalAccepted {
    pub proposal: Proposal,
    pub appointment: Appointment,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proposal_statuses_round_trip() {
        for s in ProposalStatus::ALL {
            assert_eq!(ProposalStatus::parse(s.as_str()), Some(s));
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
        }
    }

    #[test]
    fn typing_reads_seed_style_camel_case() {
        let t: TypingEvent =
            serde_json::from_str(r#"{"conversationId":"c","isTyping":true}"#).unwrap();
        assert!(t.is_typing && t.user_id.is_none());
        assert!(serde_json::from_str::<SendMessageRequest>(r#"{"content":"a","x":1}"#).is_err());
    }
}
