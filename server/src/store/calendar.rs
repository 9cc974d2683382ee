//! Practitioners' calendar feeds: the secret token of each feed and the appointments it shows.

use nova_contract::Appointment;
use sqlx::AssertSqlSafe;

use super::appointments::{AppointmentRow, SELECT as APPOINTMENT_SELECT};
use super::Store;
use crate::error::{Error, Result};

impl Store {
    /// The practitioner's feed token and its creation time, created with `candidate` on first
    /// use. Two first calls at once agree on one token.
    pub async fn calendar_feed(
        &self,
        practitioner_id: &str,
        candidate: &str,
        now: i64,
    ) -> Result<(String, i64)> {
        sqlx::query(
            "INSERT INTO calendar_feeds (practitioner_id, token, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (practitioner_id) DO NOTHING",
        )
        .bind(practitioner_id)
        .bind(candidate)
        .bind(now)
        .execute(&self.pool)
        .await?;
        self.calendar_token(practitioner_id)
            .await?
            .ok_or_else(|| Error::Internal("calendar feed vanished".into()))
    }

    /// Replaces the practitioner's feed token; the old one stops working at once.
    pub async fn rotate_calendar_feed(
        &self,
        practitioner_id: &str,
        token: &str,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO calendar_feeds (practitioner_id, token, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (practitioner_id) DO UPDATE SET token = excluded.token, \
             created_at = excluded.created_at",
        )
        .bind(practitioner_id)
        .bind(token)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The feed token of a practitioner and when it was made, if they have one.
    pub async fn calendar_token(&self, practitioner_id: &str) -> Result<Option<(String, i64)>> {
        Ok(sqlx::query_as(
            "SELECT f.token, f.created_at FROM calendar_feeds f \
             JOIN users u ON u.id = f.practitioner_id \
             WHERE f.practitioner_id = $1 AND u.role = 'practitioner' AND u.erased_at IS NULL",
        )
        .bind(practitioner_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The practitioner's pending and confirmed appointments starting in `[from, to)`.
    pub async fn feed_appointments(
        &self,
        practitioner_id: &str,
        from: i64,
        to: i64,
    ) -> Result<Vec<Appointment>> {
        let sql = format!(
            "{APPOINTMENT_SELECT} WHERE a.practitioner_id = $1 \
             AND a.status IN ('pending', 'confirmed') AND a.starts_at >= $2 AND a.starts_at < $3 \
             ORDER BY a.starts_at, a.id"
        );
        let rows: Vec<AppointmentRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(practitioner_id)
            .bind(from)
            .bind(to)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(Appointment::from).collect())
    }
}
