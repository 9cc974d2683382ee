//! The request that opens an Engine.IO session is kept by engineioxide for the session's whole
//! life (its `req_parts`, which handlers may read). hyper parses the URI and the header values
//! as slices of the connection's read buffer (16 KiB once a request is parsed), and axum's
//! router keeps a clone of the URI (`OriginalUri`), so keeping them keeps that buffer:
//! measured with heaptrack, 16 kB of heap per idle socket. Copying the few hundred bytes they
//! hold lets the buffer go; nothing in the request changes.

use axum::body::Body;
use axum::extract::OriginalUri;
use axum::http::{HeaderMap, HeaderValue, Request, Uri};

/// Where socketioxide answers (its default `req_path`).
const SOCKET_PATH: &str = "/socket.io";

/// Socket.IO requests get a URI and headers of their own; other requests pass untouched.
pub async fn handshake(req: Request<Body>) -> Request<Body> {
    if !req.uri().path().starts_with(SOCKET_PATH) {
        return req;
    }
    let (mut parts, body) = req.into_parts();
    parts.uri = owned_uri(&parts.uri);
    if let Some(OriginalUri(original)) = parts.extensions.get_mut::<OriginalUri>() {
        *original = owned_uri(original);
    }
    parts.headers = owned_headers(&parts.headers);
    Request::from_parts(parts, body)
}

fn owned_uri(uri: &Uri) -> Uri {
    // Parsing a string copies it.
    uri.to_string().parse().unwrap_or_else(|_| uri.clone())
}

fn owned_headers(headers: &HeaderMap) -> HeaderMap {
    let mut copy = HeaderMap::with_capacity(headers.len());
    for (name, value) in headers {
        // Values that were valid stay valid: from_bytes only copies them.
        let Ok(mut v) = HeaderValue::from_bytes(value.as_bytes()) else {
            continue;
        };
        v.set_sensitive(value.is_sensitive());
        copy.append(name.clone(), v);
    }
    copy
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_socket_request_keeps_its_uri_and_every_header() {
        let req = Request::builder()
            .uri("/socket.io/?EIO=4&transport=websocket")
            .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
            .header("x-forwarded-for", "10.0.0.1")
            .header("x-forwarded-for", "10.0.0.2")
            .body(Body::empty())
            .unwrap();
        let before = req.headers().clone();
        let after = handshake(req).await;
        assert_eq!(
            after.uri().to_string(),
            "/socket.io/?EIO=4&transport=websocket"
        );
        assert_eq!(after.headers(), &before);
        assert_eq!(after.headers().get_all("x-forwarded-for").iter().count(), 2);
    }

    #[tokio::test]
    async fn the_copy_shares_no_bytes_with_the_parsed_request() {
        // hyper's way: the URI and the values are slices of one larger buffer.
        let mut buffer = b"/socket.io/?EIO=4".to_vec();
        buffer.resize(16 * 1024, b'a');
        let buffer = axum::body::Bytes::from(buffer);
        let uri = Uri::from_maybe_shared(buffer.slice(0..17)).unwrap();
        let value = HeaderValue::from_maybe_shared(buffer.slice(17..25)).unwrap();
        let mut req = Request::builder()
            .uri(uri.clone())
            .header("x-long", value)
            .body(Body::empty())
            .unwrap();
        req.extensions_mut().insert(OriginalUri(uri));
        let in_buffer = |p: *const u8| buffer.as_ptr_range().contains(&p);
        assert!(in_buffer(req.uri().path().as_ptr()));
        assert!(in_buffer(req.headers()["x-long"].as_bytes().as_ptr()));

        let after = handshake(req).await;
        assert_eq!(after.uri(), "/socket.io/?EIO=4");
        assert_eq!(after.headers()["x-long"], "aaaaaaaa");
        assert!(!in_buffer(after.uri().path().as_ptr()));
        assert!(!in_buffer(after.headers()["x-long"].as_bytes().as_ptr()));
        let original = &after.extensions().get::<OriginalUri>().unwrap().0;
        assert_eq!(original, "/socket.io/?EIO=4");
        assert!(!in_buffer(original.path().as_ptr()));
    }
}
