//! What computing or checking a practitioner's slots needs, read in one round trip: every slot
//! search and every booking asks for it, so three queries (is this a practitioner of the
//! cabinet, the cabinet's time zone, the weekly hours) become one.

use super::Store;
use crate::domain::slots::WeeklyWindow;
use crate::error::Result;

/// A practitioner's cabinet time zone (as stored) and weekly hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub timezone: String,
    pub hours: Vec<WeeklyWindow>,
}

/// The cabinet's time zone, then weekday, start and end minute of one window (NULL when the
/// practitioner has no hours).
type ScheduleRow = (String, Option<i64>, Option<i64>, Option<i64>);

impl Store {
    /// The schedule of a practitioner of this cabinet; `None` for anyone else, including
    /// another cabinet's practitioner.
    pub async fn practitioner_schedule(
        &self,
        cabinet_id: &str,
        practitioner_id: &str,
    ) -> Result<Option<Schedule>> {
        // One row per window; a practitioner without hours still gives one row of NULLs.
        let rows: Vec<ScheduleRow> = sqlx::query_as(
            "SELECT c.timezone, h.weekday, h.start_minute, h.end_minute FROM users u \
             JOIN cabinets c ON c.id = u.cabinet_id \
             LEFT JOIN working_hours h ON h.practitioner_id = u.id \
             WHERE u.id = $1 AND u.cabinet_id = $2 AND u.role = 'practitioner' \
             ORDER BY h.weekday, h.start_minute",
        )
        .bind(practitioner_id)
        .bind(cabinet_id)
        .fetch_all(&self.pool)
        .await?;
        let Some((timezone, ..)) = rows.first() else {
            return Ok(None);
        };
        let timezone = timezone.clone();
        let hours = rows
            .into_iter()
            .filter_map(|(_, weekday, start, end)| {
                Some(WeeklyWindow {
                    weekday: weekday? as u8,
                    start_minute: start? as u32,
                    end_minute: end? as u32,
                })
            })
            .collect();
        Ok(Some(Schedule { timezone, hours }))
    }
}
