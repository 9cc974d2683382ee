//! Each cabinet's booking rules: its time zone, the buffer between appointments and the notice
//! patients must give.

use nova_contract::CabinetSettings;
use sqlx::FromRow;

use super::Store;
use crate::error::Result;

#[derive(Debug, Clone, FromRow)]
struct SettingsRow {
    id: String,
    name: String,
    city: String,
    timezone: String,
    buffer_minutes: i64,
    min_notice_minutes: i64,
}

impl From<SettingsRow> for CabinetSettings {
    fn from(r: SettingsRow) -> Self {
        // CHECK constraints keep both numbers small and positive.
        CabinetSettings {
            id: r.id,
            name: r.name,
            city: r.city,
            timezone: r.timezone,
            buffer_minutes: r.buffer_minutes.max(0) as u32,
            min_notice_minutes: r.min_notice_minutes.max(0) as u32,
        }
    }
}

impl Store {
    pub async fn cabinet_settings(&self, cabinet_id: &str) -> Result<Option<CabinetSettings>> {
        let row: Option<SettingsRow> = sqlx::query_as(
            "SELECT id, name, city, timezone, buffer_minutes, min_notice_minutes \
             FROM cabinets WHERE id = $1",
        )
        .bind(cabinet_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(CabinetSettings::from))
    }

    /// Writes the rules, already validated.
    pub async fn update_cabinet_settings(
        &self,
        cabinet_id: &str,
        timezone: &str,
        buffer_minutes: u32,
        min_notice_minutes: u32,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE cabinets SET timezone = $1, buffer_minutes = $2, min_notice_minutes = $3 \
             WHERE id = $4",
        )
        .bind(timezone)
        .bind(i64::from(buffer_minutes))
        .bind(i64::from(min_notice_minutes))
        .bind(cabinet_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
