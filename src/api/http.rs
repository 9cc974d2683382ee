//! The HTTP seam: one request in, one status and body out, through a [`Transport`].
//!
//! The browser's `fetch` ([`FetchTransport`]) is one implementation; tests inject another that
//! answers from a script, so the client's rules (refresh, retry, abort) are tested without a
//! server. Everything above this file speaks the contract's types; this file speaks strings.

use std::future::Future;
use std::pin::Pin;

use nova_contract::{ApiResponse, ErrorCode, ErrorDetails};
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use crate::api::json;

pub type ApiResult<T> = Result<T, ErrorDetails>;

/// A boxed future that stays on the browser's single thread.
pub type LocalBoxFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// Stored in the offline queue by name (`"PUT"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    Get,
    Post,
    Put,
}

/// A request as it goes on the wire: the path is same-origin (`/api/…`), headers are final.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpRequest {
    pub method: Method,
    pub path: String,
    pub headers: Vec<(&'static str, String)>,
    /// JSON text.
    pub body: Option<String>,
}

impl HttpRequest {
    #[cfg(test)]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct HttpResponse {
    pub status: u16,
    pub body: String,
}

/// Why no HTTP answer came back.
#[derive(Debug, Clone, PartialEq)]
pub enum TransportError {
    /// The network failed (offline, DNS, connection reset…).
    Network(String),
    /// The caller's `AbortSignal` fired.
    Aborted,
}

/// Sends one request. Implementations never retry and never look at the body.
pub trait Transport {
    fn send(
        &self,
        request: HttpRequest,
        signal: Option<AbortSignal>,
    ) -> LocalBoxFuture<Result<HttpResponse, TransportError>>;
}

/// The browser's `fetch`, same origin. Called directly through `web-sys`: a wrapper crate
/// would bring streams, an HTTP types crate and error formatting the app never shows.
pub struct FetchTransport;

impl Transport for FetchTransport {
    fn send(
        &self,
        request: HttpRequest,
        signal: Option<AbortSignal>,
    ) -> LocalBoxFuture<Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let aborted = signal.as_ref().is_some_and(AbortSignal::aborted);
            fetch(request, signal.as_ref()).await.map_err(|e| {
                if aborted || signal.as_ref().is_some_and(AbortSignal::aborted) {
                    TransportError::Aborted
                } else {
                    TransportError::Network(
                        e.dyn_ref::<js_sys::Error>()
                            .map(|e| String::from(e.message()))
                            .unwrap_or_default(),
                    )
                }
            })
        })
    }
}

async fn fetch(
    request: HttpRequest,
    signal: Option<&AbortSignal>,
) -> Result<HttpResponse, JsValue> {
    let init = web_sys::RequestInit::new();
    init.set_method(match request.method {
        Method::Get => "GET",
        Method::Post => "POST",
        Method::Put => "PUT",
    });
    let headers = web_sys::Headers::new()?;
    for (name, value) in &request.headers {
        headers.set(name, value)?;
    }
    if let Some(body) = &request.body {
        headers.set("Content-Type", "application/json")?;
        init.set_body(&JsValue::from_str(body));
    }
    init.set_headers(&headers);
    init.set_signal(signal);
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_str_and_init(&request.path, &init))
            .await?
            .dyn_into()?;
    let body = JsFuture::from(response.text()?).await?;
    Ok(HttpResponse {
        status: response.status(),
        body: body.as_string().unwrap_or_default(),
    })
}

/// Reads the envelope of a response body.
pub fn decode<T: DeserializeOwned>(status: u16, body: &str) -> ApiResult<T> {
    data_text(body)
        .and_then(|data| json::from_str(data).ok())
        .ok_or_else(|| decode_error(status, body))
}

/// The JSON text of `data` in a success envelope. The envelope is read here, not as part of
/// each `ApiResponse<T>`: one envelope decoder for every type instead of one per type.
fn data_text(body: &str) -> Option<&str> {
    match json::from_str::<ApiResponse<&RawValue>>(body) {
        Ok(ApiResponse {
            success: true,
            data: Some(data),
            ..
        }) => Some(data.get()),
        _ => None,
    }
}

