//! Which cabinets a person belongs to, and as what.

use std::time::Instant;

use nova_contract::{AuthUser, Membership, Role};

use super::users::UserRow;
use super::Store;
use crate::error::Result;

impl Store {
    /// The caller's role in a cabinet, or `None` when they are not a member there or their
    /// account has been erased.
    pub async fn membership(&self, user_id: &str, cabinet_id: &str) -> Result<Option<Role>> {
        let ticket = match self.members.lookup(user_id, cabinet_id, Instant::now()) {
            Ok(role) => return Ok(Some(role)),
            Err(ticket) => ticket,
        };
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT m.role FROM memberships m JOIN users u ON u.id = m.user_id \
             WHERE m.user_id = $1 AND m.cabinet_id = $2 AND u.erased_at IS NULL",
        )
        .bind(user_id)
        .bind(cabinet_id)
        .fetch_optional(&self.pool)
        .await?;
        let role = row.and_then(|(r,)| Role::parse(&r));
        if let Some(role) = role {
            self.members
                .remember(ticket, user_id, cabinet_id, role, Instant::now());
        }
        Ok(role)
    }

    /// Called once a change to who the person may act as is committed.
    pub(crate) fn forget_memberships(&self, user_id: &str) {
        self.members.forget(user_id);
    }

    /// Every cabinet a person belongs to, home cabinet first.
    pub async fn memberships(&self, user_id: &str) -> Result<Vec<Membership>> {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT m.cabinet_id, c.name, m.role FROM memberships m \
             JOIN cabinets c ON c.id = m.cabinet_id JOIN users u ON u.id = m.user_id \
             WHERE m.user_id = $1 ORDER BY (m.cabinet_id = u.cabinet_id) DESC, c.name",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(cabinet_id, cabinet_name, role)| {
                Some(Membership {
                    cabinet_id,
                    cabinet_name,
                    role: Role::parse(&role)?,
                })
            })
            .collect())
    }

    /// The profile a client sees, with its memberships.
    pub async fn auth_user(&self, user: &UserRow) -> Result<AuthUser> {
        let mut out = user.to_auth_user();
        out.memberships = self.memberships(&user.id).await?;
        Ok(out)
    }

    /// Adds (or changes) a membership.
    pub async fn add_membership(&self, user_id: &str, cabinet_id: &str, role: Role) -> Result<()> {
        sqlx::query(
            "INSERT INTO memberships (user_id, cabinet_id, role, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (user_id, cabinet_id) DO UPDATE SET role = excluded.role",
        )
        .bind(user_id)
        .bind(cabinet_id)
        .bind(role.as_str())
        .bind(chrono::Utc::now().timestamp())
        .execute(&self.pool)
        .await?;
        self.forget_memberships(user_id);
        Ok(())
    }
}
