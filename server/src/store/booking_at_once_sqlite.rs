//! Embedded SQLite only: a booking in one trip to the writer connection — the absence and
//! buffer checks, the new patient if any, the appointment, the waitlist entry it answers, and
//! the names the answer shows — between `BEGIN IMMEDIATE` and `COMMIT`.
//!
//! Why: every booking of the process queues for the one writer connection, and each statement
//! sent to it is a hop to sqlx's SQLite worker thread and back to a busy Tokio runtime, while
//! the next booking waits. The shared path (`prepare_booking`, `insert_booked`, then a read
//! back) takes six such hops inside the lock; this takes three (`BEGIN`, the statements below
//! sent as one string, `COMMIT`). SQLite has no writing CTEs as PostgreSQL has
//! (`booking_at_once.rs`), but sqlx runs a string of several statements in one hop, binding
//! each `$N` by number. The rules are the same: the triggers still refuse an overlap, and the
//! write lock is held from `BEGIN IMMEDIATE` on, so the checks see every committed booking.

use nova_contract::{Appointment, ErrorCode};
use sqlx::{AssertSqlSafe, FromRow};

use super::appointments::{
    email_taken, practitioner_absent, slot_conflict, AppointmentRow, BookedNames, NewAppointment,
    NewPatient, INSERT_BOOKED, LONGEST_VISIT_SECS,
};
use super::{is_slot_conflict, Store};
use crate::error::{Error, Result};

/// Whether an absence covers the time, and whether an appointment holding its slot is within
/// the cabinet's buffer of it (an overlap when there is no buffer). `$1` the new id (so the
/// answer, read after the insert, does not count the booking itself), `$2` cabinet, `$3`
/// practitioner, `$7`/`$8` start/end, `$18` earliest start an overlapping visit can have.
const RULES: &str = "rules AS ( \
     SELECT EXISTS (SELECT 1 FROM absences WHERE cabinet_id = $2 \
         AND (practitioner_id = $3 OR practitioner_id IS NULL) \
         AND starts_at < $8 AND ends_at > $7) AS absent, \
       EXISTS (SELECT 1 FROM appointments a WHERE a.practitioner_id = $3 \
         AND a.status IN ('pending', 'confirmed') AND a.id <> $1 \
         AND a.starts_at > $18 - c.buffer_minutes * 60 \
         AND a.starts_at < $8 + c.buffer_minutes * 60 \
         AND a.ends_at > $7 - c.buffer_minutes * 60) AS taken, \
       c.buffer_minutes AS buffer \
     FROM cabinets c WHERE c.id = $2)";

const FREE: &str = "NOT rules.absent AND NOT rules.taken";

#[derive(Debug, FromRow)]
struct Outcome {
    absent: i64,
    taken: i64,
    buffer: i64,
    email_used: i64,
    inserted: i64,
    #[sqlx(flatten)]
    names: BookedNames,
}

