//! The one context every handler receives.

use std::sync::Arc;

use crate::config::Config;
use crate::realtime::Notifier;
use crate::store::Store;

#[derive(Clone)]
pub struct ApiContext {
    pub config: Arc<Config>,
    pub store: Store,
    pub notify: Notifier,
}
