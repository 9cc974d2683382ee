//! Idempotency keys: a key is claimed (a row in progress, unique per user and key) before the
//! request runs, then holds the first response so a replay answers the same.

use super::Store;
use crate::error::Result;

/// How long a key is remembered (seconds).
pub const KEY_TTL_SECS: i64 = 24 * 3600;

/// A claim older than this whose request never finished (a crashed process) is taken over.
const ABANDONED_SECS: i64 = 600;

/// The outcome of claiming a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is now ours: run the request, then `finish` or `release` it.
    Claimed,
    /// The same request already ran: answer this again.
    Replay { status: u16, body: String },
    /// The same request is running right now.
    InProgress,
    /// The key was used for a different request.
    Mismatch,
}

impl Store {
    pub async fn claim_idempotency_key(
        &self,
        user_id: &str,
        key: &str,
        request_hash: &str,
        now: i64,
    ) -> Result<Claim> {
        // An expired or abandoned claim no longer counts.
        sqlx::query(
            "DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 \
             AND (created_at < $3 OR (status = 0 AND created_at < $4))",
        )
        .bind(user_id)
        .bind(key)
        .bind(now - KEY_TTL_SECS)
        .bind(now - ABANDONED_SECS)
        .execute(&self.pool)
        .await?;
        // A released claim can vanish between the insert and the read: try again then.
        for _ in 0..3 {
            let inserted = sqlx::query(
                "INSERT INTO idempotency_keys (user_id, key, request_hash, status, created_at) \
                 VALUES ($1, $2, $3, 0, $4) ON CONFLICT (user_id, key) DO NOTHING",
            )
            .bind(user_id)
            .bind(key)
            .bind(request_hash)
            .bind(now)
            .execute(&self.pool)
            .await?;
            if inserted.rows_affected() == 1 {
                return Ok(Claim::Claimed);
            }
            let existing: Option<(String, i64, Option<String>)> = sqlx::query_as(
                "SELECT request_hash, status, body FROM idempotency_keys WHERE user_id = $1 AND key = $2",
            )
            .bind(user_id)
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
            match existing {
                None => continue,
                Some((hash, _, _)) if hash != request_hash => return Ok(Claim::Mismatch),
                Some((_, 0, _)) => return Ok(Claim::InProgress),
                Some((_, status, body)) => {
                    return Ok(Claim::Replay {
                        status: u16::try_from(status).unwrap_or(500),
                        body: body.unwrap_or_default(),
                    })
                }
            }
        }
        Ok(Claim::InProgress)
    }

    /// Stores the response of a claimed key.
    pub async fn finish_idempotency_key(
        &self,
        user_id: &str,
        key: &str,
        status: u16,
        body: &str,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE idempotency_keys SET status = $1, body = $2 WHERE user_id = $3 AND key = $4 AND status = 0",
        )
        .bind(i64::from(status))
        .bind(body)
        .bind(user_id)
        .bind(key)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Gives a claimed key up (the request failed on the server's side; a retry may run it).
    pub async fn release_idempotency_key(&self, user_id: &str, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND status = 0")
            .bind(user_id)
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Forgets keys older than the TTL; returns how many.
    pub async fn purge_idempotency_keys(&self, now: i64) -> Result<u64> {
        let done = sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
            .bind(now - KEY_TTL_SECS)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}
