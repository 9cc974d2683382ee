//! Appointment proposals inside a conversation (seed 001): staff taking part offer a slot, the
//! conversation's patient accepts (which books it, confirmed, with the same guarantees as a
//! booking) or rejects. A proposal whose slot has passed or been taken answers 409 and is
//! marked `expired`; both sides hear of every change (`proposal-status-changed`).

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, put};
use axum::Router;
use chrono::Duration;
use nova_contract::{
    CreateAppointmentRequest, CreateProposalRequest, ErrorCode, Proposal, ProposalAccepted,
    ProposalStatus, Role,
};

use super::appointments::check_duration;
use super::booking_rules::{cabinet_rules, check_start};
use super::conversations::check_participant;
use super::extract::{created, ok, optional_text, CurrentUser, Json};
use crate::error::{Error, Result};
use crate::state::ApiContext;
use crate::store::proposals::NewProposal;

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/api/conversations/{id}/proposals", get(list).post(create))
        .route("/api/proposals/{id}/accept", put(accept))
        .route("/api/proposals/{id}/reject", put(reject))
}

async fn list(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response> {
    check_participant(&ctx, &caller, &id).await?;
    Ok(ok(ctx.store.proposals_of(&id).await?))
}

async fn create(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Path(id): Path<String>,
    Json(req): Json<CreateProposalRequest>,
) -> Result<Response> {
    check_duration(req.duration)?;
    let notes = optional_text(req.notes.clone(), "notes", 2000)?;
    check_participant(&ctx, &caller, &id).await?;
    if !matches!(caller.role, Role::Practitioner | Role::Admin) {
        return Err(Error::forbidden());
    }
    if !ctx
        .store
        .practitioner_in_cabinet(&caller.cabinet_id, &req.practitioner_id)
        .await?
    {
        return Err(Error::validation(
            "practitionerId",
            "Praticien inconnu dans ce cabinet",
        ));
    }
    let rules = cabinet_rules(&ctx, &caller.cabinet_id).await?;
    check_start(
        &ctx,
        &rules,
        caller.role,
        &req.practitioner_id,
        req.start_time,
        req.duration,
    )
    .await?;
    // Offering a time already taken would only disappoint; the acceptance checks again.
    let end = req.start_time + Duration::minutes(i64::from(req.duration));
    if !ctx
        .store
        .busy(&req.practitioner_id, req.start_time, end)
        .await?
        .is_empty()
    {
        return Err(Error::field(
            ErrorCode::SlotConflict,
            "startTime",
            "Ce créneau n'est plus disponible",
        ));
    }
    let conversation = ctx
        .store
        .conversation(&caller.cabinet_id, &id, &caller.id)
        .await?
        .ok_or_else(|| Error::not_found("Conversation"))?;
    let proposal = ctx
        .store
        .create_proposal(&NewProposal {
            conversation_id: id,
            cabinet_id: caller.cabinet_id.clone(),
            practitioner_id: req.practitioner_id,
            patient_id: conversation.patient_id,
            proposed_by: caller.id.clone(),
            kind: req.kind,
            start: req.start_time,
            duration_min: req.duration,
            notes,
        })
        .await?;
    ctx.notify.proposal_created(&proposal).await;
    Ok(created(proposal))
}

/// The proposal, if the caller is its patient: another patient learns nothing (404), staff
/// may not answer for the patient (403).
async fn own_proposal(ctx: &ApiContext, caller: &CurrentUser, id: &str) -> Result<Proposal> {
    let proposal = ctx
        .store
        .proposal(&caller.cabinet_id, id)
        .await?
        .filter(|p| caller.role.is_staff() || p.patient_id == caller.id)
        .ok_or_else(|| Error::not_found("Proposition"))?;
    if caller.role != Role::Patient {
        return Err(Error::forbidden());
    }
    Ok(proposal)
}

/// 409 for a proposal that is no longer pending.
fn not_pending(p: &Proposal) -> Error {
    match p.status {
        ProposalStatus::Expired => Error::field(
            ErrorCode::SlotUnavailable,
            "startTime",
            "Cette proposition a expiré : son créneau est passé ou pris",
        ),
        _ => Error::new(
            ErrorCode::InvalidTransition,
            "Cette proposition a déjà reçu une réponse",
        ),
    }
}

/// Marks the proposal expired (if it was still pending) and tells both sides.
async fn expire(ctx: &ApiContext, p: &Proposal) {
    match ctx
        .store
        .settle_proposal(&p.cabinet_id, &p.id, ProposalStatus::Expired)
        .await
    {
        Ok(true) => announce(ctx, &p.cabinet_id, &p.id).await,
        Ok(false) => {}
        Err(e) => tracing::warn!(error = %e, "proposal not marked expired"),
    }
}

/// Sends `proposal-status-changed` with the proposal as it now is.
async fn announce(ctx: &ApiContext, cabinet_id: &str, id: &str) {
    let found = ctx.store.proposal(cabinet_id, id).await;
    let Ok(Some(p)) = found else {
        tracing::warn!("proposal-status-changed not sent: {found:?}");
        return;
    };
    match ctx.store.participant_ids(&p.conversation_id).await {
        Ok(people) => ctx.notify.proposal_status_changed(&people, &p).await,
        Err(e) => tracing::warn!(error = %e, "proposal-status-changed not sent"),
    }
}

async fn accept(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response> {
    let proposal = own_proposal(&ctx, &caller, &id).await?;
    if proposal.status != ProposalStatus::Pending {
        if proposal.status == ProposalStatus::Expired {
            // Its time came without an answer: write it down, and tell both sides once.
            expire(&ctx, &proposal).await;
        }
        return Err(not_pending(&proposal));
    }
    // The hours may have changed since it was offered. The patient is not held to the notice:
    // the practitioner chose the time.
    let rules = cabinet_rules(&ctx, &caller.cabinet_id).await?;
    let still_bookable = check_start(
        &ctx,
        &rules,
        Role::Practitioner,
        &proposal.practitioner_id,
        proposal.start_time,
        proposal.duration,
    )
    .await;
    let booked = match still_bookable {
        Ok(()) => ctx.store.accept_proposal(&caller.cabinet_id, &id).await,
        Err(e) => Err(e),
    };
    let appointment_id = match booked {
        Ok(a) => a,
        Err(e)
            if matches!(
                e.code(),
                ErrorCode::SlotConflict | ErrorCode::SlotUnavailable
            ) =>
        {
            if e.code() == ErrorCode::SlotConflict {
                ctx.notify
                    .slot_conflict(&caller.id, &as_booking(&proposal))
                    .await;
            }
            expire(&ctx, &proposal).await;
            return Err(e);
        }
        Err(e) => return Err(e),
    };
    let appointment = ctx
        .store
        .appointment(&caller.cabinet_id, &appointment_id)
        .await?
        .ok_or_else(|| Error::Internal("accepted appointment vanished".into()))?;
    ctx.notify.appointment_booked(&appointment).await;
    super::slot_changes::taken(&ctx, &appointment).await;
    announce(&ctx, &caller.cabinet_id, &id).await;
    let proposal = ctx
        .store
        .proposal(&caller.cabinet_id, &id)
        .await?
        .ok_or_else(|| Error::Internal("accepted proposal vanished".into()))?;
    Ok(ok(ProposalAccepted {
        proposal,
        appointment,
    }))
}

async fn reject(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response> {
    let proposal = own_proposal(&ctx, &caller, &id).await?;
    if proposal.status != ProposalStatus::Pending {
        return Err(not_pending(&proposal));
    }
    if !ctx
        .store
        .settle_proposal(&caller.cabinet_id, &id, ProposalStatus::Rejected)
        .await?
    {
        // Answered meanwhile (accepted in another tab).
        let now = ctx.store.proposal(&caller.cabinet_id, &id).await?;
        return Err(now.map_or_else(|| Error::not_found("Proposition"), |p| not_pending(&p)));
    }
    announce(&ctx, &caller.cabinet_id, &id).await;
    let proposal = ctx
        .store
        .proposal(&caller.cabinet_id, &id)
        .await?
        .ok_or_else(|| Error::not_found("Proposition"))?;
    Ok(ok(proposal))
}

/// The booking an acceptance amounts to, as `creneau:conflict` describes a lost slot.
fn as_booking(p: &Proposal) -> CreateAppointmentRequest {
    CreateAppointmentRequest {
        patient_id: Some(p.patient_id.clone()),
        patient_data: None,
        practitioner_id: p.practitioner_id.clone(),
        kind: p.kind,
        start_time: p.start_time,
        duration: p.duration,
        notes: None,
        urgency: None,
    }
}
