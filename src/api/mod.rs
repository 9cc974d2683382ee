//! Transport: the typed HTTP client, the REST endpoints and the Socket.IO client. Knows no
//! screen; pages reach it through `state/`.

pub mod endpoints;
pub mod http;
pub mod socket;
