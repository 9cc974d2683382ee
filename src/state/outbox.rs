//! The offline queue: changes made without a network wait in localStorage, each with the
//! `Idempotency-Key` it will be sent with, and go out in order when the network returns.
//!
//! Nothing is lost: a change is written to storage before it is sent and removed only once the
//! server has answered for it, so a reload or a crash mid-replay sends it again. Nothing is
//! applied twice: it is sent again with the same key, and the server answers a key it has seen
//! with its first result. Each answer becomes a toast — done, conflict (the slot went to someone
//! else meanwhile) or refused — and a line in the notification centre.
//!
//! The queue is per person (`nova_outbox:<user id>`): a change is only ever sent with the
//! session of whoever made it.

use chrono::{DateTime, Utc};
use gloo_storage::{LocalStorage as WebStorage, Storage};
use leptos::prelude::*;
use nova_contract::{CreateAppointmentRequest, ErrorCode, ErrorDetails, NoticeKind};
use serde::{Deserialize, Serialize};

use super::auth::Auth;
use super::network::Network;
use super::notifications::{Notice, Notifications};
use super::prefs::Prefs;
use super::toasts::{Priority, Toast, Toasts};
use crate::api::client::Call;
use crate::api::http::{ApiResult, Method};
use crate::api::json;
use crate::api::query::QueryClient;
use crate::api::{endpoints, queries, ApiClient};

/// A change waiting to be sent, stored as the request that sends it. Reading the queue back
/// (at every start) then decodes a few strings, not every kind of change with its fields: the
/// kinds' decoders would be in the first visit's download for a queue that is almost always
/// empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingChange {
    /// The `Idempotency-Key`, fixed when the change was made.
    pub key: String,
    /// What the person did, in their words at the time ("Consultation · lun. 23 nov. · 09:30").
    pub label: String,
    pub method: Method,
    pub path: String,
    /// JSON text.
    pub body: Option<String>,
}

impl PendingChange {
    pub fn new(key: String, label: String, change: &Change) -> Self {
        let call = match change {
            Change::Book { request } => endpoints::book_call(request),
            Change::Cancel { id, reason } => endpoints::cancel_call(id, reason.as_deref()),
            Change::Reschedule { id, start_time } => endpoints::reschedule_call(id, *start_time),
        };
        Self {
            key,
            label,
            method: call.method,
            path: call.path,
            body: call.body,
        }
    }
}

/// What a person can do while offline.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Book {
        request: CreateAppointmentRequest,
    },
    Cancel {
        id: String,
        reason: Option<String>,
    },
    Reschedule {
        id: String,
        start_time: DateTime<Utc>,
    },
}

/// What became of a change sent to the server.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Done,
    /// The world moved on (slot taken, appointment already changed): dropped, user told.
    Conflict(ErrorDetails),
    /// The server said no for another reason: dropped, user told.
    Refused(ErrorDetails),
    /// No answer, or a passing failure: kept for the next attempt.
    Retry,
}

/// Sorts a server answer into the outcome a person is told about.
pub fn classify(result: &ApiResult<()>) -> Outcome {
    let Err(e) = result else {
        return Outcome::Done;
    };
    match e.code {
        ErrorCode::SlotConflict | ErrorCode::SlotUnavailable | ErrorCode::InvalidTransition => {
            Outcome::Conflict(e.clone())
        }
        // Signed out or server trouble: the change waits for a session and a server.
        ErrorCode::NetworkError
        | ErrorCode::Unauthorized
        | ErrorCode::TokenExpired
        | ErrorCode::RateLimited
        | ErrorCode::InternalError => Outcome::Retry,
        _ if e.status.is_none_or(|s| s == 0 || s >= 500) => Outcome::Retry,
        _ => Outcome::Refused(e.clone()),
    }
}

/// The persistent queue itself: every read goes to storage, so two tabs and a reload agree.
pub struct Queue {
    storage_key: String,
}

impl Queue {
    pub fn for_user(user_id: &str) -> Self {
        Self {
            storage_key: format!("nova_outbox:{user_id}"),
        }
    }

