//! Transport and server data: the typed HTTP client, the REST endpoints, the query cache and
//! the Socket.IO client. Knows no screen; pages reach it through hooks and `state/`.

pub mod backoff;
pub mod client;
pub mod endpoints;
pub mod figures;
pub mod http;
pub mod json;
pub mod queries;
pub mod query;
pub mod session;
pub mod socket;

#[cfg(all(test, target_arch = "wasm32"))]
pub(crate) mod testing;
#[cfg(all(test, target_arch = "wasm32"))]
mod tests;

use leptos::prelude::*;
use send_wrapper::SendWrapper;

pub use client::ApiClient;

/// Makes `client` the API client of everything below the current owner.
pub fn provide_api(client: ApiClient) {
    provide_context(SendWrapper::new(client));
}

pub fn use_api() -> ApiClient {
    (*expect_context::<SendWrapper<ApiClient>>()).clone()
}
