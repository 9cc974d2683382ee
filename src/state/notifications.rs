//! The notification centre: the history behind the bell, with an unread count and mark-read.
//!
//! Two sources behind one store. When the server keeps notifications
//! (`GET /api/notifications`), the history is the server's and mark-read goes back to it.
//! Until it does — the endpoint answers 404 — the history is what this browser saw, kept per
//! person in localStorage. Either way realtime events land here as they arrive.

use std::collections::VecDeque;

use chrono::{DateTime, Utc};
use gloo_storage::{LocalStorage as WebStorage, Storage};
use leptos::prelude::*;
use nova_contract::NoticeKind;
use serde::{Deserialize, Serialize};

use super::auth::Auth;
use super::toasts::Priority;
use crate::api::endpoints::{self, ServerNotification};
use crate::api::ApiClient;

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

    fn from_server(n: ServerNotification) -> Self {
        let (title, body) = if n.title.is_empty() {
            (n.message, None)
        } else {
            (n.title, Some(n.message).filter(|m| !m.is_empty()))
        };
        Self {
            id: n.id,
            kind: n.kind.unwrap_or(NoticeKind::Info),
            priority: match n.priority.as_deref() {
                Some("low") => Priority::Low,
                Some("high") => Priority::High,
                Some("critical") => Priority::Critical,
                _ => Priority::Medium,
            },
            title,
            body,
            at: n.timestamp.unwrap_or_else(Utc::now),
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
        if self.log.try_update(|l| l.mark_read(id)).unwrap_or(false) {
            self.persist();
            self.tell_server(vec![id.to_owned()]);
        }
    }

    pub fn mark_all_read(&self) {
        let ids = self
            .log
            .try_update(NoticeLog::mark_all_read)
            .unwrap_or_default();
        if !ids.is_empty() {
            self.persist();
            self.tell_server(ids);
        }
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

    fn tell_server(&self, ids: Vec<String>) {
        if !self.server_backed.get_untracked() {
            return;
        }
        let api = self.api.get_value();
        leptos::task::spawn_local(async move {
            for id in ids {
                // Already read here; a failure only means the server catches up next load.
                let _ = endpoints::mark_notification_read(&api, &id).await;
            }
        });
    }

    /// Loads the history of whoever signed in: theirs from this browser at once, then the
    /// server's if it keeps one.
    fn load_for(&self, user: Option<String>) {
        self.owner.set(user.clone());
        self.server_backed.set(false);
        let local = self
            .storage_key()
            .and_then(|k| WebStorage::get::<NoticeLog>(k).ok())
            .unwrap_or_default();
        self.log.set(local);
        if user.is_none() {
            return;
        }
        let (this, api) = (*self, self.api.get_value());
        leptos::task::spawn_local(async move {
            // Any failure — 404 from a server that keeps no notifications yet, a network
            // error — leaves the local history as the history.
            let Ok(page) = endpoints::notifications(&api, CAPACITY as u32).await else {
                return;
            };
            if this.owner.get_untracked() != user {
                return;
            }
            let mut log = NoticeLog::default();
            // The server lists newest first; `push` puts each in front, so go oldest first.
            for n in page.items.into_iter().rev() {
                log.push(Notice::from_server(n));
            }
            this.log.set(log);
            this.server_backed.set(true);
            this.persist();
        });
    }
}

pub fn provide_notifications(auth: Auth, api: ApiClient) -> Notifications {
    let n = Notifications {
        log: RwSignal::new(NoticeLog::default()),
        server_backed: RwSignal::new(false),
        owner: RwSignal::new(None),
        api: StoredValue::new_local(api),
    };
    provide_context(n);
    Effect::new(move |_| n.load_for(auth.user_id()));
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
    fn server_notifications_map_to_notices() {
        let n: ServerNotification = serde_json::from_str(
            r#"{"id":"n","title":"T","message":"M","type":"warning","priority":"critical","read":true}"#,
        )
        .unwrap();
        let notice = Notice::from_server(n);
        assert_eq!(notice.kind, NoticeKind::Warning);
        assert_eq!(notice.priority, Priority::Critical);
        assert_eq!(notice.body.as_deref(), Some("M"));
        assert!(notice.read);
    }

    #[test]
    fn the_log_survives_serialisation() {
        let mut log = NoticeLog::default();
        log.push(notice("a"));
        let text = serde_json::to_string(&log).unwrap();
        assert_eq!(serde_json::from_str::<NoticeLog>(&text).unwrap(), log);
    }
}
