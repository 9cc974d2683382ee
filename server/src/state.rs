//! The one context every handler receives.

use std::sync::Arc;

use crate::auth::rate_limit::RateLimiter;
use crate::clock::Clock;
use crate::config::Config;
use crate::mail::Mailer;
use crate::realtime::Notifier;
use crate::store::Store;

#[derive(Clone)]
pub struct ApiContext {
    pub config: Arc<Config>,
    pub store: Store,
    pub notify: Notifier,
    /// The time expiry rules read (tests move it forward).
    pub clock: Clock,
    /// Attempt limits for login, sign-in codes and reset mails.
    pub limiter: Arc<RateLimiter>,
    pub mailer: Mailer,
}
