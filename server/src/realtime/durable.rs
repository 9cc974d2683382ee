//! The writer task behind durable events: one per process, it takes whatever is queued, stores
//! it in one transaction (group commit: no waiting to fill a batch, so a lone event goes at
//! once and a burst shares one commit), then emits each stored event to its person's room.
//! Being the only emitter of durable events in the process, it also runs replays, so no live
//! event of this process can slip between a reconnecting socket's replay and its first live
//! event, and emits follow the number order per person.
//!
//! Replay, and why nothing is missed: a socket that reconnects with `lastEventId` is not put
//! in its `user:{id}` room at the handshake. The writer joins it to the room first, then reads
//! what it missed, then sends that. An event stored before the read is in it; one stored after
//! is emitted after its commit, when the socket is already in the room. With several instances
//! another instance's emit may overtake a replay or repeat one of its events: clients drop ids
//! they have seen, and repeats are the price of never missing one.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use nova_contract::{Notification, RealtimeEvent};
use socketioxide::{SendError, SocketError};

use super::Io;
use tokio::sync::mpsc;

use super::notifier::{Command, Pending, Stats};
use super::rooms;
use crate::store::notifications::{NewNotification, Persisted};
use crate::store::Store;

/// Most commands taken in one round (and so events in one transaction).
const MAX_BATCH: usize = 512;
/// Events replayed to one socket at most; below the socket's buffer so a replay never
/// overflows it. A client that missed more finds the rest in `GET /api/notifications`, and
/// gets the following ones at its next reconnection.
const MAX_REPLAY: i64 = 500;
/// How far back a replay reaches (the promise is 7 days).
const REPLAY_WINDOW: i64 = 8 * 24 * 3600;
/// How long notifications are kept, and how often older ones are deleted.
const KEEP: i64 = 30 * 24 * 3600;
const PURGE_EVERY: Duration = Duration::from_secs(3600);

/// Starts the writer and the hourly purge.
pub(super) fn spawn(
    store: Store,
    io: Io,
    mut commands: mpsc::Receiver<Command>,
    stats: Arc<Stats>,
) {
    let purge_store = store.clone();
    tokio::spawn(async move {
        let mut buf = Vec::with_capacity(MAX_BATCH);
        while commands.recv_many(&mut buf, MAX_BATCH).await > 0 {
            let mut events = Vec::new();
            let mut replays = Vec::new();
            let mut flushes = Vec::new();
            for command in buf.drain(..) {
                match command {
                    Command::Event(p, done) => {
                        events.extend(p);
                        flushes.push(done);
                    }
                    Command::Replay {
                        socket,
                        user_id,
                        after,
                    } => replays.push((socket, user_id, after)),
                    Command::Flush(done) => flushes.push(done),
                }
            }
            // Events queued after a replay request may go first: they are then stored before
            // the replay reads, so the replay carries them.
            if !events.is_empty() {
                deliver(&store, &io, &stats, events).await;
            }
            for (socket, user_id, after) in replays {
                replay(&store, &stats, socket, &user_id, after).await;
            }
            for done in flushes {
                let _ = done.send(());
            }
        }
    });
    tokio::spawn(async move {
        let mut every = tokio::time::interval_at(
            tokio::time::Instant::now() + Duration::from_secs(60),
            PURGE_EVERY,
        );
        loop {
            every.tick().await;
            match purge_store
                .purge_notifications(Utc::now().timestamp() - KEEP)
                .await
            {
                Ok(0) => {}
                Ok(n) => tracing::info!(deleted = n, "old notifications purged"),
                Err(e) => tracing::warn!(error = %e, "notification purge failed"),
            }
        }
    });
}

async fn deliver(store: &Store, io: &Io, stats: &Stats, events: Vec<Pending>) {
    let rows: Vec<NewNotification> = events.iter().map(|p| p.row.clone()).collect();
    // One retry covers a transient failure (a PostgreSQL serialisation error, a dropped
    // connection); after that the events still go out live, unnumbered, and are counted.
    let stored = match store.insert_notifications(&rows).await {
        Ok(s) => Some(s),
        Err(first) => {
            tracing::warn!(error = %first, "storing notifications failed, retrying");
            match store.insert_notifications(&rows).await {
                Ok(s) => Some(s),
                Err(e) => {
                    stats
                        .unpersisted
                        .fetch_add(events.len() as u64, Ordering::Relaxed);
                    tracing::error!(error = %e, count = events.len(),
                        "notifications not stored: sent live only, without replay");
                    None
                }
            }
        }
    };
    for (i, p) in events.into_iter().enumerate() {
        let id = match stored.as_ref().map(|s| s[i]) {
            Some(Persisted { silent: true, .. }) => continue,
            Some(Persisted { seq, .. }) => seq.to_string(),
            None => uuid::Uuid::new_v4().to_string(),
        };
        let payload = RealtimeEvent {
            id,
            kind: p.row.kind,
            message: p.row.message,
            data: &*p.data,
            timestamp: p.timestamp,
        };
        let event = p.row.event;
        let sent = io
            .to(rooms::user(&p.row.user_id))
            .emit(event, &payload)
            .await;
        // From the domain change to its emit: the store's commit included.
        let took = (Utc::now() - p.timestamp).to_std().unwrap_or_default();
        let ok = super::notifier::tally(stats, event, &sent);
        stats.metrics.event_sent(event, ok, took);
    }
}

async fn replay(store: &Store, stats: &Stats, socket: super::Socket, user_id: &str, after: i64) {
    if !socket.connected() {
        return;
    }
    socket.join(rooms::user(user_id));
    let since = Utc::now().timestamp() - REPLAY_WINDOW;
    let missed = match store
        .notifications_after(user_id, after, since, MAX_REPLAY)
        .await
    {
        Ok(m) => m,
        Err(e) => {
            stats.failed.fetch_add(1, Ordering::Relaxed);
            tracing::error!(user = user_id, error = %e, "replay failed: missed events not sent");
            return;
        }
    };
    if missed.len() as i64 == MAX_REPLAY {
        tracing::info!(user = user_id, "replay cut at {MAX_REPLAY} events");
    }
    for n in missed {
        let Notification {
            id,
            event,
            kind,
            message,
            data,
            timestamp,
            ..
        } = n;
        let payload = RealtimeEvent {
            id,
            kind,
            message,
            data,
            timestamp,
        };
        match socket.emit(&event, &payload) {
            Ok(()) => {}
            // Gone again: its next connection asks from its own last id.
            Err(SendError::Socket(SocketError::Closed)) => return,
            Err(e) => {
                stats.failed.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(event, error = %e, "replay emit failed");
            }
        }
    }
}
