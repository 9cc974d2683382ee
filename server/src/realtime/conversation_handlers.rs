//! Client events of conversation screens: `join-room` / `leave-room` (seed 004) for
//! `conversation:{id}` rooms only, and `typing`, relayed as `typing-indicator`.
//!
//! Every other room is refused: the automatic rooms (`user:`, `role:`, `cabinet:`) are the
//! server's to assign, and letting a client join one would let it read other people's events
//! (one of the seeds lets any client join `role:SUPERADMIN`). Leaving them is refused too, so a
//! client cannot make itself miss its own durable events without disconnecting.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use nova_contract::{names, ErrorCode, NoticeKind, RealtimeEvent, TypingEvent};
use serde::Serialize;
use serde_json::Value;

use super::client_events::Payload;
use super::guard::{self, Refusal};
use super::rooms;
use crate::store::Store;

/// At most one "is typing" per conversation per socket in this time; clients send one every
/// couple of seconds while keys are pressed, and more would only be noise on the others' screens.
const TYPING_EVERY: Duration = Duration::from_secs(2);

/// The socket types of the handlers. When the namespace is bound to a shared adapter, these
/// become that adapter's aliases (`super::{Socket, Ack}`).
use super::{Ack, Socket};

/// Conversation ids are UUIDs; anything much longer or stranger is not one.
const MAX_ID_LEN: usize = 64;

/// `{ok:true, data:{room}}` for a joined or left room.
#[derive(Serialize)]
struct RoomAck {
    room: String,
}

/// `{ok:true, data:{relayed}}`: whether this typing event went out or was throttled.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TypingAck {
    relayed: bool,
}

pub(super) async fn join_room(socket: Socket, data: Payload, ack: Ack, store: Store) {
    let outcome = async {
        guard::admit(&socket)?;
        let id = conversation_room(data.ok())?;
        let user = user_id(&socket)?;
        match store.is_participant(&id, &user).await {
            Ok(true) => {}
            Ok(false) => {
                return Err(Refusal::new(
                    ErrorCode::Forbidden,
                    "Vous ne participez pas à cette conversation",
                ))
            }
            Err(e) => {
                tracing::error!(error = %e, "join-room: participant check failed");
                return Err(Refusal::new(ErrorCode::InternalError, "Erreur interne"));
            }
        }
        let room = rooms::conversation(&id);
        socket.join(room.clone());
        Ok(RoomAck { room })
    }
    .await;
    guard::reply(Some(ack), outcome);
}

pub(super) fn leave_room(socket: Socket, data: Payload, ack: Ack) {
    let outcome = (|| {
        guard::admit(&socket)?;
        let room = rooms::conversation(&conversation_room(data.ok())?);
        socket.leave(room.clone());
        Ok(RoomAck { room })
    })();
    guard::reply(Some(ack), outcome);
}

/// `typing {conversationId, isTyping}` from a screen that joined the conversation: relayed to
/// the room's other screens (never to the sender's own tabs), volatile, throttled.
pub(super) async fn typing(socket: Socket, data: Payload, ack: Ack) {
    let outcome = async {
        guard::admit(&socket)?;
        let event: TypingEvent = data
            .ok()
            .and_then(|v| serde_json::from_value(v).ok())
            .ok_or_else(Refusal::malformed)?;
        check_id(&event.conversation_id)?;
        let user = user_id(&socket)?;
        let room = rooms::conversation(&event.conversation_id);
        if !socket.rooms().iter().any(|r| *r == room) {
            return Err(Refusal::new(
                ErrorCode::Forbidden,
                "Rejoignez d'abord la conversation (join-room)",
            ));
        }
        if !throttle(&socket, &event.conversation_id, event.is_typing) {
            return Ok(TypingAck { relayed: false });
        }
        let payload = RealtimeEvent {
            id: uuid::Uuid::new_v4().to_string(),
            kind: NoticeKind::Info,
            message: if event.is_typing {
                "En train d'écrire…".into()
            } else {
                "A cessé d'écrire".into()
            },
            data: TypingEvent {
                conversation_id: event.conversation_id.clone(),
                is_typing: event.is_typing,
                user_id: Some(user.clone()),
            },
            timestamp: Utc::now(),
        };
        // `except` the sender's user room: their other tabs showing the conversation must not
        // show them typing to themselves.
        if let Err(e) = socket
            .to(room)
            .except(rooms::user(&user))
            .emit(names::TYPING_INDICATOR, &payload)
            .await
        {
            tracing::warn!(event = names::TYPING_INDICATOR, error = %e, "emit failed");
        }
        Ok(TypingAck { relayed: true })
    }
    .await;
    guard::reply(Some(ack), outcome);
}

