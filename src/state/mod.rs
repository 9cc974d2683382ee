//! App-wide stores, each provided once by `app.rs` (`provide_*`) and read anywhere (`use_*`).

pub mod agenda;
pub mod auth;
pub mod event_log;
pub mod live_events;
pub mod network;
pub mod notifications;
pub mod outbox;
pub mod prefs;
pub mod realtime;
pub mod toasts;

#[cfg(all(test, target_arch = "wasm32"))]
mod tests;
