//! Sends events (payload `{id, type, message, data, timestamp}`) to rooms. Two ways out:
//! [`Notifier::to_users`] for durable events addressed to people, [`Notifier::to_rooms`] for
//! volatile ones. What each domain sends lives beside it (`appointment_events.rs`, …). A failed
//! emit is logged and counted, never silent.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use nova_contract::{NoticeKind, RealtimeEvent};
use serde::Serialize;

use super::{rooms, Io};
use crate::metrics::Metrics;

#[derive(Clone)]
pub struct Notifier {
    io: Io,
    failed: Arc<AtomicU64>,
    metrics: Arc<Metrics>,
}

impl Notifier {
    pub fn new(io: Io, metrics: Arc<Metrics>) -> Self {
        Self {
            io,
            failed: Arc::new(AtomicU64::new(0)),
            metrics,
        }
    }

    /// The instance's measurements (the `/metrics` page, the managers' dashboard).
    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }

    pub(crate) fn io(&self) -> &Io {
        &self.io
    }

    /// Emits that could not be handed to the socket layer since start.
    pub fn failed_emits(&self) -> u64 {
        self.failed.load(Ordering::Relaxed)
    }

    /// A durable event for the given users: what a person must not miss (their appointments,
    /// messages, proposals, reminders). Each recipient gets it in their `user:{id}` room; the
    /// durable-notification work persists it per user so a reconnecting client has it replayed.
    pub(crate) async fn to_users<T: Serialize>(
        &self,
        users: &[&str],
        event: &'static str,
        kind: NoticeKind,
        message: String,
        data: T,
    ) {
        let rooms = users.iter().map(|u| rooms::user(u)).collect();
        self.to_rooms(rooms, event, kind, message, data).await;
        // What matters to people is what managers' dashboards count.
        self.metrics.mark_changed();
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
        let caused = Instant::now();
        let payload = RealtimeEvent {
            id: uuid::Uuid::new_v4().to_string(),
            kind,
            message,
            data,
            timestamp: Utc::now(),
        };
        let sent = self.io.to(rooms).emit(event, &payload).await;
        self.metrics
            .event_sent(event, sent.is_ok(), caused.elapsed());
        if let Err(e) = sent {
            self.failed.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(event, error = %e, "emit failed");
        }
    }
}
