//! Sends events (payload `{id, type, message, data, timestamp}`) to rooms. Two ways out:
//! [`Notifier::to_users`] for durable events addressed to people, [`Notifier::to_rooms`] for
//! volatile ones. What each domain sends lives beside it (`appointment_events.rs`, …). A failed
//! emit is logged and counted, never silent.
//!
//! Durable events are queued to this process's writer task (`durable.rs`), which stores them
//! and emits them to `user:{id}` after the commit, with the person's event number as `id`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Utc};
use nova_contract::{names, NoticeKind, RealtimeEvent};
use serde::Serialize;
use socketioxide::{BroadcastError, SocketError};
use tokio::sync::{mpsc, oneshot};

use super::{Io, Socket};
use crate::metrics::Metrics;
use crate::store::notifications::NewNotification;

/// Durable events waiting for the writer. Full, `to_users` waits: the writer is behind, and
/// slowing the requests that cause events is better than dropping events.
const QUEUE: usize = 16_384;

/// What the writer task is asked to do.
pub(super) enum Command {
    /// Store one event for each of its people, emit it, then answer.
    Event(Vec<Pending>, oneshot::Sender<()>),
    /// Join the socket to its user room and send it what it missed after `after`.
    Replay {
        socket: Socket,
        user_id: String,
        after: i64,
    },
    /// Answer once everything queued before is stored and emitted.
    Flush(oneshot::Sender<()>),
}

/// One person's copy of a durable event.
pub(super) struct Pending {
    pub row: NewNotification,
    pub data: Arc<serde_json::Value>,
    pub timestamp: DateTime<Utc>,
}

/// Counts a dashboard (or a test) can read.
pub(super) struct Stats {
    /// What `/metrics` and the managers' dashboard show: emits by name, their latency.
    pub metrics: Arc<Metrics>,
    /// Emits the socket layer refused (a full buffer, a failed adapter).
    pub failed: AtomicU64,
    /// Durable events that could not be stored and went out unnumbered (not replayable).
    pub unpersisted: AtomicU64,
}

impl Stats {
    pub fn new(metrics: Arc<Metrics>) -> Self {
        Self {
            metrics,
            failed: AtomicU64::default(),
            unpersisted: AtomicU64::default(),
        }
    }
}

#[derive(Clone)]
pub struct Notifier {
    io: Io,
    presence: super::presence::Presence,
    queue: mpsc::Sender<Command>,
    stats: Arc<Stats>,
}

/// The sending half of the writer's queue, made before the Socket.IO layer so its handlers
/// can ask for replays; see [`super::layer`].
pub(super) fn queue() -> (mpsc::Sender<Command>, mpsc::Receiver<Command>) {
    mpsc::channel(QUEUE)
}

impl Notifier {
    pub(super) fn new(
        io: Io,
        queue: mpsc::Sender<Command>,
        stats: Arc<Stats>,
        presence: super::presence::Presence,
    ) -> Self {
        Self {
            io,
            presence,
            queue,
            stats,
        }
    }

    pub(super) fn presence(&self) -> &super::presence::Presence {
        &self.presence
    }

