//! Nova RDV server: REST API (axum), real-time events (socketioxide), storage (sqlx).

pub mod auth;
pub mod clock;
pub mod config;
pub mod domain;
pub mod error;
pub mod http;
pub mod mail;
pub mod metrics;
pub mod realtime;
pub mod reminders;
pub mod state;
pub mod store;

use std::net::SocketAddr;
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
    let adapter =
        realtime::AdapterChoice::from_urls(&config.database_url, config.redis_url.as_deref())
            .await?;
    tracing::info!(adapter = adapter.name(), "real-time adapter");
    let metrics = Arc::new(metrics::Metrics::default());
    let (socket_layer, notify) =
        realtime::layer(config.clone(), store.clone(), metrics, adapter).await?;
    let clock = clock::Clock::default();
    let mailer = mail::Mailer::new(&config, store.clone(), clock.clone())?;
    let limiter = Arc::new(auth::rate_limit::RateLimiter::new(config.attempts_per_ip));
    let ctx = ApiContext {
        config,
        store,
        notify,
        clock,
        limiter,
        mailer,
    };
    realtime::dashboard::spawn(ctx.clone());
    let router = http::router(ctx.clone())
        .layer(socket_layer)
        .layer(axum::middleware::map_request(realtime::detach::handshake));
    Ok(App { router, ctx })
}

/// Serves until the process is stopped, with the reminder scheduler running. TCP_NODELAY:
/// events are small and must not wait for Nagle's algorithm. Each request knows its peer
/// address (`ConnectInfo`), which the attempt limits count by.
pub async fn serve(app: App, listener: tokio::net::TcpListener) -> Result<()> {
    use axum::serve::ListenerExt;
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!("TCP_NODELAY not set: {e}");
        }
    });
    reminders::spawn(app.ctx.clone());
    let service = app
        .router
        .into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service).await?;
    Ok(())
}
