//! Weekly hours (replaced whole) and absences: a practitioner's, or the whole cabinet's when no
//! practitioner is named.

use chrono::{DateTime, Utc};
use nova_contract::Absence;
use sqlx::{AssertSqlSafe, FromRow};

use super::{to_time, Store};
use crate::domain::slots::{Busy, WeeklyWindow};
use crate::error::Result;

#[derive(Debug, Clone, FromRow)]
struct AbsenceRow {
    id: String,
    cabinet_id: String,
    practitioner_id: Option<String>,
    starts_at: i64,
    ends_at: i64,
    reason: Option<String>,
    created_at: i64,
}

impl From<AbsenceRow> for Absence {
    fn from(r: AbsenceRow) -> Self {
        Absence {
            id: r.id,
            cabinet_id: r.cabinet_id,
            practitioner_id: r.practitioner_id,
            start_time: to_time(r.starts_at),
            end_time: to_time(r.ends_at),
            reason: r.reason,
            created_at: to_time(r.created_at),
        }
    }
}

const ABSENCE_COLUMNS: &str =
    "id, cabinet_id, practitioner_id, starts_at, ends_at, reason, created_at";

/// An absence to record, already validated. `practitioner_id: None` closes the cabinet.
#[derive(Debug, Clone)]
pub struct NewAbsence {
    pub cabinet_id: String,
    pub practitioner_id: Option<String>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub reason: Option<String>,
    pub created_by: String,
}

/// Whose absences to list.
#[derive(Debug, Clone, Copy)]
pub enum AbsenceScope<'a> {
    /// A practitioner's own absences and the cabinet's closures.
    Practitioner(&'a str),
    /// Only the closures of the whole cabinet.
    Closures,
}

impl Store {
    /// Replaces a practitioner's whole week in one transaction: readers see the old week or the
    /// new one, never a mix.
    pub async fn replace_working_hours(
        &self,
        practitioner_id: &str,
        windows: &[WeeklyWindow],
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM working_hours WHERE practitioner_id = $1")
            .bind(practitioner_id)
            .execute(&mut *tx)
            .await?;
        for w in windows {
            sqlx::query(
                "INSERT INTO working_hours (practitioner_id, weekday, start_minute, end_minute) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(practitioner_id)
            .bind(i64::from(w.weekday))
            .bind(i64::from(w.start_minute))
            .bind(i64::from(w.end_minute))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Records an absence and returns it with the ids of the appointments it overlaps, which
    /// are left as they are.
    pub async fn insert_absence(&self, new: &NewAbsence) -> Result<(Absence, Vec<String>)> {
        let id = uuid::Uuid::new_v4().to_string();
        let now = Utc::now().timestamp();
        sqlx::query(
            "INSERT INTO absences (id, cabinet_id, practitioner_id, starts_at, ends_at, reason, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&id)
        .bind(&new.cabinet_id)
        .bind(&new.practitioner_id)
        .bind(new.start.timestamp())
        .bind(new.end.timestamp())
        .bind(&new.reason)
        .bind(&new.created_by)
        .bind(now)
        .execute(&self.pool)
        .await?;
        let mut overlapping = String::from(
            "SELECT id FROM appointments WHERE cabinet_id = $1 AND status IN ('pending', 'confirmed') \
             AND starts_at < $2 AND ends_at > $3",
        );
        if new.practitioner_id.is_some() {
            overlapping.push_str(" AND practitioner_id = $4");
        }
        overlapping.push_str(" ORDER BY starts_at");
        let query = sqlx::query_as(AssertSqlSafe(overlapping))
            .bind(&new.cabinet_id)
            .bind(new.end.timestamp())
            .bind(new.start.timestamp());
        let query = match &new.practitioner_id {
            Some(p) => query.bind(p),
            None => query,
        };
        let ids: Vec<(String,)> = query.fetch_all(&self.pool).await?;
        let absence = self
            .absence(&new.cabinet_id, &id)
            .await?
            .ok_or_else(|| crate::Error::Internal("recorded absence vanished".into()))?;
        Ok((absence, ids.into_iter().map(|(id,)| id).collect()))
    }

    /// One absence of this cabinet; another cabinet's id is simply not found.
    pub async fn absence(&self, cabinet_id: &str, id: &str) -> Result<Option<Absence>> {
        let sql =
            format!("SELECT {ABSENCE_COLUMNS} FROM absences WHERE id = $1 AND cabinet_id = $2");
        let row: Option<AbsenceRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(id)
            .bind(cabinet_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(Absence::from))
    }

    /// Absences that overlap `[from, to)`, earliest first.
    pub async fn absences(
        &self,
        cabinet_id: &str,
        scope: AbsenceScope<'_>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Absence>> {
        let whose = match scope {
            AbsenceScope::Practitioner(_) => "(practitioner_id = $4 OR practitioner_id IS NULL)",
            AbsenceScope::Closures => "practitioner_id IS NULL",
        };
        let sql = format!(
            "SELECT {ABSENCE_COLUMNS} FROM absences WHERE cabinet_id = $1 AND starts_at < $2 \
             AND ends_at > $3 AND {whose} ORDER BY starts_at, id"
        );
        let query = sqlx::query_as(AssertSqlSafe(sql))
            .bind(cabinet_id)
            .bind(to.timestamp())
            .bind(from.timestamp());
        let query = match scope {
            AbsenceScope::Practitioner(p) => query.bind(p),
            AbsenceScope::Closures => query,
        };
        let rows: Vec<AbsenceRow> = query.fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(Absence::from).collect())
    }

    /// The times a practitioner is away or the cabinet closed, for the slot engine.
    pub async fn closed_times(
        &self,
        cabinet_id: &str,
        practitioner_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Busy>> {
        Ok(self
            .absences(
                cabinet_id,
                AbsenceScope::Practitioner(practitioner_id),
                from,
                to,
            )
            .await?
            .into_iter()
            .map(|a| Busy {
                start: a.start_time,
                end: a.end_time,
            })
            .collect())
    }

    /// `false` when there was no such absence in this cabinet.
    pub async fn delete_absence(&self, cabinet_id: &str, id: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM absences WHERE id = $1 AND cabinet_id = $2")
            .bind(id)
            .bind(cabinet_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }
}