impl Store {
    /// Books on embedded SQLite in one trip, with the answers of the shared path: a taken
    /// email, then a taken slot (overlap or buffer), then an absence. `None` when a row it
    /// reads is missing (a concurrent erasure): the caller takes the shared path for its answer.
    pub(super) async fn insert_appointment_sqlite(
        &self,
        id: &str,
        new: &NewAppointment,
        new_patient: Option<&NewPatient>,
        now: i64,
    ) -> Result<Option<Appointment>> {
        let start = new.start.timestamp();
        let end = start + i64::from(new.duration_min) * 60;
        let patient_id = match new_patient {
            Some(_) => uuid::Uuid::new_v4().to_string(),
            None => new.patient_id.clone(),
        };
        let sql = match new_patient {
            Some(_) => format!(
                "WITH {RULES} INSERT INTO users (id, cabinet_id, email, password_hash, \
                   first_name, last_name, phone, role, created_at) \
                   SELECT $4, $2, $13, $14, $15, $16, $17, 'patient', $12 FROM rules WHERE {FREE}; \
                 WITH {RULES} {INSERT_BOOKED} FROM rules WHERE {FREE} \
                   AND EXISTS (SELECT 1 FROM users WHERE id = $4); \
                 WITH {RULES} SELECT CAST(r.absent AS BIGINT) AS absent, \
                   CAST(r.taken AS BIGINT) AS taken, r.buffer, \
                   CAST(EXISTS (SELECT 1 FROM users WHERE email = $13 AND id <> $4) AS BIGINT) \
                     AS email_used, \
                   CAST(EXISTS (SELECT 1 FROM appointments WHERE id = $1) AS BIGINT) AS inserted, \
                   $15 AS patient_first_name, $16 AS patient_last_name, \
                   pr.first_name AS practitioner_first_name, \
                   pr.last_name AS practitioner_last_name \
                 FROM rules r JOIN users pr ON pr.id = $3"
            ),
            None => format!(
                "WITH {RULES} {INSERT_BOOKED} FROM rules WHERE {FREE}; \
                 UPDATE waitlist_entries SET fulfilled_at = $12, appointment_id = $1 \
                   WHERE patient_id = $4 AND practitioner_id = $3 AND fulfilled_at IS NULL \
                   AND (not_before IS NULL OR not_before <= $7) \
                   AND (not_after IS NULL OR not_after > $7) \
                   AND EXISTS (SELECT 1 FROM appointments WHERE id = $1); \
                 WITH {RULES} SELECT CAST(r.absent AS BIGINT) AS absent, \
                   CAST(r.taken AS BIGINT) AS taken, r.buffer, \
                   CAST(0 AS BIGINT) AS email_used, \
                   CAST(EXISTS (SELECT 1 FROM appointments WHERE id = $1) AS BIGINT) AS inserted, \
                   pa.first_name AS patient_first_name, pa.last_name AS patient_last_name, \
                   pr.first_name AS practitioner_first_name, \
                   pr.last_name AS practitioner_last_name \
                 FROM rules r JOIN users pa ON pa.id = $4 JOIN users pr ON pr.id = $3"
            ),
        };
        // $13..$17: the new patient (NULLs otherwise, so $18 keeps its number).
        let walk_in = |f: fn(&NewPatient) -> &str| new_patient.map(|p| f(p).to_owned());
        let query = sqlx::query_as::<_, Outcome>(AssertSqlSafe(sql))
            .bind(id)
            .bind(&new.cabinet_id)
            .bind(&new.practitioner_id)
            .bind(&patient_id)
            .bind(new.kind.as_str())
            .bind(new.status.as_str())
            .bind(start)
            .bind(end)
            .bind(i64::from(new.duration_min))
            .bind(&new.notes)
            .bind(new.urgency.as_str())
            .bind(now)
            .bind(walk_in(|p| &p.email))
            .bind(walk_in(|p| &p.password_hash))
            .bind(walk_in(|p| &p.first_name))
            .bind(walk_in(|p| &p.last_name))
            .bind(walk_in(|p| &p.phone))
            .bind(start - LONGEST_VISIT_SECS);
        let mut tx = self.begin_write().await?;
        // Dropping `tx` on any early return rolls back whatever the string wrote.
        // All rows, not the first: every statement of the string then runs to its end before
        // the commit. Only the last statement returns a row.
        let outcome = match query.fetch_all(&mut *tx).await {
            Ok(mut rows) => rows.pop(),
            Err(sqlx::Error::Database(db)) if db.is_unique_violation() => return Err(email_taken()),
            Err(e) if is_slot_conflict(&e) => return Err(slot_conflict()),
            Err(e) => return Err(e.into()),
        };
        let Some(o) = outcome else {
            return Ok(None);
        };
        if o.email_used != 0 {
            return Err(email_taken());
        }
        if o.taken != 0 {
            return Err(match o.buffer {
                b if b > 0 => Error::field(
                    ErrorCode::SlotConflict,
                    "startTime",
                    format!("Ce créneau est à moins de {b} minutes d'un autre rendez-vous"),
                ),
                _ => slot_conflict(),
            });
        }
        if o.absent != 0 {
            return Err(practitioner_absent());
        }
        if o.inserted == 0 {
            return Ok(None);
        }
        tx.commit().await?;
        let row = AppointmentRow::booked(id, new, patient_id, now, o.names);
        Ok(Some(Appointment::from(row)))
    }
}
