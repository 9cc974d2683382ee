//! What every client event passes through: a per-socket token bucket (a flooding client is
//! refused with `RATE_LIMITED` instead of costing the server work) and the ack envelope
//! `{ok, data?, error?}` handlers answer with.
//!
//! The bucket lives in the socket's extensions, so it dies with the socket and costs nothing
//! to look up.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use nova_contract::{ErrorCode, SocketAck};
use serde::Serialize;

use super::{Ack, Socket};

/// Sustained client events per second per socket, and the burst allowed above it. Typing
/// indicators are throttled client-side to one per 2 s; a person cannot do more than a few
/// actions a second.
const RATE_PER_SEC: f64 = 10.0;
const BURST: f64 = 20.0;

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    refilled: Instant,
}

/// A socket's event budget; cloned handles share one bucket.
#[derive(Clone, Debug)]
pub struct EventBudget(Arc<Mutex<Bucket>>);

impl Default for EventBudget {
    fn default() -> Self {
        Self(Arc::new(Mutex::new(Bucket {
            tokens: BURST,
            refilled: Instant::now(),
        })))
    }
}

impl EventBudget {
    /// Takes one token if there is one.
    pub fn take(&self, now: Instant) -> bool {
        let mut b = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let elapsed = now.saturating_duration_since(b.refilled).as_secs_f64();
        b.tokens = (b.tokens + elapsed * RATE_PER_SEC).min(BURST);
        b.refilled = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// A refused client event: what the ack says.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub code: ErrorCode,
    pub message: String,
}

impl Refusal {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    pub fn rate_limited() -> Self {
        Self::new(ErrorCode::RateLimited, "Trop d'événements, ralentissez")
    }

    pub fn malformed() -> Self {
        Self::new(ErrorCode::ValidationError, "Charge utile invalide")
    }
}

/// Spends one unit of the socket's budget, or refuses the event.
pub fn admit(socket: &Socket) -> Result<(), Refusal> {
    let budget = match socket.extensions.get::<EventBudget>() {
        Some(b) => b,
        None => {
            let b = EventBudget::default();
            socket.extensions.insert(b.clone());
            b
        }
    };
    if budget.take(Instant::now()) {
        Ok(())
    } else {
        Err(Refusal::rate_limited())
    }
}

/// Answers a client event's ack (if it asked for one) with the handler's outcome.
pub fn reply<T: Serialize>(ack: Option<Ack>, outcome: Result<T, Refusal>) {
    let Some(ack) = ack else { return };
    let body = match outcome {
        Ok(data) => SocketAck::success(data),
        Err(r) => SocketAck::failure(r.code, r.message),
    };
    if let Err(e) = ack.send(&body) {
        tracing::debug!("ack not sent: {e}");
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_burst_passes_then_the_budget_refills_at_the_sustained_rate() {
        let budget = EventBudget::default();
        let t0 = Instant::now();
        let passed = (0..30).filter(|_| budget.take(t0)).count();
        assert_eq!(passed, BURST as usize);
        assert!(!budget.take(t0));
        // 100 ms at 10/s buys exactly one more event.
        assert!(budget.take(t0 + Duration::from_millis(100)));
        assert!(!budget.take(t0 + Duration::from_millis(100)));
    }

    #[test]
    fn the_budget_never_grows_past_the_burst() {
        let budget = EventBudget::default();
        let later = Instant::now() + Duration::from_secs(3600);
        let passed = (0..100).filter(|_| budget.take(later)).count();
        assert_eq!(passed, BURST as usize);
    }
}
