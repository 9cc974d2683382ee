//! Appointments: booking (the database refuses overlaps), reads scoped to a cabinet, and
//! status changes that only apply from the expected status.

use chrono::{DateTime, NaiveDate, Utc};
use nova_contract::{
    Appointment, AppointmentListQuery, AppointmentSort, AppointmentStatus, AppointmentType,
    PersonSummary, SortOrder, Urgency,
};
use sqlx::{AnyConnection, AssertSqlSafe, FromRow};

use super::placement::Placement;
use super::sql::{Arg, Sql};
use super::waitlist::close_waitlist;
use super::{is_slot_conflict, to_time, Backend, Store};
use crate::domain::slots::Busy;
use crate::error::{Error, Result};
use nova_contract::ErrorCode;

#[derive(Debug, Clone, FromRow)]
pub(super) struct AppointmentRow {
    pub(super) id: String,
    pub(super) cabinet_id: String,
    pub(super) practitioner_id: String,
    pub(super) patient_id: String,
    pub(super) kind: String,
    pub(super) status: String,
    pub(super) starts_at: i64,
    pub(super) ends_at: i64,
    pub(super) duration: i64,
    pub(super) notes: Option<String>,
    pub(super) urgency: String,
    pub(super) cancel_reason: Option<String>,
    pub(super) created_at: i64,
    pub(super) updated_at: i64,
    pub(super) patient_first_name: String,
    pub(super) patient_last_name: String,
    pub(super) practitioner_first_name: String,
    pub(super) practitioner_last_name: String,
}

/// The names an answer shows, read by the statement that books (the one-trip bookings answer
/// without reading the row back).
#[derive(Debug, FromRow)]
pub(super) struct BookedNames {
    patient_first_name: String,
    patient_last_name: String,
    practitioner_first_name: String,
    practitioner_last_name: String,
}

/// How a one-trip booking inserts its appointment, from bound values: `$1` id, `$2` cabinet,
/// `$3` practitioner, `$4` patient, `$5` type, `$6` status, `$7`/`$8` start/end, `$9` duration,
/// `$10` notes, `$11` urgency, `$12` now.
pub(super) const INSERT_BOOKED: &str = "INSERT INTO appointments (id, cabinet_id, \
     practitioner_id, patient_id, kind, status, starts_at, ends_at, duration, notes, urgency, \
     created_at, updated_at) \
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12";

impl AppointmentRow {
    /// The row a booking has just stored, from what it sent.
    pub(super) fn booked(
        id: &str,
        new: &NewAppointment,
        patient_id: String,
        now: i64,
        names: BookedNames,
    ) -> Self {
        let starts_at = new.start.timestamp();
        Self {
            id: id.to_owned(),
            cabinet_id: new.cabinet_id.clone(),
            practitioner_id: new.practitioner_id.clone(),
            patient_id,
            kind: new.kind.as_str().to_owned(),
            status: new.status.as_str().to_owned(),
            starts_at,
            ends_at: starts_at + i64::from(new.duration_min) * 60,
            duration: i64::from(new.duration_min),
            notes: new.notes.clone(),
            urgency: new.urgency.as_str().to_owned(),
            cancel_reason: None,
            created_at: now,
            updated_at: now,
            patient_first_name: names.patient_first_name,
            patient_last_name: names.patient_last_name,
            practitioner_first_name: names.practitioner_first_name,
            practitioner_last_name: names.practitioner_last_name,
        }
    }
}

impl From<AppointmentRow> for Appointment {
    fn from(r: AppointmentRow) -> Self {
        Appointment {
            patient: Some(PersonSummary {
                id: r.patient_id.clone(),
                first_name: r.patient_first_name,
                last_name: r.patient_last_name,
            }),
            practitioner: Some(PersonSummary {
                id: r.practitioner_id.clone(),
                first_name: r.practitioner_first_name,
                last_name: r.practitioner_last_name,
            }),
            id: r.id,
            patient_id: r.patient_id,
            practitioner_id: r.practitioner_id,
            cabinet_id: r.cabinet_id,
            // Columns are only ever written from these enums.
            kind: AppointmentType::parse(&r.kind).unwrap_or(AppointmentType::Consultation),
            status: AppointmentStatus::parse(&r.status).unwrap_or(AppointmentStatus::Pending),
            start_time: to_time(r.starts_at),
            end_time: to_time(r.ends_at),
            duration: r.duration as u32,
            notes: r.notes,
            urgency: Urgency::parse(&r.urgency).unwrap_or_default(),
            cancellation_reason: r.cancel_reason,
            created_at: to_time(r.created_at),
            updated_at: to_time(r.updated_at),
        }
    }
}

