//! Messaging (seed 003): a patient and a staff member of their cabinet write to each other.
//! Only participants see a conversation: another cabinet's is 404, and one of this cabinet the
//! caller takes no part in is 404 for a patient (who learns nothing) and 403 for staff, as for
//! appointments.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, put};
use axum::Router;
use chrono::Utc;
use nova_contract::{
    MarkReadRequest, MessageListQuery, OpenConversationRequest, ReadReceipt, Role,
    SendMessageRequest, MAX_MESSAGE_CHARS,
};

use super::extract::{created, ok, parse_json, CurrentUser, Json, Query};
use crate::error::{Error, Result};
use crate::state::ApiContext;
use crate::store::conversations::Access;

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/api/conversations", get(list).post(open))
        .route("/api/conversations/{id}", get(one))
        .route("/api/conversations/{id}/messages", get(messages).post(send))
        .route("/api/conversations/{id}/read", put(read))
}

/// Refuses, before anything is read or written, a caller who does not take part in `id`.
pub(super) async fn check_participant(
    ctx: &ApiContext,
    caller: &CurrentUser,
    id: &str,
) -> Result<()> {
    match ctx
        .store
        .conversation_access(&caller.cabinet_id, id, &caller.id)
        .await?
    {
        Access::Participant => Ok(()),
        Access::Outsider if caller.role.is_staff() => Err(Error::forbidden()),
        Access::Outsider | Access::Unknown => Err(Error::not_found("Conversation")),
    }
}

/// Tells each participant how the conversation now looks to them (last message, unread).
async fn tell_participants(ctx: &ApiContext, cabinet_id: &str, id: &str, people: &[String]) {
    for user in people {
        match ctx.store.conversation(cabinet_id, id, user).await {
            Ok(Some(mut view)) => {
                ctx.notify
                    .mark_online(cabinet_id, std::slice::from_mut(&mut view))
                    .await;
                ctx.notify.conversation_updated(user, &view).await
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "conversation_updated not sent"),
        }
    }
}

async fn list(State(ctx): State<ApiContext>, caller: CurrentUser) -> Result<Response> {
    let mut items = ctx
        .store
        .conversations_of(&caller.cabinet_id, &caller.id)
        .await?;
    ctx.notify.mark_online(&caller.cabinet_id, &mut items).await;
    Ok(ok(items))
}

async fn open(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Json(req): Json<OpenConversationRequest>,
) -> Result<Response> {
    let (patient_id, staff_id) = match caller.role {
        Role::Patient => {
            if req.patient_id.is_some() {
                return Err(Error::validation(
                    "patientId",
                    "Un patient écrit à un praticien : indiquez practitionerId",
                ));
            }
            let practitioner = req
                .practitioner_id
                .ok_or_else(|| Error::validation("practitionerId", "Champ requis"))?;
            if !ctx
                .store
                .practitioner_in_cabinet(&caller.cabinet_id, &practitioner)
                .await?
            {
                return Err(Error::validation(
                    "practitionerId",
                    "Praticien inconnu dans ce cabinet",
                ));
            }
            (caller.id.clone(), practitioner)
        }
        Role::Practitioner | Role::Admin => {
            if req.practitioner_id.is_some() {
                return Err(Error::validation(
                    "practitionerId",
                    "Le personnel écrit à un patient : indiquez patientId",
                ));
            }
            let patient = req
                .patient_id
                .ok_or_else(|| Error::validation("patientId", "Champ requis"))?;
            if !ctx
                .store
                .patient_in_cabinet(&caller.cabinet_id, &patient)
                .await?
            {
                return Err(Error::validation(
                    "patientId",
                    "Patient inconnu dans ce cabinet",
                ));
            }
            (patient, caller.id.clone())
        }
        Role::Manager => return Err(Error::forbidden()),
    };
    let (id, made) = ctx
        .store
        .open_conversation(&caller.cabinet_id, &patient_id, &staff_id)
        .await?;
    let mut view = ctx
        .store
        .conversation(&caller.cabinet_id, &id, &caller.id)
        .await?
        .ok_or_else(|| Error::Internal("opened conversation vanished".into()))?;
    ctx.notify
        .mark_online(&caller.cabinet_id, std::slice::from_mut(&mut view))
        .await;
    if made {
        tell_participants(&ctx, &caller.cabinet_id, &id, &[patient_id, staff_id]).await;
        Ok(created(view))
    } else {
        Ok(ok(view))
    }
}

async fn one(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response> {
    check_participant(&ctx, &caller, &id).await?;
    let mut view = ctx
        .store
        .conversation(&caller.cabinet_id, &id, &caller.id)
        .await?
        .ok_or_else(|| Error::not_found("Conversation"))?;
    ctx.notify
        .mark_online(&caller.cabinet_id, std::slice::from_mut(&mut view))
        .await;
    Ok(ok(view))
}

async fn messages(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<MessageListQuery>,
) -> Result<Response> {
    let limit = q.limit.unwrap_or(50);
    if !(1..=100).contains(&limit) {
        return Err(Error::validation("limit", "limit doit être entre 1 et 100"));
    }
    if q.before.is_some() && q.after.is_some() {
        return Err(Error::validation("after", "before ou after, pas les deux"));
    }
    check_participant(&ctx, &caller, &id).await?;
    Ok(ok(ctx.store.messages(&id, &q, limit).await?))
}

async fn send(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Path(id): Path<String>,
    Json(req): Json<SendMessageRequest>,
) -> Result<Response> {
    let content = req.content.trim();
    if content.is_empty() {
        return Err(Error::validation("content", "Le message est vide"));
    }
    if content.chars().count() > MAX_MESSAGE_CHARS {
        return Err(Error::validation(
            "content",
            format!("{MAX_MESSAGE_CHARS} caractères au plus"),
        ));
    }
    check_participant(&ctx, &caller, &id).await?;
    let message = ctx.store.send_message(&id, &caller.id, content).await?;
    let people = ctx.store.participant_ids(&id).await?;
    ctx.notify.message_sent(&people, &message).await;
    tell_participants(&ctx, &caller.cabinet_id, &id, &people).await;
    Ok(created(message))
}

/// The body is optional: an empty one marks everything read.
async fn read(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response> {
    let req: MarkReadRequest = if body.iter().all(u8::is_ascii_whitespace) {
        MarkReadRequest::default()
    } else {
        parse_json(&body)?
    };
    check_participant(&ctx, &caller, &id).await?;
    let (position, moved) = ctx.store.mark_read(&id, &caller.id, req.seq).await?;
    let receipt = ReadReceipt {
        conversation_id: id.clone(),
        user_id: caller.id.clone(),
        last_read_seq: position,
        read_at: Utc::now(),
    };
    if moved {
        let people = ctx.store.participant_ids(&id).await?;
        ctx.notify.messages_read(&people, &receipt).await;
        tell_participants(
            &ctx,
            &caller.cabinet_id,
            &id,
            std::slice::from_ref(&caller.id),
        )
        .await;
    }
    Ok(ok(receipt))
}
