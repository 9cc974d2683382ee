//! App-wide stores, each provided once by `app.rs` (`provide_*`) and read anywhere (`use_*`).

pub mod auth;
pub mod prefs;
pub mod realtime;
pub mod toasts;
