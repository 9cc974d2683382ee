//! Socket.IO: the handshake checks the access token, each socket joins its rooms, and the
//! [`Notifier`] sends domain events to exactly the rooms allowed to see them.

mod appointment_events;
mod connect;
mod conversation_events;
pub mod conversation_handlers;
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
use socketioxide::SocketIo;

use crate::config::Config;
use crate::store::Store;

/// Per-socket outgoing buffer. socketioxide's default (128 packets) drops events silently
/// under bursts; a larger buffer costs memory only while a client lags.
const SOCKET_BUFFER: usize = 1024;

/// What the socket handlers share besides the configuration: the durable writer's queue (for
/// replays), the emit counters, and this process's presence counts.
#[derive(Clone)]
pub(crate) struct Hub {
    queue: tokio::sync::mpsc::Sender<notifier::Command>,
    stats: Arc<notifier::Stats>,
    presence: presence::Presence,
}

/// The Socket.IO layer and the [`Notifier`] sending through it; starts the durable-event
/// writer (so it must run inside the Tokio runtime).
pub fn layer(config: Arc<Config>, store: Store) -> (SocketIoLayer, Notifier) {
    let (queue, commands) = notifier::queue();
    let hub = Hub {
        queue: queue.clone(),
        stats: Arc::default(),
        presence: presence::Presence::default(),
    };
    let (layer, io) = SocketIo::builder()
        .max_buffer_size(SOCKET_BUFFER)
        .with_state(config)
        .with_state(hub.clone())
        // Client events that check rights (join-room, slots:watch) read the database.
        .with_state(store.clone())
        .build_layer();
    io.ns("/", connect::on_connect.with(connect::authenticate));
    durable::spawn(store, io.clone(), commands, hub.stats.clone());
    (layer, Notifier::new(io, queue, hub.stats))
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
