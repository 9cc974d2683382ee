//! `POST /api/auth/login` and `GET /api/auth/me`.

use std::sync::OnceLock;

use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use chrono::Utc;
use nova_contract::{AuthSession, AuthTokens, ErrorCode, LoginRequest};

use super::extract::{ok, CurrentUser, Json};
use crate::auth::{password, tokens};
use crate::error::{Error, Result};
use crate::state::ApiContext;
use crate::store::users::UserRow;

const REFRESH_TTL_SECS: i64 = 30 * 24 * 3600;

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/api/auth/login", post(login))
        .route("/api/auth/me", get(me))
}

async fn login(State(ctx): State<ApiContext>, Json(req): Json<LoginRequest>) -> Result<Response> {
    let email = req.email.trim().to_lowercase();
    if email.is_empty() {
        return Err(Error::validation("email", "L'email est requis"));
    }
    if req.password.is_empty() {
        return Err(Error::validation("password", "Le mot de passe est requis"));
    }
    let user = ctx.store.user_by_email(&email).await?;
    // Verify against a stand-in hash when the account does not exist, so the answer takes as
    // long either way and does not reveal which emails have accounts.
    let stored = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| dummy_hash().to_string());
    let password = req.password;
    let matches = tokio::task::spawn_blocking(move || password::verify(&password, &stored))
        .await
        .map_err(|e| Error::Internal(format!("password check: {e}")))?;
    let user = match user {
        Some(u) if matches => u,
        _ => {
            return Err(Error::new(
                ErrorCode::InvalidCredentials,
                "Email ou mot de passe incorrect",
            ))
        }
    };
    let now = Utc::now().timestamp();
    ctx.store.touch_last_login(&user.id, now).await?;
    let session = open_session(&ctx, &user, now).await?;
    Ok(ok(session))
}

async fn me(State(ctx): State<ApiContext>, caller: CurrentUser) -> Result<Response> {
    let user = ctx
        .store
        .user_by_id(&caller.id)
        .await?
        .ok_or_else(|| Error::unauthorized("Compte introuvable"))?;
    Ok(ok(user.to_auth_user()))
}

/// Issues an access token and a new refresh-token family for a user who just proved who they are.
async fn open_session(ctx: &ApiContext, user: &UserRow, now: i64) -> Result<AuthSession> {
    let ttl = ctx.config.access_ttl_secs;
    let claims = tokens::Claims {
        sub: user.id.clone(),
        cab: user.cabinet_id.clone(),
        role: user.role(),
        iat: now as u64,
        exp: now as u64 + ttl,
    };
    let access_token = tokens::issue_access(&ctx.config.jwt_secret, &claims)?;
    let (refresh_token, refresh_hash) = tokens::new_refresh();
    let family = uuid::Uuid::new_v4().to_string();
    ctx.store
        .insert_refresh_token(
            &refresh_hash,
            &user.id,
            &family,
            now + REFRESH_TTL_SECS,
            now,
        )
        .await?;
    let mut profile = user.to_auth_user();
    profile.last_login_at = Some(chrono::DateTime::from_timestamp(now, 0).unwrap_or_default());
    Ok(AuthSession {
        user: profile,
        tokens: AuthTokens {
            access_token,
            refresh_token,
            expires_in: ttl,
            token_type: "Bearer".into(),
        },
    })
}

fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| password::hash("not-a-real-account").unwrap_or_default())
}
