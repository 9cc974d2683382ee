//! Presence (`user-status`, volatile): a person is online from their first open socket to the
//! close of their last one, whatever the number of tabs and server instances.
//!
//! Within the process a counter per person and cabinet decides "first" and "last" under a lock,
//! so two tabs opening or closing at once cannot both (or neither) announce it. Across
//! instances the person's `user:{id}` room is asked for sockets on other servers
//! (`fetch_sockets` goes through the adapter): a person still connected elsewhere is neither
//! announced online again nor offline.
//!
//! Who is told: staff presence goes to the whole cabinet (a patient sees whether the
//! practitioner they write to is there); a patient's only to the cabinet's staff, since other
//! patients have no business knowing who else uses the practice.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use super::{Io, Socket};
use chrono::Utc;
use futures_util::future::join_all;
use nova_contract::{names, Conversation, NoticeKind, PresenceStatus, Role, UserStatus};

use super::connect::Person;
use super::notifier::volatile;
use super::{rooms, Hub, Notifier};
use crate::auth::tokens::Claims;

/// Open sockets of this process per (person, cabinet).
#[derive(Clone, Default)]
pub(super) struct Presence(Arc<Mutex<HashMap<(String, String), usize>>>);

impl Presence {
    /// Counts a socket in; `true` when it is the person's first here.
    fn arrive(&self, key: (String, String)) -> bool {
        let mut open = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let n = open.entry(key).or_default();
        *n += 1;
        *n == 1
    }

    /// Whether the person has a socket of this process open in this cabinet.
    fn here(&self, user: &str, cabinet: &str) -> bool {
        let open = self.0.lock().unwrap_or_else(|p| p.into_inner());
        open.contains_key(&(user.to_owned(), cabinet.to_owned()))
    }

    /// Counts a socket out; `true` when it was the person's last here.
    fn leave(&self, key: &(String, String)) -> bool {
        let mut open = self.0.lock().unwrap_or_else(|p| p.into_inner());
        match open.get_mut(key) {
            Some(n) if *n > 1 => {
                *n -= 1;
                false
            }
            Some(_) => {
                open.remove(key);
                true
            }
            None => false,
        }
    }
}

/// Called once a socket is connected: counts it, and announces the person if this is their
/// first socket.
pub(super) async fn arrived(socket: &Socket, io: &Io, hub: &Hub, claims: &Claims) {
    let Some(person) = Person::of(socket) else {
        return;
    };
    let first = hub.presence.arrive(key(claims));
    person.present().store(true, Ordering::SeqCst);
    if first && !elsewhere(io, &claims.sub).await {
        announce(io, hub, claims, PresenceStatus::Online).await;
    }
    // Closed before it was counted, its disconnect handler found nothing to take out.
    if !socket.connected() {
        departed(socket, io, hub, claims).await;
    }
}

/// Called when a socket closes: announces the person gone if it was their last socket.
pub(super) async fn departed(socket: &Socket, io: &Io, hub: &Hub, claims: &Claims) {
    let Some(person) = Person::of(socket) else {
        return;
    };
    if !person.present().swap(false, Ordering::SeqCst) {
        return;
    }
    if hub.presence.leave(&key(claims)) && !elsewhere(io, &claims.sub).await {
        announce(io, hub, claims, PresenceStatus::Offline).await;
    }
}

impl Notifier {
    /// Sets `online` on every participant of these conversations (of `cabinet`): the snapshot
    /// a screen starts from, kept current afterwards by `user-status`. People without a socket
    /// here are looked for on the other instances, all at once. A socket on another instance
    /// does not say its cabinet; a person in two cabinets may show online in the other.
    pub async fn mark_online(&self, cabinet: &str, conversations: &mut [Conversation]) {
        let mut people: Vec<&str> = conversations
            .iter()
            .flat_map(|c| c.participants.iter().map(|p| p.id.as_str()))
            .collect();
        people.sort_unstable();
        people.dedup();
        let (here, rest): (Vec<&str>, Vec<&str>) = people
            .into_iter()
            .partition(|p| self.presence().here(p, cabinet));
        let io = self.io();
        let away = join_all(rest.iter().map(|p| elsewhere(io, p))).await;
        let online: HashSet<String> = here
            .into_iter()
            .chain(
                rest.into_iter()
                    .zip(away)
                    .filter_map(|(p, e)| e.then_some(p)),
            )
            .map(str::to_owned)
            .collect();
        for p in conversations.iter_mut().flat_map(|c| &mut c.participants) {
            p.online = online.contains(&p.id);
        }
    }
}

fn key(claims: &Claims) -> (String, String) {
    (claims.sub.clone(), claims.cab.clone())
}

/// Whether the person has a socket on another server instance. On failure (an instance not
/// answering) the answer is "no": a wrong "offline" corrects itself at the next connection, a
/// person shown online forever would not.
async fn elsewhere(io: &Io, user_id: &str) -> bool {
    match io.to(rooms::user(user_id)).fetch_sockets().await {
        Ok(sockets) => sockets.iter().any(|s| io.get_socket(s.data().id).is_none()),
        Err(e) => {
            tracing::debug!(error = %e, "presence: other instances not asked");
            false
        }
    }
}

async fn announce(io: &Io, hub: &Hub, claims: &Claims, status: PresenceStatus) {
    let to = if claims.role == Role::Patient {
        [Role::Practitioner, Role::Admin, Role::Manager]
            .into_iter()
            .map(|r| rooms::cabinet_role(&claims.cab, r))
            .collect()
    } else {
        vec![rooms::cabinet(&claims.cab)]
    };
    let message = match status {
        PresenceStatus::Online => "En ligne",
        PresenceStatus::Offline => "Hors ligne",
    };
    let data = UserStatus {
        user_id: claims.sub.clone(),
        status,
        last_seen: Utc::now(),
    };
    volatile(
        io,
        &hub.stats,
        to,
        names::USER_STATUS,
        NoticeKind::Info,
        message.into(),
        data,
    )
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_in_and_last_out_per_person_and_cabinet() {
        let p = Presence::default();
        let a = ("u1".to_string(), "c1".to_string());
        let other_cabinet = ("u1".to_string(), "c2".to_string());
        assert!(p.arrive(a.clone()));
        assert!(!p.arrive(a.clone()), "a second tab is not news");
        assert!(p.arrive(other_cabinet.clone()));
        assert!(!p.leave(&a), "one tab still open");
        assert!(p.leave(&a), "the last tab closed");
        assert!(!p.leave(&a), "a stray departure changes nothing");
        assert!(p.leave(&other_cabinet));
    }
}
