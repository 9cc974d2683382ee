//! Getting in without the password: a reset link (`POST /api/auth/password-reset-request`,
//! `POST /api/auth/password-reset`) or a 6-digit sign-in code (`POST /api/auth/otp-request`,
//! `POST /api/auth/login-otp`), both sent by mail.
//!
//! The two request endpoints answer 200 whether or not the account exists, so they cannot be
//! used to learn who has one; both are rate limited per address typed and per client IP.

use axum::extract::State;
use axum::response::Response;
use nova_contract::{
    ErrorCode, LoginOtpRequest, OtpRequest, PasswordResetConfirm, PasswordResetRequest,
};

use super::{limit, open_session};
use crate::auth::one_time::{self, OTP_TTL_SECS, RESET_TTL_SECS};
use crate::auth::password;
use crate::auth::rate_limit::Action;
use crate::domain::profile;
use crate::error::{Error, Result};
use crate::http::client_ip::ClientIp;
use crate::http::extract::{ok, Json};
use crate::mail::messages;
use crate::state::ApiContext;
use crate::store::recovery::CodeCheck;

pub(super) async fn password_reset_request(
    State(ctx): State<ApiContext>,
    ip: ClientIp,
    Json(req): Json<PasswordResetRequest>,
) -> Result<Response> {
    let email = profile::email(&req.email)?;
    limit(&ctx, Action::ResetMail, &email, &ip)?;
    if let Some(user) = ctx.store.user_by_email(&email).await? {
        let now = ctx.clock.now();
        let (token, hash) = one_time::new_reset_token();
        ctx.store
            .replace_reset_token(&user.id, &hash, now + RESET_TTL_SECS, now)
            .await?;
        let mail = messages::password_reset(&user.email, &ctx.config.public_url, &token);
        ctx.mailer.send(mail).await?;
    }
    Ok(ok(()))
}

/// Sets a new password from a mailed token. The token works once, for an hour; using it ends
/// every session of the account.
pub(super) async fn password_reset(
    State(ctx): State<ApiContext>,
    Json(req): Json<PasswordResetConfirm>,
) -> Result<Response> {
    if req.token.trim().is_empty() {
        return Err(Error::validation(
            "token",
            "Le lien de réinitialisation est requis",
        ));
    }
    profile::new_password("newPassword", &req.new_password)?;
    let invalid = || {
        Error::validation(
            "token",
            "Lien de réinitialisation invalide, expiré ou déjà utilisé",
        )
    };
    let token_hash = one_time::hash_reset_token(&req.token);
    // Refuse a bad token before hashing: argon2 is costly on purpose, and this endpoint has no
    // attempt limit (a 256-bit token cannot be guessed).
    if !ctx
        .store
        .reset_token_is_live(&token_hash, ctx.clock.now())
        .await?
    {
        return Err(invalid());
    }
    let hash = password::hash_blocking(req.new_password).await?;
    // Spending the token is the atomic step: of two uses racing, one finds it spent.
    match ctx
        .store
        .reset_password(&token_hash, &hash, ctx.clock.now())
        .await?
    {
        Some(_) => Ok(ok(())),
        None => Err(invalid()),
    }
}

pub(super) async fn otp_request(
    State(ctx): State<ApiContext>,
    ip: ClientIp,
    Json(req): Json<OtpRequest>,
) -> Result<Response> {
    let email = profile::email(&req.email)?;
    limit(&ctx, Action::OtpRequest, &email, &ip)?;
    if let Some(user) = ctx.store.user_by_email(&email).await? {
        let now = ctx.clock.now();
        let code = one_time::new_otp();
        let hash = one_time::hash_otp(&ctx.config.jwt_secret, &user.id, &code);
        ctx.store
            .replace_login_code(&user.id, &hash, now + OTP_TTL_SECS, now)
            .await?;
        ctx.mailer
            .send(messages::login_code(&user.email, &code))
            .await?;
    }
    Ok(ok(()))
}

/// Signs in with a mailed code: the same answer as a password login. A wrong code spends one of
/// the code's five tries; without a live code (none asked, expired, spent or out of tries) even
/// the right digits fail. Both are 401 `INVALID_CREDENTIALS`, with different messages.
pub(super) async fn login_otp(
    State(ctx): State<ApiContext>,
    ip: ClientIp,
    Json(req): Json<LoginOtpRequest>,
) -> Result<Response> {
    let email = profile::email(&req.email)?;
    let otp = req.otp.trim();
    if otp.len() != 6 || !otp.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::validation("otp", "Le code compte 6 chiffres"));
    }
    limit(&ctx, Action::OtpLogin, &email, &ip)?;
    let wrong = || Error::new(ErrorCode::InvalidCredentials, "Code incorrect");
    let no_code = || {
        Error::new(
            ErrorCode::InvalidCredentials,
            "Code expiré ou épuisé : demandez-en un nouveau",
        )
    };
    let Some(user) = ctx.store.user_by_email(&email).await? else {
        return Err(no_code());
    };
    let hash = one_time::hash_otp(&ctx.config.jwt_secret, &user.id, otp);
    match ctx
        .store
        .try_login_code(&user.id, &hash, ctx.clock.now())
        .await?
    {
        CodeCheck::Accepted => Ok(ok(open_session(&ctx, &user).await?)),
        CodeCheck::Wrong => Err(wrong()),
        CodeCheck::NoLiveCode => Err(no_code()),
    }
}