    pub fn load(&self) -> Vec<PendingChange> {
        json::stored(&self.storage_key).unwrap_or_default()
    }

    fn save(&self, items: &[PendingChange]) {
        if items.is_empty() {
            WebStorage::delete(&self.storage_key);
        } else if let Err(e) = WebStorage::set(&self.storage_key, items) {
            leptos::logging::warn!("offline queue not saved: {e}");
        }
    }

    pub fn push(&self, change: PendingChange) {
        let mut items = self.load();
        if !items.iter().any(|c| c.key == change.key) {
            items.push(change);
            self.save(&items);
        }
    }

    pub fn remove(&self, key: &str) {
        let mut items = self.load();
        items.retain(|c| c.key != key);
        self.save(&items);
    }
}

async fn send(api: &ApiClient, c: &PendingChange) -> ApiResult<()> {
    let mut call = Call::new(c.method, c.path.clone()).idempotency_key(Some(c.key.clone()));
    call.body = c.body.clone();
    api.execute(call).await.map(drop)
}

/// Sends the queue front to back, one change at a time, reporting each outcome. Stops at the
/// first change that must wait, so order is kept. Returns how many changes were settled.
pub async fn replay(
    api: &ApiClient,
    queue: &Queue,
    mut report: impl FnMut(&PendingChange, &Outcome),
) -> usize {
    let mut settled = 0;
    while let Some(first) = queue.load().into_iter().next() {
        let outcome = classify(&send(api, &first).await);
        if outcome == Outcome::Retry {
            break;
        }
        queue.remove(&first.key);
        settled += 1;
        report(&first, &outcome);
    }
    settled
}

const RETRY_AFTER: std::time::Duration = std::time::Duration::from_secs(15);

#[derive(Clone, Copy)]
pub struct Outbox {
    /// What waits, for the banner; mirrors storage.
    pending: RwSignal<Vec<PendingChange>>,
    replaying: RwSignal<bool>,
    user: Memo<Option<String>>,
    api: StoredValue<ApiClient, LocalStorage>,
    queries: StoredValue<QueryClient, LocalStorage>,
    network: Network,
    toasts: Toasts,
    notices: Notifications,
    prefs: Prefs,
}

impl Outbox {
    pub fn pending(&self) -> Vec<PendingChange> {
        self.pending.get()
    }

    pub fn replaying(&self) -> bool {
        self.replaying.get()
    }

    /// Keeps a change for later; sends it at once if the network is there.
    pub fn enqueue(&self, change: PendingChange) {
        let Some(user) = self.user.get_untracked() else {
            return;
        };
        Queue::for_user(&user).push(change);
        self.reload();
        if self.network.online.get_untracked() {
            self.flush();
        }
    }

    fn reload(&self) {
        let items = self
            .user
            .get_untracked()
            .map(|u| Queue::for_user(&u).load())
            .unwrap_or_default();
        self.pending.set(items);
    }

    /// Sends what waits, unless a replay is already running.
    pub fn flush(&self) {
        let Some(user) = self.user.get_untracked() else {
            return;
        };
        if self.replaying.get_untracked()
            || !self.network.online.get_untracked()
            || self.pending.with_untracked(Vec::is_empty)
        {
            return;
        }
        self.replaying.set(true);
        let this = *self;
        let api = self.api.get_value();
        leptos::task::spawn_local(async move {
            let queue = Queue::for_user(&user);
            replay(&api, &queue, |change, outcome| {
                this.announce(change, outcome)
            })
            .await;
            this.replaying.set(false);
            this.reload();
            let queries = this.queries.get_value();
            queries.invalidate(&queries::appointments());
            queries.invalidate(&queries::slots());
            // Online but unanswered (server restarting): try again in a while; going offline
            // and back online also triggers a replay.
            if !this.pending.with_untracked(Vec::is_empty) {
                set_timeout(move || this.flush(), RETRY_AFTER);
            }
        });
    }

