//! Who may act where, remembered between requests on embedded SQLite.
//!
//! Every authenticated request reads the caller's membership (so that a removed membership or
//! an erased account stops working at once, not when the token expires). On SQLite that read
//! is a hop to a database thread and back, a fifth of the server's CPU in the fan-out
//! benchmark. With one server process owning the database file, every change to who may act
//! where goes through this process's [`Store`](super::Store), which forgets the person here in
//! the same breath: the guarantee holds without the read.
//!
//! Only memberships that exist are remembered: a new membership (the users trigger creates the
//! home one) needs no forgetting. A generation counter closes the race where a read that
//! started before a change would store its stale answer after the change forgot it. Entries
//! also expire, so a change made behind the server's back (the sqlite3 shell) is seen within
//! [`TTL`]. PostgreSQL deployments may run several instances, which cannot forget for each
//! other: there the database tells every instance whom to forget (`member_changes`), and the
//! cache is paused, every request reading, whenever that message could have been missed.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use nova_contract::Role;

/// How long an answer is trusted without a change seen by this process.
pub const TTL: Duration = Duration::from_secs(60);

/// Entries kept at most; beyond, the cache starts over (a burst of distinct callers must not
/// grow memory without bound).
const CAPACITY: usize = 50_000;

#[derive(Debug, Default)]
pub struct MemberCache {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    generation: u64,
    /// Nothing is remembered or answered while set (see [`MemberCache::paused`]).
    paused: bool,
    /// Per person: (cabinet, role, when read). People belong to one or a few cabinets.
    entries: HashMap<String, Vec<(String, Role, Instant)>>,
}

/// Taken before reading the database; [`MemberCache::remember`] stores the answer only if no
/// change was seen since.
#[derive(Clone, Copy, Debug)]
pub struct Ticket(u64);

impl MemberCache {
    /// A cache that answers nothing until [`MemberCache::resume`]: on PostgreSQL, until the
    /// instance hears of every change.
    pub fn paused() -> Self {
        let cache = Self::default();
        cache.lock().paused = true;
        cache
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The role remembered for the person in the cabinet, or a ticket to read it.
    pub fn lookup(&self, user: &str, cabinet: &str, now: Instant) -> Result<Role, Ticket> {
        let inner = self.lock();
        let known = inner
            .entries
            .get(user)
            .and_then(|cabinets| cabinets.iter().find(|(c, ..)| c == cabinet));
        match known {
            Some((_, role, at)) if !inner.paused && now.saturating_duration_since(*at) < TTL => {
                Ok(*role)
            }
            _ => Err(Ticket(inner.generation)),
        }
    }

    pub fn remember(&self, ticket: Ticket, user: &str, cabinet: &str, role: Role, now: Instant) {
        let mut inner = self.lock();
        if inner.paused || inner.generation != ticket.0 {
            return;
        }
        if inner.entries.len() >= CAPACITY {
            inner.entries.clear();
        }
        let cabinets = inner.entries.entry(user.to_owned()).or_default();
        cabinets.retain(|(c, ..)| c != cabinet);
        cabinets.push((cabinet.to_owned(), role, now));
    }

    /// Forgets everything known about the person (a membership changed, the account was
    /// erased). Called after the change is committed.
    pub fn forget(&self, user: &str) {
        let mut inner = self.lock();
        inner.generation += 1;
        inner.entries.remove(user);
    }

    /// Forgets everyone: changes may have been missed.
    pub fn forget_everyone(&self) {
        let mut inner = self.lock();
        inner.generation += 1;
        inner.entries.clear();
    }

    /// Stops remembering and answering: changes can no longer be heard.
    pub fn pause(&self) {
        let mut inner = self.lock();
        inner.paused = true;
        inner.generation += 1;
        inner.entries.clear();
    }

    /// Every change is heard again. Reads that started before may have missed one, so their
    /// answers are not stored.
    pub fn resume(&self) {
        let mut inner = self.lock();
        inner.paused = false;
        inner.generation += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_until_forgotten_or_expired() {
        let c = MemberCache::default();
        let t0 = Instant::now();
        let ticket = c.lookup("u", "c", t0).unwrap_err();
        c.remember(ticket, "u", "c", Role::Admin, t0);
        assert_eq!(c.lookup("u", "c", t0).unwrap(), Role::Admin);
        assert!(c.lookup("u", "other", t0).is_err(), "per cabinet");
        assert!(c.lookup("u", "c", t0 + TTL).is_err(), "expired");
        c.forget("u");
        assert!(c.lookup("u", "c", t0).is_err(), "forgotten");
    }

    #[test]
    fn a_read_that_started_before_a_change_is_not_stored() {
        let c = MemberCache::default();
        let now = Instant::now();
        let ticket = c.lookup("u", "c", now).unwrap_err();
        // The change commits and forgets while the read is in flight...
        c.forget("u");
        // ...so the read's (possibly stale) answer is dropped.
        c.remember(ticket, "u", "c", Role::Admin, now);
        assert!(c.lookup("u", "c", now).is_err());
    }

    #[test]
    fn a_paused_cache_reads_every_time_and_keeps_nothing_from_before() {
        let c = MemberCache::paused();
        let now = Instant::now();
        let early = c.lookup("u", "c", now).unwrap_err();
        c.remember(early, "u", "c", Role::Admin, now);
        assert!(c.lookup("u", "c", now).is_err(), "paused: not stored");
        c.resume();
        // A read that started while changes could go unheard is not stored either.
        c.remember(early, "u", "c", Role::Admin, now);
        assert!(c.lookup("u", "c", now).is_err());
        let ticket = c.lookup("u", "c", now).unwrap_err();
        c.remember(ticket, "u", "c", Role::Admin, now);
        assert_eq!(c.lookup("u", "c", now).unwrap(), Role::Admin);
        c.pause();
        assert!(c.lookup("u", "c", now).is_err(), "pausing forgets");
    }

    #[test]
    fn forgetting_everyone_drops_answers_in_flight() {
        let c = MemberCache::default();
        let now = Instant::now();
        let t = c.lookup("a", "c", now).unwrap_err();
        c.remember(t, "a", "c", Role::Patient, now);
        let in_flight = c.lookup("b", "c", now).unwrap_err();
        c.forget_everyone();
        c.remember(in_flight, "b", "c", Role::Patient, now);
        assert!(c.lookup("a", "c", now).is_err());
        assert!(c.lookup("b", "c", now).is_err());
    }

    #[test]
    fn forgetting_one_person_keeps_the_others() {
        let c = MemberCache::default();
        let now = Instant::now();
        for u in ["a", "b"] {
            let t = c.lookup(u, "c", now).unwrap_err();
            c.remember(t, u, "c", Role::Patient, now);
        }
        c.forget("a");
        assert!(c.lookup("a", "c", now).is_err());
        assert_eq!(c.lookup("b", "c", now).unwrap(), Role::Patient);
    }
}
