//! The checks a booking or a move makes inside its write transaction, just before it writes:
//! no absence or closure over the time, and the cabinet's buffer around the practitioner's
//! other appointments. The overlap of appointments themselves is the database's own rule
//! (triggers on SQLite, an exclusion constraint on PostgreSQL, see 0001).
//!
//! Why this is race-free: on SQLite the transaction was opened with `BEGIN IMMEDIATE` and holds
//! the database's write lock from its first statement, so nobody writes between check and write.
//! On PostgreSQL two transactions could both read "nothing within the buffer" and then both
//! insert (the exclusion constraint only forbids true overlaps), so the practitioner's `users`
//! row is locked `FOR NO KEY UPDATE` first: every writer that places an appointment for that
//! practitioner queues on the lock, and under READ COMMITTED each later statement sees what the
//! previous holder committed. Extending the exclusion range by the buffer instead would bake one
//! buffer value into every row and miss changes of the cabinet's setting.

use chrono::{DateTime, Utc};
use nova_contract::ErrorCode;
use sqlx::AnyConnection;

use super::appointments::practitioner_absent;
use super::{Backend, Store};
use crate::error::{Error, Result};

/// Where an appointment is to be: whose agenda, and when.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Placement<'a> {
    pub cabinet_id: &'a str,
    pub practitioner_id: &'a str,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The appointment being moved, which does not count against itself.
    pub except: Option<&'a str>,
}

impl Store {
    /// Locks the practitioners' rows (PostgreSQL; SQLite already holds its write lock), in id
    /// order so that two moves between the same two agendas cannot deadlock.
    pub(crate) async fn lock_practitioners(
        &self,
        conn: &mut AnyConnection,
        ids: &[&str],
    ) -> Result<()> {
        if self.backend != Backend::Postgres {
            return Ok(());
        }
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        // NO KEY UPDATE, not UPDATE: it still queues these writers behind each other, but lets
        // the foreign-key check of a one-statement booking (`booking_at_once`, KEY SHARE on the
        // same row) through. With FOR UPDATE that booking, holding its overlapping row, would
        // wait for this lock while this transaction's insert waits for that row: a deadlock,
        // answered 500 instead of SLOT_CONFLICT.
        for id in ids {
            sqlx::query("SELECT id FROM users WHERE id = $1 FOR NO KEY UPDATE")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
        }
        Ok(())
    }

    /// Refuses a time covered by an absence or closure (`SLOT_UNAVAILABLE`) or within the
    /// cabinet's buffer of another appointment (`SLOT_CONFLICT`: that appointment holds the
    /// time, as an overlap would). Call after [`Store::lock_practitioners`].
    pub(crate) async fn check_placement(
        &self,
        conn: &mut AnyConnection,
        p: Placement<'_>,
    ) -> Result<()> {
        let (start, end) = (p.start.timestamp(), p.end.timestamp());
        // One statement for both reads: every statement inside the write lock makes the
        // next writer wait.
        let (buffer, absent): (i64, i64) = sqlx::query_as(
            "SELECT buffer_minutes, CAST(CASE WHEN EXISTS (SELECT 1 FROM absences \
             WHERE cabinet_id = $1 AND (practitioner_id = $2 OR practitioner_id IS NULL) \
             AND starts_at < $3 AND ends_at > $4) THEN 1 ELSE 0 END AS BIGINT) \
             FROM cabinets WHERE id = $1",
        )
        .bind(p.cabinet_id)
        .bind(p.practitioner_id)
        .bind(end)
        .bind(start)
        .fetch_one(&mut *conn)
        .await?;
        if absent != 0 {
            return Err(practitioner_absent());
        }
        if buffer <= 0 {
            // Without a buffer only true overlaps matter, and the database refuses those.
            return Ok(());
        }
        let pad = buffer * 60;
        let near: Option<(String,)> = sqlx::query_as(
            "SELECT id FROM appointments WHERE practitioner_id = $1 \
             AND status IN ('pending', 'confirmed') AND starts_at < $2 AND ends_at > $3 \
             AND id <> $4 LIMIT 1",
        )
        .bind(p.practitioner_id)
        .bind(end + pad)
        .bind(start - pad)
        .bind(p.except.unwrap_or(""))
        .fetch_optional(&mut *conn)
        .await?;
        if near.is_some() {
            return Err(Error::field(
                ErrorCode::SlotConflict,
                "startTime",
                format!("Ce créneau est à moins de {buffer} minutes d'un autre rendez-vous"),
            ));
        }
        Ok(())
    }
}
