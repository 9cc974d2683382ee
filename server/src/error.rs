//! The server's one error type. Every failure becomes the envelope
//! `{"success":false,"error":{code,message,field}}` with the status that goes with its code.
//! Internal causes are logged and never sent.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use nova_contract::{ApiResponse, ErrorCode, ErrorDetails};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A client error with a stable code, a message and maybe the field at fault.
    #[error("{code:?}: {message}")]
    Client {
        code: ErrorCode,
        message: String,
        field: Option<String>,
    },
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("configuration: {0}")]
    Config(String),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    #[error("internal: {0}")]
    Internal(String),
    /// Too many attempts (429 `RATE_LIMITED`); `Retry-After` tells when the next one may pass.
    #[error("rate limited for {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
}

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Client {
            code,
            message: message.into(),
            field: None,
        }
    }

    pub fn field(code: ErrorCode, field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Client {
            code,
            message: message.into(),
            field: Some(field.into()),
        }
    }

    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::field(ErrorCode::ValidationError, field, message)
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(ErrorCode::NotFound, format!("{what} introuvable"))
    }

    pub fn forbidden() -> Self {
        Self::new(ErrorCode::Forbidden, "Action non autorisée")
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Unauthorized, message)
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Client { code, .. } => *code,
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            _ => ErrorCode::InternalError,
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let retry_after = match &self {
            Self::RateLimited { retry_after_secs } => *retry_after_secs,
            _ => 60,
        };
        let (code, message, field) = match self {
            Self::Client {
                code,
                message,
                field,
            } => (code, message, field),
            Self::RateLimited { retry_after_secs } => (
                ErrorCode::RateLimited,
                format!("Trop de tentatives, réessayez dans {retry_after_secs} s"),
                None,
            ),
            Self::Database(e) => {
                tracing::error!(error = %e, "database error");
                (
                    ErrorCode::InternalError,
                    "Erreur interne du serveur".into(),
                    None,
                )
            }
            other => {
                tracing::error!(error = %other, "internal error");
                (
                    ErrorCode::InternalError,
                    "Erreur interne du serveur".into(),
                    None,
                )
            }
        };
        let status =
            StatusCode::from_u16(code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = ApiResponse::err(ErrorDetails {
            code,
            message,
            status: None,
            field,
            retryable: code.retryable().then_some(true),
        });
        let mut response = (status, Json(body)).into_response();
        if code == ErrorCode::RateLimited {
            response
                .headers_mut()
                .insert("retry-after", HeaderValue::from(retry_after));
        }
        response
    }
}
