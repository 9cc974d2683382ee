//! Users, cabinets and practitioners' weekly hours.

use nova_contract::{AuthUser, Practitioner, Preferences, Role};
use sqlx::{AssertSqlSafe, FromRow};

use super::{to_time, Store};
use crate::domain::slots::WeeklyWindow;
use crate::error::Result;

#[derive(Debug, Clone, FromRow)]
pub struct UserRow {
    pub id: String,
    pub cabinet_id: String,
    pub cabinet_name: String,
    pub email: String,
    pub password_hash: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub role: String,
    pub preferences: String,
    pub last_login_at: Option<i64>,
    pub created_at: i64,
}

impl UserRow {
    pub fn role(&self) -> Role {
        // The column has a CHECK constraint on exactly these spellings.
        Role::parse(&self.role).unwrap_or(Role::Patient)
    }

    pub fn to_auth_user(&self) -> AuthUser {
        AuthUser {
            id: self.id.clone(),
            email: self.email.clone(),
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            role: self.role(),
            cabinet_id: self.cabinet_id.clone(),
            cabinet_name: self.cabinet_name.clone(),
            phone: self.phone.clone(),
            preferences: serde_json::from_str::<Preferences>(&self.preferences).unwrap_or_default(),
            permissions: permissions(self.role()),
            last_login_at: self.last_login_at.map(to_time),
            created_at: to_time(self.created_at),
            memberships: Vec::new(),
        }
    }
}

/// What each role may do, as strings a client can show or hide controls by.
fn permissions(role: Role) -> Vec<String> {
    let list: &[&str] = match role {
        Role::Patient => &["appointments:book", "appointments:read:own"],
        Role::Practitioner => &[
            "appointments:read",
            "appointments:confirm",
            "appointments:book",
        ],
        Role::Admin => &[
            "appointments:read",
            "appointments:confirm",
            "appointments:book",
            "cabinet:admin",
        ],
        Role::Manager => &["appointments:read", "analytics:read"],
    };
    list.iter().map(|s| s.to_string()).collect()
}

const USER_COLUMNS: &str = "u.id, u.cabinet_id, c.name AS cabinet_name, u.email, u.password_hash, \
     u.first_name, u.last_name, u.phone, u.role, u.preferences, u.last_login_at, u.created_at";

#[derive(Debug, Clone, FromRow)]
pub struct CabinetRow {
    pub id: String,
    pub timezone: String,
}

impl Store {
    pub async fn user_by_email(&self, email: &str) -> Result<Option<UserRow>> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM users u JOIN cabinets c ON c.id = u.cabinet_id WHERE u.email = $1"
        );
        Ok(sqlx::query_as(AssertSqlSafe(sql))
            .bind(email)
            .fetch_optional(&self.pool)
            .await?)
    }

    pub async fn user_by_id(&self, id: &str) -> Result<Option<UserRow>> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM users u JOIN cabinets c ON c.id = u.cabinet_id WHERE u.id = $1"
        );
        Ok(sqlx::query_as(AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    pub async fn touch_last_login(&self, id: &str, at: i64) -> Result<()> {
        sqlx::query("UPDATE users SET last_login_at = $1 WHERE id = $2")
            .bind(at)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn cabinet(&self, id: &str) -> Result<Option<CabinetRow>> {
        Ok(
            sqlx::query_as("SELECT id, timezone FROM cabinets WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    pub async fn practitioners(&self, cabinet_id: &str) -> Result<Vec<Practitioner>> {
        let rows: Vec<(String, String, String, Option<String>, String)> = sqlx::query_as(
            "SELECT u.id, u.first_name, u.last_name, u.specialty, m.cabinet_id FROM users u \
             JOIN memberships m ON m.user_id = u.id AND m.cabinet_id = $1 AND m.role = 'practitioner' \
             WHERE u.erased_at IS NULL ORDER BY u.last_name, u.first_name",
        )
        .bind(cabinet_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, first_name, last_name, specialty, cabinet_id)| Practitioner {
                    id,
                    first_name,
                    last_name,
                    specialty: specialty.unwrap_or_default(),
                    cabinet_id,
                },
            )
            .collect())
    }

    /// A practitioner of this cabinet, or `None` (also for another cabinet's practitioner).
    pub async fn practitioner_in_cabinet(&self, cabinet_id: &str, id: &str) -> Result<bool> {
        let found: Option<(String,)> = sqlx::query_as(
            "SELECT user_id FROM memberships WHERE user_id = $1 AND cabinet_id = $2 AND role = 'practitioner'",
        )
        .bind(id)
        .bind(cabinet_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    /// A patient of this cabinet, or `None` (also for another cabinet's patient).
    pub async fn patient_in_cabinet(&self, cabinet_id: &str, id: &str) -> Result<bool> {
        let found: Option<(String,)> = sqlx::query_as(
            "SELECT user_id FROM memberships WHERE user_id = $1 AND cabinet_id = $2 AND role = 'patient'",
        )
        .bind(id)
        .bind(cabinet_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    pub async fn working_hours(&self, practitioner_id: &str) -> Result<Vec<WeeklyWindow>> {
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT weekday, start_minute, end_minute FROM working_hours \
             WHERE practitioner_id = $1 ORDER BY weekday, start_minute",
        )
        .bind(practitioner_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(weekday, start, end)| WeeklyWindow {
                weekday: weekday as u8,
                start_minute: start as u32,
                end_minute: end as u32,
            })
            .collect())
    }
}
