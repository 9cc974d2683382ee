//! Counting one cabinet's day for the dashboard. Counts and sums happen in SQL, cast to BIGINT
//! (the `Any` driver cannot decode PostgreSQL's NUMERIC sums).

use nova_contract::{AppointmentStatus, StatusCounts};
use sqlx::AssertSqlSafe;

use super::sql::{Arg, Sql};
use super::Store;
use crate::error::Result;

/// One practitioner's appointments starting in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PractitionerLoad {
    pub practitioner_id: String,
    pub appointments: u64,
    /// Minutes of the appointments whose status is one of the `booked` statuses asked for.
    pub booked_minutes: u64,
}

impl Store {
    /// How many appointments of the cabinet start in `[from, to)` (Unix seconds), per status.
    pub async fn status_counts(
        &self,
        cabinet_id: &str,
        from: i64,
        to: i64,
    ) -> Result<StatusCounts> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT status, CAST(COUNT(*) AS BIGINT) FROM appointments \
             WHERE cabinet_id = $1 AND starts_at >= $2 AND starts_at < $3 GROUP BY status",
        )
        .bind(cabinet_id)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        let mut counts = StatusCounts::default();
        for (status, n) in rows {
            let n = n.max(0) as u64;
            match AppointmentStatus::parse(&status) {
                Some(AppointmentStatus::Pending) => counts.pending = n,
                Some(AppointmentStatus::Confirmed) => counts.confirmed = n,
                Some(AppointmentStatus::Cancelled) => counts.cancelled = n,
                Some(AppointmentStatus::Completed) => counts.completed = n,
                Some(AppointmentStatus::NoShow) => counts.no_show = n,
                Some(AppointmentStatus::Rescheduled) => counts.rescheduled = n,
                // The column's CHECK constraint allows nothing else.
                None => {}
            }
        }
        Ok(counts)
    }

    /// Per practitioner with appointments starting in `[from, to)`: how many, and the minutes
    /// of those in a `booked` status.
    pub async fn practitioner_loads(
        &self,
        cabinet_id: &str,
        from: i64,
        to: i64,
        booked: &[AppointmentStatus],
    ) -> Result<Vec<PractitionerLoad>> {
        let mut q = Sql::new(
            "SELECT practitioner_id, CAST(COUNT(*) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN status IN (",
        );
        q.bind_list(booked.iter().map(|s| Arg::Text(s.as_str().to_owned())))
            .push(
                ") THEN duration ELSE 0 END), 0) AS BIGINT) \
                 FROM appointments WHERE cabinet_id = ",
            )
            .bind(Arg::Text(cabinet_id.to_owned()))
            .push(" AND starts_at >= ")
            .bind(Arg::Int(from))
            .push(" AND starts_at < ")
            .bind(Arg::Int(to))
            .push(" GROUP BY practitioner_id");
        let rows: Vec<(String, i64, i64)> =
            sqlx::query_as_with(AssertSqlSafe(q.sql().to_owned()), q.arguments()?)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .into_iter()
            .map(|(practitioner_id, n, minutes)| PractitionerLoad {
                practitioner_id,
                appointments: n.max(0) as u64,
                booked_minutes: minutes.max(0) as u64,
            })
            .collect())
    }
}
