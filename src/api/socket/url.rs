//! The websocket URL of the Socket.IO endpoint, derived from the page's origin.
//!
//! The app is served from the same origin as the API (Trunk proxies it in development), so the
//! socket follows the page: `http:` pages talk `ws:`, `https:` pages must talk `wss:` or the
//! browser blocks the connection as mixed content.

use std::fmt;

/// Socket.IO's default mount path.
pub const SOCKET_IO_PATH: &str = "/socket.io/";

/// The query that selects Engine.IO v4 over websocket alone, skipping HTTP long-polling.
const QUERY: &str = "?EIO=4&transport=websocket";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlError {
    /// The scheme is not one of `http`, `https`, `ws`, `wss` (e.g. `file:` pages).
    UnsupportedScheme(String),
    /// No `scheme://host` shape, or an empty host.
    MissingHost,
    /// No `window.location` to read (not in a browser page).
    NoLocation,
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnsupportedScheme(s) => write!(f, "no websocket scheme for \"{s}\""),
            Self::MissingHost => f.write_str("origin has no host"),
            Self::NoLocation => f.write_str("window.location is not available"),
        }
    }
}

impl std::error::Error for UrlError {}

/// `http://host:port` + `/socket.io/` → `ws://host:port/socket.io/?EIO=4&transport=websocket`.
///
/// `origin` may also be a full page URL: its path, query and fragment are ignored. `path` gets
/// exactly one leading and one trailing slash, as engine.io-client does.
pub fn socket_url(origin: &str, path: &str) -> Result<String, UrlError> {
    let origin = origin.trim();
    let (scheme, rest) = origin.split_once("://").ok_or(UrlError::MissingHost)?;
    let ws_scheme = match scheme.to_ascii_lowercase().as_str() {
        "http" | "ws" => "ws",
        "https" | "wss" => "wss",
        _ => return Err(UrlError::UnsupportedScheme(scheme.to_owned())),
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    if host.is_empty() {
        return Err(UrlError::MissingHost);
    }
    let path = path.trim().trim_matches('/');
    let path = if path.is_empty() {
        "/".to_owned()
    } else {
        format!("/{path}/")
    };
    Ok(format!("{ws_scheme}://{host}{path}{QUERY}"))
}

/// [`socket_url`] for the current page (`window.location.origin`).
#[cfg(target_arch = "wasm32")]
pub fn socket_url_from_location(path: &str) -> Result<String, UrlError> {
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .ok_or(UrlError::NoLocation)?;
    socket_url(&origin, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_becomes_ws() {
        assert_eq!(
            socket_url("http://127.0.0.1:8080", SOCKET_IO_PATH).as_deref(),
            Ok("ws://127.0.0.1:8080/socket.io/?EIO=4&transport=websocket")
        );
    }

    #[test]
    fn https_becomes_wss() {
        assert_eq!(
            socket_url("https://rdv.example.fr", SOCKET_IO_PATH).as_deref(),
            Ok("wss://rdv.example.fr/socket.io/?EIO=4&transport=websocket")
        );
    }

    #[test]
    fn scheme_is_case_insensitive_and_ws_passes_through() {
        assert_eq!(
            socket_url("HTTPS://a.b", "/socket.io").as_deref(),
            Ok("wss://a.b/socket.io/?EIO=4&transport=websocket")
        );
        assert_eq!(
            socket_url("ws://a:1", "socket.io").as_deref(),
            Ok("ws://a:1/socket.io/?EIO=4&transport=websocket")
        );
        assert_eq!(
            socket_url("wss://a", SOCKET_IO_PATH).as_deref(),
            Ok("wss://a/socket.io/?EIO=4&transport=websocket")
        );
    }

    #[test]
    fn page_url_path_query_and_fragment_are_dropped() {
        assert_eq!(
            socket_url("http://localhost:8080/agenda/2024?x=1#top", SOCKET_IO_PATH).as_deref(),
            Ok("ws://localhost:8080/socket.io/?EIO=4&transport=websocket")
        );
        assert_eq!(
            socket_url("http://localhost:8080/", SOCKET_IO_PATH).as_deref(),
            Ok("ws://localhost:8080/socket.io/?EIO=4&transport=websocket")
        );
        assert_eq!(
            socket_url("http://h?q", SOCKET_IO_PATH).as_deref(),
            Ok("ws://h/socket.io/?EIO=4&transport=websocket")
        );
    }

    #[test]
    fn path_is_normalised() {
        for path in [
            "socket.io",
            "/socket.io",
            "socket.io/",
            "//socket.io//",
            " /socket.io/ ",
        ] {
            assert_eq!(
                socket_url("http://h", path).as_deref(),
                Ok("ws://h/socket.io/?EIO=4&transport=websocket"),
                "{path:?}"
            );
        }
        assert_eq!(
            socket_url("http://h", "/api/rt").as_deref(),
            Ok("ws://h/api/rt/?EIO=4&transport=websocket")
        );
        assert_eq!(
            socket_url("http://h", "").as_deref(),
            Ok("ws://h/?EIO=4&transport=websocket")
        );
    }

    #[test]
    fn ipv6_and_unicode_hosts_are_kept_verbatim() {
        assert_eq!(
            socket_url("http://[::1]:3000", SOCKET_IO_PATH).as_deref(),
            Ok("ws://[::1]:3000/socket.io/?EIO=4&transport=websocket")
        );
        assert_eq!(
            socket_url("https://café.fr", SOCKET_IO_PATH).as_deref(),
            Ok("wss://café.fr/socket.io/?EIO=4&transport=websocket")
        );
    }

    #[test]
    fn rejects_what_has_no_websocket_equivalent() {
        assert_eq!(
            socket_url("file:///index.html", SOCKET_IO_PATH),
            Err(UrlError::UnsupportedScheme("file".into()))
        );
        assert_eq!(
            socket_url("ftp://h", SOCKET_IO_PATH),
            Err(UrlError::UnsupportedScheme("ftp".into()))
        );
        assert_eq!(
            socket_url("null", SOCKET_IO_PATH),
            Err(UrlError::MissingHost)
        );
        assert_eq!(socket_url("", SOCKET_IO_PATH), Err(UrlError::MissingHost));
        assert_eq!(
            socket_url("http://", SOCKET_IO_PATH),
            Err(UrlError::MissingHost)
        );
        assert_eq!(
            socket_url("http:///x", SOCKET_IO_PATH),
            Err(UrlError::MissingHost)
        );
    }
}