    /// The instance's measurements (the `/metrics` page, the managers' dashboard).
    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.stats.metrics
    }

    pub(crate) fn io(&self) -> &Io {
        &self.io
    }

    /// Emits that could not be handed to the socket layer since start.
    pub fn failed_emits(&self) -> u64 {
        self.stats.failed.load(Ordering::Relaxed)
    }

    /// Durable events sent without being stored (the database failed) since start.
    pub fn unpersisted_events(&self) -> u64 {
        self.stats.unpersisted.load(Ordering::Relaxed)
    }

    /// Waits until every durable event queued before this call is stored and emitted.
    pub async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        if self.queue.send(Command::Flush(done)).await.is_ok() {
            let _ = wait.await;
        }
    }

    /// A durable event for the given users: what a person must not miss (their appointments,
    /// messages, proposals, reminders). It is stored for each recipient, numbered per person,
    /// emitted to their `user:{id}` room once stored, and replayed to a socket that reconnects
    /// with an older `lastEventId`. Returns once stored and emitted, so a client told of a
    /// change by an HTTP answer can already list its notification, and nobody connecting after
    /// that answer is sent an event about it. The writer commits whatever is queued together,
    /// so many concurrent requests share one commit.
    pub(crate) async fn to_users<T: Serialize>(
        &self,
        users: &[&str],
        event: &'static str,
        kind: NoticeKind,
        message: String,
        data: T,
    ) {
        if users.is_empty() {
            return;
        }
        let data = match serde_json::to_value(&data) {
            Ok(v) => Arc::new(v),
            Err(e) => {
                self.stats.failed.fetch_add(1, Ordering::Relaxed);
                tracing::error!(event, error = %e, "event data does not serialise");
                return;
            }
        };
        let text = data.to_string();
        let timestamp = Utc::now();
        let pending = users
            .iter()
            .map(|user| Pending {
                row: NewNotification {
                    user_id: (*user).to_owned(),
                    event,
                    kind,
                    message: message.clone(),
                    data: text.clone(),
                    created_at: timestamp.timestamp(),
                },
                data: data.clone(),
                timestamp,
            })
            .collect();
        let (done, wait) = oneshot::channel();
        if self
            .queue
            .send(Command::Event(pending, done))
            .await
            .is_err()
            || wait.await.is_err()
        {
            self.stats
                .failed
                .fetch_add(users.len() as u64, Ordering::Relaxed);
            tracing::error!(event, "notification writer stopped: event dropped");
        }
        // What matters to people is what managers' dashboards count.
        self.stats.metrics.mark_changed();
    }

    /// A general notice (`notification:general`) for these people, kept and replayed like
    /// every durable event.
    pub async fn general<T: Serialize>(&self, users: &[&str], message: String, data: T) {
        self.to_users(
            users,
            names::NOTIFICATION_GENERAL,
            NoticeKind::Info,
            message,
            data,
        )
        .await;
    }

    /// A volatile event for whoever is in these rooms now (slot pickers, typing, presence,
    /// dashboards): not persisted, not replayed.
    pub(crate) async fn to_rooms<T: Serialize>(
        &self,
        rooms: Vec<String>,
        event: &'static str,
        kind: NoticeKind,
        message: String,
        data: T,
    ) {
        volatile(&self.io, &self.stats, rooms, event, kind, message, data).await;
    }
}

/// Emits a volatile event, counting a failure. Presence sends through here without a
/// [`Notifier`].
pub(super) async fn volatile<T: Serialize>(
    io: &Io,
    stats: &Stats,
    rooms: Vec<String>,
    event: &'static str,
    kind: NoticeKind,
    message: String,
    data: T,
) {
    let payload = RealtimeEvent {
        id: uuid::Uuid::new_v4().to_string(),
        kind,
        message,
        data,
        timestamp: Utc::now(),
    };
    let caused = Instant::now();
    let sent = io.to(rooms).emit(event, &payload).await;
    let ok = tally(stats, event, &sent);
    stats.metrics.event_sent(event, ok, caused.elapsed());
}

/// Whether a broadcast reached every open socket of its rooms; counted and logged when not.
/// A socket that closed while the event went out only missed what it no longer shows (a
/// durable event is replayed at its next connection), and every other socket of the room got
/// it: that is not a drop.
pub(super) fn tally(stats: &Stats, event: &str, sent: &Result<(), BroadcastError>) -> bool {
    match sent {
        Err(BroadcastError::Socket(errors))
            if errors.iter().all(|e| matches!(e, SocketError::Closed)) =>
        {
            true
        }
        Err(e) => {
            stats.failed.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(event, error = %e, "emit failed");
            false
        }
        Ok(()) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_socket_closing_during_a_broadcast_is_not_a_drop() {
        let stats = Stats::new(Arc::new(Metrics::default()));
        assert!(tally(&stats, "x", &Ok(())));
        let closing = BroadcastError::from(vec![SocketError::Closed, SocketError::Closed]);
        assert!(tally(&stats, "x", &Err(closing)));
        assert_eq!(stats.failed.load(Ordering::Relaxed), 0);

        let full =
            BroadcastError::from(vec![SocketError::Closed, SocketError::InternalChannelFull]);
        assert!(
            !tally(&stats, "x", &Err(full)),
            "a full buffer loses the event"
        );
        assert_eq!(stats.failed.load(Ordering::Relaxed), 1);
    }
}
