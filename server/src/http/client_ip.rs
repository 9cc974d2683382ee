//! The client address that attempt limits count by.
//!
//! It is the TCP peer (`ConnectInfo`, set by `serve()`), unless `NOVA_TRUST_PROXY=1` says the
//! server sits behind one reverse proxy: then it is the last `X-Forwarded-For` entry, the one
//! that proxy appended (earlier entries are whatever the client wrote). Without either (the
//! router driven in process, as the tests do) every request shares the key `unknown`.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::error::Error;
use crate::state::ApiContext;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientIp(pub String);

impl FromRequestParts<ApiContext> for ClientIp {
    type Rejection = Error;

    async fn from_request_parts(
        parts: &mut Parts,
        ctx: &ApiContext,
    ) -> Result<Self, Self::Rejection> {
        let forwarded = || {
            parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .last()
                .and_then(|last| last.trim().parse::<IpAddr>().ok())
        };
        let peer = || {
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip())
        };
        let ip = if ctx.config.trust_proxy {
            forwarded().or_else(peer)
        } else {
            peer()
        };
        Ok(ClientIp(
            ip.map(|ip| ip.to_canonical().to_string())
                .unwrap_or_else(|| "unknown".into()),
        ))
    }
}
