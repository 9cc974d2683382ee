//! `slots:watch` / `slots:unwatch` `{practitionerId}`: a screen showing a practitioner's free
//! times joins that agenda's watcher room (`slots:{cabinet}:{practitioner}`) and hears
//! `creneau:conflict` / `creneau:available` for it, so it never offers a time that is gone.
//!
//! Only practitioners of the caller's cabinet can be watched; the room name is built here from
//! the token's cabinet, never taken from the client, so no one can listen to another cabinet.

use nova_contract::{ErrorCode, SlotWatch};
use socketioxide::extract::{AckSender, SocketRef, State, TryData};

use super::guard::{admit, reply, Refusal};
use super::rooms;
use crate::auth::tokens::Claims;
use crate::store::Store;

/// Agendas one socket may watch at once: a booking screen shows one or a few practitioners.
const MAX_WATCHED: usize = 20;

pub fn register(socket: &SocketRef) {
    socket.on(nova_contract::client_names::SLOTS_WATCH, watch);
    socket.on(nova_contract::client_names::SLOTS_UNWATCH, unwatch);
}

fn parse(data: Result<serde_json::Value, socketioxide::ParserError>) -> Result<SlotWatch, Refusal> {
    let value = data.map_err(|_| Refusal::malformed())?;
    let w: SlotWatch = serde_json::from_value(value).map_err(|_| Refusal::malformed())?;
    if w.practitioner_id.is_empty() || w.practitioner_id.len() > 64 {
        return Err(Refusal::malformed());
    }
    Ok(w)
}

fn cabinet_of(socket: &SocketRef) -> Result<String, Refusal> {
    socket
        .extensions
        .get::<Claims>()
        .map(|c| c.cab.clone())
        .ok_or_else(|| Refusal::new(ErrorCode::Unauthorized, "Non authentifié"))
}

async fn watch(
    socket: SocketRef,
    TryData(data): TryData<serde_json::Value>,
    ack: AckSender,
    State(store): State<Store>,
) {
    let outcome = async {
        admit(&socket)?;
        let w = parse(data)?;
        let cabinet = cabinet_of(&socket)?;
        let known = store
            .practitioner_in_cabinet(&cabinet, &w.practitioner_id)
            .await
            .map_err(|e| {
                tracing::warn!("slots:watch lookup failed: {e}");
                Refusal::new(ErrorCode::InternalError, "Erreur interne")
            })?;
        if !known {
            return Err(Refusal::new(ErrorCode::NotFound, "Praticien introuvable"));
        }
        let room = rooms::slots(&cabinet, &w.practitioner_id);
        let watched = socket
            .rooms()
            .iter()
            .filter(|r| r.starts_with(rooms::SLOTS_PREFIX) && **r != room)
            .count();
        if watched >= MAX_WATCHED {
            return Err(Refusal::new(
                ErrorCode::RateLimited,
                "Trop d'agendas suivis à la fois",
            ));
        }
        socket.join(room);
        Ok(w)
    }
    .await;
    reply(Some(ack), outcome);
}

async fn unwatch(socket: SocketRef, TryData(data): TryData<serde_json::Value>, ack: AckSender) {
    let outcome = (|| {
        admit(&socket)?;
        let w = parse(data)?;
        let cabinet = cabinet_of(&socket)?;
        socket.leave(rooms::slots(&cabinet, &w.practitioner_id));
        Ok(w)
    })();
    reply(Some(ack), outcome);
}
