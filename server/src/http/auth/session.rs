//! `POST /api/auth/login`, `POST /api/auth/refresh`, `POST /api/auth/logout`,
//! `GET /api/auth/me`.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use nova_contract::{ErrorCode, LoginRequest, LogoutRequest, RefreshRequest};

use super::{limit, open_session, session_for, REFRESH_TTL_SECS};
use crate::auth::rate_limit::Action;
use crate::auth::{password, tokens};
use crate::error::{Error, Result};
use crate::http::client_ip::ClientIp;
use crate::http::extract::{ok, parse_json, CurrentUser, Json};
use crate::state::ApiContext;
use crate::store::tokens::Rotation;

pub(super) async fn login(
    State(ctx): State<ApiContext>,
    ip: ClientIp,
    Json(req): Json<LoginRequest>,
) -> Result<Response> {
    let email = req.email.trim().to_lowercase();
    if email.is_empty() {
        return Err(Error::validation("email", "L'email est requis"));
    }
    if req.password.is_empty() {
        return Err(Error::validation("password", "Le mot de passe est requis"));
    }
    limit(&ctx, Action::Login, &email, &ip)?;
    let user = ctx.store.user_by_email(&email).await?;
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let matches = password::verify_blocking(req.password, stored).await?;
    let user = match user {
        Some(u) if matches => u,
        _ => {
            return Err(Error::new(
                ErrorCode::InvalidCredentials,
                "Email ou mot de passe incorrect",
            ))
        }
    };
    Ok(ok(open_session(&ctx, &user).await?))
}

/// Trades a live refresh token for a new session with the next token of its family.
pub(super) async fn refresh(
    State(ctx): State<ApiContext>,
    Json(req): Json<RefreshRequest>,
) -> Result<Response> {
    let presented = req.refresh_token.trim();
    if presented.is_empty() {
        return Err(Error::validation(
            "refreshToken",
            "Le jeton de rafraîchissement est requis",
        ));
    }
    let now = ctx.clock.now();
    let (next_token, next_hash) = tokens::new_refresh();
    let rotation = ctx
        .store
        .rotate_refresh_token(
            &tokens::hash_refresh(presented),
            &next_hash,
            now + REFRESH_TTL_SECS,
            now,
        )
        .await?;
    let user_id = match rotation {
        Rotation::Rotated { user_id, .. } => user_id,
        Rotation::Reused => {
            return Err(Error::unauthorized(
                "Session révoquée : ce jeton a déjà servi. Reconnectez-vous",
            ))
        }
        Rotation::Expired => return Err(Error::unauthorized("Session expirée, reconnectez-vous")),
        Rotation::Unknown => return Err(Error::unauthorized("Session inconnue")),
    };
    let user = ctx
        .store
        .user_by_id(&user_id)
        .await?
        .ok_or_else(|| Error::unauthorized("Compte introuvable"))?;
    Ok(ok(session_for(&ctx, &user, next_token, now).await?))
}

/// Ends the session of the given refresh token, or all of the caller's sessions. Access tokens
/// already issued stay valid until they expire (15 minutes at most): they are not stored.
pub(super) async fn logout(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    body: Bytes,
) -> Result<Response> {
    // Seed 000's client posts no body at all.
    let req: LogoutRequest = if body.iter().all(u8::is_ascii_whitespace) {
        LogoutRequest::default()
    } else {
        parse_json(&body)?
    };
    let now = ctx.clock.now();
    match req.refresh_token.as_deref().map(str::trim) {
        Some("") => {
            return Err(Error::validation(
                "refreshToken",
                "Le jeton de rafraîchissement est vide",
            ))
        }
        Some(token) => {
            // A token that is not the caller's ends nothing, and says nothing about whose it is.
            ctx.store
                .revoke_family_of(&tokens::hash_refresh(token), &caller.id, now)
                .await?;
        }
        None => {
            ctx.store.revoke_user_tokens(&caller.id, now).await?;
        }
    }
    Ok(ok(()))
}

pub(super) async fn me(State(ctx): State<ApiContext>, caller: CurrentUser) -> Result<Response> {
    let user = ctx
        .store
        .user_by_id(&caller.id)
        .await?
        .ok_or_else(|| Error::unauthorized("Compte introuvable"))?;
    Ok(ok(ctx.store.auth_user(&user).await?))
}
