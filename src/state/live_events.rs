//! Realtime events, typed: what the socket delivered, decoded once into a [`LiveEvent`], and
//! what each one means for a given person — which cached lists to patch or refetch, which
//! toast to show, whether it goes into the notification centre. The resume bookkeeping is in
//! [`super::event_log`].
//!
//! All pure, so every mapping tests natively.

use nova_contract::{
    names, Appointment, AppointmentStatus, LiveMetrics, Message, NoticeKind, Proposal,
    ProposalStatus, ReadReceipt, RealtimeEvent, ReminderKind, ReminderNotice, Role, SlotFreed,
    TypingEvent, UserStatus,
};
use serde::de::IgnoredAny;
use serde_json::Value;

use super::toasts::Priority;
use crate::api::json;
use crate::api::socket::codec::json_text;
use crate::i18n::Texts;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppointmentChange {
    /// Staff side: someone booked with this practitioner.
    New,
    /// Patient side: their own booking was recorded.
    Created,
    Confirmed,
    Cancelled,
    Rescheduled,
    Completed,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LiveEvent {
    Appointment(AppointmentChange, Box<Appointment>),
    /// The viewer lost a race for a slot (`creneau:conflict` of type error).
    SlotConflict,
    /// A watched agenda changed: a time was taken or freed by someone else.
    SlotsChanged,
    /// A waitlisted patient's earlier time (the offer's slot; its entry id is not needed).
    WaitlistOffer(Box<SlotFreed>),
    Reminder(Box<ReminderNotice>),
    /// `proposal-created` (`true`) or `proposal-status-changed`.
    Proposal(bool, Box<Proposal>),
    Message(Box<Message>),
    /// `message:read`: how far a participant has read (for the sender's "read" mark).
    Read(Box<ReadReceipt>),
    /// `typing-indicator`, for an open conversation.
    Typing(Box<TypingEvent>),
    /// `conversation_updated`: a conversation's last message or unread count moved.
    ConversationUpdated,
    /// `user-status`: someone came online or went offline.
    Presence(Box<UserStatus>),
    /// Anything else (dashboards, general notices): the envelope is all.
    Other,
}

/// What every event carries besides its data.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    pub id: String,
    pub kind: NoticeKind,
    /// The server's sentence (French), for events this build has no words of its own for.
    pub message: String,
}

/// Decodes an event by name; `None` for a malformed payload. Names this build does not know
/// decode to [`LiveEvent::Other`], so their ids are still deduplicated and resumed from.
pub fn decode(name: &str, data: &Value) -> Option<(Envelope, LiveEvent)> {
    // Re-reading the text reuses the `from_str` decoders the HTTP client already has; decoding
    // from a `Value` would compile a second copy of every payload's decoder into the bundle.
    let text = json_text(data);
    let head: RealtimeEvent<IgnoredAny> = json::from_str(&text).ok()?;
    let envelope = Envelope {
        id: head.id,
        kind: head.kind,
        message: head.message,
    };
    let payload = data.get("data").map(json_text).unwrap_or_default();
    let event = decode_data(name, envelope.kind, &payload)?;
    Some((envelope, event))
}

/// Reads `metrics:update`'s figures, or `None` for another event or a malformed one. Kept out
/// of [`decode`]: a volatile push every few seconds has nothing to deduplicate or resume, and
/// would push real events' ids out of the log.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub fn decode_metrics(name: &str, data: &Value) -> Option<LiveMetrics> {
    if name != names::METRICS_UPDATE {
        return None;
    }
    crate::api::figures::live_metrics(data.get("data")?)
}

