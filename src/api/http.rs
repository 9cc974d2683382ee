//! The HTTP client: same-origin JSON through the contract's types, `Authorization: Bearer` and
//! `X-Tenant-ID`, and every failure turned into the contract's `ErrorDetails`.

use gloo_net::http::{Request, RequestBuilder, Response};
use nova_contract::{ApiResponse, ErrorCode, ErrorDetails};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Who is calling: the access token and the cabinet it acts in.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Credentials {
    pub token: String,
    pub tenant: String,
}

pub type ApiResult<T> = Result<T, ErrorDetails>;

fn authorize(mut req: RequestBuilder, creds: Option<&Credentials>) -> RequestBuilder {
    if let Some(c) = creds {
        req = req
            .header("Authorization", &format!("Bearer {}", c.token))
            .header("X-Tenant-ID", &c.tenant);
    }
    req.header("Accept", "application/json")
}

pub async fn get<T: DeserializeOwned>(path: &str, creds: Option<&Credentials>) -> ApiResult<T> {
    let req = authorize(Request::get(path), creds)
        .build()
        .map_err(|e| network(&e))?;
    read(req.send().await).await
}

pub async fn send<B: Serialize, T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<&B>,
    creds: Option<&Credentials>,
) -> ApiResult<T> {
    let builder = match method {
        "POST" => Request::post(path),
        "PUT" => Request::put(path),
        "DELETE" => Request::delete(path),
        _ => Request::patch(path),
    };
    let builder = authorize(builder, creds);
    let req = match body {
        Some(b) => builder.json(b),
        None => builder.build(),
    }
    .map_err(|e| network(&e))?;
    read(req.send().await).await
}

async fn read<T: DeserializeOwned>(sent: Result<Response, gloo_net::Error>) -> ApiResult<T> {
    let response = sent.map_err(|e| network(&e))?;
    let status = response.status();
    let text = response.text().await.map_err(|e| network(&e))?;
    decode(status, &text)
}

/// Reads the envelope of a response body; public for tests.
pub fn decode<T: DeserializeOwned>(status: u16, body: &str) -> ApiResult<T> {
    match serde_json::from_str::<ApiResponse<T>>(body) {
        Ok(ApiResponse {
            success: true,
            data: Some(data),
            ..
        }) => Ok(data),
        Ok(ApiResponse {
            error: Some(mut e), ..
        }) => {
            e.status = Some(status);
            Err(e)
        }
        _ => Err(ErrorDetails {
            code: if status >= 500 {
                ErrorCode::InternalError
            } else {
                ErrorCode::Unknown
            },
            message: format!("Réponse inattendue du serveur ({status})"),
            status: Some(status),
            field: None,
            retryable: Some(status >= 500),
        }),
    }
}

fn network(e: &gloo_net::Error) -> ErrorDetails {
    ErrorDetails {
        code: ErrorCode::NetworkError,
        message: e.to_string(),
        status: Some(0),
        field: None,
        retryable: Some(true),
    }
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
    }

    #[test]
    fn non_json_bodies_become_typed_errors() {
        let e = decode::<u32>(502, "<html>Bad gateway</html>").unwrap_err();
        assert_eq!(e.code, ErrorCode::InternalError);
        assert_eq!(e.retryable, Some(true));
        let e = decode::<u32>(404, "").unwrap_err();
        assert_eq!(e.code, ErrorCode::Unknown);
    }
}
