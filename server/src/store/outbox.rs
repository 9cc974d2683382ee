//! Mail kept in the database instead of sent, when no SMTP server is configured: a developer
//! reads sign-in codes and reset links there (and in the log), and so do the tests.

use sqlx::FromRow;

use super::Store;
use crate::error::Result;

/// One message in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct OutboxMail {
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

impl Store {
    pub async fn insert_outbox(&self, to: &str, subject: &str, body: &str, now: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO outbox (to_address, subject, body, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(to)
        .bind(subject)
        .bind(body)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The mail written to this address, oldest first.
    pub async fn outbox_for(&self, email: &str) -> Result<Vec<OutboxMail>> {
        Ok(sqlx::query_as(
            "SELECT id, to_address, subject, body, created_at, sent_at FROM outbox \
             WHERE to_address = $1 ORDER BY id",
        )
        .bind(email.trim().to_lowercase())
        .fetch_all(&self.pool)
        .await?)
    }
}