pub(super) const SELECT: &str =
    "SELECT a.id, a.cabinet_id, a.practitioner_id, a.patient_id, a.kind, a.status, \
     a.starts_at, a.ends_at, a.duration, a.notes, a.urgency, a.cancel_reason, \
     a.created_at, a.updated_at, \
     pa.first_name AS patient_first_name, pa.last_name AS patient_last_name, \
     pr.first_name AS practitioner_first_name, pr.last_name AS practitioner_last_name \
     FROM appointments a \
     JOIN users pa ON pa.id = a.patient_id \
     JOIN users pr ON pr.id = a.practitioner_id";

/// Longer than any appointment can last (the API caps a visit at 4 hours).
pub(super) const LONGEST_VISIT_SECS: i64 = 24 * 3600;

/// A booking, already checked against the rules that need no database.
#[derive(Debug, Clone)]
pub struct NewAppointment {
    pub cabinet_id: String,
    pub practitioner_id: String,
    pub patient_id: String,
    pub kind: AppointmentType,
    pub status: AppointmentStatus,
    pub start: DateTime<Utc>,
    pub duration_min: u32,
    pub notes: Option<String>,
    pub urgency: Urgency,
}

/// A patient created by staff while booking (seed 000 `patientData`).
#[derive(Debug, Clone)]
pub struct NewPatient {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    /// An unusable hash: the patient sets a password through a reset link.
    pub password_hash: String,
}

/// Who is asking for a list; patients only ever see their own appointments.
#[derive(Debug, Clone, Copy)]
pub enum ListScope<'a> {
    Cabinet(&'a str),
    Patient {
        cabinet_id: &'a str,
        patient_id: &'a str,
    },
}

impl Store {
    /// Books an appointment. An absence over the time is `SlotUnavailable`; the cabinet's buffer
    /// and the database refuse a clash with `SlotConflict`; a new patient, if any, is created in
    /// the same transaction so a refused booking leaves nothing behind.
    pub async fn insert_appointment(
        &self,
        new: &NewAppointment,
        new_patient: Option<&NewPatient>,
    ) -> Result<Appointment> {
        let id = uuid::Uuid::new_v4().to_string();
        let now = Utc::now().timestamp();
        // PostgreSQL books in one statement when the cabinet has no buffer (its own overlap
        // read included); embedded SQLite in one trip to its writer connection. Either falls
        // back to the shared path below when it cannot answer.
        let at_once = match self.backend {
            Backend::Postgres => {
                self.insert_appointment_at_once(&id, new, new_patient, now)
                    .await?
            }
            Backend::Sqlite => {
                self.insert_appointment_sqlite(&id, new, new_patient, now)
                    .await?
            }
        };
        if let Some(booked) = at_once {
            return Ok(booked);
        }
        let mut tx = self.begin_write().await?;
        self.prepare_booking(&mut tx, new).await?;
        let mut patient_id = new.patient_id.clone();
        if let Some(p) = new_patient {
            patient_id = uuid::Uuid::new_v4().to_string();
            let inserted = sqlx::query(
                "INSERT INTO users (id, cabinet_id, email, password_hash, first_name, last_name, phone, role, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 'patient', $8)",
            )
            .bind(&patient_id)
            .bind(&new.cabinet_id)
            .bind(&p.email)
            .bind(&p.password_hash)
            .bind(&p.first_name)
            .bind(&p.last_name)
            .bind(&p.phone)
            .bind(now)
            .execute(&mut *tx)
            .await;
            if let Err(sqlx::Error::Database(db)) = &inserted {
                if db.is_unique_violation() {
                    return Err(email_taken());
                }
            }
            inserted?;
        }
        self.insert_booked(&mut tx, &id, new, &patient_id).await?;
        tx.commit().await?;
        self.appointment(&new.cabinet_id, &id)
            .await?
            .ok_or_else(|| Error::Internal("booked appointment vanished".into()))
    }

    /// The checks of a booking inside its write transaction: the practitioner's agenda locked,
    /// then absences, closures and the buffer (see `placement`). Whatever books a time (a
    /// booking, an accepted proposal) goes through here and [`Store::insert_booked`].
    pub(crate) async fn prepare_booking(
        &self,
        conn: &mut AnyConnection,
        new: &NewAppointment,
    ) -> Result<()> {
        let end = new.start.timestamp() + i64::from(new.duration_min) * 60;
        self.lock_practitioners(conn, &[&new.practitioner_id])
            .await?;
        self.check_placement(
            conn,
            Placement {
                cabinet_id: &new.cabinet_id,
                practitioner_id: &new.practitioner_id,
                start: new.start,
                end: to_time(end),
                except: None,
            },
        )
        .await
    }

