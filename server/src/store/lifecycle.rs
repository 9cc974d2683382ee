//! Changing a booked appointment: one guarded rewrite serves confirmation, cancellation,
//! completion, no-shows, rescheduling and edits. It only applies if the row still is what the
//! caller decided on, so two people acting at once cannot both win.

use chrono::{DateTime, Utc};
use nova_contract::{Appointment, AppointmentStatus, ErrorCode};

use super::placement::Placement;
use super::waitlist::close_waitlist;
use super::{is_slot_conflict, Store};
use crate::error::{Error, Result};

/// What an appointment becomes. Fields are the full new values, not a diff.
#[derive(Debug, Clone)]
pub struct Rewrite {
    pub practitioner_id: String,
    pub start: DateTime<Utc>,
    pub duration_min: u32,
    pub status: AppointmentStatus,
    pub notes: Option<String>,
    pub cancel_reason: Option<String>,
}

impl Rewrite {
    /// The appointment as it is, to change a few fields of.
    pub fn from_current(a: &Appointment) -> Self {
        Self {
            practitioner_id: a.practitioner_id.clone(),
            start: a.start_time,
            duration_min: a.duration,
            status: a.status,
            notes: a.notes.clone(),
            cancel_reason: a.cancellation_reason.clone(),
        }
    }

    fn end(&self) -> DateTime<Utc> {
        self.start + chrono::Duration::minutes(i64::from(self.duration_min))
    }
}

impl Store {
    /// Applies `next` to the appointment `current` (as read by the caller). When the time or the
    /// practitioner changes and the result holds a slot, the placement rules run first (absences,
    /// buffer; the database refuses overlaps) and a clash leaves the row untouched. `Ok(None)`
    /// when the row changed since `current` was read.
    pub async fn rewrite_appointment(
        &self,
        current: &Appointment,
        next: &Rewrite,
    ) -> Result<Option<Appointment>> {
        let moved = next.practitioner_id != current.practitioner_id
            || next.start != current.start_time
            || next.end() != current.end_time;
        let mut tx = self.begin_write().await?;
        if moved && next.status.holds_slot() {
            self.lock_practitioners(&mut tx, &[&current.practitioner_id, &next.practitioner_id])
                .await?;
            self.check_placement(
                &mut tx,
                Placement {
                    cabinet_id: &current.cabinet_id,
                    practitioner_id: &next.practitioner_id,
                    start: next.start,
                    end: next.end(),
                    except: Some(&current.id),
                },
            )
            .await?;
        }
        let done = sqlx::query(
            "UPDATE appointments SET practitioner_id = $1, starts_at = $2, ends_at = $3, \
             duration = $4, status = $5, notes = $6, cancel_reason = $7, updated_at = $8 \
             WHERE id = $9 AND cabinet_id = $10 AND status = $11 AND practitioner_id = $12 \
             AND starts_at = $13 AND ends_at = $14",
        )
        .bind(&next.practitioner_id)
        .bind(next.start.timestamp())
        .bind(next.end().timestamp())
        .bind(i64::from(next.duration_min))
        .bind(next.status.as_str())
        .bind(&next.notes)
        .bind(&next.cancel_reason)
        .bind(Utc::now().timestamp())
        .bind(&current.id)
        .bind(&current.cabinet_id)
        .bind(current.status.as_str())
        .bind(&current.practitioner_id)
        .bind(current.start_time.timestamp())
        .bind(current.end_time.timestamp())
        .execute(&mut *tx)
        .await;
        let done = match done {
            Err(e) if is_slot_conflict(&e) => {
                return Err(Error::field(
                    ErrorCode::SlotConflict,
                    "startTime",
                    "Ce créneau n'est plus disponible",
                ))
            }
            other => other?,
        };
        if done.rows_affected() != 1 {
            return Ok(None);
        }
        if moved && next.status.holds_slot() {
            close_waitlist(
                &mut tx,
                &current.patient_id,
                &next.practitioner_id,
                next.start.timestamp(),
                &current.id,
                Utc::now().timestamp(),
            )
            .await?;
        }
        tx.commit().await?;
        self.appointment(&current.cabinet_id, &current.id).await
    }
}
