//! The server on a real socket, and a keep-alive HTTP/1.1 client to load it with.

use std::net::SocketAddr;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE};
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::rt::TokioExecutor;
use nova_server::App;
use tokio::task::JoinHandle;

use crate::Result;

/// Serves `app` on 127.0.0.1 (a free port) in a task of its own; abort the handle to stop.
pub async fn serve(app: App) -> Result<(SocketAddr, JoinHandle<()>)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let task = tokio::spawn(async move {
        if let Err(e) = nova_server::serve(app, listener).await {
            eprintln!("server stopped: {e}");
        }
    });
    Ok((addr, task))
}

/// One client: requests go one after another over a connection it keeps open, as a browser
/// tab's would.
#[derive(Clone)]
pub struct Client {
    inner: HyperClient<HttpConnector, Full<Bytes>>,
    base: String,
}

impl Client {
    pub fn new(addr: SocketAddr) -> Self {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        let inner = HyperClient::builder(TokioExecutor::new()).build(connector);
        Self {
            inner,
            base: format!("http://{addr}"),
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> Result<(StatusCode, Bytes)> {
        self.send(Method::GET, path, token, None).await
    }

    pub async fn post_json(
        &self,
        path: &str,
        token: &str,
        body: Bytes,
    ) -> Result<(StatusCode, Bytes)> {
        self.send(Method::POST, path, token, Some(body)).await
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Bytes>,
    ) -> Result<(StatusCode, Bytes)> {
        let mut request = Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .header(AUTHORIZATION, format!("Bearer {token}"));
        if body.is_some() {
            request = request.header(CONTENT_TYPE, "application/json");
        }
        let request = request.body(Full::new(body.unwrap_or_default()))?;
        let response = self.inner.request(request).await?;
        let status = response.status();
        let bytes = response.into_body().collect().await?.to_bytes();
        Ok((status, bytes))
    }
}
