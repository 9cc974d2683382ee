use nova_server::{build, serve, Config};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,tower_http=warn")),
        )
        .init();
    if let Err(e) = run().await {
        tracing::error!("{e}");
        std::process::exit(1);
    }
}

async fn run() -> nova_server::Result<()> {
    let config = Config::from_env()?;
    let addr = config.addr;
    let app = build(config).await?;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("Nova RDV listening on http://{}", listener.local_addr()?);
    serve(app, listener).await
}