/// Decodes an event's `data` (as JSON text) by its name and type; also how a kept
/// notification is read back.
pub fn decode_data(name: &str, kind: NoticeKind, payload: &str) -> Option<LiveEvent> {
    // Each payload type is read straight from text, with the decoder the HTTP client already
    // has for it; wrapping it in `RealtimeEvent<T>` would compile one more decoder per type.
    fn read<T: serde::de::DeserializeOwned>(text: &str) -> Option<Box<T>> {
        json::from_str(text).ok().map(Box::new)
    }
    let change = match name {
        names::RENDEZVOUS_NEW => AppointmentChange::New,
        names::RENDEZVOUS_CREATED => AppointmentChange::Created,
        names::RENDEZVOUS_CONFIRMED => AppointmentChange::Confirmed,
        names::RENDEZVOUS_CANCELLED => AppointmentChange::Cancelled,
        names::RENDEZVOUS_RESCHEDULED => AppointmentChange::Rescheduled,
        names::RENDEZVOUS_COMPLETED => AppointmentChange::Completed,
        names::CRENEAU_CONFLICT if kind == NoticeKind::Error => {
            return Some(LiveEvent::SlotConflict)
        }
        names::CRENEAU_CONFLICT => return Some(LiveEvent::SlotsChanged),
        names::CRENEAU_AVAILABLE => {
            // A waitlist offer names the entry; a watcher's notice does not.
            let fields: Value = json::from_str(payload).ok()?;
            return Some(match fields.get("waitlistEntryId") {
                Some(_) => LiveEvent::WaitlistOffer(read(payload)?),
                None => LiveEvent::SlotsChanged,
            });
        }
        names::RAPPEL_REMINDER => return Some(LiveEvent::Reminder(read(payload)?)),
        names::PROPOSAL_CREATED | names::PROPOSAL_STATUS_CHANGED => {
            let created = name == names::PROPOSAL_CREATED;
            return Some(LiveEvent::Proposal(created, read(payload)?));
        }
        names::MESSAGE_NEW => return Some(LiveEvent::Message(read(payload)?)),
        names::MESSAGE_READ => return Some(LiveEvent::Read(read(payload)?)),
        names::TYPING_INDICATOR => return Some(LiveEvent::Typing(read(payload)?)),
        names::CONVERSATION_UPDATED => return Some(LiveEvent::ConversationUpdated),
        names::USER_STATUS => return Some(LiveEvent::Presence(read(payload)?)),
        _ => return Some(LiveEvent::Other),
    };
    Some(LiveEvent::Appointment(change, read(payload)?))
}

/// What a toast's buttons decide.
#[derive(Debug, Clone, PartialEq)]
pub enum Decide {
    /// Staff: confirm or refuse a request.
    Appointment(String),
    /// Patient: accept or reject a proposed time.
    Proposal(String),
}

impl Decide {
    /// What a toast asking this decision is about (see `Toast::about`).
    pub fn key(&self) -> String {
        match self {
            Self::Appointment(id) => format!("appointment:{id}"),
            Self::Proposal(id) => format!("proposal:{id}"),
        }
    }

    /// The decision this event shows made, if any: an appointment no longer pending, a
    /// proposal answered.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    pub fn settled_by(event: &LiveEvent) -> Option<Self> {
        match event {
            LiveEvent::Appointment(_, a) if a.status != AppointmentStatus::Pending => {
                Some(Self::Appointment(a.id.clone()))
            }
            LiveEvent::Proposal(false, p) => Some(Self::Proposal(p.id.clone())),
            _ => None,
        }
    }
}

/// What to show for an event.
#[derive(Debug, Clone, PartialEq)]
pub struct ToastPlan {
    pub kind: NoticeKind,
    pub priority: Priority,
    pub title: &'static str,
    pub body: Option<String>,
    /// Offer two buttons: a request or a proposal the viewer may accept.
    pub decide: Option<Decide>,
}

/// What an event means for one viewer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Reaction {
    pub toast: Option<ToastPlan>,
    /// Write this appointment into every cached list holding it.
    pub patch: Option<Appointment>,
    /// Refetch appointment lists (a new appointment belongs somewhere no list has it yet).
    pub refresh_lists: bool,
    pub refresh_slots: bool,
}

fn plan(
    kind: NoticeKind,
    priority: Priority,
    title: &'static str,
    body: Option<String>,
) -> Option<ToastPlan> {
    Some(ToastPlan {
        kind,
        priority,
        title,
        body,
        decide: None,
    })
}

