//! A minimal Engine.IO v4 / Socket.IO v5 client over WebSocket, for tests that check who hears
//! of a change: it answers pings, reads events and acks, and can listen for silence.

use std::net::SocketAddr;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio::time::{timeout_at, Instant};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{connect_async, MaybeTlsStream, WebSocketStream};

/// How long to wait for something that should come.
pub const PATIENCE: Duration = Duration::from_secs(5);
/// How long to listen for something that must not come.
pub const QUIET: Duration = Duration::from_millis(300);

pub struct Client {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// The Engine.IO open packet's payload.
    pub open: Value,
    /// Whether [`Client::event`] returns `user-status` events. Off by default: every
    /// connection in a cabinet announces its person, which tests of other events would
    /// otherwise have to step over.
    pub presence: bool,
    /// Whether `event` returns the managers' periodic `metrics:update` pushes; off by
    /// default, so a manager's socket can be checked for silence like any other.
    pub dashboard: bool,
}

impl Client {
    /// Opens the Engine.IO connection and reads its open packet `0{...}`.
    pub async fn open(addr: SocketAddr) -> Client {
        let url = format!("ws://{addr}/socket.io/?EIO=4&transport=websocket");
        let (ws, _) = connect_async(url).await.expect("WebSocket upgrade");
        let mut client = Client {
            ws,
            open: Value::Null,
            presence: false,
            dashboard: false,
        };
        let first = client.packet(PATIENCE).await.expect("an open packet");
        let payload = first.strip_prefix('0').expect("open packet starts with 0");
        client.open = serde_json::from_str(payload).expect("open packet is JSON");
        client
    }

    /// Opens, then asks to join the main namespace with this auth; returns the answer.
    pub async fn handshake(addr: SocketAddr, auth: Option<Value>) -> (Client, String) {
        let mut client = Client::open(addr).await;
        let connect = match auth {
            Some(auth) => format!("40{auth}"),
            None => "40".to_string(),
        };
        client.send(connect).await;
        let answer = client
            .packet(PATIENCE)
            .await
            .expect("an answer to the connect packet");
        (client, answer)
    }

    /// A connected socket for this access token.
    pub async fn connect(addr: SocketAddr, token: &str) -> Client {
        Client::connect_with(addr, json!({ "token": token })).await
    }

    /// A connected socket for this handshake `auth` (a token and, say, `lastEventId`).
    pub async fn connect_with(addr: SocketAddr, auth: Value) -> Client {
        let (client, answer) = Client::handshake(addr, Some(auth)).await;
        let payload = answer
            .strip_prefix("40")
            .unwrap_or_else(|| panic!("connected, got {answer}"));
        let payload: Value = serde_json::from_str(payload).expect("connect payload");
        assert!(payload["sid"].as_str().is_some_and(|s| !s.is_empty()));
        client
    }

    pub async fn send(&mut self, text: String) {
        self.ws
            .send(Message::text(text))
            .await
            .expect("send a frame");
    }

    /// The next Engine.IO packet, answering server pings (`2` → `3`) on the way; `None` when
    /// nothing comes in time or the connection closes.
    pub async fn packet(&mut self, wait: Duration) -> Option<String> {
        let deadline = Instant::now() + wait;
        loop {
            let message = timeout_at(deadline, self.ws.next()).await.ok()??;
            match message.expect("a WebSocket frame") {
                Message::Text(text) if text.as_str() == "2" => self.send("3".into()).await,
                Message::Text(text) => return Some(text.as_str().to_string()),
                Message::Close(_) => return None,
                Message::Binary(b) => panic!("unexpected binary frame {b:?}"),
                _ => {}
            }
        }
    }

    /// The next Socket.IO event `42["name",payload]`, or `None` when none comes in time.
    /// `user-status` events are skipped unless [`Client::presence`] is set.
    pub async fn event(&mut self, wait: Duration) -> Option<(String, Value)> {
        let deadline = Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let packet = self.packet(left).await?;
            let Some(body) = packet.strip_prefix("42") else {
                panic!("expected an event packet, got {packet}");
            };
            let array: Vec<Value> = serde_json::from_str(body).expect("event is a JSON array");
            assert_eq!(array.len(), 2, "one name, one payload: {packet}");
            let name = array[0].as_str().expect("event name").to_string();
            if (name == "user-status" && !self.presence)
                || (name == "metrics:update" && !self.dashboard)
            {
                continue;
            }
            return Some((name, array[1].clone()));
        }
    }

    /// Waits for the next event, which must be `name` and carry a seed 004 payload.
    pub async fn expect(&mut self, name: &str) -> Value {
        let (got, payload) = self
            .event(PATIENCE)
            .await
            .unwrap_or_else(|| panic!("no {name} event within {PATIENCE:?}"));
        assert_eq!(got, name, "unexpected event: {payload}");
        for key in ["id", "type", "message", "data", "timestamp"] {
            assert!(
                payload.get(key).is_some(),
                "{name} payload lacks {key}: {payload}"
            );
        }
        assert!(payload["id"].as_str().is_some_and(|s| !s.is_empty()));
        assert!(payload["message"].as_str().is_some_and(|s| !s.is_empty()));
        payload["timestamp"]
            .as_str()
            .unwrap()
            .parse::<chrono::DateTime<chrono::Utc>>()
            .expect("timestamp is RFC 3339");
        payload
    }

    /// Asserts that no event arrives for a short while.
    pub async fn silence(&mut self, who: &str) {
        if let Some((name, payload)) = self.event(QUIET).await {
            panic!("{who} must not receive {name}: {payload}");
        }
    }
}
