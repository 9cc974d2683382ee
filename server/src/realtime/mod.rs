//! Socket.IO: the handshake checks the access token, each socket joins its rooms, and the
//! [`Notifier`] sends domain events to exactly the rooms allowed to see them.

pub mod adapter;
mod announcements;
mod appointment_events;
mod connect;
pub mod dashboard;
pub mod guard;
mod notifier;

pub use notifier::Notifier;

use std::sync::Arc;

use socketioxide::handler::ConnectHandler;
use socketioxide::layer::SocketIoLayer;

pub use adapter::{AdapterChoice, NovaAdapter};

use crate::config::Config;
use crate::metrics::Metrics;

/// Per-socket outgoing buffer. socketioxide's default (128 packets) drops events silently
/// under bursts; a larger buffer costs memory only while a client lags.
const SOCKET_BUFFER: usize = 1024;

/// The socket types every handler uses, bound to the adapter chosen at start (in-memory,
/// PostgreSQL or Redis): write `Socket`, not socketioxide's `SocketRef`, whose default adapter
/// is the in-memory one.
pub type Socket = socketioxide::extract::SocketRef<NovaAdapter>;
pub type Ack = socketioxide::extract::AckSender<NovaAdapter>;
pub type Io = socketioxide::SocketIo<NovaAdapter>;

/// Builds the Socket.IO layer; with a remote adapter, returns once the namespace listens to
/// the other instances.
pub async fn layer(
    config: Arc<Config>,
    metrics: Arc<Metrics>,
    adapter: AdapterChoice,
) -> crate::Result<(SocketIoLayer<NovaAdapter>, Io)> {
    let (layer, io) = socketioxide::SocketIo::builder()
        .max_buffer_size(SOCKET_BUFFER)
        .with_state(config)
        .with_state(metrics)
        .with_adapter::<NovaAdapter>(adapter)
        .build_layer();
    io.ns("/", connect::on_connect.with(connect::authenticate))
        .await
        .map_err(|e| crate::Error::Config(format!("real-time adapter: {e}")))?;
    Ok((layer, io))
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
}
