//! The audit log: an append-only record of who read or changed whose data.

use chrono::Utc;
use nova_contract::{AuditAction, AuditEntry, Role};
use sqlx::{Any, AssertSqlSafe, FromRow, Transaction};

use super::sql::{Arg, Sql};
use super::{to_time, Store};
use crate::error::Result;

/// One audited act.
#[derive(Debug, Clone, Copy)]
pub struct AuditEvent<'a> {
    pub cabinet_id: &'a str,
    pub actor_id: &'a str,
    pub actor_role: Role,
    pub action: AuditAction,
    /// `"patient"` when staff act on a patient's record, `"user"` for a person's own requests.
    pub subject_type: &'a str,
    pub subject_id: &'a str,
}

#[derive(Debug, Clone, FromRow)]
struct AuditRow {
    id: String,
    actor_id: String,
    actor_role: String,
    actor_name: String,
    action: String,
    subject_type: String,
    subject_id: String,
    at: i64,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> Self {
        AuditEntry {
            id: r.id,
            actor_id: r.actor_id,
            actor_role: Role::parse(&r.actor_role).unwrap_or(Role::Patient),
            actor_name: r.actor_name,
            action: AuditAction::parse(&r.action),
            subject_type: r.subject_type,
            subject_id: r.subject_id,
            at: to_time(r.at),
        }
    }
}

const INSERT: &str = "INSERT INTO audit_log (id, cabinet_id, actor_id, actor_role, action, \
                      subject_type, subject_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

fn insert(e: &AuditEvent<'_>) -> sqlx::query::Query<'static, Any, sqlx::any::AnyArguments> {
    sqlx::query(INSERT)
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(e.cabinet_id.to_owned())
        .bind(e.actor_id.to_owned())
        .bind(e.actor_role.as_str())
        .bind(e.action.as_str())
        .bind(e.subject_type.to_owned())
        .bind(e.subject_id.to_owned())
        .bind(Utc::now().timestamp())
}

impl Store {
    /// Records an act. Callers write it before answering, so a read that cannot be logged is
    /// not served.
    pub async fn audit(&self, event: &AuditEvent<'_>) -> Result<()> {
        insert(event).execute(&self.pool).await?;
        Ok(())
    }

    /// Records an act as part of a larger write, so both happen or neither.
    pub(crate) async fn audit_in(
        tx: &mut Transaction<'static, Any>,
        event: &AuditEvent<'_>,
    ) -> Result<()> {
        insert(event).execute(&mut **tx).await?;
        Ok(())
    }

    /// A page of the cabinet's log, newest first, optionally about one subject.
    pub async fn audit_entries(
        &self,
        cabinet_id: &str,
        subject_id: Option<&str>,
        page: u32,
        limit: u32,
    ) -> Result<(Vec<AuditEntry>, u64)> {
        let scope = |q: &mut Sql| {
            q.push(" WHERE l.cabinet_id = ")
                .bind(Arg::Text(cabinet_id.to_owned()));
            if let Some(subject) = subject_id {
                q.push(" AND l.subject_id = ")
                    .bind(Arg::Text(subject.to_owned()));
            }
        };
        let mut count = Sql::new("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log l");
        scope(&mut count);
        let (total,): (i64,) =
            sqlx::query_as_with(AssertSqlSafe(count.sql().to_owned()), count.arguments()?)
                .fetch_one(&self.pool)
                .await?;
        let mut list = Sql::new(
            "SELECT l.id, l.actor_id, l.actor_role, \
             COALESCE(u.first_name || ' ' || u.last_name, '') AS actor_name, \
             l.action, l.subject_type, l.subject_id, l.at \
             FROM audit_log l LEFT JOIN users u ON u.id = l.actor_id",
        );
        scope(&mut list);
        list.push(" ORDER BY l.at DESC, l.id DESC LIMIT ")
            .bind(Arg::Int(i64::from(limit)))
            .push(" OFFSET ")
            .bind(Arg::Int(
                i64::from(page.saturating_sub(1)) * i64::from(limit),
            ));
        let rows: Vec<AuditRow> =
            sqlx::query_as_with(AssertSqlSafe(list.sql().to_owned()), list.arguments()?)
                .fetch_all(&self.pool)
                .await?;
        Ok((
            rows.into_iter().map(AuditEntry::from).collect(),
            total as u64,
        ))
    }
}
