//! GDPR: gathering everything held about one person, and erasing them by anonymisation.
//!
//! Every table naming a user is read or rewritten here: `users`, `appointments` (as patient or
//! practitioner), `refresh_tokens`, `audit_log` (as subject) and `calendar_feeds`; erasure also
//! deletes what only served the account's own requests (`password_resets`, `login_codes`,
//! `idempotency_keys`, whose stored bodies may hold personal data, and development `outbox` mail
//! to its address). A new table holding personal data must be added to both [`Store::export`]
//! and [`Store::erase`].

use chrono::Utc;
use nova_contract::{
    Appointment, AuditAction, DataExport, ExportedAppointment, ExportedAuditEntry, ExportedProfile,
    ExportedSession, Preferences, Role, EXPORT_FORMAT,
};
use sqlx::{AssertSqlSafe, FromRow};

use super::appointments::{AppointmentRow, SELECT as APPOINTMENT_SELECT};
use super::audit::AuditEvent;
use super::{to_time, Store};
use crate::auth::password;
use crate::error::Result;

/// The names an erased account carries from then on.
pub const ERASED_FIRST_NAME: &str = "Patient";
pub const ERASED_LAST_NAME: &str = "Anonymisé";

#[derive(Debug, Clone, FromRow)]
struct ProfileRow {
    id: String,
    email: String,
    first_name: String,
    last_name: String,
    phone: Option<String>,
    role: String,
    specialty: Option<String>,
    cabinet_id: String,
    cabinet_name: String,
    preferences: String,
    last_login_at: Option<i64>,
    created_at: i64,
}

/// What an erasure did.
#[derive(Debug, Clone)]
pub struct Erasure {
    pub erased_at: i64,
    /// Future appointments that held a slot and were cancelled to free it.
    pub cancelled: Vec<String>,
    /// Appointment rows kept as the practice's records (the cancelled ones included).
    pub kept: u64,
}

fn exported(a: Appointment, as_patient: bool) -> ExportedAppointment {
    ExportedAppointment {
        id: a.id,
        cabinet_id: a.cabinet_id,
        kind: a.kind,
        status: a.status,
        start_time: a.start_time,
        end_time: a.end_time,
        duration: a.duration,
        // Notes are about the patient: theirs to see, not the practitioner's to take away.
        notes: if as_patient { a.notes } else { None },
        practitioner: if as_patient { a.practitioner } else { None },
        created_at: a.created_at,
        updated_at: a.updated_at,
    }
}

