//! The fan-out load: thousands of Engine.IO v4 WebSocket clients (each a small task, a few kB)
//! that count what they receive and how late, and a driver that triggers events through the
//! announcement endpoint (`POST /api/announcements`), the same requests for Nova and for the
//! Node reference server.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message;

use crate::stats::Latencies;
use crate::Result;

/// What every client reports into; event messages are `b:{phase}:{seq}`.
pub struct Board {
    pub epoch: Instant,
    /// When event `seq` was posted (µs since `epoch`, +1 so 0 means "not sent").
    pub sent_at: Vec<AtomicU64>,
    /// Deliveries per phase.
    pub latency: Vec<Mutex<Latencies>>,
    /// Events received per client (all phases).
    pub received: Vec<AtomicU64>,
    /// Events sent per room (all phases).
    pub sent_to_room: Vec<AtomicU64>,
}

impl Board {
    pub fn new(max_events: usize, phases: usize, clients: usize, rooms: usize) -> Arc<Self> {
        Arc::new(Self {
            epoch: Instant::now(),
            sent_at: (0..max_events).map(|_| AtomicU64::new(0)).collect(),
            latency: (0..phases).map(|_| Mutex::new(Latencies::new())).collect(),
            received: (0..clients).map(|_| AtomicU64::new(0)).collect(),
            sent_to_room: (0..rooms).map(|_| AtomicU64::new(0)).collect(),
        })
    }

    pub fn mark_sent(&self, seq: usize, room: usize) {
        let now = self.epoch.elapsed().as_micros() as u64 + 1;
        self.sent_at[seq].store(now, Ordering::Relaxed);
        self.sent_to_room[room].fetch_add(1, Ordering::Relaxed);
    }

    fn delivered(&self, client: usize, message: &str) {
        self.received[client].fetch_add(1, Ordering::Relaxed);
        let mut parts = message.split(':').skip(1);
        let phase: usize = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
        let seq: usize = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
        let sent = self
            .sent_at
            .get(seq)
            .map_or(0, |t| t.load(Ordering::Relaxed));
        if sent == 0 {
            return;
        }
        let now = self.epoch.elapsed().as_micros() as u64 + 1;
        let took = Duration::from_micros(now.saturating_sub(sent));
        if let Some(h) = self.latency.get(phase) {
            h.lock().unwrap_or_else(|p| p.into_inner()).record(took);
        }
    }

    /// Events a client should have received but has not, summed over clients.
    pub fn missing(&self, room_of: impl Fn(usize) -> usize) -> u64 {
        self.received
            .iter()
            .enumerate()
            .map(|(c, got)| {
                let expected = self.sent_to_room[room_of(c)].load(Ordering::Relaxed);
                expected.saturating_sub(got.load(Ordering::Relaxed))
            })
            .sum()
    }

    pub fn total_received(&self) -> u64 {
        self.received
            .iter()
            .map(|r| r.load(Ordering::Relaxed))
            .sum()
    }
}

/// Connects one client and spawns its reader; returns once the namespace accepted it.
pub async fn client(
    addr: std::net::SocketAddr,
    token: &str,
    index: usize,
    board: Arc<Board>,
) -> Result<tokio::task::JoinHandle<()>> {
    let url = format!("ws://{addr}/socket.io/?EIO=4&transport=websocket");
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await?;
    // Engine.IO open packet, then the Socket.IO connect with auth.
    let open = ws.next().await.ok_or("closed before open")??;
    if !open.to_text()?.starts_with('0') {
        return Err(format!("unexpected open packet {open:?}").into());
    }
    let auth = serde_json::json!({ "token": token });
    ws.send(Message::text(format!("40{auth}"))).await?;
    loop {
        let m = ws.next().await.ok_or("closed before connect")??;
        let text = m.to_text()?;
        if text.starts_with("40") {
            break;
        }
        if text.starts_with("44") {
            return Err(format!("refused: {text}").into());
        }
    }
    Ok(tokio::spawn(async move {
        while let Some(Ok(m)) = ws.next().await {
            let Message::Text(text) = m else { continue };
            let text = text.as_str();
            if text == "2" {
                if ws.send(Message::text("3")).await.is_err() {
                    return;
                }
            } else if let Some(body) = text.strip_prefix("42") {
                if let Some(message) = message_of(body) {
                    board.delivered(index, message);
                }
            }
        }
    }))
}

/// The `message` of a `["name", {…"message":"b:…"…}]` event without parsing all of it.
fn message_of(body: &str) -> Option<&str> {
    let at = body.find("\"message\":\"")? + "\"message\":\"".len();
    let rest = &body[at..];
    let end = rest.find('"')?;
    rest[..end].starts_with("b:").then(|| &rest[..end])
}

/// CPU time (user + system) and resident memory of a process, from /proc.
pub fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let after = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name; USER_HZ is 100
    // on Linux.
    (ticks(11) + ticks(12)) as f64 / 100.0
}

pub fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_is_found_in_an_event_packet() {
        let body =
            r#"["notification:general",{"id":"x","type":"info","message":"b:2:17","data":{}}]"#;
        assert_eq!(message_of(body), Some("b:2:17"));
        assert_eq!(message_of(r#"["x",{"message":"other"}]"#), None);
    }
}
