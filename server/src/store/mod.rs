//! Database access. Knows SQL and the contract's types, nothing of HTTP.
//!
//! One set of queries serves embedded SQLite and PostgreSQL through sqlx's `Any` driver: the
//! schema uses only types both share (TEXT, 64-bit integers; instants are Unix seconds), and
//! every query uses `$N` placeholders, which both accept. What differs lives in the two
//! migration folders (the no-overlap rule: triggers on SQLite, an exclusion constraint on
//! PostgreSQL) and in [`Backend`].

pub mod analytics;
pub mod appointments;
pub mod audit;
mod booking_at_once;
mod booking_at_once_sqlite;
pub mod booking_context;
pub mod cabinet_settings;
pub mod calendar;
pub mod conversations;
pub mod demo;
mod demo_messages;
pub mod gdpr;
pub mod idempotency;
pub mod lifecycle;
pub mod member_cache;
mod member_changes;
pub mod memberships;
pub mod messages;
pub mod notifications;
pub mod outbox;
pub mod patients;
mod placement;
pub mod profile;
pub mod proposals;
pub mod recovery;
pub mod reminders;
pub mod schedule;
mod sql;
pub mod tokens;
pub mod users;
pub mod waitlist;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::any::AnyPoolOptions;
use sqlx::{Any, AnyPool, Executor, Transaction};

use crate::error::{Error, Result};

/// Which database is behind the pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) pool: AnyPool,
    /// Where [`Store::begin_write`] transactions run: on SQLite a pool of ONE connection, so
    /// writers queue here and each is woken the moment the previous one commits, instead of
    /// colliding on SQLite's file lock and sleeping in its busy handler (naps of 1, 2, 5,
    /// 10… ms that cost about a third of booking throughput under contention). SQLite has one
    /// writer at a time anyway. On PostgreSQL, the same pool as `pool`.
    writer: AnyPool,
    pub backend: Backend,
    /// Memberships remembered between requests (see `member_cache`).
    members: Arc<member_cache::MemberCache>,
}

impl Store {
    /// Opens the database named by `url` (`sqlite://…` or `postgres://…`) and brings its schema
    /// up to date.
    pub async fn connect(url: &str) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(Error::Config(format!(
                "DATABASE_URL must start with sqlite: or postgres:, not {}",
                url.split(':').next().unwrap_or_default()
            )));
        };
        let options = || AnyPoolOptions::new().acquire_timeout(Duration::from_secs(10));
        let (pool, writer) = match backend {
            Backend::Sqlite => {
                create_parent_dir(url)?;
                let pool = sqlite_options(options().max_connections(8))
                    .connect(url)
                    .await?;
                let writer = sqlite_options(options().max_connections(1))
                    .connect(url)
                    .await?;
                (pool, writer)
            }
            Backend::Postgres => {
                let pool = options()
                    .max_connections(postgres_pool_size())
                    .connect(url)
                    .await?;
                (pool.clone(), pool)
            }
        };
        match backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&pool).await?,
            Backend::Postgres => sqlx::migrate!("./migrations/postgres").run(&pool).await?,
        }
        let members = match backend {
            Backend::Sqlite => Arc::default(),
            Backend::Postgres => {
                let cache = Arc::new(member_cache::MemberCache::paused());
                member_changes::spawn(url.to_owned(), Arc::downgrade(&cache));
                cache
            }
        };
        Ok(Self {
            pool,
            writer,
            backend,
            members,
        })
    }

    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// A transaction for a write that must see a consistent view. On SQLite it takes the write
    /// lock up front (`BEGIN IMMEDIATE`), so two writers never both read "free" and then both
    /// write; PostgreSQL's constraints do that job at its default isolation.
    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.writer.begin().await?,
        })
    }
}

/// PostgreSQL connections: a few per core of this machine, within 8..=32. Each connection is a
/// server process; many more of them than cores adds context switches and lock waits (on two
/// cores, contended bookings went about a quarter faster with 12 connections than with 32).
fn postgres_pool_size() -> u32 {
    let cores = std::thread::available_parallelism().map_or(4, |n| n.get() as u32);
    (cores * 6).clamp(8, 32)
}

/// WAL lets readers run beside the writer; the busy timeout makes writers (of this process
/// outside [`Store::begin_write`], or of another process) queue on SQLite's lock instead of
/// failing under contention.
fn sqlite_options(options: AnyPoolOptions) -> AnyPoolOptions {
    options.after_connect(|conn, _| {
        Box::pin(async move {
            conn.execute(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                 PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
            )
            .await?;
            Ok(())
        })
    })
}

fn create_parent_dir(url: &str) -> Result<()> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    if let Some(parent) = std::path::Path::new(path).parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent)?;
        }
    }
    Ok(())
}

pub(crate) fn to_time(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or_default()
}

/// Whether a database error is the no-overlap rule refusing a write: the SQLite trigger's
/// message, or PostgreSQL's exclusion violation (SQLSTATE 23P01). Also a deadlock (40P01):
/// two writers inserting overlapping rows at once (a one-statement booking takes no agenda
/// lock) may each wait on the other's uncommitted row while checking the exclusion
/// constraint; PostgreSQL then aborts one, which lost the slot as surely as with 23P01.
pub(crate) fn is_slot_conflict(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db)
        if db.message().contains("SLOT_CONFLICT")
            || matches!(db.code().as_deref(), Some("23P01") | Some("40P01")))
}
