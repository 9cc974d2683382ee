//! Socket.IO: the handshake checks the access token, each socket joins its rooms, and the
//! [`Notifier`] sends domain events to exactly the rooms allowed to see them.

pub mod adapter;
mod announcements;
mod appointment_events;
mod client_events;
mod connect;
mod conversation_events;
pub mod conversation_handlers;
pub mod dashboard;
pub mod detach;
mod durable;
pub mod guard;
mod notifier;
mod presence;
mod schedule_events;
mod slot_watch;

pub use notifier::Notifier;

use std::sync::Arc;

use socketioxide::handler::ConnectHandler;
use socketioxide::layer::SocketIoLayer;

pub use adapter::{AdapterChoice, NovaAdapter};

use crate::config::Config;
use crate::metrics::Metrics;
use crate::store::Store;

/// Per-socket outgoing buffer. socketioxide's default (128 packets) drops events silently
/// under bursts; a larger buffer costs memory only while a client lags.
const SOCKET_BUFFER: usize = 1024;

/// Each WebSocket's read buffer, allocated for its whole life. Clients send a few small events
/// (acks, typing, watches: well under 512 bytes), so engine.io's default 4 KiB is mostly idle
/// memory per socket; a larger frame is still read, in more steps (tested in
/// `messaging_socket`).
const WS_READ_BUFFER: usize = 512;

/// The socket types every handler uses, bound to the adapter chosen at start (in-memory,
/// PostgreSQL or Redis): write `Socket`, not socketioxide's `SocketRef`, whose default adapter
/// is the in-memory one.
pub type Socket = socketioxide::extract::SocketRef<NovaAdapter>;
pub type Ack = socketioxide::extract::AckSender<NovaAdapter>;
pub type Io = socketioxide::SocketIo<NovaAdapter>;

/// What the socket handlers share besides the configuration: the durable writer's queue (for
/// replays), the emit counters, and this process's presence counts.
#[derive(Clone)]
pub(crate) struct Hub {
    queue: tokio::sync::mpsc::Sender<notifier::Command>,
    stats: Arc<notifier::Stats>,
    presence: presence::Presence,
}

/// The Socket.IO layer and the [`Notifier`] sending through it. Starts the durable-event
/// writer (so it must run inside the Tokio runtime) and, with a remote adapter, returns once
/// the namespace listens to the other instances.
pub async fn layer(
    config: Arc<Config>,
    store: Store,
    metrics: Arc<Metrics>,
    adapter: AdapterChoice,
) -> crate::Result<(SocketIoLayer<NovaAdapter>, Notifier)> {
    let (queue, commands) = notifier::queue();
    let hub = Hub {
        queue: queue.clone(),
        stats: Arc::new(notifier::Stats::new(metrics.clone())),
        presence: presence::Presence::default(),
    };
    let (layer, io) = socketioxide::SocketIo::builder()
        .max_buffer_size(SOCKET_BUFFER)
        .ws_read_buffer_size(WS_READ_BUFFER)
        .with_state(config)
        .with_state(hub.clone())
        .with_state(metrics)
        // Client events that check rights (join-room, slots:watch) read the database.
        .with_state(store.clone())
        .with_adapter::<NovaAdapter>(adapter)
        .build_layer();
    io.ns("/", connect::on_connect.with(connect::authenticate))
        .await
        .map_err(|e| crate::Error::Config(format!("real-time adapter: {e}")))?;
    durable::spawn(store, io.clone(), commands, hub.stats.clone());
    Ok((layer, Notifier::new(io, queue, hub.stats, hub.presence)))
}

/// Room names, in one place so emitters and joiners cannot drift apart.
pub mod rooms {
    use nova_contract::Role;

    pub fn user(id: &str) -> String {
        format!("user:{id}")
    }

    pub fn role(role: Role) -> String {
        format!("role:{}", role.room_name())
    }

    pub fn cabinet(id: &str) -> String {
        format!("cabinet:{id}")
    }

    pub fn cabinet_role(cabinet: &str, role: Role) -> String {
        format!("cabinet:{cabinet}:role:{}", role.room_name())
    }

    /// Every watcher room starts so; no other room does.
    pub const SLOTS_PREFIX: &str = "slots:";

    /// Screens watching a practitioner's free times (`slots:watch`).
    pub fn slots(cabinet: &str, practitioner: &str) -> String {
        format!("{SLOTS_PREFIX}{cabinet}:{practitioner}")
    }
    /// The screens showing a conversation; joined on request (`join-room`), by participants only.
    pub fn conversation(id: &str) -> String {
        format!("{CONVERSATION_PREFIX}{id}")
    }

    pub const CONVERSATION_PREFIX: &str = "conversation:";
}
