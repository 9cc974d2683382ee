//! The waitlist, for patients: `POST /api/waitlist` `{practitionerId, dateFrom?, dateTo?}` asks
//! to be told of a freed time with a practitioner of their cabinet (inside the window, local
//! days inclusive); `GET /api/waitlist` lists their entries; `DELETE /api/waitlist/{id}` leaves.
//!
//! A freed time reaches waiting patients as `creneau:available` (see `slot_changes`); booking a
//! time that fits closes the entry. Staff cannot join (403): the waitlist is a patient's own
//! request.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{delete, get};
use axum::Router;
use chrono::{Duration, Utc};
use nova_contract::{CreateWaitlistRequest, Role};

use super::booking_rules::cabinet_rules;
use super::extract::{created, ok, CurrentUser, Json};
use crate::error::{Error, Result};
use crate::state::ApiContext;
use crate::store::appointments::local_midnight;
use crate::store::waitlist::NewWaitlistEntry;

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/api/waitlist", get(list).post(create))
        .route("/api/waitlist/{id}", delete(remove))
}

/// Open entries one patient may have in a cabinet.
const MAX_OPEN: u64 = 10;

fn patient_only(caller: &CurrentUser) -> Result<()> {
    if caller.role != Role::Patient {
        return Err(Error::forbidden());
    }
    Ok(())
}

async fn create(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Json(req): Json<CreateWaitlistRequest>,
) -> Result<Response> {
    patient_only(&caller)?;
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
    if let (Some(from), Some(to)) = (req.date_from, req.date_to) {
        if to < from {
            return Err(Error::validation("dateTo", "dateTo précède dateFrom"));
        }
    }
    let rules = cabinet_rules(&ctx, &caller.cabinet_id).await?;
    let today = Utc::now().with_timezone(&rules.tz).date_naive();
    if req.date_to.is_some_and(|to| to < today) {
        return Err(Error::validation("dateTo", "Cette date est passée"));
    }
    if ctx
        .store
        .open_waitlist_count(&caller.cabinet_id, &caller.id)
        .await?
        >= MAX_OPEN
    {
        return Err(Error::validation(
            "practitionerId",
            format!("{MAX_OPEN} listes d'attente au plus à la fois"),
        ));
    }
    let new = NewWaitlistEntry {
        cabinet_id: &caller.cabinet_id,
        patient_id: &caller.id,
        practitioner_id: &req.practitioner_id,
        date_from: req.date_from,
        date_to: req.date_to,
        not_before: req.date_from.map(|d| local_midnight(rules.tz, d)),
        not_after: req
            .date_to
            .map(|d| local_midnight(rules.tz, d + Duration::days(1))),
        now: ctx.clock.now(),
    };
    let entry = ctx.store.add_waitlist_entry(&new).await?.ok_or_else(|| {
        Error::validation(
            "practitionerId",
            "Vous êtes déjà en liste d'attente pour ce praticien",
        )
    })?;
    Ok(created(entry))
}

/// Anyone may list their own entries; staff simply have none.
async fn list(State(ctx): State<ApiContext>, caller: CurrentUser) -> Result<Response> {
    Ok(ok(ctx
        .store
        .waitlist_of(&caller.cabinet_id, &caller.id)
        .await?))
}

async fn remove(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response> {
    let entry = ctx
        .store
        .waitlist_of(&caller.cabinet_id, &caller.id)
        .await?
        .into_iter()
        .find(|e| e.id == id)
        .ok_or_else(|| Error::not_found("Liste d'attente"))?;
    if !ctx
        .store
        .remove_waitlist_entry(&caller.cabinet_id, &caller.id, &id)
        .await?
    {
        return Err(Error::not_found("Liste d'attente"));
    }
    Ok(ok(entry))
}
