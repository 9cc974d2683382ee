//! The request that opens an Engine.IO session is kept by engineioxide for the session's whole
//! life (its `req_parts`, which handlers may read). hyper parses the URI and the header values
//! as slices of the connection's read buffer (16 KiB once a request is parsed), and axum's
//! router keeps a clone of the URI (`OriginalUri`), so keeping them keeps that buffer:
//! measured with heaptrack, 16 kB of heap per idle socket. Copying the few hundred bytes they
//! hold lets the buffer go.
//!
//! Only what engineioxide reads is kept: no Socket.IO handler here reads `req_parts` (the
//! token comes in the CONNECT packet's `auth`), and the rest (cookies, user agent, the peer
//! address, `OriginalUri`) was another kilobyte per idle socket.

use axum::body::Body;
use axum::http::{header, Extensions, HeaderMap, HeaderName, HeaderValue, Request, Uri};
use hyper::upgrade::OnUpgrade;

/// Where socketioxide answers (its default `req_path`).
const SOCKET_PATH: &str = "/socket.io";

/// The headers engineioxide reads: the WebSocket key it answers the upgrade with, and a
/// polling POST's content type (text or binary payload).
const READ_BY_ENGINEIO: [HeaderName; 2] = [header::SEC_WEBSOCKET_KEY, header::CONTENT_TYPE];

/// Socket.IO requests get a URI of their own, the headers engineioxide reads and the upgrade
/// handle; other requests pass untouched.
pub async fn handshake(req: Request<Body>) -> Request<Body> {
    if !req.uri().path().starts_with(SOCKET_PATH) {
        return req;
    }
    let (mut parts, body) = req.into_parts();
    parts.uri = owned_uri(&parts.uri);
    parts.headers = owned_headers(&parts.headers);
    parts.extensions = upgrade_only(&mut parts.extensions);
    Request::from_parts(parts, body)
}

fn owned_uri(uri: &Uri) -> Uri {
    // Parsing a string copies it.
    uri.to_string().parse().unwrap_or_else(|_| uri.clone())
}

fn owned_headers(headers: &HeaderMap) -> HeaderMap {
    let mut copy = HeaderMap::with_capacity(READ_BY_ENGINEIO.len());
    for name in &READ_BY_ENGINEIO {
        // Values that were valid stay valid: from_bytes only copies them.
        if let Some(Ok(v)) = headers
            .get(name)
            .map(|v| HeaderValue::from_bytes(v.as_bytes()))
        {
            copy.insert(name.clone(), v);
        }
    }
    copy
}

/// hyper's handle on the connection, which engineioxide needs to take over the WebSocket.
fn upgrade_only(extensions: &mut Extensions) -> Extensions {
    let mut kept = Extensions::new();
    if let Some(upgrade) = extensions.remove::<OnUpgrade>() {
        kept.insert(upgrade);
    }
    kept
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;

    use axum::extract::{ConnectInfo, OriginalUri};

    use super::*;

    #[tokio::test]
    async fn a_socket_request_keeps_its_uri_and_what_engineio_reads() {
        let req = Request::builder()
            .uri("/socket.io/?EIO=4&transport=websocket")
            .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
            .header("content-type", "text/plain;charset=UTF-8")
            .header("cookie", "a=b")
            .header("user-agent", "node")
            .extension(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 9))))
            .extension(OriginalUri(Uri::from_static("/socket.io/")))
            .body(Body::empty())
            .unwrap();
        let after = handshake(req).await;
        assert_eq!(
            after.uri().to_string(),
            "/socket.io/?EIO=4&transport=websocket"
        );
        assert_eq!(
            after.headers()["sec-websocket-key"],
            "dGhlIHNhbXBsZSBub25jZQ=="
        );
        assert_eq!(after.headers()["content-type"], "text/plain;charset=UTF-8");
        assert_eq!(after.headers().len(), 2);
        assert!(after.extensions().is_empty());
    }

    #[tokio::test]
    async fn other_requests_keep_everything() {
        let req = Request::builder()
            .uri("/api/health")
            .header("cookie", "a=b")
            .extension(OriginalUri(Uri::from_static("/api/health")))
            .body(Body::empty())
            .unwrap();
        let after = handshake(req).await;
        assert_eq!(after.headers()["cookie"], "a=b");
        assert!(after.extensions().get::<OriginalUri>().is_some());
    }

    #[tokio::test]
    async fn the_copy_shares_no_bytes_with_the_parsed_request() {
        // hyper's way: the URI and the values are slices of one larger buffer.
        let mut buffer = b"/socket.io/?EIO=4".to_vec();
        buffer.resize(16 * 1024, b'a');
        let buffer = axum::body::Bytes::from(buffer);
        let uri = Uri::from_maybe_shared(buffer.slice(0..17)).unwrap();
        let value = HeaderValue::from_maybe_shared(buffer.slice(17..25)).unwrap();
        let req = Request::builder()
            .uri(uri)
            .header("sec-websocket-key", value)
            .body(Body::empty())
            .unwrap();
        let in_buffer = |p: *const u8| buffer.as_ptr_range().contains(&p);
        assert!(in_buffer(req.uri().path().as_ptr()));
        assert!(in_buffer(
            req.headers()["sec-websocket-key"].as_bytes().as_ptr()
        ));

        let after = handshake(req).await;
        assert_eq!(after.uri(), "/socket.io/?EIO=4");
        assert_eq!(after.headers()["sec-websocket-key"], "aaaaaaaa");
        assert!(!in_buffer(after.uri().path().as_ptr()));
        assert!(!in_buffer(
            after.headers()["sec-websocket-key"].as_bytes().as_ptr()
        ));
    }
}
