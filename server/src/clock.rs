//! The time the authentication rules read: token and code expiry, rate-limit windows.
//!
//! It is the system clock plus an offset that only tests move, so they can reach "an hour
//! later" without waiting an hour. Production never calls [`Clock::advance`].

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    /// Unix seconds.
    pub fn now(&self) -> i64 {
        self.now_millis().div_euclid(1000)
    }

    /// Unix milliseconds.
    pub fn now_millis(&self) -> i64 {
        chrono::Utc::now().timestamp_millis() + self.offset_ms.load(Ordering::Relaxed)
    }

    /// Moves this clock (and every clone of it) forward.
    pub fn advance(&self, secs: i64) {
        self.offset_ms.fetch_add(secs * 1000, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_every_clone() {
        let clock = Clock::default();
        let other = clock.clone();
        let before = other.now();
        clock.advance(3600);
        assert!(other.now() >= before + 3600);
    }
}
