//! Socket.IO: the handshake checks the access token, each socket joins its rooms, and the
//! [`Notifier`] sends domain events to exactly the rooms allowed to see them.

mod appointment_events;
mod connect;
mod conversation_events;
pub mod conversation_handlers;
pub mod guard;
mod notifier;

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

pub fn layer(config: Arc<Config>, store: Store) -> (SocketIoLayer, SocketIo) {
    let (layer, io) = SocketIo::builder()
        .max_buffer_size(SOCKET_BUFFER)
        .with_state(config)
        // Client events that check rights (join-room) read the database.
        .with_state(store)
        .build_layer();
    io.ns("/", connect::on_connect.with(connect::authenticate));
    (layer, io)
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

    /// The screens showing a conversation; joined on request (`join-room`), by participants only.
    pub fn conversation(id: &str) -> String {
        format!("{CONVERSATION_PREFIX}{id}")
    }

    pub const CONVERSATION_PREFIX: &str = "conversation:";
}
