//! A small Socket.IO v5 client (Engine.IO v4, websocket transport only) for the browser.
//!
//! Why our own: the Rust Socket.IO clients depend on tokio or native sockets and do not compile
//! to `wasm32-unknown-unknown`, and the JS client would need bindings plus a second bundle. The
//! server (socketioxide) speaks the same protocol, so a few hundred lines cover what the app
//! needs: the main namespace, auth on CONNECT, events, acks, heartbeat and reconnection.
//!
//! The wire format ([`codec`]), the retry delays ([`crate::api::backoff`]) and the URL ([`url`]) are pure
//! and tested natively; only the transport (`client`) needs a browser and exists on wasm32 alone.

// A protocol module inside a binary crate: its whole API (emit_with_ack, every packet type…)
// stays even where the app uses only part of it, and the native build compiles only the pure
// half, so unused items are expected here, not rot.
#![allow(dead_code)]

pub mod codec;
pub mod url;

#[cfg(target_arch = "wasm32")]
mod client;

// The module's front door; items the app does not use yet would otherwise warn.
#[allow(unused_imports)]
pub use url::{socket_url, UrlError, SOCKET_IO_PATH};

#[cfg(target_arch = "wasm32")]
#[allow(unused_imports)]
pub use client::{AckError, SocketClient, SocketEvent, SocketOptions};
#[cfg(target_arch = "wasm32")]
#[allow(unused_imports)]
pub use url::socket_url_from_location;
