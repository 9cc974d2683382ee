//! Reminder claims. A reminder is claimed by inserting its row (primary key: appointment, kind,
//! start); whichever server instance's insert lands sends it, every other one sees the row and
//! skips it. The claim and the "is it due" test are one statement, so nothing can slip between.
//! A claim never marked sent is taken over after [`ABANDONED_AFTER_SECS`].

use nova_contract::{Preferences, ReminderKind};

use super::Store;
use crate::error::Result;

/// At most this many reminders of one kind are claimed per tick; the next tick takes the rest.
const BATCH: i64 = 500;

/// A claim not marked sent this long after it was made belongs to an instance that died while
/// sending; another instance may take it over.
pub const ABANDONED_AFTER_SECS: i64 = 300;

/// Where a reminder of `kind` stops being worth sending, as a lead before the start: a day-before
/// reminder not sent by two hours before is superseded by the two-hour one, which is pointless
/// once the visit has started.
fn closes_at_lead(kind: ReminderKind) -> i64 {
    match kind {
        ReminderKind::DayBefore => ReminderKind::TwoHoursBefore.lead_secs(),
        ReminderKind::TwoHoursBefore => 0,
    }
}

impl Store {
    /// Claims the reminders of `kind` due at `now` and returns their appointments' ids, with the
    /// start each was claimed for.
    ///
    /// Due: the appointment is confirmed, its reminder time has come and its window has not
    /// closed (a server that was down sends late reminders while they still make sense, never
    /// stale ones), and it was last changed before the reminder fell due — someone who booked,
    /// confirmed or moved it within the last day (or two hours) was just told.
    pub async fn claim_reminders(
        &self,
        kind: ReminderKind,
        now: i64,
    ) -> Result<Vec<(String, i64)>> {
        let lead = kind.lead_secs();
        // The WHERE clause also keeps SQLite from reading ON CONFLICT as a join constraint.
        Ok(sqlx::query_as(
            "INSERT INTO reminders (appointment_id, kind, starts_at, claimed_at) \
             SELECT a.id, $1, a.starts_at, $2 FROM appointments a \
             WHERE a.status = 'confirmed' AND a.starts_at > $3 AND a.starts_at <= $4 \
             AND a.updated_at <= a.starts_at - $5 \
             ORDER BY a.starts_at LIMIT $6 \
             ON CONFLICT DO NOTHING RETURNING appointment_id, starts_at",
        )
        .bind(kind.as_str())
        .bind(now)
        .bind(now + closes_at_lead(kind))
        .bind(now + lead)
        .bind(lead)
        .bind(BATCH)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Takes over claims of `kind` abandoned by an instance that died between claim and send,
    /// while the reminder is still worth sending. The guarded UPDATE lets one instance win.
    /// (An instance that died after sending but before [`Store::reminder_sent`] makes this
    /// send twice: for a reminder, twice beats never.)
    pub async fn reclaim_reminders(
        &self,
        kind: ReminderKind,
        now: i64,
    ) -> Result<Vec<(String, i64)>> {
        Ok(sqlx::query_as(
            "UPDATE reminders SET claimed_at = $1 WHERE kind = $2 AND sent_at IS NULL \
             AND claimed_at < $3 AND starts_at > $4 RETURNING appointment_id, starts_at",
        )
        .bind(now)
        .bind(kind.as_str())
        .bind(now - ABANDONED_AFTER_SECS)
        .bind(now + closes_at_lead(kind))
        .fetch_all(&self.pool)
        .await?)
    }

    /// Records that a claimed reminder is done with: sent, or found stale.
    pub async fn reminder_sent(
        &self,
        appointment_id: &str,
        kind: ReminderKind,
        starts_at: i64,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE reminders SET sent_at = $1 WHERE appointment_id = $2 AND kind = $3 \
             AND starts_at = $4",
        )
        .bind(now)
        .bind(appointment_id)
        .bind(kind.as_str())
        .bind(starts_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Where a reminder mail goes: the patient's address, unless the account was erased or
    /// they turned mail notifications off.
    pub async fn reminder_address(&self, patient_id: &str) -> Result<Option<String>> {
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT email, preferences FROM users WHERE id = $1 AND erased_at IS NULL",
        )
        .bind(patient_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.and_then(|(email, prefs)| {
            let prefs: Preferences = serde_json::from_str(&prefs).unwrap_or_default();
            prefs.notifications.email.then_some(email)
        }))
    }

    /// A cabinet's name and time zone, for the reminder's wording.
    pub async fn cabinet_label(&self, cabinet_id: &str) -> Result<Option<(String, String)>> {
        Ok(
            sqlx::query_as("SELECT name, timezone FROM cabinets WHERE id = $1")
                .bind(cabinet_id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }
}
