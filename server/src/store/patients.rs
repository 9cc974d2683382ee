//! Patient records of one cabinet: the searchable list, one record with its appointment
//! summary, changes to contact details, and the patient's appointments.

use chrono::Utc;
use nova_contract::{Appointment, Patient, PatientSort, SortOrder};
use sqlx::{AssertSqlSafe, FromRow};

use super::appointments::{AppointmentRow, SELECT as APPOINTMENT_SELECT};
use super::sql::{Arg, Sql};
use super::{to_time, Store};
use crate::error::{Error, Result};

#[derive(Debug, Clone, FromRow)]
struct PatientRow {
    id: String,
    first_name: String,
    last_name: String,
    email: String,
    phone: Option<String>,
    created_at: i64,
    last_at: Option<i64>,
    next_at: Option<i64>,
    appointment_count: i64,
}

impl From<PatientRow> for Patient {
    fn from(r: PatientRow) -> Self {
        Patient {
            id: r.id,
            first_name: r.first_name,
            last_name: r.last_name,
            email: r.email,
            phone: r.phone,
            created_at: to_time(r.created_at),
            last_appointment_at: r.last_at.map(to_time),
            next_appointment_at: r.next_at.map(to_time),
            appointment_count: r.appointment_count.max(0) as u64,
        }
    }
}

/// How to list a cabinet's patients.
#[derive(Debug, Clone, Default)]
pub struct PatientFilter {
    /// Already trimmed; empty means no search.
    pub search: String,
    pub sort_by: PatientSort,
    pub order: SortOrder,
    pub page: u32,
    pub limit: u32,
}

