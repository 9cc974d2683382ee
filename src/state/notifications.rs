//! The notification centre: the history behind the bell, with an unread count and mark-read.
//!
//! Two sources behind one store. The server keeps every durable event as a notification
//! (`GET /api/notifications`): then the history and the unread count are the server's, mark-read
//! goes back to it, and each new durable event that arrives live counts one more unread. If the
//! endpoint fails, the history is what this browser saw, kept per person in localStorage.
//! Either way realtime events land here as they arrive.

use std::collections::VecDeque;

use chrono::{DateTime, Utc};
use gloo_storage::{LocalStorage as WebStorage, Storage};
use leptos::prelude::*;
use nova_contract::{NoticeKind, Notification, Role};
use serde::{Deserialize, Serialize};

use super::auth::Auth;
use super::event_log::durable_seq;
use super::prefs::Prefs;
use super::toasts::Priority;
use crate::api::endpoints;
use crate::api::ApiClient;
use crate::i18n::Texts;

/// How much history is kept.
pub const CAPACITY: usize = 50;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    pub id: String,
    pub kind: NoticeKind,
    pub priority: Priority,
    pub title: String,
    pub body: Option<String>,
    pub at: DateTime<Utc>,
    pub read: bool,
}

impl Notice {
    pub fn kind_str(&self) -> &'static str {
        match self.kind {
            NoticeKind::Success => "success",
            NoticeKind::Info => "info",
            NoticeKind::Warning => "warning",
            NoticeKind::Error => "error",
        }
    }

    /// A kept notification, worded as its live toast was (in the viewer's language), or by
    /// the server's sentence for events without one.
    fn from_server(n: Notification, role: Role, t: &Texts) -> Self {
        let event = serde_json::json!({
            "id": n.id, "type": n.kind, "message": n.message, "data": n.data,
            "timestamp": n.timestamp,
        });
        let plan = super::live_events::decode(&n.event, &event)
            .and_then(|(_, e)| super::live_events::react(&e, role, t).toast);
        let (priority, title, body) = match plan {
            Some(p) => (p.priority, p.title.to_owned(), p.body),
            None => (Priority::Low, n.message, None),
        };
        Self {
            id: n.id,
            kind: n.kind,
            priority,
            title,
            body,
            at: n.timestamp,
            read: n.read,
        }
    }
}

/// Newest first, bounded, one entry per id. Pure, so its rules test natively.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NoticeLog {
    items: VecDeque<Notice>,
}

impl NoticeLog {
    pub fn items(&self) -> impl Iterator<Item = &Notice> {
        self.items.iter()
    }

    /// Adds a notice unless its id is already there (a replayed event).
    pub fn push(&mut self, notice: Notice) -> bool {
        if self.items.iter().any(|n| n.id == notice.id) {
            return false;
        }
        self.items.push_front(notice);
        self.items.truncate(CAPACITY);
        true
    }

    pub fn unread(&self) -> usize {
        self.items.iter().filter(|n| !n.read).count()
    }

    pub fn mark_read(&mut self, id: &str) -> bool {
        match self.items.iter_mut().find(|n| n.id == id && !n.read) {
            Some(n) => {
                n.read = true;
                true
            }
            None => false,
        }
    }

    /// Returns the ids that changed.
    pub fn mark_all_read(&mut self) -> Vec<String> {
        self.items
            .iter_mut()
            .filter(|n| !n.read)
            .map(|n| {
                n.read = true;
                n.id.clone()
            })
            .collect()
    }
}

#[derive(Clone, Copy)]
pub struct Notifications {
    log: RwSignal<NoticeLog>,
    /// The server keeps the history (its endpoint answered).
    server_backed: RwSignal<bool>,
    /// The server's count of unread notifications, kept current from live events.
    server_unread: RwSignal<Option<u64>>,
    prefs: Prefs,
    /// Whose history this is; `None` signed out.
    owner: RwSignal<Option<String>>,
    api: StoredValue<ApiClient, LocalStorage>,
}

impl Notifications {
    pub fn items(&self) -> Vec<Notice> {
        self.log.with(|l| l.items().cloned().collect())
    }

    pub fn unread(&self) -> usize {
        match self.server_unread.get() {
            Some(n) => n as usize,
            None => self.log.with(NoticeLog::unread),
        }
    }

    pub fn push(&self, notice: Notice) {
        let durable = durable_seq(&notice.id).is_some();
        if self.log.try_update(|l| l.push(notice)).unwrap_or(false) {
            if durable {
                self.server_unread.update(|n| *n = n.map(|n| n + 1));
            }
            self.persist();
        }
    }

    pub fn mark_read(&self, id: &str) {
        if !self.log.try_update(|l| l.mark_read(id)).unwrap_or(false) {
            return;
        }
        self.persist();
        if !self.server_backed.get_untracked() || durable_seq(id).is_none() {
            return;
        }
        self.server_unread
            .update(|n| *n = n.map(|n| n.saturating_sub(1)));
        let (api, id) = (self.api.get_value(), id.to_owned());
        leptos::task::spawn_local(async move {
            // Already read here; a failure only means the server catches up next load.
            let _ = endpoints::mark_notification_read(&api, &id).await;
        });
    }

    pub fn mark_all_read(&self) {
        let changed = !self
            .log
            .try_update(NoticeLog::mark_all_read)
            .unwrap_or_default()
            .is_empty();
        if changed {
            self.persist();
        }
        // The server may hold unread ones older than this page.
        if !self.server_backed.get_untracked() {
            return;
        }
        self.server_unread.set(Some(0));
        let (this, api) = (*self, self.api.get_value());
        leptos::task::spawn_local(async move {
            if let Ok(r) = endpoints::mark_all_notifications_read(&api).await {
                this.server_unread.set(Some(r.unread_count));
            }
        });
    }

