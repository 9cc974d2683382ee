//! Seed 000 `AuthService` under `/api/auth` (handlers in `http/auth/`).

// The functions below exist only to carry their `#[utoipa::path]`.
#![allow(dead_code)]

use nova_contract::{
    ApiResponse, AuthSession, AuthUser, ChangePasswordRequest, LoginOtpRequest, LoginRequest,
    LogoutRequest, OtpRequest, PasswordResetConfirm, PasswordResetRequest, RefreshRequest,
    UpdateProfileRequest,
};
use utoipa::{OpenApi, TupleUnit};

#[derive(OpenApi)]
#[openapi(paths(
    login,
    refresh,
    logout,
    me,
    update_profile,
    change_password,
    password_reset_request,
    password_reset,
    otp_request,
    login_otp
))]
pub(super) struct Paths;

/// Sign in with email and password
///
/// Anyone. Answers the user (with their `memberships`) and a new session: a 15-minute access
/// token and a single-use refresh token. Limited to 10 tries per account and 30 per client
/// address in 15 minutes.
#[utoipa::path(post, path = "/api/auth/login", tag = "Auth", operation_id = "login",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = ApiResponse<AuthSession>),
        (status = 401, description = "- `INVALID_CREDENTIALS`: email and password do not match"),
        (status = 429, description = "- `RATE_LIMITED`: too many tries"),
    ))]
fn login() {}

/// Trade a refresh token for a new session
///
/// Anyone holding a live refresh token. The token is spent: the answer carries the next one.
/// Presenting a spent token again ends its whole session family.
#[utoipa::path(post, path = "/api/auth/refresh", tag = "Auth", operation_id = "refresh",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new session", body = ApiResponse<AuthSession>),
        (status = 401, description = "- `UNAUTHORIZED`: the token is unknown, expired or already spent (the session family is then ended)"),
    ))]
fn refresh() {}

/// Sign out
///
/// Signed in. Ends the session of `refreshToken`, or every session of the caller when the body
/// is `{}` or empty. Access tokens already issued work until they expire.
#[utoipa::path(post, path = "/api/auth/logout", tag = "Auth", operation_id = "logout",
    request_body(content = Option<LogoutRequest>, description = "May be empty"),
    responses((status = 200, description = "Signed out", body = ApiResponse<TupleUnit>)),
    security(("bearerAuth" = [])))]
fn logout() {}

/// The signed-in user
///
/// Signed in. `memberships` lists every cabinet the user may act in with `X-Tenant-ID`.
#[utoipa::path(get, path = "/api/auth/me", tag = "Auth", operation_id = "me",
    responses((status = 200, description = "The user", body = ApiResponse<AuthUser>)),
    security(("bearerAuth" = [])))]
fn me() {}

/// Change one's name, phone or preferences
///
/// Signed in. Only the fields present change; `phone: ""` removes it. Every field is checked
/// before anything is written.
#[utoipa::path(put, path = "/api/auth/profile", tag = "Auth", operation_id = "updateProfile",
    request_body = UpdateProfileRequest,
    responses((status = 200, description = "The updated user", body = ApiResponse<AuthUser>)),
    security(("bearerAuth" = [])))]
fn update_profile() {}

/// Change one's password
///
/// Signed in. Ends every session, this one included: the client signs in again. Wrong current
/// passwords count against the login limit.
#[utoipa::path(put, path = "/api/auth/change-password", tag = "Auth", operation_id = "changePassword",
    request_body = ChangePasswordRequest,
    responses(
        (status = 200, description = "Changed", body = ApiResponse<TupleUnit>),
        (status = 422, description = "- `VALIDATION_ERROR`: on `currentPassword` when it is wrong (not 401: the session is fine), on `newPassword` when too weak"),
        (status = 429, description = "- `RATE_LIMITED`: too many wrong current passwords"),
    ),
    security(("bearerAuth" = [])))]
fn change_password() {}

/// Ask for a password reset link by mail
///
/// Anyone. Always 200, whether or not the account exists; if it does, mails a single-use link
/// valid one hour. 5 per account and 30 per client address in 15 minutes.
#[utoipa::path(post, path = "/api/auth/password-reset-request", tag = "Auth", operation_id = "requestPasswordReset",
    request_body = PasswordResetRequest,
    responses(
        (status = 200, description = "Asked", body = ApiResponse<TupleUnit>),
        (status = 429, description = "- `RATE_LIMITED`: too many requests"),
    ))]
fn password_reset_request() {}

/// Set a new password with the mailed token
///
/// Anyone holding the token. Ends every session of the account.
#[utoipa::path(post, path = "/api/auth/password-reset", tag = "Auth", operation_id = "resetPassword",
    request_body = PasswordResetConfirm,
    responses(
        (status = 200, description = "Changed", body = ApiResponse<TupleUnit>),
        (status = 422, description = "- `VALIDATION_ERROR`: on `token` when it is bad, used or expired; on `newPassword` when too weak"),
    ))]
fn password_reset() {}

/// Ask for a 6-digit sign-in code by mail
///
/// Anyone. Always 200, whether or not the account exists; if it does, mails a code valid 10
/// minutes that replaces any earlier one. 5 per account and 30 per client address in 15
/// minutes.
#[utoipa::path(post, path = "/api/auth/otp-request", tag = "Auth", operation_id = "requestLoginCode",
    request_body = OtpRequest,
    responses(
        (status = 200, description = "Asked", body = ApiResponse<TupleUnit>),
        (status = 429, description = "- `RATE_LIMITED`: too many requests"),
    ))]
fn otp_request() {}

/// Sign in with a mailed code
///
/// Anyone. The same answer as a password login. Five wrong tries spend the code.
#[utoipa::path(post, path = "/api/auth/login-otp", tag = "Auth", operation_id = "loginWithCode",
    request_body = LoginOtpRequest,
    responses(
        (status = 200, description = "Signed in", body = ApiResponse<AuthSession>),
        (status = 401, description = "- `INVALID_CREDENTIALS`: a wrong code, or no live code (none asked, expired or spent)"),
        (status = 429, description = "- `RATE_LIMITED`: too many tries"),
    ))]
fn login_otp() {}