/// Contact details to change; `None` leaves a field as it is. Values are already validated.
#[derive(Debug, Clone, Default)]
pub struct PatientChanges {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl PatientChanges {
    pub fn is_empty(&self) -> bool {
        self.first_name.is_none()
            && self.last_name.is_none()
            && self.email.is_none()
            && self.phone.is_none()
    }
}

/// The patients of a cabinet (members there as patients) with their appointment summary as of
/// `now`, counting only that cabinet's appointments: another practice's visits are not its
/// business.
fn select_patients(cabinet_id: &str, now: i64) -> Sql {
    let cabinet = || Arg::Text(cabinet_id.to_owned());
    let mut q = Sql::new(
        "SELECT u.id, u.first_name, u.last_name, u.email, u.phone, u.created_at, \
         (SELECT MAX(a.starts_at) FROM appointments a WHERE a.patient_id = u.id \
          AND a.status NOT IN ('cancelled', 'rescheduled') AND a.cabinet_id = ",
    );
    q.bind(cabinet())
        .push(" AND a.starts_at <= ")
        .bind(Arg::Int(now))
        .push(
            ") AS last_at, \
             (SELECT MIN(a.starts_at) FROM appointments a WHERE a.patient_id = u.id \
              AND a.status IN ('pending', 'confirmed') AND a.cabinet_id = ",
        )
        .bind(cabinet())
        .push(" AND a.starts_at > ")
        .bind(Arg::Int(now))
        .push(
            ") AS next_at, \
             (SELECT CAST(COUNT(*) AS BIGINT) FROM appointments a WHERE a.patient_id = u.id \
              AND a.cabinet_id = ",
        )
        .bind(cabinet())
        .push(") AS appointment_count FROM users u WHERE ")
        .push(IS_PATIENT_OF)
        .bind(cabinet())
        .push(")");
    q
}

/// Opens `EXISTS (…)` for "u is a patient of the cabinet bound next"; the caller closes it.
const IS_PATIENT_OF: &str = "EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id \
     AND m.role = 'patient' AND m.cabinet_id = ";

/// `LIKE` pattern matching `needle` anywhere, with `%`, `_` and the escape itself escaped.
pub(crate) fn contains_pattern(needle: &str) -> String {
    let mut out = String::with_capacity(needle.len() + 2);
    out.push('%');
    for c in needle.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

fn push_search(q: &mut Sql, search: &str) {
    if search.is_empty() {
        return;
    }
    let pattern = contains_pattern(search);
    let columns = [
        "u.first_name",
        "u.last_name",
        "u.first_name || ' ' || u.last_name",
        "u.email",
        "COALESCE(u.phone, '')",
    ];
    q.push(" AND (");
    for (i, column) in columns.iter().enumerate() {
        if i > 0 {
            q.push(" OR ");
        }
        q.push(&format!("LOWER({column}) LIKE "))
            .bind(Arg::Text(pattern.clone()))
            .push(" ESCAPE '\\'");
    }
    q.push(")");
}

impl Store {
    /// A page of the cabinet's patients and the total before paging.
    pub async fn patients(
        &self,
        cabinet_id: &str,
        filter: &PatientFilter,
    ) -> Result<(Vec<Patient>, u64)> {
        let mut count = Sql::new("SELECT CAST(COUNT(*) AS BIGINT) FROM users u WHERE ");
        count
            .push(IS_PATIENT_OF)
            .bind(Arg::Text(cabinet_id.to_owned()))
            .push(")");
        push_search(&mut count, &filter.search);
        let (total,): (i64,) =
            sqlx::query_as_with(AssertSqlSafe(count.sql().to_owned()), count.arguments()?)
                .fetch_one(&self.pool)
                .await?;

        let mut list = select_patients(cabinet_id, Utc::now().timestamp());
        push_search(&mut list, &filter.search);
        let dir = match filter.order {
            SortOrder::Asc => "ASC",
            SortOrder::Desc => "DESC",
        };
        // The id breaks ties so pages never overlap or skip a patient.
        let order = match filter.sort_by {
            PatientSort::LastName => {
                format!(" ORDER BY LOWER(u.last_name) {dir}, LOWER(u.first_name) {dir}, u.id {dir}")
            }
            PatientSort::CreatedAt => format!(" ORDER BY u.created_at {dir}, u.id {dir}"),
        };
        list.push(&order)
            .push(" LIMIT ")
            .bind(Arg::Int(i64::from(filter.limit)))
            .push(" OFFSET ")
            .bind(Arg::Int(
                i64::from(filter.page.saturating_sub(1)) * i64::from(filter.limit),
            ));
        let rows: Vec<PatientRow> =
            sqlx::query_as_with(AssertSqlSafe(list.sql().to_owned()), list.arguments()?)
                .fetch_all(&self.pool)
                .await?;
        Ok((rows.into_iter().map(Patient::from).collect(), total as u64))
    }

    /// One patient of this cabinet; `None` for an unknown id, a staff member, or another
    /// cabinet's patient.
    pub async fn patient(&self, cabinet_id: &str, id: &str) -> Result<Option<Patient>> {
        let mut q = select_patients(cabinet_id, Utc::now().timestamp());
        q.push(" AND u.id = ").bind(Arg::Text(id.to_owned()));
        let row: Option<PatientRow> =
            sqlx::query_as_with(AssertSqlSafe(q.sql().to_owned()), q.arguments()?)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(Patient::from))
    }

    /// Whether the account was erased (GDPR); `true` also for an unknown id, so a token of a
    /// vanished account opens nothing.
    pub async fn is_erased(&self, user_id: &str) -> Result<bool> {
        let row: Option<(Option<i64>,)> =
            sqlx::query_as("SELECT erased_at FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(!matches!(row, Some((None,))))
    }

    /// Applies `changes` to a patient of this cabinet. A taken email is a validation error on
    /// `email`; nothing is written then.
    pub async fn update_patient(
        &self,
        cabinet_id: &str,
        id: &str,
        changes: &PatientChanges,
    ) -> Result<()> {
        if changes.is_empty() {
            return Ok(());
        }
        let mut q = Sql::new("UPDATE users SET ");
        let fields = [
            ("first_name", &changes.first_name),
            ("last_name", &changes.last_name),
            ("email", &changes.email),
            ("phone", &changes.phone),
        ];
        let mut first = true;
        for (column, value) in fields {
            if let Some(value) = value {
                if !first {
                    q.push(", ");
                }
                first = false;
                q.push(&format!("{column} = "))
                    .bind(Arg::Text(value.clone()));
            }
        }
        q.push(" WHERE erased_at IS NULL AND id IN (SELECT m.user_id FROM memberships m WHERE m.role = 'patient' AND m.cabinet_id = ")
            .bind(Arg::Text(cabinet_id.to_owned()))
            .push(") AND id = ")
            .bind(Arg::Text(id.to_owned()));
        let done = sqlx::query_with(AssertSqlSafe(q.sql().to_owned()), q.arguments()?)
            .execute(&self.pool)
            .await;
        match done {
            Err(sqlx::Error::Database(db)) if db.is_unique_violation() => Err(Error::validation(
                "email",
                "Un compte existe déjà avec cet email",
            )),
            other => {
                other?;
                Ok(())
            }
        }
    }

    /// A page of a patient's appointments: upcoming ones that hold their slot, soonest first,
    /// or with `history` every one, latest first.
    pub async fn patient_appointments(
        &self,
        cabinet_id: &str,
        patient_id: &str,
        history: bool,
        page: u32,
        limit: u32,
    ) -> Result<(Vec<Appointment>, u64)> {
        let now = Utc::now().timestamp();
        let scope = |q: &mut Sql| {
            q.push(" WHERE a.cabinet_id = ")
                .bind(Arg::Text(cabinet_id.to_owned()))
                .push(" AND a.patient_id = ")
                .bind(Arg::Text(patient_id.to_owned()));
            if !history {
                q.push(" AND a.status IN ('pending', 'confirmed') AND a.starts_at > ")
                    .bind(Arg::Int(now));
            }
        };
        let mut count = Sql::new("SELECT CAST(COUNT(*) AS BIGINT) FROM appointments a");
        scope(&mut count);
        let (total,): (i64,) =
            sqlx::query_as_with(AssertSqlSafe(count.sql().to_owned()), count.arguments()?)
                .fetch_one(&self.pool)
                .await?;
        let mut list = Sql::new(APPOINTMENT_SELECT);
        scope(&mut list);
        list.push(if history {
            " ORDER BY a.starts_at DESC, a.id DESC"
        } else {
            " ORDER BY a.starts_at ASC, a.id ASC"
        })
        .push(" LIMIT ")
        .bind(Arg::Int(i64::from(limit)))
        .push(" OFFSET ")
        .bind(Arg::Int(
            i64::from(page.saturating_sub(1)) * i64::from(limit),
        ));
        let rows: Vec<AppointmentRow> =
            sqlx::query_as_with(AssertSqlSafe(list.sql().to_owned()), list.arguments()?)
                .fetch_all(&self.pool)
                .await?;
        Ok((
            rows.into_iter().map(Appointment::from).collect(),
            total as u64,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_patterns_escape_wildcards() {
        assert_eq!(contains_pattern("Dub"), "%dub%");
        assert_eq!(contains_pattern("50%"), "%50\\%%");
        assert_eq!(contains_pattern("a_b"), "%a\\_b%");
        assert_eq!(contains_pattern("a\\b"), "%a\\\\b%");
    }
}
