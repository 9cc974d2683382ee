//! Attempt limits for the doors an attacker would hammer: password login, one-time codes and
//! reset mails, each counted per account (email) and per client IP.
//!
//! A sliding-window log kept in memory: each key remembers the instants of its last `max`
//! accepted attempts. An attempt passes only if every key it names is under its limit, and
//! then counts against all of them; a refused attempt counts against none, so waiting out
//! `Retry-After` always works. Being in memory, the counts are per process and reset on
//! restart: enough against online guessing, which is what they are for.
//!
//! Time comes in as an argument (milliseconds), so the rules test with a made-up clock.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// At most `max` attempts in any `window_secs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub max: usize,
    pub window_secs: i64,
}

const FIFTEEN_MINUTES: i64 = 15 * 60;

/// What is being attempted; each has its own counters and limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// `POST /api/auth/login`, and checking the current password on a change.
    Login,
    /// `POST /api/auth/otp-request`: each one may send a mail.
    OtpRequest,
    /// `POST /api/auth/login-otp`. Each code also dies after five wrong tries; this bounds the
    /// guesses across codes.
    OtpLogin,
    /// `POST /api/auth/password-reset-request`: each one may send a mail.
    ResetMail,
}

impl Action {
    fn name(self) -> &'static str {
        match self {
            Action::Login => "login",
            Action::OtpRequest => "otp-request",
            Action::OtpLogin => "otp-login",
            Action::ResetMail => "reset",
        }
    }

    /// Per account: a person mistyping gets several tries; a guesser gets few, and a mailbox
    /// gets few mails.
    pub fn per_account(self) -> Limit {
        let max = match self {
            Action::Login | Action::OtpLogin => 10,
            Action::OtpRequest | Action::ResetMail => 5,
        };
        Limit {
            max,
            window_secs: FIFTEEN_MINUTES,
        }
    }
}

/// Attempts per client IP and action in fifteen minutes, unless `NOVA_ATTEMPTS_PER_IP` says
/// otherwise: looser than per account, since a practice's staff may share one address (a large
/// one behind one NAT may need more).
pub const DEFAULT_ATTEMPTS_PER_IP: usize = 30;

/// A refused attempt: seconds until one would pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryAfter(pub u64);

/// How many checks pass between sweeps of idle keys, which keep memory bounded by the keys
/// seen in the last window.
const SWEEP_EVERY: u64 = 1024;

#[derive(Debug)]
struct Window {
    window_ms: i64,
    hits: VecDeque<i64>,
}

impl Window {
    fn forget_before(&mut self, now_ms: i64) {
        while self
            .hits
            .front()
            .is_some_and(|&t| t <= now_ms - self.window_ms)
        {
            self.hits.pop_front();
        }
    }
}

#[derive(Debug, Default)]
struct Inner {
    keys: HashMap<String, Window>,
    checks: u64,
}

#[derive(Debug)]
pub struct RateLimiter {
    inner: Mutex<Inner>,
    per_ip: Limit,
}

impl Default for RateLimiter {
    fn default() -> Self {
        Self::new(DEFAULT_ATTEMPTS_PER_IP)
    }
}

impl RateLimiter {
    /// Counts `per_ip` attempts per client IP and action in fifteen minutes.
    pub fn new(per_ip: usize) -> Self {
        Self {
            inner: Mutex::default(),
            per_ip: Limit {
                max: per_ip,
                window_secs: FIFTEEN_MINUTES,
            },
        }
    }

    /// One attempt at `action` for this account and client IP.
    pub fn attempt(
        &self,
        action: Action,
        account: &str,
        ip: &str,
        now_ms: i64,
    ) -> Result<(), RetryAfter> {
        let name = action.name();
        self.check(
            &[
                (format!("{name}:account:{account}"), action.per_account()),
                (format!("{name}:ip:{ip}"), self.per_ip),
            ],
            now_ms,
        )
    }

