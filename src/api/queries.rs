//! The app's queries: their keys, and how an appointment that changed elsewhere is written
//! into every cached list that holds it.
//!
//! Keys form one tree per resource, so one prefix reaches a whole family:
//! `appointments/list/<from>/<practitioner|all>/<page>/<limit>`, `slots/<practitioner>/<from>/<duration>`,
//! `practitioners`, `dashboard/<date>`, `conversations/list`,
//! `conversations/<id>/messages|proposals`.

use chrono::NaiveDate;
use nova_contract::{
    Appointment, AppointmentStatus, Conversation, Message, MessagePage, PaginatedResponse,
    PresenceStatus, ReadReceipt, UserStatus,
};

use super::endpoints::AppointmentFilter;
use super::query::{QueryClient, QueryKey};

pub fn appointments() -> QueryKey {
    QueryKey::new("appointments")
}

pub fn appointment_list(f: &AppointmentFilter) -> QueryKey {
    let key = appointments()
        .with("list")
        .with(f.from)
        .with(f.practitioner.as_deref().unwrap_or("all"))
        .with(f.page)
        .with(f.limit);
    // Narrower lists get longer keys; the open-ended, every-status lists keep theirs.
    match (f.to, f.status, &f.patient) {
        (None, None, None) => key,
        (to, status, patient) => key
            .with(to.map_or_else(|| "open".to_owned(), |d| d.to_string()))
            .with(status.map_or("any", AppointmentStatus::as_str))
            .with(patient.as_deref().unwrap_or("everyone")),
    }
}

pub fn slots() -> QueryKey {
    QueryKey::new("slots")
}

pub fn slot_week(practitioner: &str, from: NaiveDate, duration: u32) -> QueryKey {
    slots().with(practitioner).with(from).with(duration)
}

pub fn practitioners() -> QueryKey {
    QueryKey::new("practitioners")
}

pub fn dashboards() -> QueryKey {
    QueryKey::new("dashboard")
}

pub fn dashboard(date: NaiveDate) -> QueryKey {
    dashboards().with(date)
}

pub fn conversations() -> QueryKey {
    QueryKey::new("conversations")
}

pub fn conversation_list() -> QueryKey {
    conversations().with("list")
}

/// The newest page of a conversation; older pages are the screen's own.
pub fn messages(conversation: &str) -> QueryKey {
    conversations().with(conversation).with("messages")
}

pub fn proposals(conversation: &str) -> QueryKey {
    conversations().with(conversation).with("proposals")
}

/// Adds a message that arrived live to its conversation's cached page, once (it may come
/// through the user room and the conversation room). Returns whether it was new.
pub fn add_message(page: &mut MessagePage, m: &Message) -> bool {
    if page.items.iter().any(|x| x.id == m.id) {
        return false;
    }
    page.items.push(m.clone());
    page.items.sort_by_key(|x| x.seq);
    true
}

/// Moves a participant's read position forward in the cached conversation list.
pub fn apply_receipt(list: &mut [Conversation], r: &ReadReceipt) -> bool {
    let participant = list
        .iter_mut()
        .filter(|c| c.id == r.conversation_id)
        .flat_map(|c| c.participants.iter_mut())
        .find(|p| p.id == r.user_id && p.last_read_seq < r.last_read_seq);
    match participant {
        Some(p) => {
            p.last_read_seq = r.last_read_seq;
            true
        }
        None => false,
    }
}

/// Shows a person online or offline in every cached conversation they take part in.
pub fn apply_presence(list: &mut [Conversation], s: &UserStatus) -> bool {
    let online = s.status == PresenceStatus::Online;
    let mut changed = false;
    for p in list.iter_mut().flat_map(|c| c.participants.iter_mut()) {
        if p.id == s.user_id && p.online != online {
            p.online = online;
            changed = true;
        }
    }
    changed
}

pub type AppointmentPage = PaginatedResponse<Appointment>;

/// Replaces the appointment with `a.id` in a page, keeping the page in time order. Returns
/// whether the page held it.
pub fn replace_in_page(page: &mut AppointmentPage, a: &Appointment) -> bool {
    let Some(slot) = page.items.iter_mut().find(|x| x.id == a.id) else {
        return false;
    };
    // Events may carry the bare appointment: keep the names the list already had.
    let mut fresh = a.clone();
    if fresh.patient.is_none() {
        fresh.patient = slot.patient.take();
    }
    if fresh.practitioner.is_none() {
        fresh.practitioner = slot.practitioner.take();
    }
    *slot = fresh;
    page.items.sort_by_key(|x| x.start_time);
    true
}

/// Writes `a` into every cached appointment list holding it; returns how many did.
pub fn patch_appointment(client: &QueryClient, a: &Appointment) -> usize {
    client.update::<AppointmentPage>(&appointments(), |page| replace_in_page(page, a))
}

/// Sets one appointment's status in every cached list (an optimistic update).
pub fn set_status(client: &QueryClient, id: &str, status: AppointmentStatus) -> usize {
    client.update::<AppointmentPage>(&appointments(), |page| {
        match page.items.iter_mut().find(|x| x.id == id) {
            Some(a) if a.status != status => {
                a.status = status;
                true
            }
            _ => false,
        }
    })
}

