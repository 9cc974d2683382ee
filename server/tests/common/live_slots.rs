//! Client events with acks for the Socket.IO test client, and the slot-watch helpers built on
//! them (`slots:watch` / `slots:unwatch`).

use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{json, Value};

use super::socket_client::{Client, PATIENCE};

static ACK_IDS: AtomicU64 = AtomicU64::new(1);

impl Client {
    /// Emits `name` with `data` asking for an ack, and returns the ack's payload. Fails the
    /// test if an event arrives first (callers ack before causing anything), except presence
    /// announcements when [`Client::presence`] is off.
    pub async fn emit_ack(&mut self, name: &str, data: Value) -> Value {
        let id = ACK_IDS.fetch_add(1, Ordering::Relaxed);
        self.send(format!("42{id}{}", json!([name, data]))).await;
        let packet = loop {
            let packet = self
                .packet(PATIENCE)
                .await
                .unwrap_or_else(|| panic!("no ack to {name} within {PATIENCE:?}"));
            if !self.presence && packet.starts_with("42[\"user-status\"") {
                continue;
            }
            break packet;
        };
        let body = packet
            .strip_prefix(&format!("43{id}"))
            .unwrap_or_else(|| panic!("expected the ack to {name}, got {packet}"));
        let mut args: Vec<Value> = serde_json::from_str(body).expect("ack is a JSON array");
        assert_eq!(args.len(), 1, "one ack argument: {packet}");
        args.remove(0)
    }

    /// Watches a practitioner's free times; the ack must be `{ok:true}`.
    pub async fn watch(&mut self, practitioner_id: &str) {
        let ack = self
            .emit_ack("slots:watch", json!({ "practitionerId": practitioner_id }))
            .await;
        assert_eq!(ack["ok"], true, "slots:watch refused: {ack}");
    }
}
