//! Resume bookkeeping for the socket: which event ids were already handled (a replay after a
//! reconnection may repeat some, and a message reaches a screen both durably and through its
//! conversation room) and the cursor sent back as `lastEventId`.
//!
//! Only durable events advance the cursor. The server numbers them per person (decimal
//! strings) and replays those after the number it is given; volatile events carry uuids it
//! cannot resume from, so sending one back would silently disable the replay. The cursor is
//! the highest number seen, not the last: a replay interleaved with live events must not move
//! it backwards. It belongs to one person: another sign-in starts from nothing.
//!
//! Pure, so it tests natively.

use std::collections::VecDeque;

use serde_json::Value;

#[derive(Debug, Default)]
pub struct EventLog {
    ids: VecDeque<String>,
    cursor: Option<u64>,
    // Read by the socket, which exists only in the browser.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    owner: Option<String>,
}

/// A durable event's id: all decimal digits (what the server replays from).
pub fn durable_seq(id: &str) -> Option<u64> {
    let digits = !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit());
    digits.then(|| id.parse().ok()).flatten()
}

impl EventLog {
    pub const CAPACITY: usize = 256;

    /// Forgets everything unless `user` is the person this log already belongs to.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    pub fn reset_for(&mut self, user: Option<&str>) {
        if self.owner.as_deref() != user {
            *self = Self {
                owner: user.map(str::to_owned),
                ..Self::default()
            };
        }
    }

    /// `true` the first time an id is seen; a durable id then moves the cursor up.
    pub fn accept(&mut self, id: &str) -> bool {
        if self.ids.iter().any(|s| s == id) {
            return false;
        }
        if self.ids.len() == Self::CAPACITY {
            self.ids.pop_front();
        }
        self.ids.push_back(id.to_owned());
        if let Some(seq) = durable_seq(id) {
            self.cursor = Some(self.cursor.map_or(seq, |c| c.max(seq)));
        }
        true
    }

    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    pub fn last_event_id(&self) -> Option<String> {
        self.cursor.map(|c| c.to_string())
    }
}

/// The CONNECT `auth` object: the token, and the last durable event seen so the server can
/// replay what came after it.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub fn connect_auth(token: &str, last_event_id: Option<&str>) -> Value {
    let mut auth = serde_json::Map::new();
    auth.insert("token".into(), Value::from(token));
    if let Some(id) = last_event_id {
        auth.insert("lastEventId".into(), Value::from(id));
    }
    Value::Object(auth)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn duplicates_act_once_whatever_the_id() {
        let mut log = EventLog::default();
        assert!(log.accept("3f2a-uuid"));
        assert!(!log.accept("3f2a-uuid"));
        assert!(log.accept("7"));
        assert!(!log.accept("7"));
        for i in 1000..1000 + EventLog::CAPACITY {
            log.accept(&format!("v{i}"));
        }
        assert!(
            log.accept("7"),
            "old ids are forgotten, memory stays bounded"
        );
    }

    #[test]
    fn only_durable_ids_move_the_cursor_and_only_upwards() {
        let mut log = EventLog::default();
        assert_eq!(log.last_event_id(), None);
        log.accept("a1b2c3d4-0000-4000-8000-000000000000");
        assert_eq!(
            log.last_event_id(),
            None,
            "a volatile id is never sent back"
        );
        log.accept("12");
        log.accept("e9");
        assert_eq!(log.last_event_id().as_deref(), Some("12"));
        log.accept("10");
        assert_eq!(
            log.last_event_id().as_deref(),
            Some("12"),
            "never backwards"
        );
        log.accept("13");
        assert_eq!(log.last_event_id().as_deref(), Some("13"));
        for odd in ["", "+5", "-1", "1.5", "99999999999999999999999"] {
            assert_eq!(durable_seq(odd), None, "{odd:?}");
        }
    }

    #[test]
    fn another_person_starts_from_nothing() {
        let mut log = EventLog::default();
        log.reset_for(Some("u1"));
        log.accept("5");
        log.reset_for(Some("u1"));
        assert_eq!(
            log.last_event_id().as_deref(),
            Some("5"),
            "same person keeps it"
        );
        log.reset_for(Some("u2"));
        assert_eq!(log.last_event_id(), None);
        assert!(log.accept("5"), "u2's 5 is not u1's 5");
        log.reset_for(None);
        assert_eq!(log.last_event_id(), None);
    }

    #[test]
    fn the_connect_auth_carries_the_last_event_id_once_there_is_one() {
        assert_eq!(connect_auth("t", None), json!({"token": "t"}));
        assert_eq!(
            connect_auth("t", Some("9")),
            json!({"token": "t", "lastEventId": "9"})
        );
    }
}
