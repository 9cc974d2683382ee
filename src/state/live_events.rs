//! Realtime events, typed: what the socket delivered, decoded once into a [`LiveEvent`], and
//! what each one means for a given person — which cached lists to patch or refetch, which
//! toast to show, whether it goes into the notification centre.
//!
//! Also the resume bookkeeping: event ids already handled (a replay after reconnection may
//! repeat some) and the last one seen, sent back on reconnection as `lastEventId`.
//!
//! All pure, so every mapping tests natively.

use std::collections::VecDeque;

use nova_contract::{names, Appointment, NoticeKind, RealtimeEvent, Role};
use serde::de::IgnoredAny;
use serde_json::Value;

use super::toasts::Priority;
use crate::i18n::Texts;

/// Events the server is adding; they move to the contract's `names` when it has them.
pub const RENDEZVOUS_RESCHEDULED: &str = "rendezvous:rescheduled";
pub const RENDEZVOUS_COMPLETED: &str = "rendezvous:completed";

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
    /// A slot was lost in a race.
    SlotConflict,
    /// A slot came free.
    SlotAvailable,
}

/// Decodes an event by name; `None` for names this build does not know or malformed payloads.
/// Returns the event id too, for deduplication.
pub fn decode(name: &str, data: &Value) -> Option<(String, LiveEvent)> {
    // Re-reading the text reuses the `from_str` decoders the HTTP client already has; decoding
    // from a `Value` would compile a second copy of every payload's decoder into the bundle.
    let text = data.to_string();
    let change = match name {
        names::RENDEZVOUS_NEW => AppointmentChange::New,
        names::RENDEZVOUS_CREATED => AppointmentChange::Created,
        names::RENDEZVOUS_CONFIRMED => AppointmentChange::Confirmed,
        names::RENDEZVOUS_CANCELLED => AppointmentChange::Cancelled,
        RENDEZVOUS_RESCHEDULED => AppointmentChange::Rescheduled,
        RENDEZVOUS_COMPLETED => AppointmentChange::Completed,
        names::CRENEAU_CONFLICT | names::CRENEAU_AVAILABLE => {
            let e: RealtimeEvent<IgnoredAny> = serde_json::from_str(&text).ok()?;
            let event = if name == names::CRENEAU_CONFLICT {
                LiveEvent::SlotConflict
            } else {
                LiveEvent::SlotAvailable
            };
            return Some((e.id, event));
        }
        _ => return None,
    };
    let e: RealtimeEvent<Appointment> = serde_json::from_str(&text).ok()?;
    Some((e.id, LiveEvent::Appointment(change, Box::new(e.data))))
}

/// What to show for an event.
#[derive(Debug, Clone, PartialEq)]
pub struct ToastPlan {
    pub kind: NoticeKind,
    pub priority: Priority,
    pub title: &'static str,
    pub body: Option<String>,
    /// Offer accept/reject: a request the viewer may confirm.
    pub decide: Option<String>,
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

/// Decides what an event does for a viewer of `role`.
pub fn react(event: &LiveEvent, role: Role, t: &Texts) -> Reaction {
    let LiveEvent::Appointment(change, a) = event else {
        return Reaction {
            toast: (*event == LiveEvent::SlotConflict).then_some(ToastPlan {
                kind: NoticeKind::Error,
                priority: Priority::High,
                title: t.toast_conflict,
                body: None,
                decide: None,
            }),
            refresh_slots: true,
            ..Reaction::default()
        };
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
                p.decide = Some(a.id.clone());
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
        C::Rescheduled => (
            toast(NoticeKind::Info, Priority::High, t.toast_rescheduled),
            false,
            true,
        ),
        C::Completed => (None, false, false),
    };
    Reaction {
        toast,
        patch: Some((**a).clone()),
        refresh_lists,
        refresh_slots,
    }
}

/// Event ids already handled (bounded) and the last one, for `lastEventId`.
#[derive(Debug, Default)]
pub struct EventLog {
    ids: VecDeque<String>,
    last: Option<String>,
}

impl EventLog {
    const CAPACITY: usize = 256;

    /// `true` the first time an id is seen; it then becomes the last event id.
    pub fn accept(&mut self, id: &str) -> bool {
        if self.ids.iter().any(|s| s == id) {
            return false;
        }
        if self.ids.len() == Self::CAPACITY {
            self.ids.pop_front();
        }
        self.ids.push_back(id.to_owned());
        self.last = Some(id.to_owned());
        true
    }

    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    pub fn last_event_id(&self) -> Option<&str> {
        self.last.as_deref()
    }
}

/// The CONNECT `auth` object: the token, and the last event seen so the server can replay
/// what came after it (servers that do not know `lastEventId` ignore it).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub fn connect_auth(token: &str, last_event_id: Option<&str>) -> Value {
    let mut auth = serde_json::Map::new();
    auth.insert("token".into(), Value::from(token));
    if let Some(id) = last_event_id {
        auth.insert("lastEventId".into(), Value::from(id));
    }
    Value::Object(auth)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::queries::fixtures::appointment;
    use crate::i18n::FR;
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
        let (id, e) = decode(names::RENDEZVOUS_CONFIRMED, &payload(a)).unwrap();
        assert_eq!(id, "e1");
        assert!(
            matches!(e, LiveEvent::Appointment(AppointmentChange::Confirmed, ref x) if x.id == "a")
        );
        let slot =
            json!({"practitionerId": "p", "startTime": "2026-11-23T08:00:00Z", "duration": 30});
        assert_eq!(
            decode(names::CRENEAU_CONFLICT, &payload(slot)).map(|d| d.1),
            Some(LiveEvent::SlotConflict)
        );
        assert!(decode("x:y", &payload(Value::Null)).is_none());
        assert!(decode(
            names::RENDEZVOUS_NEW,
            &payload(json!({"no": "appointment"}))
        )
        .is_none());
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
        assert_eq!(toast.decide.as_deref(), Some("a"));
        assert_eq!(
            toast.body.as_deref().map(|b| b.starts_with("Léa Dubois")),
            Some(true)
        );
        assert!(r.refresh_lists && r.refresh_slots && r.patch.is_some());
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
        assert!(react(&LiveEvent::SlotAvailable, Role::Patient, &FR)
            .toast
            .is_none());
    }

    #[test]
    fn duplicates_act_once_and_the_last_id_is_remembered() {
        let mut log = EventLog::default();
        assert_eq!(log.last_event_id(), None);
        assert!(log.accept("a"));
        assert!(!log.accept("a"));
        assert!(log.accept("b"));
        assert!(
            !log.accept("a"),
            "a replayed old event does not move the cursor"
        );
        assert_eq!(log.last_event_id(), Some("b"));
        for i in 0..EventLog::CAPACITY {
            log.accept(&i.to_string());
        }
        assert!(
            log.accept("a"),
            "old ids are forgotten, memory stays bounded"
        );
    }

    #[test]
    fn the_connect_auth_carries_the_last_event_id_once_there_is_one() {
        assert_eq!(connect_auth("t", None), json!({"token": "t"}));
        assert_eq!(
            connect_auth("t", Some("e9")),
            json!({"token": "t", "lastEventId": "e9"})
        );
    }
}
