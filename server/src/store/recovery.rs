//! The one-time secrets sent by mail: password-reset tokens and sign-in codes, by hash.

use super::tokens::revoke_user_tokens_in;
use super::Store;
use crate::auth::one_time::{same_hash, OTP_MAX_ATTEMPTS};
use crate::error::Result;

/// What trying a sign-in code did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeCheck {
    /// Right code: it is spent.
    Accepted,
    /// Wrong code: one of the five tries is spent.
    Wrong,
    /// No live code: none requested, expired, already used, or out of tries.
    NoLiveCode,
}

impl Store {
    /// Stores a new reset token for a user; links mailed before stop working.
    pub async fn replace_reset_token(
        &self,
        user_id: &str,
        token_hash: &str,
        expires_at: i64,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM password_resets WHERE user_id = $1 AND used_at IS NULL")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO password_resets (token_hash, user_id, expires_at, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(expires_at)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether a reset token is live, without spending it: lets a bad token be refused before
    /// the costly hashing of the new password.
    pub async fn reset_token_is_live(&self, token_hash: &str, now: i64) -> Result<bool> {
        let found: Option<(String,)> = sqlx::query_as(
            "SELECT user_id FROM password_resets \
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    /// Spends a live reset token and sets the password it was for, ending every session of
    /// that user, all at once. Returns the user's id, or `None` when the token is unknown,
    /// used or expired (and then nothing changes).
    pub async fn reset_password(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: i64,
    ) -> Result<Option<String>> {
        let mut tx = self.begin_write().await?;
        let spent: Option<(String,)> = sqlx::query_as(
            "UPDATE password_resets SET used_at = $1 \
             WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING user_id",
        )
        .bind(now)
        .bind(token_hash)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((user_id,)) = spent else {
            return Ok(None);
        };
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(&user_id)
            .execute(&mut *tx)
            .await?;
        revoke_user_tokens_in(&mut tx, &user_id, now).await?;
        tx.commit().await?;
        Ok(Some(user_id))
    }

    /// Stores a user's new sign-in code in place of any earlier one, with fresh tries.
    pub async fn replace_login_code(
        &self,
        user_id: &str,
        code_hash: &str,
        expires_at: i64,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO login_codes (user_id, code_hash, attempts, expires_at, created_at) \
             VALUES ($1, $2, 0, $3, $4) \
             ON CONFLICT (user_id) DO UPDATE SET code_hash = excluded.code_hash, attempts = 0, \
             expires_at = excluded.expires_at, created_at = excluded.created_at",
        )
        .bind(user_id)
        .bind(code_hash)
        .bind(expires_at)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Tries a code. The try is counted before the comparison, in one conditional update, so
    /// concurrent guesses cannot together exceed the five allowed.
    pub async fn try_login_code(
        &self,
        user_id: &str,
        code_hash: &str,
        now: i64,
    ) -> Result<CodeCheck> {
        let mut tx = self.begin_write().await?;
        let live: Option<(String,)> = sqlx::query_as(
            "UPDATE login_codes SET attempts = attempts + 1 \
             WHERE user_id = $1 AND attempts < $2 AND expires_at > $3 RETURNING code_hash",
        )
        .bind(user_id)
        .bind(OTP_MAX_ATTEMPTS)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let outcome = match live {
            None => CodeCheck::NoLiveCode,
            Some((stored,)) if same_hash(&stored, code_hash) => {
                sqlx::query("DELETE FROM login_codes WHERE user_id = $1")
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                CodeCheck::Accepted
            }
            Some(_) => CodeCheck::Wrong,
        };
        tx.commit().await?;
        Ok(outcome)
    }
}
