//! PostgreSQL only: a booking in ONE statement — the absence check, the new patient if any,
//! the appointment, the waitlist entry it answers, and the names the answer shows — committed
//! on its own.
//!
//! The shared path (`BEGIN`, lock the practitioner, check absences and buffer, insert,
//! `COMMIT`, read back) costs seven round trips, and on PostgreSQL round trips are what a
//! booking's time is made of. This statement is safe without the practitioner's lock only when
//! the cabinet has no buffer: then the one rule that concurrent bookings can break is the
//! overlap, and the exclusion constraint enforces it whatever the snapshot. With a buffer, a
//! single statement cannot see what a concurrent booking commits while it waits (READ
//! COMMITTED takes the snapshot when the statement starts), so it declines and the caller takes
//! the locking path. The statement reads the buffer itself, so a change of the setting cannot
//! slip in between.

use nova_contract::Appointment;
use sqlx::FromRow;

use super::appointments::{
    email_taken, practitioner_absent, slot_conflict, AppointmentRow, BookedNames, NewAppointment,
    NewPatient, INSERT_BOOKED, LONGEST_VISIT_SECS,
};
use super::{is_slot_conflict, Store};
use crate::error::Result;

/// Whether the cabinet's buffer and absences allow the time, and whether an appointment holding
/// its slot already overlaps it (a race lost since the handler's first read). Shared by both
/// statements. `$2` cabinet, `$3` practitioner, `$7`/`$8` start/end, `$18` earliest start of
/// an overlapping appointment; the range overlap is what the exclusion constraint's GiST index
/// answers.
const RULES: &str = "rules AS ( \
     SELECT c.buffer_minutes AS buffer, \
       EXISTS (SELECT 1 FROM absences WHERE cabinet_id = $2 \
         AND (practitioner_id = $3 OR practitioner_id IS NULL) \
         AND starts_at < $8 AND ends_at > $7) AS absent, \
       EXISTS (SELECT 1 FROM appointments a WHERE a.practitioner_id = $3 \
         AND a.status IN ('pending', 'confirmed') \
         AND int8range(a.starts_at, a.ends_at) && int8range($7, $8) \
         AND a.starts_at > $18) AS taken \
     FROM cabinets c WHERE c.id = $2)";

/// What lets the statement insert: no buffer to check under the lock, no absence, no overlap.
const FREE: &str = "rules.buffer <= 0 AND NOT rules.absent AND NOT rules.taken";

#[derive(Debug, FromRow)]
struct Outcome {
    buffer: i64,
    absent: bool,
    taken: bool,
    /// Walk-ins only: the new patient's email belongs to someone already.
    email_used: bool,
    inserted: Option<String>,
    #[sqlx(flatten)]
    names: BookedNames,
}

impl Store {
    /// Books in one statement, or answers `None` when the cabinet has a buffer (the caller
    /// then takes the locking path). Same answers as that path: an absence is
    /// `SLOT_UNAVAILABLE`, an overlap `SLOT_CONFLICT`, a taken email wins over both.
    pub(super) async fn insert_appointment_at_once(
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
            // The appointment is inserted from the new patient's row, so it runs after it.
            Some(_) => format!(
                "WITH {RULES}, \
                 newp AS (INSERT INTO users (id, cabinet_id, email, password_hash, first_name, \
                   last_name, phone, role, created_at) \
                   SELECT $4, $2, $13, $14, $15, $16, $17, 'patient', $12 FROM rules \
                   WHERE {FREE} RETURNING id), \
                 ins AS ({INSERT_BOOKED} FROM newp RETURNING id) \
                 SELECT r.buffer, r.absent, r.taken, \
                   EXISTS (SELECT 1 FROM users WHERE email = $13) AS email_used, \
                   (SELECT id FROM ins) AS inserted, \
                   $15 AS patient_first_name, $16 AS patient_last_name, \
                   pr.first_name AS practitioner_first_name, \
                   pr.last_name AS practitioner_last_name \
                 FROM rules r JOIN users pr ON pr.id = $3"
            ),
            None => format!(
                "WITH {RULES}, \
                 ins AS ({INSERT_BOOKED} FROM rules WHERE {FREE} RETURNING id), \
                 waited AS (UPDATE waitlist_entries SET fulfilled_at = $12, appointment_id = $1 \
                   WHERE patient_id = $4 AND practitioner_id = $3 AND fulfilled_at IS NULL \
                   AND (not_before IS NULL OR not_before <= $7) \
                   AND (not_after IS NULL OR not_after > $7) AND EXISTS (SELECT 1 FROM ins)) \
                 SELECT r.buffer, r.absent, r.taken, FALSE AS email_used, \
                   (SELECT id FROM ins) AS inserted, \
                   pa.first_name AS patient_first_name, pa.last_name AS patient_last_name, \
                   pr.first_name AS practitioner_first_name, \
                   pr.last_name AS practitioner_last_name \
                 FROM rules r JOIN users pa ON pa.id = $4 JOIN users pr ON pr.id = $3"
            ),
        };
        let mut query = sqlx::query_as::<_, Outcome>(sqlx::AssertSqlSafe(sql))
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
            .bind(now);
        // $13..$17: the new patient (bound as NULLs otherwise, so $18 keeps its number).
        let walk_in = |f: fn(&NewPatient) -> &str| new_patient.map(|p| f(p).to_owned());
        query = query
            .bind(walk_in(|p| &p.email))
            .bind(walk_in(|p| &p.password_hash))
            .bind(walk_in(|p| &p.first_name))
            .bind(walk_in(|p| &p.last_name))
            .bind(walk_in(|p| &p.phone))
            .bind(start - LONGEST_VISIT_SECS);
        let outcome = match query.fetch_optional(&self.pool).await {
            Ok(o) => o,
            Err(sqlx::Error::Database(db)) if db.is_unique_violation() => return Err(email_taken()),
            Err(e) if is_slot_conflict(&e) => return Err(slot_conflict()),
            Err(e) => return Err(e.into()),
        };
        let Some(o) = outcome else {
            // No cabinet row, or a patient/practitioner row missing: the caller checked all
            // three, so this is a concurrent erasure; let the locking path give its answer.
            return Ok(None);
        };
        // The same order of answers as the locking path: a taken email, a taken slot, an absence.
        if o.email_used {
            return Err(email_taken());
        }
        if o.taken {
            return Err(slot_conflict());
        }
        if o.absent {
            return Err(practitioner_absent());
        }
        if o.buffer > 0 || o.inserted.is_none() {
            return Ok(None);
        }
        let row = AppointmentRow::booked(id, new, patient_id, now, o.names);
        Ok(Some(Appointment::from(row)))
    }
}
