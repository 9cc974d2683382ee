//! Which socketioxide adapter carries room broadcasts, chosen at start: the in-memory one for a
//! single instance (SQLite), PostgreSQL LISTEN/NOTIFY when the database is PostgreSQL, Redis
//! pub/sub when `REDIS_URL` is set. socketioxide makes the adapter a type parameter of every
//! socket type; one enum that dispatches at run time keeps a single concrete type
//! ([`NovaAdapter`]) for all handlers instead of three copies of the whole real-time module.

use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;
use futures_util::stream::{BoxStream, Fuse};
use futures_util::{FutureExt, StreamExt};
use socketioxide::adapter::{Emitter, LocalAdapter};
use socketioxide_core::adapter::errors::{AdapterError, BroadcastError};
use socketioxide_core::adapter::{
    AckStreamItem, BroadcastFlags, BroadcastOptions, CoreAdapter, CoreLocalAdapter, DefinedAdapter,
    RemoteSocketData, Room, RoomParam, SocketEmitter, Spawnable,
};
use socketioxide_core::packet::Packet;
use socketioxide_postgres::drivers::sqlx::SqlxDriver;
use socketioxide_postgres::{PostgresAdapterConfig, PostgresAdapterCtr, SqlxAdapter};
use socketioxide_redis::drivers::redis::{redis_client as redis, RedisDriver};
use socketioxide_redis::{RedisAdapter, RedisAdapterCtr};

/// Where the adapter of each namespace comes from (the builder's adapter state).
pub enum AdapterChoice {
    Local,
    Postgres(PostgresAdapterCtr<SqlxDriver>),
    Redis(RedisAdapterCtr<RedisDriver>),
}

impl AdapterChoice {
    /// Redis when `redis_url` is given, PostgreSQL when the database is, otherwise local.
    pub async fn from_urls(
        database_url: &str,
        redis_url: Option<&str>,
    ) -> Result<Self, crate::Error> {
        let setup = |e: String| crate::Error::Config(format!("real-time adapter: {e}"));
        if let Some(url) = redis_url {
            // The adapter subscribes through RESP3 push messages.
            let url = if url.contains("protocol=") {
                url.to_string()
            } else if url.contains('?') {
                format!("{url}&protocol=resp3")
            } else {
                format!("{url}?protocol=resp3")
            };
            let client = redis::Client::open(url).map_err(|e| setup(e.to_string()))?;
            let ctr = RedisAdapterCtr::new_with_redis(&client)
                .await
                .map_err(|e| setup(e.to_string()))?;
            return Ok(Self::Redis(ctr));
        }
        if database_url.starts_with("postgres:") || database_url.starts_with("postgresql:") {
            // Its own small pool: LISTEN holds one connection, NOTIFY borrows another briefly.
            let pool = sqlx::postgres::PgPoolOptions::new()
                .max_connections(4)
                .connect(database_url)
                .await
                .map_err(|e| setup(e.to_string()))?;
            // The adapter creates its attachment table itself; the name keeps it apart from ours.
            let config = PostgresAdapterConfig::new()
                .with_table_name("nova_socketio_attachments")
                .with_prefix("nova_socketio");
            return Ok(Self::Postgres(PostgresAdapterCtr::new_with_sqlx_config(
                pool, config,
            )));
        }
        Ok(Self::Local)
    }

    pub fn name(&self) -> &'static str {
        match self {
            Self::Local => "local",
            Self::Postgres(_) => "postgres",
            Self::Redis(_) => "redis",
        }
    }
}

/// How long a new PostgreSQL-connected instance waits after announcing itself before it takes
/// sockets: the other instances' listeners get the announcement within milliseconds.
const ANNOUNCE_GRACE: Duration = Duration::from_millis(250);

/// Each inner adapter sits in its own `Arc`: their `init` takes `Arc<Self>` of their own type.
pub enum NovaAdapter {
    Local(Arc<LocalAdapter>),
    Postgres(Arc<SqlxAdapter<Emitter>>),
    Redis(Arc<RedisAdapter<Emitter>>),
}

impl DefinedAdapter for NovaAdapter {}

type AckError = <Emitter as SocketEmitter>::AckError;

fn boxed(e: impl std::error::Error + Send + 'static) -> AdapterError {
    AdapterError(Box::new(e))
}

