//! Request extractors that turn every bad input into the contract's typed errors: malformed
//! JSON is 400 `MALFORMED_JSON`; a missing, unknown or ill-typed field is 422
//! `VALIDATION_ERROR` naming the field; a missing or bad token is 401; a foreign tenant is 403.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use nova_contract::{ApiResponse, ErrorCode, Role};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::auth::tokens::{verify_access, Claims};
use crate::error::Error;
use crate::state::ApiContext;

/// A JSON body, typed by the contract.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| Error::new(ErrorCode::MalformedJson, "Corps de requête illisible"))?;
        parse_json(&bytes).map(Json)
    }
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| Error::new(ErrorCode::MalformedJson, format!("JSON invalide : {e}")))?;
    serde_path_to_error::deserialize(value).map_err(|e| {
        let field = field_of(&e.path().to_string(), &e.inner().to_string());
        Error::validation(field, e.inner().to_string())
    })
}

/// A query string, typed by the contract; repeated keys (`status=a&status=b`) fill a `Vec`.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let raw = parts.uri.query().unwrap_or_default();
        // Tracking the path names the parameter of a bad value (`sortBy=price`), which the
        // form deserializer's own message leaves out.
        let form = serde_html_form::Deserializer::from_bytes(raw.as_bytes());
        serde_path_to_error::deserialize(form)
            .map(Query)
            .map_err(|e| {
                let field = field_of(&e.path().to_string(), &e.inner().to_string());
                // A repeated parameter is one name in the URL (`status`, not `status[1]`).
                let name = field.split('[').next().unwrap_or_default();
                Error::validation(name, e.inner().to_string())
            })
    }
}

/// The field a serde error is about: the path to the bad value, completed by the name in
/// backticks of a missing field (the path stops at the struct lacking it). An unknown field's
/// path already ends with that field; without a path (query strings) its name is the field.
fn field_of(path: &str, message: &str) -> String {
    let named = |prefix: &str| {
        message
            .split_once(prefix)
            .and_then(|(_, rest)| rest.split_once('`'))
            .map(|(f, _)| f.to_string())
    };
    let path = path.trim_start_matches('.');
    match (named("missing field `"), named("unknown field `")) {
        (Some(f), _) if path.is_empty() => f,
        (Some(f), _) => format!("{path}.{f}"),
        (None, Some(f)) if path.is_empty() => f,
        _ => path.to_string(),
    }
}

/// The signed-in caller, from `Authorization: Bearer`, acting in one cabinet: the one named by
/// `X-Tenant-ID` if the caller is a member there (403 otherwise), else their home cabinet. The
/// role is the membership's, read from the database on every request, so a removed membership or
/// an erased account stops working at once rather than when the token expires.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: String,
    pub cabinet_id: String,
    pub role: Role,
}

impl FromRequestParts<ApiContext> for CurrentUser {
    type Rejection = Error;

    async fn from_request_parts(
        parts: &mut Parts,
        ctx: &ApiContext,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .filter(|t| !t.is_empty())
            .ok_or_else(|| Error::unauthorized("Authentification requise"))?;
        let Claims { sub, cab, .. } = verify_access(&ctx.config.jwt_secret, token)?;
        let requested = match parts.headers.get("x-tenant-id") {
            Some(v) => Some(
                v.to_str()
                    .ok()
                    .filter(|t| !t.is_empty())
                    .ok_or_else(|| Error::new(ErrorCode::Forbidden, "Cabinet non autorisé"))?
                    .to_owned(),
            ),
            None => None,
        };
        let cabinet_id = requested.clone().unwrap_or(cab);
        match ctx.store.membership(&sub, &cabinet_id).await? {
            Some(role) => Ok(CurrentUser {
                id: sub,
                cabinet_id,
                role,
            }),
            None if requested.is_some() => {
                Err(Error::new(ErrorCode::Forbidden, "Cabinet non autorisé"))
            }
            None => Err(Error::unauthorized("Compte inactif")),
        }
    }
}

/// Longest free-text reason (cancellation, absence) a person may give.
pub const MAX_REASON: usize = 500;

/// A trimmed optional text: blank is absent, too long is 422 on `field`.
pub fn optional_text(
    value: Option<String>,
    field: &str,
    max: usize,
) -> Result<Option<String>, Error> {
    let text = value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty());
    if text.as_ref().is_some_and(|t| t.chars().count() > max) {
        return Err(Error::validation(
            field,
            format!("{max} caractères au plus"),
        ));
    }
    Ok(text)
}

/// `200 {"success":true,"data":…}`.
pub fn ok<T: Serialize>(data: T) -> Response {
    axum::Json(ApiResponse::ok(data)).into_response()
}

/// `201 {"success":true,"data":…}`.
pub fn created<T: Serialize>(data: T) -> Response {
    (StatusCode::CREATED, axum::Json(ApiResponse::ok(data))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_named_in_request_spelling() {
        assert_eq!(field_of(".", "missing field `email`"), "email");
        assert_eq!(
            field_of("patientData", "missing field `phone`"),
            "patientData.phone"
        );
        assert_eq!(field_of("", "unknown field `x`, expected one of `a`"), "x");
        assert_eq!(field_of("x", "unknown field `x`, expected one of `a`"), "x");
        assert_eq!(field_of("startTime", "premature end of input"), "startTime");
    }

    #[test]
    fn syntax_errors_are_400_and_type_errors_422() {
        let e = parse_json::<nova_contract::LoginRequest>(b"{\"email\":").unwrap_err();
        assert_eq!(e.code(), ErrorCode::MalformedJson);
        let e = parse_json::<nova_contract::LoginRequest>(b"{\"email\":1,\"password\":\"x\"}")
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::ValidationError);
        match e {
            Error::Client { field, .. } => assert_eq!(field.as_deref(), Some("email")),
            other => panic!("{other:?}"),
        }
    }

    fn field(e: Error) -> Option<String> {
        match e {
            Error::Client { field, .. } => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unknown_and_missing_fields_are_named_once() {
        let e = parse_json::<nova_contract::LoginRequest>(br#"{"email":"a","password":"b","x":1}"#)
            .unwrap_err();
        assert_eq!(field(e).as_deref(), Some("x"));
        let e = parse_json::<nova_contract::LoginRequest>(br#"{"email":"a"}"#).unwrap_err();
        assert_eq!(field(e).as_deref(), Some("password"));
        let body = |patient: &str| {
            format!(
                r#"{{"practitionerId":"p","type":"soin","startTime":"2026-03-30T07:00:00Z","duration":45,"patientData":{patient}}}"#
            )
        };
        let e = parse_json::<nova_contract::CreateAppointmentRequest>(
            body(r#"{"firstName":"a","lastName":"b","email":"c","phone":"d","age":3}"#).as_bytes(),
        )
        .unwrap_err();
        assert_eq!(field(e).as_deref(), Some("patientData.age"));
        let e = parse_json::<nova_contract::CreateAppointmentRequest>(
            body(r#"{"firstName":"a","lastName":"b","email":"c"}"#).as_bytes(),
        )
        .unwrap_err();
        assert_eq!(field(e).as_deref(), Some("patientData.phone"));
    }
}
