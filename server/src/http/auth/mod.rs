//! Seed 000 `AuthService` under `/api/auth`: sessions (login with a password or an emailed
//! code, refresh, logout, the signed-in user), the user's own account (profile, password) and
//! recovery (reset link, sign-in code) by mail.

mod account;
mod recovery;
mod session;

use axum::routing::{get, post, put};
use axum::Router;
use nova_contract::{AuthSession, AuthTokens};

use super::client_ip::ClientIp;
use crate::auth::rate_limit::{Action, RetryAfter};
use crate::auth::tokens;
use crate::domain::profile::Invalid;
use crate::error::{Error, Result};
use crate::state::ApiContext;
use crate::store::users::UserRow;

/// A refresh token (and each one that replaces it) lives this long.
const REFRESH_TTL_SECS: i64 = 30 * 24 * 3600;

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/api/auth/login", post(session::login))
        .route("/api/auth/refresh", post(session::refresh))
        .route("/api/auth/logout", post(session::logout))
        .route("/api/auth/me", get(session::me))
        .route("/api/auth/profile", put(account::update_profile))
        .route("/api/auth/change-password", put(account::change_password))
        .route(
            "/api/auth/password-reset-request",
            post(recovery::password_reset_request),
        )
        .route("/api/auth/password-reset", post(recovery::password_reset))
        .route("/api/auth/otp-request", post(recovery::otp_request))
        .route("/api/auth/login-otp", post(recovery::login_otp))
}

impl From<Invalid> for Error {
    fn from(e: Invalid) -> Self {
        Error::validation(e.field, e.message)
    }
}

/// Counts one attempt at `action` for this account and address, or refuses it with 429.
fn limit(ctx: &ApiContext, action: Action, account: &str, ip: &ClientIp) -> Result<()> {
    ctx.limiter
        .attempt(action, account, &ip.0, ctx.clock.now_millis())
        .map_err(|RetryAfter(retry_after_secs)| {
            tracing::info!(?action, account, ip = %ip.0, retry_after_secs, "attempt refused by rate limit");
            Error::RateLimited { retry_after_secs }
        })
}

/// Starts a session for a user who just proved who they are: stamps the login, opens a new
/// refresh-token family and issues its first token.
async fn open_session(ctx: &ApiContext, user: &UserRow) -> Result<AuthSession> {
    let now = ctx.clock.now();
    ctx.store.touch_last_login(&user.id, now).await?;
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
    let mut session = session_for(ctx, user, refresh_token, now).await?;
    session.user.last_login_at = Some(crate::store::to_time(now));
    Ok(session)
}

/// The answer of a login or refresh: the user, a new access token and this refresh token.
async fn session_for(
    ctx: &ApiContext,
    user: &UserRow,
    refresh_token: String,
    now: i64,
) -> Result<AuthSession> {
    let ttl = ctx.config.access_ttl_secs;
    let claims = tokens::Claims {
        sub: user.id.clone(),
        cab: user.cabinet_id.clone(),
        role: user.role(),
        iat: now as u64,
        exp: now as u64 + ttl,
    };
    Ok(AuthSession {
        user: ctx.store.auth_user(user).await?,
        tokens: AuthTokens {
            access_token: tokens::issue_access(&ctx.config.jwt_secret, &claims)?,
            refresh_token,
            expires_in: ttl,
            token_type: "Bearer".into(),
        },
    })
}