    /// Counts one attempt against every key if each is under its limit; otherwise counts
    /// nothing and says when all of them will have room again.
    pub fn check(&self, keys: &[(String, Limit)], now_ms: i64) -> Result<(), RetryAfter> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.checks += 1;
        if inner.checks.is_multiple_of(SWEEP_EVERY) {
            inner.keys.retain(|_, w| {
                w.forget_before(now_ms);
                !w.hits.is_empty()
            });
        }
        let mut wait_ms = 0;
        for (key, limit) in keys {
            let Some(window) = inner.keys.get_mut(key) else {
                continue;
            };
            window.window_ms = limit.window_secs * 1000;
            window.forget_before(now_ms);
            if window.hits.len() >= limit.max {
                // The attempt that frees a place is the oldest of the last `max`.
                let freeing = window.hits[window.hits.len() - limit.max];
                wait_ms = wait_ms.max(freeing + window.window_ms - now_ms);
            }
        }
        if wait_ms > 0 || keys.iter().any(|(_, l)| l.max == 0) {
            let secs = (wait_ms + 999) / 1000;
            return Err(RetryAfter(secs.max(1) as u64));
        }
        for (key, limit) in keys {
            let window = inner.keys.entry(key.clone()).or_insert_with(|| Window {
                window_ms: limit.window_secs * 1000,
                hits: VecDeque::new(),
            });
            window.hits.push_back(now_ms);
            while window.hits.len() > limit.max {
                window.hits.pop_front();
            }
        }
        Ok(())
    }

    /// How many keys are remembered (for tests of the sweep).
    pub fn tracked_keys(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .keys
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEC: i64 = 1000;

    fn limit(max: usize, window_secs: i64) -> Limit {
        Limit { max, window_secs }
    }

    fn key(name: &str, l: Limit) -> Vec<(String, Limit)> {
        vec![(name.to_string(), l)]
    }

    #[test]
    fn the_attempt_past_the_limit_waits_for_the_oldest_to_leave_the_window() {
        let rl = RateLimiter::default();
        let k = key("a", limit(3, 60));
        let t0 = 1_000_000;
        assert!(rl.check(&k, t0).is_ok());
        assert!(rl.check(&k, t0 + 10 * SEC).is_ok());
        assert!(rl.check(&k, t0 + 20 * SEC).is_ok());
        assert_eq!(rl.check(&k, t0 + 30 * SEC), Err(RetryAfter(30)));
        // Just before the first attempt leaves the window: still refused, 1 s to go.
        assert_eq!(rl.check(&k, t0 + 59 * SEC + 500), Err(RetryAfter(1)));
        // Once it has left, one more passes, and the next waits for the second.
        assert!(rl.check(&k, t0 + 60 * SEC).is_ok());
        assert_eq!(rl.check(&k, t0 + 61 * SEC), Err(RetryAfter(9)));
    }

    #[test]
    fn refused_attempts_do_not_extend_the_wait() {
        let rl = RateLimiter::default();
        let k = key("a", limit(2, 100));
        rl.check(&k, 0).unwrap();
        rl.check(&k, 0).unwrap();
        for t in 1..50 {
            assert!(rl.check(&k, t * SEC).is_err());
        }
        assert!(rl.check(&k, 100 * SEC).is_ok());
    }

    #[test]
    fn keys_are_independent() {
        let rl = RateLimiter::default();
        for _ in 0..10 {
            rl.attempt(Action::Login, "a@x", "1.1.1.1", 0).unwrap();
        }
        assert!(rl.attempt(Action::Login, "a@x", "1.1.1.1", 0).is_err());
        assert!(rl.attempt(Action::Login, "a@x", "2.2.2.2", 0).is_err());
        assert!(rl.attempt(Action::Login, "b@x", "1.1.1.1", 0).is_ok());
        // Another action has its own counters.
        assert!(rl.attempt(Action::OtpLogin, "a@x", "1.1.1.1", 0).is_ok());
    }

    #[test]
    fn one_ip_is_limited_across_accounts() {
        let rl = RateLimiter::default();
        for i in 0..30 {
            let account = format!("user{}@x", i % 5);
            rl.attempt(Action::Login, &account, "9.9.9.9", i * SEC)
                .unwrap();
        }
        let refused = rl.attempt(Action::Login, "fresh@x", "9.9.9.9", 30 * SEC);
        assert_eq!(refused, Err(RetryAfter(15 * 60 - 30)));
        assert!(rl
            .attempt(Action::Login, "fresh@x", "8.8.8.8", 30 * SEC)
            .is_ok());
    }

    #[test]
    fn a_refusal_by_one_key_counts_against_no_other() {
        let rl = RateLimiter::default();
        let tight = limit(1, 60);
        let loose = limit(5, 60);
        let both = vec![("t".to_string(), tight), ("l".to_string(), loose)];
        rl.check(&both, 0).unwrap();
        for _ in 0..10 {
            assert!(rl.check(&both, SEC).is_err());
        }
        // "l" was counted once: four more fit.
        for _ in 0..4 {
            rl.check(&key("l", loose), 2 * SEC).unwrap();
        }
        assert!(rl.check(&key("l", loose), 2 * SEC).is_err());
    }

    #[test]
    fn mail_sending_limits_are_tighter_than_login() {
        let rl = RateLimiter::default();
        for action in [Action::ResetMail, Action::OtpRequest] {
            for _ in 0..5 {
                rl.attempt(action, "a@x", "ip", 0).unwrap();
            }
            assert!(rl.attempt(action, "a@x", "ip", 0).is_err());
        }
    }

    #[test]
    fn idle_keys_are_swept() {
        let rl = RateLimiter::default();
        let l = limit(10, 60);
        for i in 0..100 {
            rl.check(&key(&format!("k{i}"), l), 0).unwrap();
        }
        assert_eq!(rl.tracked_keys(), 100);
        // Far later, enough checks to trigger a sweep leave only the live key.
        for _ in 0..SWEEP_EVERY {
            let _ = rl.check(&key("live", limit(1, 60)), 3600 * SEC);
        }
        assert_eq!(rl.tracked_keys(), 1);
    }

    #[test]
    fn the_per_ip_limit_is_the_one_configured_and_spans_accounts() {
        let rl = RateLimiter::new(2);
        assert!(rl.attempt(Action::Login, "a@x", "10.0.0.1", 0).is_ok());
        assert!(rl.attempt(Action::Login, "b@x", "10.0.0.1", 0).is_ok());
        assert!(rl.attempt(Action::Login, "c@x", "10.0.0.1", 0).is_err());
        // Another address, and another kind of attempt, have their own counts.
        assert!(rl.attempt(Action::Login, "c@x", "10.0.0.2", 0).is_ok());
        assert!(rl.attempt(Action::OtpLogin, "c@x", "10.0.0.1", 0).is_ok());
    }
}
