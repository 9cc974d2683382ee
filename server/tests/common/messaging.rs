//! Helpers for the messaging and proposal tests: opening conversations, sending messages,
//! proposing slots, and Socket.IO client events with acks (`42<id>[…]` answered by `43<id>[…]`).

use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::socket_client::{Client, PATIENCE};
use super::*;

static ACK_IDS: AtomicU64 = AtomicU64::new(1);

impl TestApp {
    /// Opens (or finds) a conversation; the reply's `data`.
    pub async fn open_conversation(&self, token: &str, body: Value) -> Value {
        let reply = self.post("/api/conversations", Some(token), &body).await;
        assert!(
            reply.status == StatusCode::CREATED || reply.status == StatusCode::OK,
            "{reply:?}"
        );
        reply.data().clone()
    }

    /// The conversation between the demo patient (by token) and a practitioner; its id.
    pub async fn conversation_with(&self, patient_token: &str, practitioner_id: &str) -> String {
        let c = self
            .open_conversation(patient_token, json!({ "practitionerId": practitioner_id }))
            .await;
        c["id"].as_str().expect("a conversation id").to_string()
    }

    /// Sends a message (201 expected); the message.
    pub async fn say(&self, token: &str, conversation: &str, content: &str) -> Value {
        self.post(
            &format!("/api/conversations/{conversation}/messages"),
            Some(token),
            &json!({ "content": content }),
        )
        .await
        .ok(201)
        .clone()
    }

    /// Proposes a slot (201 expected); the proposal.
    pub async fn propose(
        &self,
        staff_token: &str,
        conversation: &str,
        practitioner_id: &str,
        start: DateTime<Utc>,
        duration: u32,
    ) -> Value {
        self.post(
            &format!("/api/conversations/{conversation}/proposals"),
            Some(staff_token),
            &proposal_body(practitioner_id, start, duration),
        )
        .await
        .ok(201)
        .clone()
    }
}

pub fn proposal_body(practitioner_id: &str, start: DateTime<Utc>, duration: u32) -> Value {
    json!({
        "practitionerId": practitioner_id,
        "type": "soin",
        "startTime": rfc3339(start),
        "duration": duration,
    })
}

/// Emits a client event asking for an ack and returns the ack's payload, with the events that
/// arrived before it (in order).
pub async fn emit_ack(
    client: &mut Client,
    event: &str,
    data: Value,
) -> (Value, Vec<(String, Value)>) {
    let id = ACK_IDS.fetch_add(1, Ordering::Relaxed);
    client.send(format!("42{id}{}", json!([event, data]))).await;
    let mut before = Vec::new();
    loop {
        let packet = client
            .packet(PATIENCE)
            .await
            .unwrap_or_else(|| panic!("no ack for {event} within {PATIENCE:?}"));
        if let Some(rest) = packet.strip_prefix(&format!("43{id}")) {
            let mut args: Vec<Value> = serde_json::from_str(rest).expect("ack is a JSON array");
            assert_eq!(args.len(), 1, "one ack payload: {packet}");
            return (args.remove(0), before);
        }
        let body = packet
            .strip_prefix("42")
            .unwrap_or_else(|| panic!("expected an event or the ack, got {packet}"));
        let array: Vec<Value> = serde_json::from_str(body).expect("event is a JSON array");
        before.push((
            array[0].as_str().unwrap_or_default().to_string(),
            array[1].clone(),
        ));
    }
}

/// Emits and expects `{ok: true}`; the ack's `data`.
pub async fn emit_ok(client: &mut Client, event: &str, data: Value) -> Value {
    let (ack, _) = emit_ack(client, event, data.clone()).await;
    assert_eq!(ack["ok"], true, "{event} {data}: {ack}");
    ack["data"].clone()
}

/// Emits and expects `{ok: false, error: {code}}`.
pub async fn emit_refused(client: &mut Client, event: &str, data: Value, code: &str) {
    let (ack, _) = emit_ack(client, event, data.clone()).await;
    assert_eq!(ack["ok"], false, "{event} {data}: {ack}");
    assert_eq!(ack["error"]["code"], code, "{event} {data}: {ack}");
    assert!(ack["error"]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
}

/// Reads events until each of `names` has come once (in any order); fails on an event not in
/// the list or a second one of a name.
pub async fn expect_each(
    client: &mut Client,
    names: &[&str],
) -> std::collections::HashMap<String, Value> {
    let mut got = std::collections::HashMap::new();
    while got.len() < names.len() {
        let (name, payload) = client
            .event(PATIENCE)
            .await
            .unwrap_or_else(|| panic!("still waiting for {names:?}, got {:?}", got.keys()));
        assert!(
            names.contains(&name.as_str()),
            "unexpected {name}: {payload}"
        );
        assert!(got.insert(name.clone(), payload).is_none(), "{name} twice");
    }
    got
}