impl Store {
    /// Everything held about a user; `None` when the account does not exist.
    pub async fn export(&self, user_id: &str) -> Result<Option<DataExport>> {
        let profile: Option<ProfileRow> = sqlx::query_as(
            "SELECT u.id, u.email, u.first_name, u.last_name, u.phone, u.role, u.specialty, \
             u.cabinet_id, c.name AS cabinet_name, u.preferences, u.last_login_at, u.created_at \
             FROM users u JOIN cabinets c ON c.id = u.cabinet_id WHERE u.id = $1",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(p) = profile else {
            return Ok(None);
        };
        let mut appointments = Vec::new();
        for column in ["a.patient_id", "a.practitioner_id"] {
            let sql =
                format!("{APPOINTMENT_SELECT} WHERE {column} = $1 ORDER BY a.starts_at, a.id");
            let rows: Vec<AppointmentRow> = sqlx::query_as(AssertSqlSafe(sql))
                .bind(user_id)
                .fetch_all(&self.pool)
                .await?;
            appointments.push(rows.into_iter().map(Appointment::from).collect::<Vec<_>>());
        }
        let as_practitioner = appointments.pop().unwrap_or_default();
        let as_patient = appointments.pop().unwrap_or_default();
        let sessions: Vec<(i64, i64, Option<i64>)> = sqlx::query_as(
            "SELECT created_at, expires_at, revoked_at FROM refresh_tokens \
             WHERE user_id = $1 ORDER BY created_at",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        let audit: Vec<(String, String, String, i64)> = sqlx::query_as(
            "SELECT actor_id, actor_role, action, at FROM audit_log \
             WHERE subject_id = $1 ORDER BY at, id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        let feed: Option<(i64,)> =
            sqlx::query_as("SELECT created_at FROM calendar_feeds WHERE practitioner_id = $1")
                .bind(user_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(Some(DataExport {
            format: EXPORT_FORMAT.into(),
            exported_at: Utc::now(),
            profile: ExportedProfile {
                id: p.id,
                email: p.email,
                first_name: p.first_name,
                last_name: p.last_name,
                phone: p.phone,
                role: Role::parse(&p.role).unwrap_or(Role::Patient),
                specialty: p.specialty,
                cabinet_id: p.cabinet_id,
                cabinet_name: p.cabinet_name,
                preferences: serde_json::from_str::<Preferences>(&p.preferences)
                    .unwrap_or_default(),
                last_login_at: p.last_login_at.map(to_time),
                created_at: to_time(p.created_at),
            },
            appointments_as_patient: as_patient.into_iter().map(|a| exported(a, true)).collect(),
            appointments_as_practitioner: as_practitioner
                .into_iter()
                .map(|a| exported(a, false))
                .collect(),
            sessions: sessions
                .into_iter()
                .map(|(created, expires, revoked)| ExportedSession {
                    created_at: to_time(created),
                    expires_at: to_time(expires),
                    revoked_at: revoked.map(to_time),
                })
                .collect(),
            audit: audit
                .into_iter()
                .map(|(actor_id, role, action, at)| ExportedAuditEntry {
                    actor_id,
                    actor_role: Role::parse(&role).unwrap_or(Role::Patient),
                    action: AuditAction::parse(&action),
                    at: to_time(at),
                })
                .collect(),
            calendar_feed_created_at: feed.map(|(at,)| to_time(at)),
            waitlist: self.waitlist_everywhere(user_id).await?,
        }))
    }

    /// Erases a user by anonymisation, in one transaction: future appointments holding a slot
    /// are cancelled, every appointment is kept with its notes cleared, the account loses its
    /// name, email, phone, password, preferences and sessions, and the act is audited.
    /// `None` when the account is unknown or already erased.
    pub async fn erase(&self, user_id: &str) -> Result<Option<Erasure>> {
        let now = Utc::now().timestamp();
        let mut tx = self.begin_write().await?;
        let found: Option<(String, String, String, Option<i64>)> =
            sqlx::query_as("SELECT cabinet_id, role, email, erased_at FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(&mut *tx)
                .await?;
        let (cabinet_id, role, email) = match found {
            Some((cabinet_id, role, email, None)) => (cabinet_id, role, email),
            _ => return Ok(None),
        };
        let cancelled: Vec<(String,)> = sqlx::query_as(
            "SELECT id FROM appointments WHERE patient_id = $1 \
             AND status IN ('pending', 'confirmed') AND starts_at > $2 ORDER BY starts_at",
        )
        .bind(user_id)
        .bind(now)
        .fetch_all(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE appointments SET status = 'cancelled', updated_at = $1 WHERE patient_id = $2 \
             AND status IN ('pending', 'confirmed') AND starts_at > $1",
        )
        .bind(now)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE appointments SET notes = NULL, updated_at = $1 \
             WHERE patient_id = $2 AND notes IS NOT NULL",
        )
        .bind(now)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        self.erase_messages_in(&mut tx, user_id, now).await?;
        let (kept,): (i64,) = sqlx::query_as(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM appointments WHERE patient_id = $1",
        )
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE users SET first_name = $1, last_name = $2, email = $3, phone = NULL, \
             specialty = NULL, password_hash = $4, preferences = '{}', last_login_at = NULL, \
             erased_at = $5 WHERE id = $6",
        )
        .bind(ERASED_FIRST_NAME)
        .bind(ERASED_LAST_NAME)
        .bind(format!("erased-{}@invalid", uuid::Uuid::new_v4()))
        .bind(password::UNUSABLE)
        .bind(now)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM refresh_tokens WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        for table in [
            "calendar_feeds WHERE practitioner_id",
            "password_resets WHERE user_id",
            "login_codes WHERE user_id",
            "idempotency_keys WHERE user_id",
            "notifications WHERE user_id",
        ] {
            sqlx::query(AssertSqlSafe(format!("DELETE FROM {table} = $1")))
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("DELETE FROM outbox WHERE to_address = $1")
            .bind(&email)
            .execute(&mut *tx)
            .await?;
        Store::audit_in(
            &mut tx,
            &AuditEvent {
                cabinet_id: &cabinet_id,
                actor_id: user_id,
                actor_role: Role::parse(&role).unwrap_or(Role::Patient),
                action: AuditAction::GdprErase,
                subject_type: "user",
                subject_id: user_id,
            },
        )
        .await?;
        tx.commit().await?;
        self.forget_memberships(user_id);
        Ok(Some(Erasure {
            erased_at: now,
            cancelled: cancelled.into_iter().map(|(id,)| id).collect(),
            kept: kept.max(0) as u64,
        }))
    }
}
