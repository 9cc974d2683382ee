//! Every type that crosses the wire between the Nova RDV browser app, the server and any other
//! client: REST requests and responses, the response envelope and its error codes, and the
//! Socket.IO events. It knows no transport and no server, and compiles for wasm and native alike,
//! so the browser and the server cannot disagree about a field name.

pub mod analytics;
pub mod appointments;
pub mod auth;
pub mod envelope;
pub mod events;
pub mod gdpr;
pub mod lifecycle;
pub mod live_slots;
pub mod messaging;
pub mod notifications;
#[cfg(feature = "openapi")]
mod openapi;
pub mod patients;
pub mod people;
pub mod scheduling;
pub mod waitlist;
pub mod wire_time;

pub use analytics::*;
pub use appointments::*;
pub use auth::*;
pub use envelope::*;
pub use events::*;
pub use gdpr::*;
pub use lifecycle::*;
pub use live_slots::*;
pub use messaging::*;
pub use notifications::*;
pub use patients::*;
pub use people::*;
pub use scheduling::*;
pub use waitlist::*;

/// Identifiers are opaque strings on the wire (UUIDs today).
pub type Id = String;
