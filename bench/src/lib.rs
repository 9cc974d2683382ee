//! Shared parts of the backend benchmarks in `src/bin/`: reading parameters, a throwaway
//! database (temporary SQLite file or fresh PostgreSQL database), a seeded practice with tokens,
//! a keep-alive HTTP client, latency histograms and the printed tables.
//!
//! These are programs that print numbers; nothing here asserts on time.

pub mod db;
pub mod fanout;
pub mod http;
pub mod params;
pub mod practice;
pub mod rng;
pub mod stats;

/// The crate's one error type: a benchmark stops on the first unexpected failure and says why.
pub type Error = Box<dyn std::error::Error + Send + Sync>;
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Logs at `RUST_LOG` (default `warn`, as a loaded production server would run) to stderr, so
/// the printed tables on stdout stay clean.
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
