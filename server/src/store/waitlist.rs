//! Waitlist entries: a patient waiting for a freed time with one practitioner. The partial
//! unique index of 0008 keeps one open entry per patient and practitioner, whatever the races.

use chrono::NaiveDate;
use nova_contract::{PersonSummary, WaitlistEntry, WaitlistStatus};
use sqlx::{AnyConnection, FromRow};

use super::{to_time, Store};
use crate::error::Result;

/// A new entry, its window already turned into instants.
#[derive(Debug, Clone)]
pub struct NewWaitlistEntry<'a> {
    pub cabinet_id: &'a str,
    pub patient_id: &'a str,
    pub practitioner_id: &'a str,
    pub date_from: Option<NaiveDate>,
    pub date_to: Option<NaiveDate>,
    /// Earliest start that fits, Unix seconds.
    pub not_before: Option<i64>,
    /// Starts from this instant on do not fit.
    pub not_after: Option<i64>,
    pub now: i64,
}

/// A waiting patient a freed time fits.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Waiting {
    pub entry_id: String,
    pub patient_id: String,
}

#[derive(FromRow)]
struct EntryRow {
    id: String,
    practitioner_id: String,
    date_from: Option<String>,
    date_to: Option<String>,
    created_at: i64,
    fulfilled_at: Option<i64>,
    appointment_id: Option<String>,
    first_name: String,
    last_name: String,
}

impl From<EntryRow> for WaitlistEntry {
    fn from(r: EntryRow) -> Self {
        WaitlistEntry {
            practitioner: Some(PersonSummary {
                id: r.practitioner_id.clone(),
                first_name: r.first_name,
                last_name: r.last_name,
            }),
            id: r.id,
            practitioner_id: r.practitioner_id,
            date_from: r.date_from.and_then(|d| d.parse().ok()),
            date_to: r.date_to.and_then(|d| d.parse().ok()),
            status: if r.fulfilled_at.is_some() {
                WaitlistStatus::Fulfilled
            } else {
                WaitlistStatus::Waiting
            },
            appointment_id: r.appointment_id,
            created_at: to_time(r.created_at),
        }
    }
}

const SELECT: &str = "SELECT w.id, w.practitioner_id, w.date_from, w.date_to, w.created_at, \
     w.fulfilled_at, w.appointment_id, u.first_name, u.last_name \
     FROM waitlist_entries w JOIN users u ON u.id = w.practitioner_id";

impl Store {
    /// Adds an entry; `None` when the patient already waits for this practitioner.
    pub async fn add_waitlist_entry(
        &self,
        new: &NewWaitlistEntry<'_>,
    ) -> Result<Option<WaitlistEntry>> {
        let id = uuid::Uuid::new_v4().to_string();
        let inserted = sqlx::query(
            "INSERT INTO waitlist_entries (id, cabinet_id, patient_id, practitioner_id, \
             date_from, date_to, not_before, not_after, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&id)
        .bind(new.cabinet_id)
        .bind(new.patient_id)
        .bind(new.practitioner_id)
        .bind(new.date_from.map(|d| d.to_string()))
        .bind(new.date_to.map(|d| d.to_string()))
        .bind(new.not_before)
        .bind(new.not_after)
        .bind(new.now)
        .execute(&self.pool)
        .await;
        match inserted {
            Err(sqlx::Error::Database(db)) if db.is_unique_violation() => return Ok(None),
            other => other?,
        };
        let sql = format!("{SELECT} WHERE w.id = $1");
        let row: EntryRow = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(&id)
            .fetch_one(&self.pool)
            .await?;
        Ok(Some(row.into()))
    }

    /// How many entries the patient has open in this cabinet.
    pub async fn open_waitlist_count(&self, cabinet_id: &str, patient_id: &str) -> Result<u64> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM waitlist_entries \
             WHERE cabinet_id = $1 AND patient_id = $2 AND fulfilled_at IS NULL",
        )
        .bind(cabinet_id)
        .bind(patient_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(n as u64)
    }

    /// The patient's entries in this cabinet, oldest first.
    pub async fn waitlist_of(
        &self,
        cabinet_id: &str,
        patient_id: &str,
    ) -> Result<Vec<WaitlistEntry>> {
        let sql = format!("{SELECT} WHERE w.cabinet_id = $1 AND w.patient_id = $2 ORDER BY w.seq");
        let rows: Vec<EntryRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(cabinet_id)
            .bind(patient_id)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(WaitlistEntry::from).collect())
    }

    /// The person's entries in every cabinet, for their data export.
    pub async fn waitlist_everywhere(&self, patient_id: &str) -> Result<Vec<WaitlistEntry>> {
        let sql = format!("{SELECT} WHERE w.patient_id = $1 ORDER BY w.seq");
        let rows: Vec<EntryRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(patient_id)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(WaitlistEntry::from).collect())
    }

    /// Removes one of the patient's entries; `false` if they have none with this id here.
    pub async fn remove_waitlist_entry(
        &self,
        cabinet_id: &str,
        patient_id: &str,
        id: &str,
    ) -> Result<bool> {
        let done = sqlx::query(
            "DELETE FROM waitlist_entries WHERE id = $1 AND cabinet_id = $2 AND patient_id = $3",
        )
        .bind(id)
        .bind(cabinet_id)
        .bind(patient_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Every entry of a person, when their account is erased.
    pub async fn forget_waitlist(&self, patient_id: &str) -> Result<()> {
        sqlx::query("DELETE FROM waitlist_entries WHERE patient_id = $1")
            .bind(patient_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The open entries a freed time starting at `start` fits, first come first.
    pub async fn waiting_for(
        &self,
        cabinet_id: &str,
        practitioner_id: &str,
        start: i64,
        except_patient: &str,
    ) -> Result<Vec<Waiting>> {
        Ok(sqlx::query_as(
            "SELECT id AS entry_id, patient_id FROM waitlist_entries \
             WHERE practitioner_id = $1 AND cabinet_id = $2 AND fulfilled_at IS NULL \
             AND patient_id <> $3 \
             AND (not_before IS NULL OR not_before <= $4) \
             AND (not_after IS NULL OR not_after > $4) ORDER BY seq",
        )
        .bind(practitioner_id)
        .bind(cabinet_id)
        .bind(except_patient)
        .bind(start)
        .fetch_all(&self.pool)
        .await?)
    }
}

/// Closes the patient's open entry for this practitioner if the appointment `appointment_id`,
/// starting at `start`, fits its window: what they waited for, they have. Runs inside the
/// booking's own transaction, so an entry is closed exactly when its booking commits (and on
/// SQLite no second write has to queue for the lock).
pub(super) async fn close_waitlist(
    conn: &mut AnyConnection,
    patient_id: &str,
    practitioner_id: &str,
    start: i64,
    appointment_id: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE waitlist_entries SET fulfilled_at = $1, appointment_id = $2 \
         WHERE patient_id = $3 AND practitioner_id = $4 AND fulfilled_at IS NULL \
         AND (not_before IS NULL OR not_before <= $5) AND (not_after IS NULL OR not_after > $5)",
    )
    .bind(now)
    .bind(appointment_id)
    .bind(patient_id)
    .bind(practitioner_id)
    .bind(start)
    .execute(conn)
    .await?;
    Ok(())
}