    fn announce(&self, change: &PendingChange, outcome: &Outcome) {
        let t = self.prefs.t();
        let (kind, title, detail) = match outcome {
            Outcome::Done => (NoticeKind::Success, t.outbox_done, None),
            Outcome::Conflict(e) => (NoticeKind::Warning, t.outbox_conflict, Some(e.code)),
            Outcome::Refused(e) => (NoticeKind::Error, t.outbox_refused, Some(e.code)),
            Outcome::Retry => return,
        };
        let body = match detail {
            Some(code) => format!("{} — {}", change.label, t.error(code)),
            None => change.label.clone(),
        };
        let priority = if kind == NoticeKind::Success {
            Priority::Medium
        } else {
            Priority::High
        };
        self.toasts.show(
            Toast::new(kind, title)
                .body(Some(body.clone()))
                .priority(priority),
        );
        self.notices.push(Notice {
            id: format!("outbox:{}", change.key),
            kind,
            priority,
            title: title.to_owned(),
            body: Some(body),
            at: Utc::now(),
            read: false,
        });
    }
}

pub struct OutboxDeps {
    pub auth: Auth,
    pub api: ApiClient,
    pub queries: QueryClient,
    pub network: Network,
    pub toasts: Toasts,
    pub notices: Notifications,
    pub prefs: Prefs,
}

/// Provides the queue and replays it whenever someone is signed in and the network is there:
/// at start (a reload left changes behind), on sign-in and when the browser comes back online.
pub fn provide_outbox(d: OutboxDeps) -> Outbox {
    let outbox = Outbox {
        pending: RwSignal::new(Vec::new()),
        replaying: RwSignal::new(false),
        user: Memo::new(move |_| d.auth.user_id()),
        api: StoredValue::new_local(d.api),
        queries: StoredValue::new_local(d.queries),
        network: d.network,
        toasts: d.toasts,
        notices: d.notices,
        prefs: d.prefs,
    };
    provide_context(outbox);
    Effect::new(move |_| {
        let _ = outbox.user.get();
        outbox.reload();
        if outbox.network.online.get() {
            outbox.flush();
        }
    });
    outbox
}

pub fn use_outbox() -> Outbox {
    expect_context::<Outbox>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(code: ErrorCode, status: u16) -> ApiResult<()> {
        Err(ErrorDetails {
            code,
            message: String::new(),
            status: Some(status),
            field: None,
            retryable: None,
        })
    }

    #[test]
    fn answers_sort_into_done_conflict_refused_and_retry() {
        assert_eq!(classify(&Ok(())), Outcome::Done);
        assert!(matches!(
            classify(&err(ErrorCode::SlotConflict, 409)),
            Outcome::Conflict(_)
        ));
        assert!(matches!(
            classify(&err(ErrorCode::InvalidTransition, 409)),
            Outcome::Conflict(_)
        ));
        assert!(matches!(
            classify(&err(ErrorCode::ValidationError, 422)),
            Outcome::Refused(_)
        ));
        assert!(matches!(
            classify(&err(ErrorCode::Forbidden, 403)),
            Outcome::Refused(_)
        ));
        assert_eq!(classify(&err(ErrorCode::NetworkError, 0)), Outcome::Retry);
        assert_eq!(
            classify(&err(ErrorCode::InternalError, 500)),
            Outcome::Retry
        );
        assert_eq!(classify(&err(ErrorCode::TokenExpired, 401)), Outcome::Retry);
        assert_eq!(classify(&err(ErrorCode::Unknown, 503)), Outcome::Retry);
    }

    #[test]
    fn changes_are_stored_as_the_requests_that_send_them() {
        let c = PendingChange::new(
            "k".into(),
            "l".into(),
            &Change::Cancel {
                id: "a/1".into(),
                reason: None,
            },
        );
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["method"], "PUT");
        assert_eq!(v["path"], "/api/appointments/a%2F1/cancel");
        assert_eq!(v["body"], "{}");
        let text = serde_json::to_string(&c).unwrap();
        assert_eq!(json::from_str::<PendingChange>(&text).unwrap(), c);

        let at = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let moved = PendingChange::new(
            "m".into(),
            "l".into(),
            &Change::Reschedule {
                id: "a".into(),
                start_time: at,
            },
        );
        assert_eq!(moved.method, Method::Put);
        assert!(moved.body.unwrap().contains("2027-01-15T08:00:00"));
    }
}