    /// Writes the appointment row, closing the waitlist entry it answers; the database's
    /// no-overlap rule answers `SlotConflict`.
    pub(crate) async fn insert_booked(
        &self,
        conn: &mut AnyConnection,
        id: &str,
        new: &NewAppointment,
        patient_id: &str,
    ) -> Result<()> {
        let now = Utc::now().timestamp();
        let start = new.start.timestamp();
        let end = start + i64::from(new.duration_min) * 60;
        let inserted = sqlx::query(
            "INSERT INTO appointments (id, cabinet_id, practitioner_id, patient_id, kind, status, \
             starts_at, ends_at, duration, notes, urgency, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(id)
        .bind(&new.cabinet_id)
        .bind(&new.practitioner_id)
        .bind(patient_id)
        .bind(new.kind.as_str())
        .bind(new.status.as_str())
        .bind(start)
        .bind(end)
        .bind(i64::from(new.duration_min))
        .bind(&new.notes)
        .bind(new.urgency.as_str())
        .bind(now)
        .bind(now)
        .execute(&mut *conn)
        .await;
        match inserted {
            Err(e) if is_slot_conflict(&e) => return Err(slot_conflict()),
            other => other?,
        };
        close_waitlist(conn, patient_id, &new.practitioner_id, start, id, now).await
    }

    /// One appointment whatever its cabinet: only for the server's own follow-ups (events after
    /// an erasure), never to answer a request.
    pub(crate) async fn appointment_unscoped(&self, id: &str) -> Result<Option<Appointment>> {
        let sql = format!("{SELECT} WHERE a.id = $1");
        let row: Option<AppointmentRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(Appointment::from))
    }

    /// One appointment of this cabinet; another cabinet's id is simply not found.
    pub async fn appointment(&self, cabinet_id: &str, id: &str) -> Result<Option<Appointment>> {
        let sql = format!("{SELECT} WHERE a.id = $1 AND a.cabinet_id = $2");
        let row: Option<AppointmentRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(id)
            .bind(cabinet_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(Appointment::from))
    }

    /// A filtered, paged list in the asked order (soonest first by default), and the total
    /// before paging.
    pub async fn appointments(
        &self,
        scope: ListScope<'_>,
        filter: &AppointmentListQuery,
        tz: chrono_tz::Tz,
        page: u32,
        limit: u32,
    ) -> Result<(Vec<Appointment>, u64)> {
        let total = self.count_filtered(scope, filter, tz).await?;
        let mut list = Sql::new(SELECT);
        push_filter(&mut list, scope, filter, tz);
        let column = match filter.sort_by.unwrap_or_default() {
            AppointmentSort::StartTime => "a.starts_at",
            AppointmentSort::CreatedAt => "a.created_at",
            AppointmentSort::Status => "a.status",
        };
        let direction = match filter.sort_order.unwrap_or_default() {
            SortOrder::Asc => "ASC",
            SortOrder::Desc => "DESC",
        };
        // The id breaks ties, so pages neither repeat nor skip rows.
        list.push(&format!(
            " ORDER BY {column} {direction}, a.starts_at {direction}, a.id {direction} LIMIT "
        ))
        .bind(Arg::Int(i64::from(limit)))
        .push(" OFFSET ")
        .bind(Arg::Int(
            i64::from(page.saturating_sub(1)) * i64::from(limit),
        ));
        let rows: Vec<AppointmentRow> =
            sqlx::query_as_with(AssertSqlSafe(list.sql().to_owned()), list.arguments()?)
                .fetch_all(&self.pool)
                .await?;
        Ok((rows.into_iter().map(Appointment::from).collect(), total))
    }

    async fn count_filtered(
        &self,
        scope: ListScope<'_>,
        filter: &AppointmentListQuery,
        tz: chrono_tz::Tz,
    ) -> Result<u64> {
        let mut count = Sql::new(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM appointments a JOIN users pa ON pa.id = a.patient_id",
        );
        push_filter(&mut count, scope, filter, tz);
        let (n,): (i64,) =
            sqlx::query_as_with(AssertSqlSafe(count.sql().to_owned()), count.arguments()?)
                .fetch_one(&self.pool)
                .await?;
        Ok(n as u64)
    }