/// The namespace's start: immediate for the local adapter, subscriptions for remote ones.
/// Await it before serving so no socket connects to a namespace that is not listening yet.
pub struct NovaInit(BoxFuture<'static, Result<(), AdapterError>>);

impl std::future::IntoFuture for NovaInit {
    type Output = Result<(), AdapterError>;
    type IntoFuture = BoxFuture<'static, Result<(), AdapterError>>;
    fn into_future(self) -> Self::IntoFuture {
        self.0
    }
}

impl Spawnable for NovaInit {
    fn spawn(self) {
        tokio::spawn(async move {
            if let Err(e) = self.0.await {
                tracing::error!("real-time adapter start failed: {e}");
            }
        });
    }
}

/// Runs the same call on whichever adapter this is.
macro_rules! each {
    ($self:ident, $a:ident => $e:expr) => {
        match $self {
            NovaAdapter::Local($a) => $e,
            NovaAdapter::Postgres($a) => $e,
            NovaAdapter::Redis($a) => $e,
        }
    };
}

impl CoreAdapter<Emitter> for NovaAdapter {
    type Error = AdapterError;
    type State = AdapterChoice;
    type AckStream = Fuse<BoxStream<'static, AckStreamItem<AckError>>>;
    type InitRes = NovaInit;

    fn new(state: &AdapterChoice, local: CoreLocalAdapter<Emitter>) -> Self {
        match state {
            AdapterChoice::Local => Self::Local(Arc::new(LocalAdapter::new(&(), local))),
            AdapterChoice::Postgres(ctr) => Self::Postgres(Arc::new(SqlxAdapter::new(ctr, local))),
            AdapterChoice::Redis(ctr) => Self::Redis(Arc::new(RedisAdapter::new(ctr, local))),
        }
    }

    fn init(self: Arc<Self>, on_success: impl FnOnce() + Send + 'static) -> NovaInit {
        match &*self {
            Self::Local(a) => {
                a.clone().init(on_success);
                NovaInit(async { Ok(()) }.boxed())
            }
            Self::Postgres(a) => {
                let init = a.clone().init(on_success);
                NovaInit(
                    async move {
                        init.await.map_err(boxed)?;
                        // The others learn of this instance from its first heartbeat; until
                        // they have, they would keep broadcasts to themselves (see
                        // `broadcast`). Sockets connect only after this wait.
                        tokio::time::sleep(ANNOUNCE_GRACE).await;
                        Ok(())
                    }
                    .boxed(),
                )
            }
            Self::Redis(a) => {
                let init = a.clone().init(on_success);
                NovaInit(async move { init.await.map_err(boxed) }.boxed())
            }
        }
    }

    async fn close(&self) -> Result<(), AdapterError> {
        each!(self, a => a.close().await.map_err(Into::into))
    }

    async fn server_count(&self) -> Result<u16, AdapterError> {
        each!(self, a => a.server_count().await.map_err(Into::into))
    }

    async fn broadcast(
        &self,
        packet: Packet,
        mut opts: BroadcastOptions,
    ) -> Result<(), BroadcastError> {
        // A NOTIFY is a statement and a trip through every listener, this instance included
        // (booking throughput on PostgreSQL was about a third higher without them). While the
        // heartbeats show no other instance alive, nobody else could deliver the event.
        if let Self::Postgres(a) = self {
            if a.server_count().await.is_ok_and(|n| n <= 1) {
                opts.add_flag(BroadcastFlags::Local);
            }
        }
        each!(self, a => a.broadcast(packet, opts).await)
    }

    async fn broadcast_with_ack(
        &self,
        packet: Packet,
        opts: BroadcastOptions,
        timeout: Option<Duration>,
    ) -> Result<Self::AckStream, AdapterError> {
        each!(self, a => a
            .broadcast_with_ack(packet, opts, timeout)
            .await
            .map(|s| s.boxed().fuse())
            .map_err(Into::into))
    }

    async fn add_sockets(
        &self,
        opts: BroadcastOptions,
        rooms: impl RoomParam,
    ) -> Result<(), AdapterError> {
        each!(self, a => a.add_sockets(opts, rooms).await.map_err(Into::into))
    }

    async fn del_sockets(
        &self,
        opts: BroadcastOptions,
        rooms: impl RoomParam,
    ) -> Result<(), AdapterError> {
        each!(self, a => a.del_sockets(opts, rooms).await.map_err(Into::into))
    }

    async fn disconnect_socket(&self, opts: BroadcastOptions) -> Result<(), BroadcastError> {
        each!(self, a => a.disconnect_socket(opts).await)
    }

    async fn rooms(&self, opts: BroadcastOptions) -> Result<Vec<Room>, AdapterError> {
        each!(self, a => a.rooms(opts).await.map_err(Into::into))
    }

    async fn fetch_sockets(
        &self,
        opts: BroadcastOptions,
    ) -> Result<Vec<RemoteSocketData>, AdapterError> {
        each!(self, a => a.fetch_sockets(opts).await.map_err(Into::into))
    }

    fn get_local(&self) -> &CoreLocalAdapter<Emitter> {
        each!(self, a => a.get_local())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn sqlite_alone_keeps_rooms_in_memory() {
        let choice = AdapterChoice::from_urls("sqlite://data/nova.db?mode=rwc", None)
            .await
            .unwrap();
        assert_eq!(choice.name(), "local");
    }

    #[tokio::test]
    async fn a_bad_redis_url_stops_the_start_instead_of_running_alone() {
        // Running as a lone instance while others expect to share rooms would lose events.
        let refused = AdapterChoice::from_urls("sqlite://x", Some("not-a-url")).await;
        assert!(refused.is_err());
    }
}
