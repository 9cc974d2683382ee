//! GDPR rights of the signed-in user: `GET /api/me/export` (a copy of everything held about
//! them, as a file) and `DELETE /api/me` (erasure by anonymisation).
//!
//! Erasure is for patients. A staff account is part of the practice's records (who treated
//! whom, who read what): it is closed by the cabinet's admin, not by its owner, so staff get 403.

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use nova_contract::{AuditAction, ErasureReceipt, ErrorCode, Role};

use super::extract::{ok, CurrentUser};
use super::slot_changes;
use crate::error::{Error, Result};
use crate::state::ApiContext;
use crate::store::audit::AuditEvent;
use crate::store::to_time;

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/api/me", axum::routing::delete(erase))
        .route("/api/me/export", get(export))
}

/// Refuses a caller whose account was erased: their access token is still signed, but the
/// person it named is gone.
pub(super) async fn ensure_live(ctx: &ApiContext, caller: &CurrentUser) -> Result<()> {
    if ctx.store.is_erased(&caller.id).await? {
        return Err(Error::unauthorized("Compte supprimé"));
    }
    Ok(())
}

async fn export(State(ctx): State<ApiContext>, caller: CurrentUser) -> Result<Response> {
    ensure_live(&ctx, &caller).await?;
    // Logged first, so the export shows its own request.
    ctx.store
        .audit(&AuditEvent {
            cabinet_id: &caller.cabinet_id,
            actor_id: &caller.id,
            actor_role: caller.role,
            action: AuditAction::GdprExport,
            subject_type: "user",
            subject_id: &caller.id,
        })
        .await?;
    let data = ctx
        .store
        .export(&caller.id)
        .await?
        .ok_or_else(|| Error::unauthorized("Compte introuvable"))?;
    let body = serde_json::to_vec_pretty(&data)
        .map_err(|e| Error::Internal(format!("export encode: {e}")))?;
    let disposition = format!(
        "attachment; filename=\"nova-rdv-export-{}.json\"",
        data.exported_at.format("%Y-%m-%d")
    );
    let disposition = HeaderValue::from_str(&disposition)
        .map_err(|e| Error::Internal(format!("export header: {e}")))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            // Personal data: no shared or browser cache keeps a copy.
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response())
}

async fn erase(State(ctx): State<ApiContext>, caller: CurrentUser) -> Result<Response> {
    ensure_live(&ctx, &caller).await?;
    if caller.role != Role::Patient {
        return Err(Error::new(
            ErrorCode::Forbidden,
            "Les comptes du personnel sont clôturés par l'administrateur du cabinet",
        ));
    }
    let erasure = ctx
        .store
        .erase(&caller.id)
        .await?
        .ok_or_else(|| Error::unauthorized("Compte supprimé"))?;
    // Nobody is waiting any more; the entries would only keep their id around.
    if let Err(e) = ctx.store.forget_waitlist(&caller.id).await {
        tracing::warn!("waitlist of an erased account not removed: {e}");
    }
    tracing::info!(
        cancelled = erasure.cancelled.len(),
        "account erased at its owner's request"
    );
    // The practitioners' agendas and open slot pickers learn at once that these times are free.
    for id in &erasure.cancelled {
        if let Some(a) = ctx.store.appointment_unscoped(id).await? {
            ctx.notify.appointment_cancelled(&a).await;
            slot_changes::freed(&ctx, &a).await;
        }
    }
    Ok(ok(ErasureReceipt {
        erased_at: to_time(erasure.erased_at),
        cancelled_appointments: erasure.cancelled.len() as u64,
        kept_appointments: erasure.kept,
    }))
}
