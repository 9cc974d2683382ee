//! The handshake: `auth.token` must be a valid access token (seed 004's `connect_error`
//! messages otherwise), and the socket joins its user, role and cabinet rooms before it is told
//! it is connected. A reconnecting socket may add `auth.lastEventId`, the last durable event
//! id it saw (a number or a numeric string; anything else is ignored): it then joins its user
//! room only once the writer has replayed what it missed (see `durable.rs`).

use std::fmt;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use nova_contract::connect_errors::{TOKEN_INVALID, TOKEN_REQUIRED};
use socketioxide::extract::{State, TryData};

use super::notifier::Command;
use super::{presence, rooms, Hub, Io, Socket};
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
    let auth = auth.ok();
    let token = auth
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
        rooms::role(claims.role),
        rooms::cabinet(&claims.cab),
        rooms::cabinet_role(&claims.cab, claims.role),
    ]);
    match auth
        .as_ref()
        .and_then(|a| last_event_id(a.get("lastEventId")?))
    {
        // The user room waits for the replay, so that the replay comes first.
        Some(after) => {
            socket.extensions.insert(ReplayAfter(after));
        }
        None => socket.join(rooms::user(&claims.sub)),
    }
    // Counted where the socket is admitted; uncounted when the socket is dropped, through a
    // guard in its extensions (socketioxide keeps one disconnect handler per socket).
    socket.extensions.insert(Person::new(metrics, claims));
    // Client-event handlers too: an event sent right after the connect ack must find them.
    super::client_events::register(&socket);
    Ok(())
}

/// The durable event id a reconnecting socket saw last.
#[derive(Debug, Clone, Copy)]
struct ReplayAfter(i64);

/// `lastEventId` as a number: a non-negative integer or its decimal string. Anything else (a
/// volatile event's uuid, garbage) means no replay.
fn last_event_id(v: &serde_json::Value) -> Option<i64> {
    match v {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    }
    .filter(|n| *n >= 0)
}

/// The socket's person: the claims of the token it was admitted with, counted in the
/// connected-users metrics for as long as the socket lives, and whether presence counts it.
/// One extension for all three: every idle socket carries it, and each extension is an
/// allocation of its own.
#[derive(Clone)]
pub(super) struct Person(Arc<PersonInner>);

struct PersonInner {
    metrics: Arc<Metrics>,
    claims: Claims,
    /// Whether presence counts this socket; whoever clears it takes the socket out, once.
    present: AtomicBool,
}

impl Person {
    fn new(metrics: Arc<Metrics>, claims: Claims) -> Self {
        metrics.socket_connected(&claims.cab, claims.role, &claims.sub);
        Self(Arc::new(PersonInner {
            metrics,
            claims,
            present: AtomicBool::new(false),
        }))
    }

    pub(super) fn of(socket: &Socket) -> Option<Self> {
        socket.extensions.get::<Person>()
    }

    pub(super) fn present(&self) -> &AtomicBool {
        &self.0.present
    }
}

impl Drop for PersonInner {
    fn drop(&mut self) {
        let c = &self.claims;
        self.metrics.socket_disconnected(&c.cab, c.role, &c.sub);
    }
}

/// Who the socket belongs to: the claims of the token it was admitted with.
pub(super) fn claims(socket: &Socket) -> Option<Claims> {
    Person::of(socket).map(|p| p.0.claims.clone())
}

pub async fn on_connect(socket: Socket, io: Io, State(hub): State<Hub>) {
    let Some(claims) = claims(&socket) else {
        // authenticate() always runs first; a socket without claims must not stay.
        let _ = socket.disconnect();
        return;
    };
    tracing::debug!(user = %claims.sub, role = ?claims.role, "socket connected");
    // Taken out, not read: an idle socket should not carry it for its whole life.
    if let Some(ReplayAfter(after)) = socket.extensions.remove::<ReplayAfter>() {
        let replay = Command::Replay {
            socket: socket.clone(),
            user_id: claims.sub.clone(),
            after,
        };
        if hub.queue.send(replay).await.is_err() {
            // No writer (shutting down): live events at least.
            socket.join(rooms::user(&claims.sub));
        }
    }
    // A socket has ONE disconnect handler (a second `on_disconnect` replaces the first): add
    // what else must happen at a disconnection to `on_disconnect` below.
    socket.on_disconnect(on_disconnect);
    presence::arrived(&socket, &io, &hub, &claims).await;
}

pub async fn on_disconnect(socket: Socket, io: Io, State(hub): State<Hub>) {
    let Some(claims) = claims(&socket) else {
        return;
    };
    presence::departed(&socket, &io, &hub, &claims).await;
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::last_event_id;

    #[test]
    fn last_event_id_takes_numbers_and_numeric_strings_only() {
        assert_eq!(last_event_id(&json!(42)), Some(42));
        assert_eq!(last_event_id(&json!("42")), Some(42));
        assert_eq!(last_event_id(&json!(0)), Some(0));
        for bad in [
            json!(-1),
            json!("-3"),
            json!(1.5),
            json!("e-1"),
            json!("6f1c2a9e-0000-4000-8000-000000000000"),
            json!(null),
            json!({"id": 3}),
            json!([3]),
            json!(""),
            json!("99999999999999999999999"),
        ] {
            assert_eq!(last_event_id(&bad), None, "{bad}");
        }
    }
}
