//! The handshake: `auth.token` must be a valid access token (seed 004's `connect_error`
//! messages otherwise), and the socket joins its user, role and cabinet rooms before it is told
//! it is connected.

use std::fmt;
use std::sync::Arc;

use nova_contract::connect_errors::{TOKEN_INVALID, TOKEN_REQUIRED};
use socketioxide::extract::{State, TryData};

use super::{rooms, Socket};
use crate::auth::tokens::{verify_access, Claims};
use crate::config::Config;
use crate::metrics::Metrics;

/// Why a handshake was refused; its text is what the client's `connect_error` shows.
#[derive(Debug)]
pub struct Refused(&'static str);

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

pub async fn authenticate(
    socket: Socket,
    TryData(auth): TryData<serde_json::Value>,
    State(config): State<Arc<Config>>,
    State(metrics): State<Arc<Metrics>>,
) -> Result<(), Refused> {
    let token = auth
        .ok()
        .as_ref()
        .and_then(|a| a.get("token"))
        .and_then(|t| t.as_str())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .ok_or(Refused(TOKEN_REQUIRED))?;
    let claims = verify_access(&config.jwt_secret, &token).map_err(|_| Refused(TOKEN_INVALID))?;
    // Join here, not in on_connect: socketioxide sends the connect ack when this middleware
    // succeeds and runs on_connect afterwards on its own task, so a client told it is connected
    // could otherwise miss events emitted in between.
    socket.join([
        rooms::user(&claims.sub),
        rooms::role(claims.role),
        rooms::cabinet(&claims.cab),
        rooms::cabinet_role(&claims.cab, claims.role),
    ]);
    // Counted where the socket is admitted; uncounted when the socket is dropped, through a
    // guard in its extensions (socketioxide keeps one disconnect handler per socket, which
    // presence and other features may need).
    socket.extensions.insert(Presence::new(metrics, &claims));
    socket.extensions.insert(claims);
    Ok(())
}

/// Counts a socket as connected for as long as it lives (held only for its `Drop`).
#[derive(Clone)]
struct Presence(#[allow(dead_code)] Arc<PresenceInner>);

struct PresenceInner {
    metrics: Arc<Metrics>,
    cabinet: String,
    role: nova_contract::Role,
    user: String,
}

impl Presence {
    fn new(metrics: Arc<Metrics>, claims: &Claims) -> Self {
        metrics.socket_connected(&claims.cab, claims.role, &claims.sub);
        Self(Arc::new(PresenceInner {
            metrics,
            cabinet: claims.cab.clone(),
            role: claims.role,
            user: claims.sub.clone(),
        }))
    }
}

impl Drop for PresenceInner {
    fn drop(&mut self) {
        self.metrics
            .socket_disconnected(&self.cabinet, self.role, &self.user);
    }
}

pub async fn on_connect(socket: Socket) {
    let Some(claims) = socket.extensions.get::<Claims>() else {
        // authenticate() always runs first; a socket without claims must not stay.
        let _ = socket.disconnect();
        return;
    };
    tracing::debug!(user = %claims.sub, role = ?claims.role, "socket connected");
}