/// Reactions to the events that are not about one appointment's lifecycle.
fn react_other(event: &LiveEvent, role: Role, t: &Texts) -> Reaction {
    let when = |at| Some(crate::format::when(t, at));
    let (toast, refresh_lists, refresh_slots) = match event {
        // Only the person who lost the race is told; watchers just see the list change.
        LiveEvent::SlotConflict => (
            plan(NoticeKind::Error, Priority::High, t.toast_conflict, None),
            false,
            true,
        ),
        LiveEvent::SlotsChanged => (None, false, true),
        LiveEvent::WaitlistOffer(o) => (
            plan(
                NoticeKind::Info,
                Priority::High,
                t.toast_slot_offer,
                when(o.start_time),
            ),
            false,
            true,
        ),
        LiveEvent::Reminder(r) => {
            let title = match r.reminder {
                ReminderKind::DayBefore => t.toast_reminder_day,
                ReminderKind::TwoHoursBefore => t.toast_reminder_soon,
            };
            let body = when(r.appointment.start_time);
            (
                plan(NoticeKind::Info, Priority::High, title, body),
                false,
                false,
            )
        }
        LiveEvent::Proposal(true, p) => {
            let body = Some(format!(
                "{} · {}",
                t.kind(p.kind),
                crate::format::when(t, p.start_time)
            ));
            let mut toast = plan(NoticeKind::Info, Priority::Critical, t.toast_proposal, body);
            if let Some(toast) = toast
                .as_mut()
                .filter(|_| role == Role::Patient && p.status == ProposalStatus::Pending)
            {
                toast.decide = Some(Decide::Proposal(p.id.clone()));
            }
            (toast, false, false)
        }
        LiveEvent::Proposal(false, p) => {
            let (kind, title) = match p.status {
                ProposalStatus::Accepted => (NoticeKind::Success, t.toast_proposal_accepted),
                ProposalStatus::Rejected => (NoticeKind::Warning, t.toast_proposal_rejected),
                ProposalStatus::Expired => (NoticeKind::Warning, t.toast_proposal_expired),
                ProposalStatus::Pending => return Reaction::default(),
            };
            let accepted = p.status == ProposalStatus::Accepted;
            let body = when(p.start_time);
            (
                plan(kind, Priority::Medium, title, body),
                accepted,
                accepted,
            )
        }
        LiveEvent::Message(m) => {
            let preview: String = m.content.chars().take(80).collect();
            (
                plan(
                    NoticeKind::Info,
                    Priority::Medium,
                    t.toast_message,
                    Some(preview),
                ),
                false,
                false,
            )
        }
        LiveEvent::Appointment(..)
        | LiveEvent::Read(_)
        | LiveEvent::Typing(_)
        | LiveEvent::ConversationUpdated
        | LiveEvent::Presence(_)
        | LiveEvent::Other => (None, false, false),
    };
    Reaction {
        toast,
        patch: None,
        refresh_lists,
        refresh_slots,
    }
}