    fn storage_key(&self) -> Option<String> {
        self.owner
            .get_untracked()
            .map(|id| format!("nova_notices:{id}"))
    }

    fn persist(&self) {
        if let Some(key) = self.storage_key() {
            let _ = self.log.with_untracked(|l| WebStorage::set(key, l));
        }
    }

    /// Loads the history of whoever signed in: theirs from this browser at once, then the
    /// server's if it keeps one.
    fn load_for(&self, user: Option<String>, role: Option<Role>) {
        self.owner.set(user.clone());
        self.server_backed.set(false);
        self.server_unread.set(None);
        let local = self
            .storage_key()
            .and_then(|k| WebStorage::get::<NoticeLog>(k).ok())
            .unwrap_or_default();
        self.log.set(local);
        if user.is_none() {
            return;
        }
        let (this, api) = (*self, self.api.get_value());
        let role = role.unwrap_or(Role::Patient);
        leptos::task::spawn_local(async move {
            // Any failure — a server without the endpoint, a network error — leaves the local
            // history as the history.
            let Ok(page) = endpoints::notifications(&api, CAPACITY as u32).await else {
                return;
            };
            if this.owner.get_untracked() != user {
                return;
            }
            let mut log = NoticeLog::default();
            // The server lists newest first; `push` puts each in front, so go oldest first.
            for n in page.items.into_iter().rev() {
                log.push(Notice::from_server(n, role, this.prefs.t()));
            }
            this.log.set(log);
            this.server_backed.set(true);
            this.server_unread.set(Some(page.unread_count));
            this.persist();
        });
    }
}

pub fn provide_notifications(auth: Auth, api: ApiClient, prefs: Prefs) -> Notifications {
    let n = Notifications {
        log: RwSignal::new(NoticeLog::default()),
        server_backed: RwSignal::new(false),
        server_unread: RwSignal::new(None),
        prefs,
        owner: RwSignal::new(None),
        api: StoredValue::new_local(api),
    };
    provide_context(n);
    // By person, not by token: a refreshed session is the same history.
    let who = Memo::new(move |_| auth.user().map(|u| (u.id, u.role)));
    Effect::new(move |_| {
        let (id, role) = who.get().unzip();
        n.load_for(id, role);
    });
    n
}

pub fn use_notifications() -> Notifications {
    expect_context::<Notifications>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(id: &str) -> Notice {
        Notice {
            id: id.into(),
            kind: NoticeKind::Info,
            priority: Priority::Medium,
            title: id.into(),
            body: None,
            at: DateTime::from_timestamp(0, 0).unwrap(),
            read: false,
        }
    }

    #[test]
    fn newest_first_once_per_id_and_bounded() {
        let mut log = NoticeLog::default();
        assert!(log.push(notice("a")));
        assert!(log.push(notice("b")));
        assert!(
            !log.push(notice("a")),
            "a replayed event is not a new notice"
        );
        assert_eq!(
            log.items().map(|n| n.id.as_str()).collect::<Vec<_>>(),
            ["b", "a"]
        );
        for i in 0..CAPACITY {
            log.push(notice(&i.to_string()));
        }
        assert_eq!(log.items().count(), CAPACITY);
        assert!(log.items().all(|n| n.id != "a"), "the oldest went first");
    }

    #[test]
    fn unread_count_follows_mark_read() {
        let mut log = NoticeLog::default();
        for id in ["a", "b", "c"] {
            log.push(notice(id));
        }
        assert_eq!(log.unread(), 3);
        assert!(log.mark_read("b"));
        assert!(!log.mark_read("b"), "already read");
        assert_eq!(log.unread(), 2);
        assert_eq!(log.mark_all_read(), ["c", "a"]);
        assert_eq!(log.unread(), 0);
    }

    #[test]
    fn server_notifications_are_worded_like_their_toasts() {
        let a = crate::api::queries::fixtures::appointment(
            "a",
            0,
            nova_contract::AppointmentStatus::Confirmed,
        );
        let n = |event: &str, data| Notification {
            id: "7".into(),
            event: event.into(),
            kind: NoticeKind::Success,
            family: nova_contract::NotificationFamily::of_event(event),
            message: "Votre rendez-vous a été confirmé".into(),
            data,
            timestamp: DateTime::from_timestamp(0, 0).unwrap(),
            read: true,
            read_at: None,
        };
        let data = serde_json::to_value(&a).unwrap();
        let notice = Notice::from_server(
            n(nova_contract::names::RENDEZVOUS_CONFIRMED, data),
            Role::Patient,
            &crate::i18n::EN,
        );
        assert_eq!(notice.title, crate::i18n::EN.toast_confirmed);
        assert!(notice.read && notice.body.is_some());
        let general = Notice::from_server(
            n("notification:general", serde_json::Value::Null),
            Role::Patient,
            &crate::i18n::EN,
        );
        assert_eq!(general.title, "Votre rendez-vous a été confirmé");
    }

    #[test]
    fn the_log_survives_serialisation() {
        let mut log = NoticeLog::default();
        log.push(notice("a"));
        let text = serde_json::to_string(&log).unwrap();
        assert_eq!(serde_json::from_str::<NoticeLog>(&text).unwrap(), log);
    }
}
