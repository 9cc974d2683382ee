//! Nova RDV server: REST API (axum), real-time events (socketioxide), storage (sqlx).

pub mod auth;
pub mod config;
pub mod domain;
pub mod error;
pub mod http;
pub mod realtime;
pub mod state;
pub mod store;

use std::sync::Arc;

use axum::Router;

pub use config::Config;
pub use error::{Error, Result};
use state::ApiContext;

/// Everything `main` and the tests need: the full router and the context behind it.
pub struct App {
    pub router: Router,
    pub ctx: ApiContext,
}

/// Opens the store (running migrations, loading demo data if asked) and assembles the routes
/// and the Socket.IO layer.
pub async fn build(config: Config) -> Result<App> {
    let config = Arc::new(config);
    let store = store::Store::connect(&config.database_url).await?;
    if config.demo && store.load_demo().await? {
        tracing::info!("demo data loaded");
    }
    let (socket_layer, io) = realtime::layer(config.clone());
    let ctx = ApiContext {
        config,
        store,
        notify: realtime::Notifier::new(io),
    };
    let router = http::router(ctx.clone()).layer(socket_layer);
    Ok(App { router, ctx })
}

/// Serves until the process is stopped. TCP_NODELAY: events are small and must not wait for
/// Nagle's algorithm.
pub async fn serve(app: App, listener: tokio::net::TcpListener) -> Result<()> {
    use axum::serve::ListenerExt;
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!("TCP_NODELAY not set: {e}");
        }
    });
    axum::serve(listener, app.router).await?;
    Ok(())
}
