//! The one entry point of every event a client sends: it names the handler by event name.
//!
//! One fallback handler per socket instead of one `socket.on` per event: socketioxide keeps
//! `on` handlers in a map allocated for each socket, which every idle socket carried for its
//! whole life (about 0.3 kB of the per-socket budget); the fallback is a single slot. An event
//! nobody handles is answered `NOT_FOUND` when the client asked for an ack, instead of leaving
//! its callback to time out.

use nova_contract::{client_names, ErrorCode};
use serde_json::Value;
use socketioxide::extract::{Event, State, TryData};

use super::guard::{self, Refusal};
use super::{conversation_handlers, slot_watch, Ack, Socket};
use crate::store::Store;

/// A client event's first argument, or why it could not be read.
pub(super) type Payload = Result<Value, socketioxide::ParserError>;

pub fn register(socket: &Socket) {
    socket.on_fallback(dispatch);
}

async fn dispatch(
    socket: Socket,
    Event(event): Event,
    TryData(data): TryData<Value>,
    ack: Ack,
    State(store): State<Store>,
) {
    match event.as_str() {
        client_names::JOIN_ROOM => conversation_handlers::join_room(socket, data, ack, store).await,
        client_names::LEAVE_ROOM => conversation_handlers::leave_room(socket, data, ack),
        client_names::TYPING => conversation_handlers::typing(socket, data, ack).await,
        client_names::SLOTS_WATCH => slot_watch::watch(socket, data, ack, store).await,
        client_names::SLOTS_UNWATCH => slot_watch::unwatch(socket, data, ack),
        _ => {
            // Counted against the budget too: unknown names must not be a free flood.
            let outcome = guard::admit(&socket).and_then(|()| {
                Err::<(), _>(Refusal::new(ErrorCode::NotFound, "Événement inconnu"))
            });
            guard::reply(Some(ack), outcome);
        }
    }
}
