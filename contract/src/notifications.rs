//! A person's notifications: the durable events kept for them (listed, counted unread, marked
//! read, replayed to a reconnecting socket), the per-type and per-channel choices of seed 000's
//! `preferences.notifications`, and presence (`user-status`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{names, Id, NoticeKind, Pagination};

/// The families a person chooses channels for. Every durable event belongs to one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum NotificationFamily {
    /// `rendezvous:*`.
    Appointments,
    /// `message:*`, `conversation_updated`.
    Messages,
    /// `proposal-*`.
    Proposals,
    /// `rappel:reminder`.
    Reminders,
    /// `creneau:*`: a slot freed for the waitlist, a slot lost to someone else.
    Slots,
    /// `notification:general` and anything new.
    General,
}

impl NotificationFamily {
    pub const ALL: [NotificationFamily; 6] = [
        Self::Appointments,
        Self::Messages,
        Self::Proposals,
        Self::Reminders,
        Self::Slots,
        Self::General,
    ];

    /// The family of an event name (`names::*`).
    pub fn of_event(name: &str) -> Self {
        if name.starts_with("rendezvous:") {
            Self::Appointments
        } else if name.starts_with("message:") || name == names::CONVERSATION_UPDATED {
            Self::Messages
        } else if name.starts_with("proposal-") {
            Self::Proposals
        } else if name == names::RAPPEL_REMINDER {
            Self::Reminders
        } else if name.starts_with("creneau:") {
            Self::Slots
        } else {
            Self::General
        }
    }
}

/// Where a notification may reach a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum Channel {
    /// The open app (Socket.IO) and its notification list.
    InApp,
    Email,
    Sms,
}

/// The channels chosen for one family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct ChannelChoice {
    pub in_app: bool,
    pub email: bool,
    pub sms: bool,
}

impl Default for ChannelChoice {
    fn default() -> Self {
        Self {
            in_app: true,
            email: true,
            sms: false,
        }
    }
}

impl ChannelChoice {
    pub fn get(&self, channel: Channel) -> bool {
        match channel {
            Channel::InApp => self.in_app,
            Channel::Email => self.email,
            Channel::Sms => self.sms,
        }
    }
}

/// Per-family channel choices; a family or channel left out of stored or sent JSON keeps the
/// default (in the app and by email, no SMS). Whether a domain mails at all for a family is
/// that domain's rule; these only let a person refuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct NotificationTypes {
    pub appointments: ChannelChoice,
    pub messages: ChannelChoice,
    pub proposals: ChannelChoice,
    pub reminders: ChannelChoice,
    pub slots: ChannelChoice,
    pub general: ChannelChoice,
}

impl NotificationTypes {
    pub fn get(&self, family: NotificationFamily) -> ChannelChoice {
        match family {
            NotificationFamily::Appointments => self.appointments,
            NotificationFamily::Messages => self.messages,
            NotificationFamily::Proposals => self.proposals,
            NotificationFamily::Reminders => self.reminders,
            NotificationFamily::Slots => self.slots,
            NotificationFamily::General => self.general,
        }
    }

    fn get_mut(&mut self, family: NotificationFamily) -> &mut ChannelChoice {
        match family {
            NotificationFamily::Appointments => &mut self.appointments,
            NotificationFamily::Messages => &mut self.messages,
            NotificationFamily::Proposals => &mut self.proposals,
            NotificationFamily::Reminders => &mut self.reminders,
            NotificationFamily::Slots => &mut self.slots,
            NotificationFamily::General => &mut self.general,
        }
    }

    /// These choices with the patch's fields applied.
    pub fn patched(mut self, patch: &NotificationTypesPatch) -> Self {
        for family in NotificationFamily::ALL {
            if let Some(p) = patch.get(family) {
                let c = self.get_mut(family);
                c.in_app = p.in_app.unwrap_or(c.in_app);
                c.email = p.email.unwrap_or(c.email);
                c.sms = p.sms.unwrap_or(c.sms);
            }
        }
        self
    }
}

/// The channels to change for one family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChannelChoicePatch {
    #[serde(default)]
    pub in_app: Option<bool>,
    #[serde(default)]
    pub email: Option<bool>,
    #[serde(default)]
    pub sms: Option<bool>,
}