/// The `ErrorDetails` of a failed response, or one made up from its status when the body is
/// not an envelope (a proxy's HTML page, an empty 404…). Not generic, so compiled once.
pub fn decode_error(status: u16, body: &str) -> ErrorDetails {
    if let Ok(ApiResponse::<&RawValue> {
        error: Some(mut e), ..
    }) = json::from_str(body)
    {
        e.status = Some(status);
        if e.retryable.is_none() {
            e.retryable = Some(e.code.retryable());
        }
        return e;
    }
    let code = match status {
        401 => ErrorCode::Unauthorized,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        429 => ErrorCode::RateLimited,
        s if s >= 500 => ErrorCode::InternalError,
        _ => ErrorCode::Unknown,
    };
    ErrorDetails {
        code,
        message: format!("HTTP {status}"),
        status: Some(status),
        field: None,
        retryable: Some(status >= 500),
    }
}

/// The server could not be reached.
pub fn network_error(message: String) -> ErrorDetails {
    ErrorDetails {
        code: ErrorCode::NetworkError,
        message,
        status: Some(0),
        field: None,
        retryable: Some(true),
    }
}

/// What an aborted request resolves to. Nobody shows it: whoever aborted has gone away.
pub fn aborted_error() -> ErrorDetails {
    ErrorDetails {
        code: ErrorCode::NetworkError,
        message: ABORTED.to_owned(),
        status: Some(0),
        field: None,
        retryable: Some(false),
    }
}

const ABORTED: &str = "aborted";

/// A fresh `Idempotency-Key`: a v4 UUID from `crypto.randomUUID()`, or built from
/// `Math.random()` where that is missing (insecure origins). Either way unique enough for a
/// key the server only compares with the same user's recent requests.
pub fn new_idempotency_key() -> String {
    if let Some(id) = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
    {
        return id;
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(36);
    for i in 0..36 {
        let c = match i {
            8 | 13 | 18 | 23 => '-',
            14 => '4',
            19 => HEX[8 + (js_sys::Math::random() * 4.0) as usize] as char,
            _ => HEX[(js_sys::Math::random() * 16.0) as usize & 15] as char,
        };
        out.push(c);
    }
    out
}

pub fn is_aborted(e: &ErrorDetails) -> bool {
    e.code == ErrorCode::NetworkError && e.message == ABORTED
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_envelopes_yield_their_data() {
        let v: ApiResult<u32> = decode(200, r#"{"success":true,"data":7}"#);
        assert_eq!(v, Ok(7));
    }

    #[test]
    fn error_envelopes_keep_code_field_and_status() {
        let e = decode::<u32>(
            422,
            r#"{"success":false,"error":{"code":"VALIDATION_ERROR","message":"m","field":"email"}}"#,
        )
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::ValidationError);
        assert_eq!(e.field.as_deref(), Some("email"));
        assert_eq!(e.status, Some(422));
        assert_eq!(e.retryable, Some(false));
    }

    #[test]
    fn non_json_bodies_become_typed_errors() {
        let e = decode::<u32>(502, "<html>Bad gateway</html>").unwrap_err();
        assert_eq!(e.code, ErrorCode::InternalError);
        assert_eq!(e.retryable, Some(true));
        let e = decode::<u32>(404, "").unwrap_err();
        assert_eq!(e.code, ErrorCode::NotFound);
        let e = decode::<u32>(418, "").unwrap_err();
        assert_eq!(e.code, ErrorCode::Unknown);
    }

    #[test]
    fn aborts_are_recognised_and_never_retryable() {
        assert!(is_aborted(&aborted_error()));
        assert!(!is_aborted(&network_error("offline".into())));
        assert_eq!(aborted_error().retryable, Some(false));
    }

    #[test]
    fn headers_are_found_case_insensitively() {
        let r = HttpRequest {
            method: Method::Post,
            path: "/x".into(),
            headers: vec![("Idempotency-Key", "k".into())],
            body: None,
        };
        assert_eq!(r.header("idempotency-key"), Some("k"));
        assert_eq!(r.header("Authorization"), None);
    }
}