#[cfg(test)]
pub(crate) mod fixtures {
    use chrono::{DateTime, Utc};
    use nova_contract::{
        Appointment, AppointmentStatus, AppointmentType, Pagination, PersonSummary, Urgency,
    };

    use super::AppointmentPage;

    pub fn appointment(id: &str, start_secs: i64, status: AppointmentStatus) -> Appointment {
        let at = |s| DateTime::<Utc>::from_timestamp(s, 0).unwrap();
        Appointment {
            id: id.into(),
            patient_id: "pa".into(),
            practitioner_id: "pr".into(),
            cabinet_id: "c".into(),
            kind: AppointmentType::Consultation,
            status,
            start_time: at(start_secs),
            end_time: at(start_secs + 1800),
            duration: 30,
            notes: None,
            cancellation_reason: None,
            urgency: Urgency::Normal,
            created_at: at(0),
            updated_at: at(0),
            patient: Some(PersonSummary {
                id: "pa".into(),
                first_name: "Léa".into(),
                last_name: "Dubois".into(),
            }),
            practitioner: None,
        }
    }

    pub fn page(items: Vec<Appointment>) -> AppointmentPage {
        let n = items.len() as u64;
        AppointmentPage {
            items,
            pagination: Pagination::new(1, 20, n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{appointment, page};
    use super::*;

    #[test]
    fn keys_nest_under_their_resource() {
        let mut f = AppointmentFilter {
            from: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            to: None,
            practitioner: None,
            status: None,
            patient: None,
            page: 1,
            limit: 50,
        };
        let k = appointment_list(&f);
        assert!(k.starts_with(&appointments()));
        assert_eq!(k.to_string(), "appointments/list/2026-11-23/all/1/50");
        f.to = NaiveDate::from_ymd_opt(2026, 11, 29);
        f.status = Some(AppointmentStatus::Confirmed);
        assert_eq!(
            appointment_list(&f).to_string(),
            "appointments/list/2026-11-23/all/1/50/2026-11-29/confirmed/everyone"
        );
        assert!(slot_week("p", f.from, 30).starts_with(&slots()));
    }

    #[test]
    fn live_messages_and_receipts_apply_once_and_only_forward() {
        let at = chrono::DateTime::<chrono::Utc>::from_timestamp(0, 0).unwrap();
        let msg = |id: &str, seq| Message {
            id: id.into(),
            conversation_id: "c".into(),
            seq,
            sender_id: "u".into(),
            content: "x".into(),
            created_at: at,
        };
        let mut page = MessagePage {
            items: vec![msg("b", 2)],
            has_more: false,
        };
        assert!(add_message(&mut page, &msg("a", 1)));
        assert!(
            !add_message(&mut page, &msg("a", 1)),
            "a second copy is dropped"
        );
        assert_eq!(page.items.iter().map(|m| m.seq).collect::<Vec<_>>(), [1, 2]);

        let mut list = vec![Conversation {
            id: "c".into(),
            cabinet_id: "k".into(),
            patient_id: "p".into(),
            participants: vec![nova_contract::ConversationParticipant {
                id: "p".into(),
                first_name: "L".into(),
                last_name: "D".into(),
                role: nova_contract::Role::Patient,
                last_read_seq: 3,
                online: false,
            }],
            last_message: None,
            unread_count: 0,
            created_at: at,
            updated_at: at,
        }];
        let receipt = |seq| ReadReceipt {
            conversation_id: "c".into(),
            user_id: "p".into(),
            last_read_seq: seq,
            read_at: at,
        };
        assert!(!apply_receipt(&mut list, &receipt(2)), "never moves back");
        assert!(apply_receipt(&mut list, &receipt(5)));
        assert_eq!(list[0].participants[0].last_read_seq, 5);

        let status = |user: &str, status| UserStatus {
            user_id: user.into(),
            status,
            last_seen: at,
        };
        assert!(apply_presence(
            &mut list,
            &status("p", PresenceStatus::Online)
        ));
        assert!(list[0].participants[0].online);
        assert!(
            !apply_presence(&mut list, &status("p", PresenceStatus::Online)),
            "no news"
        );
        assert!(
            !apply_presence(&mut list, &status("x", PresenceStatus::Online)),
            "not here"
        );
        assert!(apply_presence(
            &mut list,
            &status("p", PresenceStatus::Offline)
        ));
        assert!(!list[0].participants[0].online);
    }

    #[test]
    fn a_patch_replaces_keeps_names_and_order() {
        let mut p = page(vec![
            appointment("a", 100, AppointmentStatus::Pending),
            appointment("b", 200, AppointmentStatus::Pending),
        ]);
        let mut moved = appointment("a", 300, AppointmentStatus::Confirmed);
        moved.patient = None;
        assert!(replace_in_page(&mut p, &moved));
        assert_eq!(p.items[1].id, "a", "rescheduled later, so it moves down");
        assert_eq!(p.items[1].status, AppointmentStatus::Confirmed);
        assert!(p.items[1].patient.is_some(), "names survive a bare event");
        assert!(!replace_in_page(
            &mut p,
            &appointment("zz", 1, AppointmentStatus::Pending)
        ));
    }
}
