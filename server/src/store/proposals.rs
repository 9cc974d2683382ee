//! Appointment proposals made inside a conversation (seed 001). Accepting one books its slot
//! through the same path as any booking ([`Store::prepare_booking`], [`Store::insert_booked`]),
//! in one transaction with the proposal's change of status: either both happen or neither.

use chrono::{DateTime, Utc};
use nova_contract::{
    AppointmentStatus, AppointmentType, ErrorCode, Proposal, ProposalStatus, Urgency,
};
use sqlx::{AssertSqlSafe, FromRow};

use super::appointments::NewAppointment;
use super::{to_time, Store};
use crate::error::{Error, Result};

#[derive(Debug, FromRow)]
struct ProposalRow {
    id: String,
    conversation_id: String,
    cabinet_id: String,
    practitioner_id: String,
    patient_id: String,
    proposed_by: String,
    kind: String,
    starts_at: i64,
    duration: i64,
    notes: Option<String>,
    status: String,
    appointment_id: Option<String>,
    created_at: i64,
    updated_at: i64,
}

impl ProposalRow {
    /// A pending proposal whose time has come is expired, whether or not anyone wrote so yet.
    fn into_proposal(self, now: i64) -> Proposal {
        let mut status = ProposalStatus::parse(&self.status).unwrap_or(ProposalStatus::Expired);
        if status == ProposalStatus::Pending && self.starts_at <= now {
            status = ProposalStatus::Expired;
        }
        Proposal {
            id: self.id,
            conversation_id: self.conversation_id,
            cabinet_id: self.cabinet_id,
            practitioner_id: self.practitioner_id,
            patient_id: self.patient_id,
            proposed_by: self.proposed_by,
            kind: AppointmentType::parse(&self.kind).unwrap_or(AppointmentType::Consultation),
            start_time: to_time(self.starts_at),
            end_time: to_time(self.starts_at + self.duration * 60),
            duration: self.duration as u32,
            notes: self.notes,
            status,
            appointment_id: self.appointment_id,
            created_at: to_time(self.created_at),
            updated_at: to_time(self.updated_at),
        }
    }
}

const COLUMNS: &str = "id, conversation_id, cabinet_id, practitioner_id, patient_id, proposed_by, \
     kind, starts_at, duration, notes, status, appointment_id, created_at, updated_at";

/// A proposal, already checked against the rules that need no database.
#[derive(Debug, Clone)]
pub struct NewProposal {
    pub conversation_id: String,
    pub cabinet_id: String,
    pub practitioner_id: String,
    pub patient_id: String,
    pub proposed_by: String,
    pub kind: AppointmentType,
    pub start: DateTime<Utc>,
    pub duration_min: u32,
    pub notes: Option<String>,
}

impl Store {
    pub async fn create_proposal(&self, new: &NewProposal) -> Result<Proposal> {
        let id = uuid::Uuid::new_v4().to_string();
        let now = Utc::now().timestamp();
        sqlx::query(
            "INSERT INTO proposals (id, conversation_id, cabinet_id, practitioner_id, patient_id, \
             proposed_by, kind, starts_at, duration, notes, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', $11, $12)",
        )
        .bind(&id)
        .bind(&new.conversation_id)
        .bind(&new.cabinet_id)
        .bind(&new.practitioner_id)
        .bind(&new.patient_id)
        .bind(&new.proposed_by)
        .bind(new.kind.as_str())
        .bind(new.start.timestamp())
        .bind(i64::from(new.duration_min))
        .bind(&new.notes)
        .bind(now)
        .bind(now)
        .execute(&self.pool)
        .await?;
        self.proposal(&new.cabinet_id, &id)
            .await?
            .ok_or_else(|| Error::Internal("new proposal vanished".into()))
    }

    /// One proposal of this cabinet.
    pub async fn proposal(&self, cabinet_id: &str, id: &str) -> Result<Option<Proposal>> {
        let sql = format!("SELECT {COLUMNS} FROM proposals WHERE id = $1 AND cabinet_id = $2");
        let row: Option<ProposalRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(id)
            .bind(cabinet_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.into_proposal(Utc::now().timestamp())))
    }

    /// A conversation's proposals, newest first.
    pub async fn proposals_of(&self, conversation_id: &str) -> Result<Vec<Proposal>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM proposals WHERE conversation_id = $1 \
             ORDER BY created_at DESC, id DESC LIMIT 200"
        );
        let rows: Vec<ProposalRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(conversation_id)
            .fetch_all(&self.pool)
            .await?;
        let now = Utc::now().timestamp();
        Ok(rows.into_iter().map(|r| r.into_proposal(now)).collect())
    }

    /// Moves a pending proposal whose time is still ahead to `to`; `false` when it was not (any
    /// more) pending.
    pub async fn settle_proposal(
        &self,
        cabinet_id: &str,
        id: &str,
        to: ProposalStatus,
    ) -> Result<bool> {
        let now = Utc::now().timestamp();
        let done = sqlx::query(
            "UPDATE proposals SET status = $1, updated_at = $2 \
             WHERE id = $3 AND cabinet_id = $4 AND status = 'pending'",
        )
        .bind(to.as_str())
        .bind(now)
        .bind(id)
        .bind(cabinet_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Accepts a pending proposal and books its slot, confirmed, in one transaction; returns the
    /// appointment's id. The proposal is claimed first (`status = 'pending'` in the UPDATE), so
    /// of two acceptances only one gets past it; the booking then meets every other writer of
    /// the practitioner's agenda exactly as a booking would, and a refusal (`SlotConflict`,
    /// `SlotUnavailable`) undoes the claim with the rest.
    pub async fn accept_proposal(&self, cabinet_id: &str, id: &str) -> Result<String> {
        let now = Utc::now().timestamp();
        let mut tx = self.begin_write().await?;
        let claimed = sqlx::query(
            "UPDATE proposals SET status = 'accepted', updated_at = $1 \
             WHERE id = $2 AND cabinet_id = $3 AND status = 'pending'",
        )
        .bind(now)
        .bind(id)
        .bind(cabinet_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed != 1 {
            return Err(Error::new(
                ErrorCode::InvalidTransition,
                "Cette proposition a déjà reçu une réponse",
            ));
        }
        let sql = format!("SELECT {COLUMNS} FROM proposals WHERE id = $1");
        let row: ProposalRow = sqlx::query_as(AssertSqlSafe(sql))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        if row.starts_at <= now {
            return Err(Error::field(
                ErrorCode::SlotUnavailable,
                "startTime",
                "Ce créneau est passé",
            ));
        }
        let new = NewAppointment {
            cabinet_id: row.cabinet_id.clone(),
            practitioner_id: row.practitioner_id.clone(),
            patient_id: row.patient_id.clone(),
            kind: AppointmentType::parse(&row.kind).unwrap_or(AppointmentType::Consultation),
            status: AppointmentStatus::Confirmed,
            start: to_time(row.starts_at),
            duration_min: row.duration as u32,
            notes: row.notes.clone(),
            urgency: Urgency::Normal,
        };
        self.prepare_booking(&mut tx, &new).await?;
        let appointment_id = uuid::Uuid::new_v4().to_string();
        self.insert_booked(&mut tx, &appointment_id, &new, &row.patient_id)
            .await?;
        sqlx::query("UPDATE proposals SET appointment_id = $1 WHERE id = $2")
            .bind(&appointment_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(appointment_id)
    }
}
