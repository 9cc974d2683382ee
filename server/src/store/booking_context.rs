//! What a booking or a slot search needs to know before looking at the agenda, in ONE round
//! trip: that the practitioner practises in the cabinet, the cabinet's rules and the
//! practitioner's weekly hours, and for a booking whether its time is already held and its new
//! patient's email already used. Separate reads cost a round trip each on every booking, which
//! is most of a booking's time; under contention most bookings end with this read (409).

use nova_contract::CabinetSettings;
use sqlx::{AssertSqlSafe, FromRow};

use super::appointments::LONGEST_VISIT_SECS;
use super::{Backend, Store};
use crate::domain::slots::WeeklyWindow;
use crate::error::Result;

/// The rules a booking with one practitioner is checked against.
#[derive(Debug, Clone)]
pub struct BookingContext {
    pub settings: CabinetSettings,
    pub hours: Vec<WeeklyWindow>,
    /// With a [`Probe`]: an appointment holding its slot overlaps the probed time. A plain
    /// read: the database's no-overlap rule stays the authority for whatever it misses.
    pub taken: bool,
    /// With a [`Probe`] naming an email: someone already has it.
    pub email_used: bool,
}

/// The time a booking asks for (Unix seconds), and the email of the patient it would create.
#[derive(Debug, Clone, Copy)]
pub struct Probe<'a> {
    pub start: i64,
    pub end: i64,
    pub email: Option<&'a str>,
}

#[derive(Debug, FromRow)]
struct ContextRow {
    id: String,
    name: String,
    city: String,
    timezone: String,
    buffer_minutes: i64,
    min_notice_minutes: i64,
    weekday: Option<i64>,
    start_minute: Option<i64>,
    end_minute: Option<i64>,
    taken: i64,
    email_used: i64,
}

impl Store {
    /// The cabinet's rules and the practitioner's hours, or `None` when the practitioner does
    /// not practise in this cabinet (another cabinet's practitioner is simply unknown here).
    pub async fn booking_context(
        &self,
        cabinet_id: &str,
        practitioner_id: &str,
        probe: Option<Probe<'_>>,
    ) -> Result<Option<BookingContext>> {
        // Without a probe the two checks look at an empty range and no email.
        let Probe { start, end, email } = probe.unwrap_or(Probe {
            start: 0,
            end: 0,
            email: None,
        });
        // One row per weekly window; a practitioner without hours still gives one row, with
        // NULL hours, thanks to the LEFT JOIN.
        let sql = format!(
            "SELECT c.id, c.name, c.city, c.timezone, c.buffer_minutes, c.min_notice_minutes, \
             h.weekday, h.start_minute, h.end_minute, \
             CAST(CASE WHEN EXISTS (SELECT 1 FROM appointments a WHERE a.practitioner_id = $2 \
               AND a.status IN ('pending', 'confirmed') AND {overlap} AND a.starts_at > $5) \
               THEN 1 ELSE 0 END AS BIGINT) AS taken, \
             CAST(CASE WHEN EXISTS (SELECT 1 FROM users u WHERE u.email = $6) \
               THEN 1 ELSE 0 END AS BIGINT) AS email_used \
             FROM cabinets c \
             JOIN memberships m ON m.cabinet_id = c.id AND m.user_id = $2 \
               AND m.role = 'practitioner' \
             LEFT JOIN working_hours h ON h.practitioner_id = m.user_id \
             WHERE c.id = $1 \
             ORDER BY h.weekday, h.start_minute",
            overlap = overlap(self.backend, "a", "$3", "$4"),
        );
        let rows: Vec<ContextRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(cabinet_id)
            .bind(practitioner_id)
            .bind(start)
            .bind(end)
            .bind(start - LONGEST_VISIT_SECS)
            .bind(email)
            .fetch_all(&self.pool)
            .await?;
        let Some(first) = rows.first() else {
            return Ok(None);
        };
        let settings = CabinetSettings {
            id: first.id.clone(),
            name: first.name.clone(),
            city: first.city.clone(),
            timezone: first.timezone.clone(),
            // CHECK constraints keep both numbers small and positive.
            buffer_minutes: first.buffer_minutes.max(0) as u32,
            min_notice_minutes: first.min_notice_minutes.max(0) as u32,
        };
        let hours = rows
            .iter()
            .filter_map(|r| match (r.weekday, r.start_minute, r.end_minute) {
                (Some(weekday), Some(start), Some(end)) => Some(WeeklyWindow {
                    weekday: weekday as u8,
                    start_minute: start as u32,
                    end_minute: end as u32,
                }),
                _ => None,
            })
            .collect();
        Ok(Some(BookingContext {
            settings,
            hours,
            taken: first.taken != 0,
            email_used: first.email_used != 0,
        }))
    }
}

/// `table`'s appointment overlaps `[start, end)`, written so each database uses its index:
/// on PostgreSQL the exclusion constraint's GiST index answers the range overlap (with plain
/// comparisons it scans all of the practitioner's appointments), on SQLite the
/// (practitioner, start) index with the caller's lower bound on the start.
pub(super) fn overlap(backend: Backend, table: &str, start: &str, end: &str) -> String {
    match backend {
        Backend::Postgres => {
            format!("int8range({table}.starts_at, {table}.ends_at) && int8range({start}, {end})")
        }
        Backend::Sqlite => format!("{table}.starts_at < {end} AND {table}.ends_at > {start}"),
    }
}
