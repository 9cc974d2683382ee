//! The response envelope of seed 000 (`ApiResponse`, `ErrorDetails`, `PaginatedResponse`) and the
//! stable error codes clients switch on.

use serde::{Deserialize, Serialize};

/// Every HTTP response body: `{"success":true,"data":…}` or `{"success":false,"error":…}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiResponse<T> {
    pub success: bool,
    // A missing Option field reads as None; `default` here would demand `T: Default`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorDetails>,
}

impl<T> ApiResponse<T> {
    pub fn ok(data: T) -> Self {
        Self {
            success: true,
            data: Some(data),
            error: None,
        }
    }
}

impl ApiResponse<()> {
    pub fn err(error: ErrorDetails) -> Self {
        Self {
            success: false,
            data: None,
            error: Some(error),
        }
    }
}

/// What went wrong, in a form a program can act on (`code`, `field`) and a person can read
/// (`message`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ErrorDetails {
    pub code: ErrorCode,
    pub message: String,
    /// HTTP status; filled by the server, or by the browser client for network failures (0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The request field at fault, in the request's own spelling (`startTime`, `email`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retryable: Option<bool>,
}

/// Stable error codes. Clients switch on these, never on messages, which are translated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    /// The body is not valid JSON (400).
    MalformedJson,
    /// A field is missing, unknown or has a bad value (422).
    ValidationError,
    /// No or bad credentials / token (401).
    Unauthorized,
    /// Email and password do not match (401).
    InvalidCredentials,
    /// The access token has expired; refresh it (401).
    TokenExpired,
    /// Authenticated but not allowed (403).
    Forbidden,
    /// Unknown id, or an id of another cabinet (404).
    NotFound,
    /// The slot overlaps another appointment of the practitioner (409).
    SlotConflict,
    /// The slot is outside the practitioner's hours or in the past (409).
    SlotUnavailable,
    /// The appointment's status does not allow this change (409).
    InvalidTransition,
    /// Too many attempts; see `Retry-After` (429).
    RateLimited,
    /// This `Idempotency-Key` was already used for a different request (422).
    IdempotencyKeyReused,
    /// A request with this `Idempotency-Key` is still being processed; retry shortly (409).
    IdempotencyKeyInProgress,
    /// The server failed; the cause is logged, never sent (500).
    InternalError,
    /// The browser could not reach the server (status 0). Never sent by the server.
    NetworkError,
    /// A code this build does not know yet (sent by a newer server).
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// Every code this build knows (all but `Unknown`, which is no code of its own).
    pub const ALL: [ErrorCode; 15] = [
        Self::MalformedJson,
        Self::ValidationError,
        Self::Unauthorized,
        Self::InvalidCredentials,
        Self::TokenExpired,
        Self::Forbidden,
        Self::NotFound,
        Self::SlotConflict,
        Self::SlotUnavailable,
        Self::InvalidTransition,
        Self::RateLimited,
        Self::IdempotencyKeyReused,
        Self::IdempotencyKeyInProgress,
        Self::InternalError,
        Self::NetworkError,
    ];

    /// The HTTP status that goes with the code.
    pub fn status(self) -> u16 {
        match self {
            Self::MalformedJson => 400,
            Self::Unauthorized | Self::InvalidCredentials | Self::TokenExpired => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::SlotConflict
            | Self::SlotUnavailable
            | Self::InvalidTransition
            | Self::IdempotencyKeyInProgress => 409,
            Self::ValidationError | Self::IdempotencyKeyReused => 422,
            Self::RateLimited => 429,
            Self::InternalError | Self::Unknown => 500,
            Self::NetworkError => 0,
        }
    }

    /// Whether repeating the same request later may succeed.
    pub fn retryable(self) -> bool {
        matches!(
            self,
            Self::RateLimited
                | Self::InternalError
                | Self::NetworkError
                | Self::IdempotencyKeyInProgress
        )
    }
}

/// The request header that makes a POST safe to retry: a replay with the same key and body
/// answers the first response again instead of acting twice. Keys are per user, kept 24 hours.
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";

/// A page of a list (seed 000 `PaginatedResponse`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaginatedResponse<T> {
    pub items: Vec<T>,
    pub pagination: Pagination,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    pub page: u32,
    pub limit: u32,
    pub total: u64,
    pub total_pages: u32,
    pub has_next: bool,
    pub has_prev: bool,
}

impl Pagination {
    pub fn new(page: u32, limit: u32, total: u64) -> Self {
        let limit = limit.max(1);
        let total_pages = total.div_ceil(u64::from(limit)) as u32;
        Self {
            page,
            limit,
            total,
            total_pages,
            has_next: page < total_pages,
            has_prev: page > 1,
        }
    }
}

/// Direction of a sorted list (seed 000 `PaginationParams.sortOrder`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    #[default]
    Asc,
    Desc,
}

/// `GET /api/health`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    pub status: String,
    pub version: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_are_screaming_snake_and_unknown_codes_survive() {
        let json = serde_json::to_string(&ErrorCode::SlotConflict).unwrap();
        assert_eq!(json, "\"SLOT_CONFLICT\"");
        let code: ErrorCode = serde_json::from_str("\"SOMETHING_NEW\"").unwrap();
        assert_eq!(code, ErrorCode::Unknown);
    }

    #[test]
    fn all_lists_every_known_code() {
        // A new variant does not compile here until it gets a place, which must then be its
        // place in `ALL`.
        let place = |c: ErrorCode| match c {
            ErrorCode::MalformedJson => 0,
            ErrorCode::ValidationError => 1,
            ErrorCode::Unauthorized => 2,
            ErrorCode::InvalidCredentials => 3,
            ErrorCode::TokenExpired => 4,
            ErrorCode::Forbidden => 5,
            ErrorCode::NotFound => 6,
            ErrorCode::SlotConflict => 7,
            ErrorCode::SlotUnavailable => 8,
            ErrorCode::InvalidTransition => 9,
            ErrorCode::RateLimited => 10,
            ErrorCode::IdempotencyKeyReused => 11,
            ErrorCode::IdempotencyKeyInProgress => 12,
            ErrorCode::InternalError => 13,
            ErrorCode::NetworkError => 14,
            ErrorCode::Unknown => usize::MAX,
        };
        for (i, c) in ErrorCode::ALL.into_iter().enumerate() {
            assert_eq!(place(c), i, "{c:?}");
            let wire = serde_json::to_string(&c).unwrap();
            assert_eq!(serde_json::from_str::<ErrorCode>(&wire).unwrap(), c);
        }
        assert_eq!(place(ErrorCode::Unknown), usize::MAX);
    }

    #[test]
    fn pagination_counts_pages() {
        let p = Pagination::new(2, 20, 41);
        assert_eq!((p.total_pages, p.has_next, p.has_prev), (3, true, true));
        let p = Pagination::new(1, 20, 0);
        assert_eq!((p.total_pages, p.has_next, p.has_prev), (0, false, false));
    }

    #[test]
    fn error_envelope_omits_absent_fields() {
        let body = ApiResponse::err(ErrorDetails {
            code: ErrorCode::NotFound,
            message: "x".into(),
            status: None,
            field: None,
            retryable: None,
        });
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            serde_json::json!({"success": false, "error": {"code": "NOT_FOUND", "message": "x"}})
        );
    }
}
