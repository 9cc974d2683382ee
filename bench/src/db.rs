//! A throwaway database per run: a temporary SQLite file, or a fresh database on a PostgreSQL
//! server (created from its admin URL the way `server/tests/common` does, dropped afterwards).

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyConnection, AnyPool, AssertSqlSafe, Connection, Executor};
use tempfile::TempDir;

use crate::Result;

pub enum BenchDb {
    Sqlite {
        _dir: TempDir,
        url: String,
    },
    Postgres {
        admin_url: String,
        name: String,
        url: String,
    },
}

impl BenchDb {
    /// A temporary SQLite file (`postgres == None`) or a fresh PostgreSQL database.
    pub async fn create(postgres: Option<&str>) -> Result<Self> {
        sqlx::any::install_default_drivers();
        match postgres {
            None => {
                let dir = tempfile::tempdir()?;
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("nova.db").display());
                Ok(BenchDb::Sqlite { _dir: dir, url })
            }
            Some(admin_url) => {
                let name = format!("nova_bench_{}", uuid::Uuid::new_v4().simple());
                let mut admin = AnyConnection::connect(admin_url).await?;
                admin
                    .execute(AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .await?;
                admin.close().await?;
                let server = admin_url
                    .rsplit_once('/')
                    .map(|(server, _)| server)
                    .ok_or("the PostgreSQL URL must end with /<database>")?;
                let url = format!("{server}/{name}");
                Ok(BenchDb::Postgres {
                    admin_url: admin_url.to_string(),
                    name,
                    url,
                })
            }
        }
    }

    pub fn url(&self) -> &str {
        match self {
            BenchDb::Sqlite { url, .. } | BenchDb::Postgres { url, .. } => url,
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            BenchDb::Sqlite { .. } => "SQLite",
            BenchDb::Postgres { .. } => "PostgreSQL",
        }
    }

    /// A pool of our own for seeding and checking, beside the server's (the store keeps its
    /// pool to itself).
    pub async fn pool(&self) -> Result<AnyPool> {
        Ok(AnyPoolOptions::new()
            .max_connections(2)
            .connect(self.url())
            .await?)
    }

    /// Removes the database: the SQLite directory goes with `self`; the PostgreSQL database is
    /// dropped, closing any connection still open to it.
    pub async fn remove(self) -> Result<()> {
        if let BenchDb::Postgres {
            admin_url, name, ..
        } = &self
        {
            let mut admin = AnyConnection::connect(admin_url).await?;
            admin
                .execute(AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .await?;
            admin.close().await?;
        }
        Ok(())
    }
}