    /// What holds a practitioner's time between two instants.
    pub async fn busy(
        &self,
        practitioner_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Busy>> {
        // `starts_at > $4` bounds the index range scan below: without it, every past appointment
        // of the practitioner is read to test `ends_at` (months of history on each search).
        // Visits last at most a few hours, so one reaching into the range starts within a day.
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT starts_at, ends_at FROM appointments WHERE practitioner_id = $1 \
             AND status IN ('pending', 'confirmed') AND starts_at < $2 AND ends_at > $3 \
             AND starts_at > $4 ORDER BY starts_at",
        )
        .bind(practitioner_id)
        .bind(to.timestamp())
        .bind(from.timestamp())
        .bind(from.timestamp() - LONGEST_VISIT_SECS)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(s, e)| Busy {
                start: to_time(s),
                end: to_time(e),
            })
            .collect())
    }

    /// Moves an appointment from `from` to `to`; `false` when it no longer has status `from`
    /// (someone else changed it first).
    pub async fn set_status(
        &self,
        cabinet_id: &str,
        id: &str,
        from: AppointmentStatus,
        to: AppointmentStatus,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE appointments SET status = $1, updated_at = $2 WHERE id = $3 AND cabinet_id = $4 AND status = $5",
        )
        .bind(to.as_str())
        .bind(Utc::now().timestamp())
        .bind(id)
        .bind(cabinet_id)
        .bind(from.as_str())
        .execute(&self.pool)
        .await;
        match done {
            Err(e) if is_slot_conflict(&e) => Err(Error::new(
                ErrorCode::SlotConflict,
                "Ce créneau n'est plus disponible",
            )),
            other => Ok(other?.rows_affected() == 1),
        }
    }
}

/// The answer to a booking whose time another appointment holds, whichever check saw it first.
pub(crate) fn slot_conflict() -> Error {
    Error::field(
        ErrorCode::SlotConflict,
        "startTime",
        "Ce créneau n'est plus disponible",
    )
}

/// An absence or a closure covers the time.
pub(crate) fn practitioner_absent() -> Error {
    Error::field(
        ErrorCode::SlotUnavailable,
        "startTime",
        "Le praticien est absent ou le cabinet fermé à cette heure",
    )
}

pub(crate) fn email_taken() -> Error {
    Error::field(
        ErrorCode::ValidationError,
        "patientData.email",
        "Un compte existe déjà avec cet email",
    )
}

fn push_filter(
    q: &mut Sql,
    scope: ListScope<'_>,
    filter: &AppointmentListQuery,
    tz: chrono_tz::Tz,
) {
    let text = |s: &str| Arg::Text(s.to_owned());
    match scope {
        ListScope::Cabinet(c) => {
            q.push(" WHERE a.cabinet_id = ").bind(text(c));
        }
        ListScope::Patient {
            cabinet_id,
            patient_id,
        } => {
            q.push(" WHERE a.cabinet_id = ").bind(text(cabinet_id));
            q.push(" AND a.patient_id = ").bind(text(patient_id));
        }
    }
    if !filter.status.is_empty() {
        q.push(" AND a.status IN (")
            .bind_list(filter.status.iter().map(|s| text(s.as_str())))
            .push(")");
    }
    if !filter.kind.is_empty() {
        q.push(" AND a.kind IN (")
            .bind_list(filter.kind.iter().map(|k| text(k.as_str())))
            .push(")");
    }
    if let Some(p) = &filter.practitioner_id {
        q.push(" AND a.practitioner_id = ").bind(text(p));
    }
    if let Some(p) = &filter.patient_id {
        q.push(" AND a.patient_id = ").bind(text(p));
    }
    if let Some(u) = filter.urgency {
        q.push(" AND a.urgency = ").bind(text(u.as_str()));
    }
    if let Some(from) = filter.date_from {
        q.push(" AND a.starts_at >= ")
            .bind(Arg::Int(local_midnight(tz, from)));
    }
    if let Some(to) = filter.date_to {
        let next = to.succ_opt().unwrap_or(to);
        q.push(" AND a.starts_at < ")
            .bind(Arg::Int(local_midnight(tz, next)));
    }
    if let Some(term) = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let pattern = format!("%{}%", escape_like(&term.to_lowercase()));
        q.push(" AND (");
        for (i, column) in ["pa.first_name", "pa.last_name", "pa.email"]
            .iter()
            .enumerate()
        {
            if i > 0 {
                q.push(" OR ");
            }
            q.push(&format!("LOWER({column}) LIKE "))
                .bind(Arg::Text(pattern.clone()))
                .push(" ESCAPE '\\'");
        }
        q.push(")");
    }
}

/// A search term taken literally by LIKE: its `%`, `_` and `\` match only themselves.
fn escape_like(term: &str) -> String {
    let mut out = String::with_capacity(term.len());
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The first instant of a local calendar day (midnight, or the first valid time after a gap).
pub(crate) fn local_midnight(tz: chrono_tz::Tz, day: NaiveDate) -> i64 {
    use chrono::TimeZone;
    (0..4)
        .find_map(|h| {
            tz.from_local_datetime(&day.and_hms_opt(h, 0, 0)?)
                .earliest()
        })
        .map(|t| t.timestamp())
        .unwrap_or_else(|| {
            day.and_hms_opt(0, 0, 0)
                .map(|d| d.and_utc().timestamp())
                .unwrap_or(0)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(escape_like("dub"), "dub");
        assert_eq!(escape_like("50%_a\\b"), "50\\%\\_a\\\\b");
    }
}
