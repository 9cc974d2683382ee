//! `PUT /api/auth/profile` and `PUT /api/auth/change-password`: the signed-in user's own
//! account.

use axum::extract::State;
use axum::response::Response;
use nova_contract::{ChangePasswordRequest, UpdateProfileRequest};

use super::limit;
use crate::auth::password;
use crate::auth::rate_limit::Action;
use crate::domain::profile;
use crate::error::{Error, Result};
use crate::http::client_ip::ClientIp;
use crate::http::extract::{ok, CurrentUser, Json};
use crate::state::ApiContext;
use crate::store::profile::ProfileUpdate;
use crate::store::users::UserRow;

async fn caller_row(ctx: &ApiContext, caller: &CurrentUser) -> Result<UserRow> {
    ctx.store
        .user_by_id(&caller.id)
        .await?
        .ok_or_else(|| Error::unauthorized("Compte introuvable"))
}

/// Changes the fields present and answers the updated `AuthUser`. Every field is checked
/// before anything is written.
pub(super) async fn update_profile(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    Json(req): Json<UpdateProfileRequest>,
) -> Result<Response> {
    let current = caller_row(&ctx, &caller).await?;
    let first_name = match &req.first_name {
        Some(raw) => profile::name("firstName", raw)?,
        None => current.first_name.clone(),
    };
    let last_name = match &req.last_name {
        Some(raw) => profile::name("lastName", raw)?,
        None => current.last_name.clone(),
    };
    let phone = match &req.phone {
        Some(raw) => profile::phone(raw)?,
        None => current.phone.clone(),
    };
    let mut preferences = current.to_auth_user().preferences;
    if let Some(patch) = &req.preferences {
        preferences = preferences.patched(patch);
    }
    let update = ProfileUpdate {
        first_name,
        last_name,
        phone,
        preferences: serde_json::to_string(&preferences)
            .map_err(|e| Error::Internal(format!("preferences: {e}")))?,
    };
    ctx.store.update_profile(&caller.id, &update).await?;
    let row = caller_row(&ctx, &caller).await?;
    Ok(ok(ctx.store.auth_user(&row).await?))
}

/// Checks the current password, sets the new one and ends every session of the user, this
/// device's included: the client signs in again with the new password. A wrong current
/// password is 422 on `currentPassword`, not 401, because the session itself is fine and
/// clients treat 401 as "refresh the token or sign out". Wrong tries count against the same
/// per-account limit as logins, so a stolen access token cannot be used to guess the password.
pub(super) async fn change_password(
    State(ctx): State<ApiContext>,
    caller: CurrentUser,
    ip: ClientIp,
    Json(req): Json<ChangePasswordRequest>,
) -> Result<Response> {
    if req.current_password.is_empty() {
        return Err(Error::validation(
            "currentPassword",
            "Le mot de passe actuel est requis",
        ));
    }
    profile::new_password("newPassword", &req.new_password)?;
    let user = caller_row(&ctx, &caller).await?;
    limit(&ctx, Action::Login, &user.email, &ip)?;
    let current_ok =
        password::verify_blocking(req.current_password, Some(user.password_hash.clone())).await?;
    if !current_ok {
        return Err(Error::validation(
            "currentPassword",
            "Mot de passe actuel incorrect",
        ));
    }
    let hash = password::hash_blocking(req.new_password).await?;
    ctx.store
        .set_password(&user.id, &hash, ctx.clock.now())
        .await?;
    Ok(ok(()))
}
