//! Retry delays: exponential growth with random jitter, as socket.io-client does it. Used by the
//! socket's reconnection and by the HTTP client's retries.
//!
//! Jitter spreads the retries of many browsers after a server restart; without it they would
//! all hit the server in the same instant. The random number is a parameter so the
//! arithmetic is deterministic under test.

/// Exponential backoff: `base_ms * factor^attempt`, then ±`jitter`, never above `cap_ms`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    pub base_ms: u32,
    pub factor: f64,
    pub cap_ms: u32,
    /// Relative spread in `[0, 1]`; socket.io-client's `randomizationFactor`.
    pub jitter: f64,
}

impl Default for Backoff {
    /// socket.io-client's defaults, except a 10 s cap instead of 5 s.
    fn default() -> Self {
        Self {
            base_ms: 500,
            factor: 2.0,
            cap_ms: 10_000,
            jitter: 0.5,
        }
    }
}

impl Backoff {
    /// The delay before retry number `attempt` (0 for the first retry).
    ///
    /// `unit_random` is a uniform draw from `[0, 1)`: 0 gives the shortest delay, 0.5 the
    /// nominal one. Out-of-range or NaN draws are clamped rather than trusted, and the cap applies
    /// after the jitter (as in socket.io-client), so capped delays land in `[cap·(1-j), cap]`.
    pub fn delay_ms(&self, attempt: u32, unit_random: f64) -> u32 {
        let r = if unit_random.is_nan() {
            0.5
        } else {
            unit_random.clamp(0.0, 1.0)
        };
        let jitter = if self.jitter.is_nan() {
            0.0
        } else {
            self.jitter.clamp(0.0, 1.0)
        };
        let cap = f64::from(self.cap_ms);
        // Past ~1000 doublings f64 is infinite anyway; the clamp only keeps `powi` in range.
        let exponent = attempt.min(1024) as i32;
        let raw = f64::from(self.base_ms) * self.factor.max(1.0).powi(exponent);
        // 0 × ∞ is NaN, and `f64::min` would then pick the cap: a zero base must stay zero.
        let nominal = if raw.is_nan() { 0.0 } else { raw.min(cap) };
        let spread = nominal * (1.0 - jitter + 2.0 * jitter * r);
        // `as` saturates and maps NaN to 0, so this cannot overflow.
        spread.min(cap).max(0.0).round() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_jitter() -> Backoff {
        Backoff {
            jitter: 0.0,
            ..Backoff::default()
        }
    }

    #[test]
    fn grows_exponentially_then_caps() {
        let b = no_jitter();
        let delays: Vec<u32> = (0..8).map(|n| b.delay_ms(n, 0.9)).collect();
        assert_eq!(
            delays,
            [500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]
        );
    }

    #[test]
    fn midpoint_draw_gives_nominal_delay() {
        let b = Backoff::default();
        assert_eq!(b.delay_ms(0, 0.5), 500);
        assert_eq!(b.delay_ms(3, 0.5), 4000);
    }

    #[test]
    fn jitter_spans_plus_minus_half() {
        let b = Backoff::default();
        assert_eq!(b.delay_ms(0, 0.0), 250);
        assert_eq!(b.delay_ms(0, 1.0), 750);
        assert_eq!(b.delay_ms(2, 0.25), 1500);
        assert_eq!(b.delay_ms(2, 0.75), 2500);
    }

    #[test]
    fn jitter_never_exceeds_cap() {
        let b = Backoff::default();
        assert_eq!(b.delay_ms(10, 0.0), 5000);
        assert_eq!(b.delay_ms(10, 0.5), 10_000);
        assert_eq!(b.delay_ms(10, 0.99), 10_000);
        // 8000 nominal + 50 % would be 12 000.
        assert_eq!(b.delay_ms(4, 1.0), 10_000);
    }

    #[test]
    fn bad_draws_are_clamped() {
        let b = Backoff::default();
        assert_eq!(b.delay_ms(0, f64::NAN), 500);
        assert_eq!(b.delay_ms(0, -3.0), 250);
        assert_eq!(b.delay_ms(0, 7.0), 750);
        assert_eq!(b.delay_ms(0, f64::INFINITY), 750);
    }

    #[test]
    fn huge_attempt_counts_do_not_overflow() {
        let b = Backoff::default();
        assert_eq!(b.delay_ms(u32::MAX, 0.5), 10_000);
        assert_eq!(b.delay_ms(5000, 0.0), 5000);
    }

    #[test]
    fn odd_configurations_stay_sane() {
        let shrinking = Backoff {
            factor: 0.1,
            ..no_jitter()
        };
        assert_eq!(shrinking.delay_ms(5, 0.5), 500, "factor < 1 acts as 1");
        let wild = Backoff {
            jitter: 4.0,
            ..Backoff::default()
        };
        assert_eq!(wild.delay_ms(0, 0.0), 0, "jitter > 1 acts as 1");
        let zero = Backoff {
            base_ms: 0,
            ..Backoff::default()
        };
        assert_eq!(zero.delay_ms(3, 1.0), 0);
        assert_eq!(zero.delay_ms(u32::MAX, 1.0), 0);
        let fast = Backoff {
            base_ms: 10,
            cap_ms: 40,
            ..no_jitter()
        };
        let delays: Vec<u32> = (0..4).map(|n| fast.delay_ms(n, 0.0)).collect();
        assert_eq!(delays, [10, 20, 40, 40]);
    }
}
