//! What a booking or a slot search needs to know before looking at the agenda, in ONE round
//! trip: that the practitioner practises in the cabinet, the cabinet's rules and the
//! practitioner's weekly hours. Three separate reads cost three round trips on every booking,
//! which is most of a booking's time on PostgreSQL.

use nova_contract::CabinetSettings;
use sqlx::FromRow;

use super::Store;
use crate::domain::slots::WeeklyWindow;
use crate::error::Result;

/// The rules a booking with one practitioner is checked against.
#[derive(Debug, Clone)]
pub struct BookingContext {
    pub settings: CabinetSettings,
    pub hours: Vec<WeeklyWindow>,
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
}

impl Store {
    /// The cabinet's rules and the practitioner's hours, or `None` when the practitioner does
    /// not practise in this cabinet (another cabinet's practitioner is simply unknown here).
    pub async fn booking_context(
        &self,
        cabinet_id: &str,
        practitioner_id: &str,
    ) -> Result<Option<BookingContext>> {
        // One row per weekly window; a practitioner without hours still gives one row, with
        // NULL hours, thanks to the LEFT JOIN.
        let rows: Vec<ContextRow> = sqlx::query_as(
            "SELECT c.id, c.name, c.city, c.timezone, c.buffer_minutes, c.min_notice_minutes, \
             h.weekday, h.start_minute, h.end_minute \
             FROM cabinets c \
             JOIN memberships m ON m.cabinet_id = c.id AND m.user_id = $2 \
               AND m.role = 'practitioner' \
             LEFT JOIN working_hours h ON h.practitioner_id = m.user_id \
             WHERE c.id = $1 \
             ORDER BY h.weekday, h.start_minute",
        )
        .bind(cabinet_id)
        .bind(practitioner_id)
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
        Ok(Some(BookingContext { settings, hours }))
    }
}
