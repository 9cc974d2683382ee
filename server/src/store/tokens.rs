//! Refresh tokens, stored only as hashes so a leaked database opens no session.
//!
//! Each login starts a family; each refresh revokes the token it used and issues the next one
//! of the same family. A revoked token presented again means two parties hold the session (a
//! stolen token, or a client replaying), so the whole family is revoked and both must sign in.

use super::Store;
use crate::error::Result;

/// What presenting a refresh token did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rotation {
    /// It was live: it is now revoked and the new token replaces it in its family.
    Rotated { user_id: String, family_id: String },
    /// It had already been used or revoked: its whole family is now revoked.
    Reused,
    /// It was live but too old.
    Expired,
    /// No such token.
    Unknown,
}

impl Store {
    pub async fn insert_refresh_token(
        &self,
        token_hash: &str,
        user_id: &str,
        family_id: &str,
        expires_at: i64,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO refresh_tokens (token_hash, user_id, family_id, expires_at, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(family_id)
        .bind(expires_at)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Revokes `old_hash` and stores `new_hash` in its place, atomically. The revocation is a
    /// conditional update, so of two requests racing with one token exactly one finds it live;
    /// the other finds it revoked and is handled as reuse.
    pub async fn rotate_refresh_token(
        &self,
        old_hash: &str,
        new_hash: &str,
        expires_at: i64,
        now: i64,
    ) -> Result<Rotation> {
        let mut tx = self.begin_write().await?;
        let live: Option<(String, String)> = sqlx::query_as(
            "UPDATE refresh_tokens SET revoked_at = $1, replaced_by = $2 \
             WHERE token_hash = $3 AND revoked_at IS NULL AND expires_at > $1 \
             RETURNING user_id, family_id",
        )
        .bind(now)
        .bind(new_hash)
        .bind(old_hash)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((user_id, family_id)) = live {
            sqlx::query(
                "INSERT INTO refresh_tokens (token_hash, user_id, family_id, expires_at, created_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(new_hash)
            .bind(&user_id)
            .bind(&family_id)
            .bind(expires_at)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            return Ok(Rotation::Rotated { user_id, family_id });
        }
        let known: Option<(String, Option<i64>)> = sqlx::query_as(
            "SELECT family_id, revoked_at FROM refresh_tokens WHERE token_hash = $1",
        )
        .bind(old_hash)
        .fetch_optional(&mut *tx)
        .await?;
        let outcome = match known {
            None => Rotation::Unknown,
            Some((_, None)) => Rotation::Expired,
            Some((family_id, Some(_))) => {
                revoke_family(&mut tx, &family_id, now).await?;
                tracing::warn!(family_id, "refresh token reused: session family revoked");
                Rotation::Reused
            }
        };
        tx.commit().await?;
        Ok(outcome)
    }

    /// Revokes the family of this token if it belongs to `user_id`; returns whether it did.
    pub async fn revoke_family_of(
        &self,
        token_hash: &str,
        user_id: &str,
        now: i64,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE refresh_tokens SET revoked_at = $1 WHERE revoked_at IS NULL AND family_id = \
             (SELECT family_id FROM refresh_tokens WHERE token_hash = $2 AND user_id = $3)",
        )
        .bind(now)
        .bind(token_hash)
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Ends every session of a user (logout everywhere, a new password).
    pub async fn revoke_user_tokens(&self, user_id: &str, now: i64) -> Result<u64> {
        let done = sqlx::query(
            "UPDATE refresh_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }
}

async fn revoke_family(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    family_id: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE refresh_tokens SET revoked_at = $1 WHERE family_id = $2 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(family_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Revokes all live refresh tokens of a user inside a transaction that changes their password.
pub(crate) async fn revoke_user_tokens_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user_id: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE refresh_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
