//! Changes a user makes to their own account: profile fields and password.

use super::tokens::revoke_user_tokens_in;
use super::Store;
use crate::error::Result;

/// A profile's editable fields, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileUpdate {
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    /// JSON of `nova_contract::Preferences`.
    pub preferences: String,
}

impl Store {
    pub async fn update_profile(&self, user_id: &str, p: &ProfileUpdate) -> Result<()> {
        sqlx::query(
            "UPDATE users SET first_name = $1, last_name = $2, phone = $3, preferences = $4 \
             WHERE id = $5",
        )
        .bind(&p.first_name)
        .bind(&p.last_name)
        .bind(&p.phone)
        .bind(&p.preferences)
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Sets a new password hash and ends every session of the user, together.
    pub async fn set_password(&self, user_id: &str, password_hash: &str, now: i64) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        revoke_user_tokens_in(&mut tx, user_id, now).await?;
        tx.commit().await?;
        Ok(())
    }
}
