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
use crate::api::json;
use crate::api::socket::codec::json_text;
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
    #[serde(with = "nova_contract::wire_time::timestamp")]
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
        let plan = super::live_events::decode_data(&n.event, n.kind, &json_text(&n.data))
            .and_then(|e| super::live_events::react(&e, role, t).toast);
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
    /// The server's count of unread notifications when it keeps them (it may hold more than
    /// this page); kept current here as durable events arrive and are read.
    #[serde(skip)]
    server_unread: Option<u64>,
}

impl NoticeLog {
    pub fn items(&self) -> impl Iterator<Item = &Notice> {
        self.items.iter()
    }

    /// Adds a notice unless its id is already there (a replayed event). A new durable one
    /// is one more unread on the server too.
    pub fn push(&mut self, notice: Notice) -> bool {
        if self.items.iter().any(|n| n.id == notice.id) {
            return false;
        }
        if let Some(n) = self.server_unread.as_mut().filter(|_| !notice.read) {
            *n += u64::from(durable_seq(&notice.id).is_some());
        }
        self.items.push_front(notice);
        self.items.truncate(CAPACITY);
        true
    }

    pub fn unread(&self) -> usize {
        match self.server_unread {
            Some(n) => n as usize,
            None => self.items.iter().filter(|n| !n.read).count(),
        }
    }

    pub fn mark_read(&mut self, id: &str) -> bool {
        match self.items.iter_mut().find(|n| n.id == id && !n.read) {
            Some(n) => {
                n.read = true;
                if let Some(count) = self.server_unread.as_mut() {
                    *count = count.saturating_sub(u64::from(durable_seq(id).is_some()));
                }
                true
            }
            None => false,
        }
    }

    /// Whether the server keeps this history (its list answered).
    fn server_backed(&self) -> bool {
        self.server_unread.is_some()
    }

    /// Returns the ids that changed.
    pub fn mark_all_read(&mut self) -> Vec<String> {
        if self.server_backed() {
            self.server_unread = Some(0);
        }
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
        self.log.with(NoticeLog::unread)
    }

    pub fn push(&self, notice: Notice) {
        if self.log.try_update(|l| l.push(notice)).unwrap_or(false) {
            self.persist();
        }
    }

    pub fn mark_read(&self, id: &str) {
        if !self.log.try_update(|l| l.mark_read(id)).unwrap_or(false) {
            return;
        }
        self.persist();
        if !self.server_backed() || durable_seq(id).is_none() {
            return;
        }
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
        // Even with nothing unread here: the server may hold unread ones older than this page.
        if !self.server_backed() {
            return;
        }
        let (this, api) = (*self, self.api.get_value());
        leptos::task::spawn_local(async move {
            if let Ok(r) = endpoints::mark_all_notifications_read(&api).await {
                this.log.update(|l| l.server_unread = Some(r.unread_count));
            }
        });
    }

    fn server_backed(&self) -> bool {
        self.log.with_untracked(NoticeLog::server_backed)
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
        let local = self
            .storage_key()
            .and_then(|k| json::stored::<NoticeLog>(&k))
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
            log.server_unread = Some(page.unread_count);
            this.log.set(log);
            this.persist();
        });
    }
}

pub fn provide_notifications(auth: Auth, api: ApiClient, prefs: Prefs) -> Notifications {
    let n = Notifications {
        log: RwSignal::new(NoticeLog::default()),
        prefs,
        owner: RwSignal::new(None),
        api: StoredValue::new_local(api),
    };
    provide_context(n);
    // By person, not by token: a refreshed session is the same history.
    Effect::new(move |_| {
        let user = auth.user();
        let id = user.as_ref().map(|u| u.id.clone());
        if id != n.owner.get_untracked() {
            n.load_for(id, user.map(|u| u.role));
        }
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
    fn a_server_backed_count_follows_durable_events_only() {
        let mut log = NoticeLog {
            server_unread: Some(10),
            ..NoticeLog::default()
        };
        log.push(notice("41"));
        assert_eq!(log.unread(), 11, "a new durable event is one more unread");
        log.push(notice("41"));
        log.push(notice("5b7c2f0e-volatile"));
        assert_eq!(
            log.unread(),
            11,
            "replays and volatile notices are not on the server"
        );
        log.mark_read("41");
        assert_eq!(log.unread(), 10);
        log.mark_all_read();
        assert_eq!(log.unread(), 0);
        let local = NoticeLog::default();
        assert!(!local.server_backed());
    }

    #[test]
    fn the_log_survives_serialisation() {
        let mut log = NoticeLog::default();
        log.push(notice("a"));
        let text = serde_json::to_string(&log).unwrap();
        assert_eq!(serde_json::from_str::<NoticeLog>(&text).unwrap(), log);
    }
}