/// The families to change; the others keep their choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NotificationTypesPatch {
    #[serde(default)]
    pub appointments: Option<ChannelChoicePatch>,
    #[serde(default)]
    pub messages: Option<ChannelChoicePatch>,
    #[serde(default)]
    pub proposals: Option<ChannelChoicePatch>,
    #[serde(default)]
    pub reminders: Option<ChannelChoicePatch>,
    #[serde(default)]
    pub slots: Option<ChannelChoicePatch>,
    #[serde(default)]
    pub general: Option<ChannelChoicePatch>,
}

impl NotificationTypesPatch {
    fn get(&self, family: NotificationFamily) -> Option<ChannelChoicePatch> {
        match family {
            NotificationFamily::Appointments => self.appointments,
            NotificationFamily::Messages => self.messages,
            NotificationFamily::Proposals => self.proposals,
            NotificationFamily::Reminders => self.reminders,
            NotificationFamily::Slots => self.slots,
            NotificationFamily::General => self.general,
        }
    }
}

/// One kept notification (`GET /api/notifications`): the event as it was sent, and whether
/// its person has read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    /// The event's id: a decimal number, increasing per person (the socket payload's `id`).
    pub id: Id,
    /// The event name (`rendezvous:confirmed`, …).
    pub event: String,
    #[serde(rename = "type")]
    pub kind: NoticeKind,
    pub family: NotificationFamily,
    pub message: String,
    pub data: serde_json::Value,
    #[serde(with = "crate::wire_time::timestamp")]
    pub timestamp: DateTime<Utc>,
    pub read: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(with = "crate::wire_time::timestamp_opt")]
    pub read_at: Option<DateTime<Utc>>,
}

/// `GET /api/notifications`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NotificationListQuery {
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub limit: Option<u32>,
    /// Only the unread ones.
    #[serde(default)]
    pub unread_only: Option<bool>,
}

/// A page of notifications, newest first (seed 000 `PaginatedResponse`), and how many of all
/// the caller's notifications are unread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct NotificationList {
    pub items: Vec<Notification>,
    pub pagination: Pagination,
    pub unread_count: u64,
}

/// `POST /api/notifications/read-all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReadAllResult {
    /// How many were unread and are now read.
    pub updated: u64,
    pub unread_count: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum PresenceStatus {
    Online,
    Offline,
}

/// `user-status` data: a person came online (first open tab) or went offline (last one
/// closed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UserStatus {
    pub user_id: Id,
    pub status: PresenceStatus,
    #[serde(with = "crate::wire_time::timestamp")]
    pub last_seen: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_name_has_its_family() {
        use NotificationFamily as F;
        for (name, family) in [
            (names::RENDEZVOUS_CONFIRMED, F::Appointments),
            (names::RENDEZVOUS_NO_SHOW, F::Appointments),
            (names::MESSAGE_NEW, F::Messages),
            (names::CONVERSATION_UPDATED, F::Messages),
            (names::PROPOSAL_STATUS_CHANGED, F::Proposals),
            (names::RAPPEL_REMINDER, F::Reminders),
            (names::CRENEAU_AVAILABLE, F::Slots),
            (names::CRENEAU_CONFLICT, F::Slots),
            (names::NOTIFICATION_GENERAL, F::General),
        ] {
            assert_eq!(NotificationFamily::of_event(name), family, "{name}");
        }
    }

    #[test]
    fn missing_families_and_channels_keep_their_defaults() {
        let t: NotificationTypes = serde_json::from_str(r#"{"messages":{"inApp":false}}"#).unwrap();
        assert!(!t.messages.in_app);
        assert!(t.messages.email);
        assert_eq!(t.appointments, ChannelChoice::default());
    }

    #[test]
    fn a_types_patch_changes_only_what_it_names() {
        let patch: NotificationTypesPatch =
            serde_json::from_str(r#"{"reminders":{"email":false}}"#).unwrap();
        let t = NotificationTypes::default().patched(&patch);
        assert!(!t.reminders.email);
        assert!(t.reminders.in_app);
        assert_eq!(t.appointments, NotificationTypes::default().appointments);
        assert!(serde_json::from_str::<NotificationTypesPatch>(r#"{"fax":{}}"#).is_err());
        assert!(
            serde_json::from_str::<NotificationTypesPatch>(r#"{"slots":{"pigeon":true}}"#).is_err()
        );
    }
}