/// Decides what an event does for a viewer of `role`.
pub fn react(event: &LiveEvent, role: Role, t: &Texts) -> Reaction {
    let LiveEvent::Appointment(change, a) = event else {
        return react_other(event, role, t);
    };
    let staff = role.is_staff();
    let about = || {
        let who = if staff {
            a.patient.as_ref().map(|p| p.full_name())
        } else {
            a.practitioner
                .as_ref()
                .map(|p| format!("Dr {}", p.last_name))
        };
        let when = crate::format::when(t, a.start_time);
        Some(match who {
            Some(w) => format!("{w} · {when}"),
            None => when,
        })
    };
    let toast = |kind, priority, title| {
        Some(ToastPlan {
            kind,
            priority,
            title,
            body: about(),
            decide: None,
        })
    };
    use AppointmentChange as C;
    let (toast, refresh_lists, refresh_slots) = match change {
        C::New => {
            let mut plan = toast(NoticeKind::Info, Priority::High, t.toast_new_request);
            if let Some(p) = plan.as_mut().filter(|_| a.status.holds_slot()) {
                p.decide = Some(Decide::Appointment(a.id.clone()));
            }
            (plan, true, true)
        }
        C::Created => (
            toast(NoticeKind::Success, Priority::Medium, t.toast_created),
            true,
            true,
        ),
        // Staff confirmed it themselves (maybe in another tab): update quietly.
        C::Confirmed if staff => (None, false, false),
        C::Confirmed => (
            toast(NoticeKind::Success, Priority::Medium, t.toast_confirmed),
            false,
            false,
        ),
        C::Cancelled => (
            toast(NoticeKind::Warning, Priority::High, t.toast_cancelled),
            false,
            true,
        ),
        // A request moved by its patient is still a request: staff can answer it from here
        // (the toast replaces the one showing the old time, see `Toast::about`).
        C::Rescheduled => {
            let mut plan = toast(NoticeKind::Info, Priority::High, t.toast_rescheduled);
            if let Some(p) = plan
                .as_mut()
                .filter(|_| staff && a.status == AppointmentStatus::Pending)
            {
                p.decide = Some(Decide::Appointment(a.id.clone()));
            }
            (plan, false, true)
        }
        C::Completed => (None, false, false),
    };
    Reaction {
        toast,
        patch: Some((**a).clone()),
        refresh_lists,
        refresh_slots,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::queries::fixtures::appointment;
    use crate::i18n::{EN, FR};
    use nova_contract::AppointmentStatus;
    use serde_json::json;

    fn payload(data: Value) -> Value {
        json!({"id": "e1", "type": "info", "message": "m", "data": data, "timestamp": "2026-11-23T08:00:00Z"})
    }

    fn appointment_event(change: AppointmentChange) -> LiveEvent {
        LiveEvent::Appointment(
            change,
            Box::new(appointment("a", 0, AppointmentStatus::Pending)),
        )
    }

    #[test]
    fn appointment_events_decode_to_typed_changes() {
        let a = serde_json::to_value(appointment("a", 0, AppointmentStatus::Confirmed)).unwrap();
        let (env, e) = decode(names::RENDEZVOUS_CONFIRMED, &payload(a)).unwrap();
        assert_eq!(env.id, "e1");
        assert!(
            matches!(e, LiveEvent::Appointment(AppointmentChange::Confirmed, ref x) if x.id == "a")
        );
        let slot =
            json!({"practitionerId": "p", "startTime": "2026-11-23T08:00:00Z", "duration": 30});
        assert_eq!(
            decode(names::CRENEAU_CONFLICT, &payload(slot.clone())).map(|d| d.1),
            Some(LiveEvent::SlotsChanged),
            "a watcher's notice"
        );
        let mut lost = payload(slot);
        lost["type"] = json!("error");
        assert_eq!(
            decode(names::CRENEAU_CONFLICT, &lost).map(|d| d.1),
            Some(LiveEvent::SlotConflict),
            "the caller lost the race"
        );
        assert_eq!(
            decode("x:y", &payload(Value::Null)).map(|d| d.1),
            Some(LiveEvent::Other)
        );
        assert!(decode("x:y", &json!({"no": "envelope"})).is_none());
        assert!(decode(
            names::RENDEZVOUS_NEW,
            &payload(json!({"no": "appointment"}))
        )
        .is_none());
    }

    #[test]
    fn metrics_decode_only_from_their_own_event() {
        let figures = json!({"date": "2026-11-23", "countsByStatus": {"pending": 2, "confirmed": 1,
            "cancelled": 0, "completed": 0, "noShow": 0, "rescheduled": 0}, "total": 3,
            "fillRate": 0.25, "noShowRate": null,
            "connected": {"patients": 1, "practitioners": 0, "managers": 1, "admins": 0},
            "latencyP50Ms": 0.4, "latencyP99Ms": null});
        let m = decode_metrics(names::METRICS_UPDATE, &payload(figures.clone())).unwrap();
        assert_eq!((m.counts_by_status.pending, m.connected.patients), (2, 1));
        assert_eq!((m.latency_p50_ms, m.latency_p99_ms), (Some(0.4), None));
        assert!(decode_metrics(names::RENDEZVOUS_NEW, &payload(figures)).is_none());
        assert!(decode_metrics(names::METRICS_UPDATE, &payload(json!({"total": 3}))).is_none());
    }

    #[test]
    fn a_new_request_offers_accept_and_refreshes_lists_and_slots() {
        let r = react(
            &appointment_event(AppointmentChange::New),
            Role::Practitioner,
            &FR,
        );
        let toast = r.toast.unwrap();
        assert_eq!(toast.title, FR.toast_new_request);
        assert_eq!(toast.decide, Some(Decide::Appointment("a".into())));
        assert_eq!(
            toast.body.as_deref().map(|b| b.starts_with("Léa Dubois")),
            Some(true)
        );
        assert!(r.refresh_lists && r.refresh_slots && r.patch.is_some());
    }

    #[test]
    fn a_moved_request_can_still_be_answered_by_staff_only() {
        let e = appointment_event(AppointmentChange::Rescheduled);
        let staff = react(&e, Role::Practitioner, &FR).toast.unwrap();
        assert_eq!(staff.title, FR.toast_rescheduled);
        assert_eq!(staff.decide, Some(Decide::Appointment("a".into())));
        assert_eq!(react(&e, Role::Patient, &FR).toast.unwrap().decide, None);
    }

    #[test]
    fn confirmation_toasts_patients_and_patches_everyone() {
        let e = appointment_event(AppointmentChange::Confirmed);
        let p = react(&e, Role::Patient, &FR);
        assert_eq!(p.toast.map(|t| t.kind), Some(NoticeKind::Success));
        let s = react(&e, Role::Practitioner, &FR);
        assert!(s.toast.is_none());
        assert!(s.patch.is_some() && !s.refresh_lists);
    }

    #[test]
    fn cancellations_free_slots_and_conflicts_only_refresh_slots() {
        let c = react(
            &appointment_event(AppointmentChange::Cancelled),
            Role::Patient,
            &FR,
        );
        assert!(c.refresh_slots && c.patch.is_some());
        let x = react(&LiveEvent::SlotConflict, Role::Patient, &FR);
        assert!(x.refresh_slots && x.patch.is_none() && !x.refresh_lists);
        assert_eq!(x.toast.map(|t| t.priority), Some(Priority::High));
        assert!(react(&LiveEvent::SlotsChanged, Role::Patient, &FR)
            .toast
            .is_none());
    }

    fn proposal(status: ProposalStatus) -> Proposal {
        let a = appointment("a", 0, AppointmentStatus::Pending);
        serde_json::from_value(json!({
            "id": "p1", "conversationId": "c", "cabinetId": "cab", "practitionerId": "dr",
            "patientId": "pat", "proposedBy": "dr", "type": "consultation",
            "startTime": a.start_time, "endTime": a.end_time, "duration": 30,
            "status": status, "createdAt": a.start_time, "updatedAt": a.start_time
        }))
        .unwrap()
    }

    #[test]
    fn a_proposal_asks_the_patient_to_decide_and_outcomes_are_told() {
        let data = serde_json::to_value(proposal(ProposalStatus::Pending)).unwrap();
        let (_, e) = decode(names::PROPOSAL_CREATED, &payload(data)).unwrap();
        let toast = react(&e, Role::Patient, &EN).toast.unwrap();
        assert_eq!(toast.title, EN.toast_proposal);
        assert_eq!(toast.priority, Priority::Critical, "stays until answered");
        assert_eq!(toast.decide, Some(Decide::Proposal("p1".into())));
        assert_eq!(
            react(&e, Role::Practitioner, &EN).toast.unwrap().decide,
            None
        );

        let accepted = LiveEvent::Proposal(false, Box::new(proposal(ProposalStatus::Accepted)));
        let r = react(&accepted, Role::Patient, &FR);
        assert_eq!(r.toast.map(|t| t.title), Some(FR.toast_proposal_accepted));
        assert!(
            r.refresh_lists,
            "the accepted proposal is now an appointment"
        );
    }

    #[test]
    fn reminders_waitlist_offers_and_messages_toast_in_the_viewers_language() {
        let a = serde_json::to_value(appointment("a", 0, AppointmentStatus::Confirmed)).unwrap();
        let reminder = json!({"reminder": "2h", "appointment": a});
        let (_, e) = decode(names::RAPPEL_REMINDER, &payload(reminder)).unwrap();
        assert_eq!(
            react(&e, Role::Patient, &EN).toast.unwrap().title,
            EN.toast_reminder_soon
        );

        let offer = json!({"practitionerId": "dr", "startTime": "2026-11-23T08:00:00Z",
            "endTime": "2026-11-23T08:30:00Z", "waitlistEntryId": "w1"});
        let (_, e) = decode(names::CRENEAU_AVAILABLE, &payload(offer)).unwrap();
        let r = react(&e, Role::Patient, &FR);
        assert_eq!(r.toast.map(|t| t.title), Some(FR.toast_slot_offer));
        assert!(r.refresh_slots);

        let msg = json!({"id": "m", "conversationId": "c", "seq": 1, "senderId": "dr",
            "content": "Bonjour", "createdAt": "2026-11-23T08:00:00Z"});
        let (_, e) = decode(names::MESSAGE_NEW, &payload(msg)).unwrap();
        let toast = react(&e, Role::Patient, &FR).toast.unwrap();
        assert_eq!(
            (toast.kind, toast.body.as_deref()),
            (NoticeKind::Info, Some("Bonjour"))
        );
    }
}
