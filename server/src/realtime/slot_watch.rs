//! `slots:watch` / `slots:unwatch` `{practitionerId}`: a screen showing a practitioner's free
//! times joins that agenda's watcher room (`slots:{cabinet}:{practitioner}`) and hears
//! `creneau:conflict` / `creneau:available` for it, so it never offers a time that is gone.
//!
//! Only practitioners of a cabinet the caller belongs to can be watched (the home cabinet, or
//! `cabinetId` like `X-Tenant-ID`); the room name is built here from checked ids, never taken
//! from the client, so no one can listen to another cabinet.

use nova_contract::{ErrorCode, SlotWatch};

use super::{Ack, Socket};

use super::client_events::Payload;
use super::guard::{admit, reply, Refusal};
use super::rooms;
use crate::store::Store;

/// Agendas one socket may watch at once: a booking screen shows one or a few practitioners.
const MAX_WATCHED: usize = 20;

fn parse(data: Payload) -> Result<SlotWatch, Refusal> {
    let value = data.map_err(|_| Refusal::malformed())?;
    let w: SlotWatch = serde_json::from_value(value).map_err(|_| Refusal::malformed())?;
    let bad_id = |id: &str| id.is_empty() || id.len() > 64;
    if bad_id(&w.practitioner_id) || w.cabinet_id.as_deref().is_some_and(bad_id) {
        return Err(Refusal::malformed());
    }
    Ok(w)
}

/// The cabinet the request is about, and who asks.
fn cabinet_of(socket: &Socket, w: &SlotWatch) -> Result<(String, String), Refusal> {
    let claims = super::connect::claims(socket)
        .ok_or_else(|| Refusal::new(ErrorCode::Unauthorized, "Non authentifié"))?;
    let cabinet = w.cabinet_id.clone().unwrap_or(claims.cab);
    Ok((cabinet, claims.sub))
}

fn internal(e: crate::error::Error) -> Refusal {
    tracing::warn!("slots:watch lookup failed: {e}");
    Refusal::new(ErrorCode::InternalError, "Erreur interne")
}

pub(super) async fn watch(socket: Socket, data: Payload, ack: Ack, store: Store) {
    let outcome = async {
        admit(&socket)?;
        let w = parse(data)?;
        let (cabinet, user) = cabinet_of(&socket, &w)?;
        // Read now, not from the token: a removed membership or an erased account stops here.
        if store
            .membership(&user, &cabinet)
            .await
            .map_err(internal)?
            .is_none()
        {
            return Err(Refusal::new(ErrorCode::Forbidden, "Cabinet non autorisé"));
        }
        let known = store
            .practitioner_in_cabinet(&cabinet, &w.practitioner_id)
            .await
            .map_err(internal)?;
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

pub(super) fn unwatch(socket: Socket, data: Payload, ack: Ack) {
    let outcome = (|| {
        admit(&socket)?;
        let w = parse(data)?;
        let (cabinet, _) = cabinet_of(&socket, &w)?;
        socket.leave(rooms::slots(&cabinet, &w.practitioner_id));
        Ok(w)
    })();
    reply(Some(ack), outcome);
}