/// The conversation id of a `join-room` / `leave-room` payload: the room name as a string
/// (seed 004: `socket.emit('join-room', 'conversation:123')`) or `{room: "…"}`.
fn conversation_room(data: Option<Value>) -> Result<String, Refusal> {
    let name = match &data {
        Some(Value::String(s)) => s.as_str(),
        Some(Value::Object(o)) => o
            .get("room")
            .and_then(Value::as_str)
            .ok_or_else(Refusal::malformed)?,
        _ => return Err(Refusal::malformed()),
    };
    let Some(id) = name.strip_prefix(rooms::CONVERSATION_PREFIX) else {
        return Err(Refusal::new(
            ErrorCode::Forbidden,
            "Seules les salles conversation:{id} peuvent être rejointes",
        ));
    };
    check_id(id)?;
    Ok(id.to_owned())
}

fn check_id(id: &str) -> Result<(), Refusal> {
    let plausible = !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if plausible {
        Ok(())
    } else {
        Err(Refusal::new(
            ErrorCode::ValidationError,
            "Identifiant de conversation invalide",
        ))
    }
}

fn user_id(socket: &Socket) -> Result<String, Refusal> {
    super::connect::claims(socket)
        .map(|c| c.sub)
        .ok_or_else(|| Refusal::new(ErrorCode::Unauthorized, "Authentification requise"))
}

/// When each conversation last had an "is typing" relayed from this socket.
#[derive(Clone, Default)]
struct TypingClock(Arc<Mutex<HashMap<String, Instant>>>);

/// Whether to relay: "stopped typing" always (and the next "typing" then passes at once),
/// "typing" at most once per [`TYPING_EVERY`].
fn throttle(socket: &Socket, conversation_id: &str, is_typing: bool) -> bool {
    let clock = match socket.extensions.get::<TypingClock>() {
        Some(c) => c,
        None => {
            let c = TypingClock::default();
            socket.extensions.insert(c.clone());
            c
        }
    };
    let mut last = clock.0.lock().unwrap_or_else(|p| p.into_inner());
    if !is_typing {
        last.remove(conversation_id);
        return true;
    }
    let now = Instant::now();
    match last.get(conversation_id) {
        Some(at) if now.saturating_duration_since(*at) < TYPING_EVERY => false,
        _ => {
            last.insert(conversation_id.to_owned(), now);
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn only_conversation_rooms_pass() {
        assert_eq!(
            conversation_room(Some(json!("conversation:abc-1"))).unwrap(),
            "abc-1"
        );
        assert_eq!(
            conversation_room(Some(json!({"room": "conversation:x"}))).unwrap(),
            "x"
        );
        for name in [
            "user:u1",
            "role:SUPERADMIN",
            "cabinet:cab-parc",
            "lobby",
            "",
            "Conversation:x",
        ] {
            let refused = conversation_room(Some(json!(name))).unwrap_err();
            assert_eq!(refused.code, ErrorCode::Forbidden, "{name}");
        }
        for bad in [
            json!("conversation:"),
            json!("conversation:a b"),
            json!("conversation:x:y"),
            json!(format!("conversation:{}", "a".repeat(65))),
        ] {
            let refused = conversation_room(Some(bad.clone())).unwrap_err();
            assert_eq!(refused.code, ErrorCode::ValidationError, "{bad}");
        }
        for malformed in [
            None,
            Some(json!(42)),
            Some(json!({"room": 1})),
            Some(json!(null)),
        ] {
            let refused = conversation_room(malformed.clone()).unwrap_err();
            assert_eq!(refused.code, ErrorCode::ValidationError, "{malformed:?}");
        }
    }
}
