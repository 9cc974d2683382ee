//! The browser transport: one `WebSocket`, the Engine.IO heartbeat, the Socket.IO handshake on
//! the main namespace, acks, and reconnection with backoff.
//!
//! Everything runs on the browser's single thread, so state lives in a `RefCell` behind an `Rc`.
//! Websocket handlers and timers hold only a `Weak` to it, so dropping the last [`SocketClient`]
//! closes the connection. No `RefCell` borrow is ever held while the user callback runs, because
//! that callback may call back into the client (emit on connect, reconnect on error…).

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::rc::{Rc, Weak};

use futures_channel::oneshot;
use gloo_timers::callback::Timeout;
use nova_contract::{ErrorCode, SocketAck};
use serde::de::DeserializeOwned;
use serde_json::Value;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BinaryType, CloseEvent, MessageEvent, WebSocket};

use super::codec::{self, json_text, EioPacket, SioPacket, SioPayload, DEFAULT_NAMESPACE};
use crate::api::backoff::Backoff;

/// How the client connects. Build with [`SocketOptions::new`] and adjust fields.
#[derive(Clone)]
pub struct SocketOptions {
    /// Full websocket URL, e.g. from [`super::socket_url_from_location`].
    pub url: String,
    /// Sent in the CONNECT packet; a JSON object such as `{"token": "…"}`, or `null` for none.
    pub auth: Value,
    /// When set, called at every CONNECT instead of using `auth`: a reconnection then carries
    /// the current token and the last event seen (`lastEventId`), so the server can replay
    /// what was missed.
    pub auth_fn: Option<Rc<dyn Fn() -> Value>>,
    /// Reconnect after a lost connection. Never applies after [`SocketClient::close`], a
    /// CONNECT_ERROR or a server-side DISCONNECT: those wait for [`SocketClient::reconnect`].
    pub reconnect: bool,
    pub backoff: Backoff,
    /// Give up on a connection attempt when no Engine.IO open packet arrives in this time.
    pub connect_timeout_ms: u32,
}

impl fmt::Debug for SocketOptions {
    // `auth` carries a bearer token: keep it out of logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SocketOptions")
            .field("url", &self.url)
            .field("auth", &"<redacted>")
            .field("reconnect", &self.reconnect)
            .field("backoff", &self.backoff)
            .field("connect_timeout_ms", &self.connect_timeout_ms)
            .finish()
    }
}

impl SocketOptions {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            auth: Value::Null,
            auth_fn: None,
            reconnect: true,
            backoff: Backoff::default(),
            // socket.io-client's default `timeout`.
            connect_timeout_ms: 20_000,
        }
    }
}

/// What the client reports to its owner.
#[derive(Debug, Clone, PartialEq)]
pub enum SocketEvent {
    /// A websocket is being opened. `attempt` is 0 for a first connection and counts retries
    /// since the last successful connection.
    Connecting { attempt: u32 },
    /// The main namespace accepted us; `sid` is the Socket.IO socket id.
    Connected { sid: String },
    /// The connection (or the attempt) ended. `reason` uses socket.io-client's words:
    /// `transport close`, `ping timeout`, `connect timeout`, `io server disconnect`,
    /// `io client disconnect`, `io client reconnect`.
    Disconnected { reason: String },
    /// The server refused the CONNECT (e.g. a bad token), or the URL is unusable. No retry
    /// follows: fix the cause (e.g. [`SocketClient::set_auth`]) and call
    /// [`SocketClient::reconnect`].
    ConnectError { message: String },
    /// A server event. `data` is its single argument, `null` for none, an array for several.
    Event { name: String, data: Value },
}

/// Why [`SocketClient::emit_with_ack`] produced no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AckError {
    /// Not connected when emitting: nothing was sent.
    NotConnected,
    /// Sent, but no ACK within the timeout.
    Timeout,
    /// The connection ended first; the server may or may not have handled the event.
    Disconnected,
    /// The server answered `{ok:false, error}` (see [`SocketClient::request`]).
    Refused(ErrorCode),
    /// The answer was not the `{ok, data}` shape expected.
    Malformed,
}

impl fmt::Display for AckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotConnected => "not connected",
            Self::Timeout => "no acknowledgement before the timeout",
            Self::Disconnected => "disconnected before the acknowledgement",
            Self::Refused(_) => "refused by the server",
            Self::Malformed => "unexpected acknowledgement",
        })
    }
}

impl std::error::Error for AckError {}

/// A cheap, clonable handle on one Socket.IO connection to the main namespace.
#[derive(Clone)]
pub struct SocketClient {
    inner: Rc<Inner>,
}

impl SocketClient {
    /// Starts connecting (on the next tick, so `on_event` never runs inside this call).
    ///
    /// Do not store a handle to this client inside `on_event`: the cycle would keep it alive
    /// forever.
    pub fn connect(opts: SocketOptions, on_event: impl Fn(SocketEvent) + 'static) -> Self {
        let inner = Rc::new(Inner {
            url: opts.url,
            auth_fn: opts.auth_fn,
            reconnect: opts.reconnect,
            backoff: opts.backoff,
            connect_timeout_ms: opts.connect_timeout_ms,
            on_event: Box::new(on_event),
            state: RefCell::new(State {
                auth: opts.auth,
                ..State::default()
            }),
        });
        inner.schedule_open(0);
        Self { inner }
    }

    /// Sends `42["name",data]`. Returns whether it was sent.
    ///
    /// While not connected the event is dropped with a console warning rather than queued: a
    /// queued action could replay minutes later against changed data, and the app re-reads its
    /// state on [`SocketEvent::Connected`] anyway.
    pub fn emit(&self, name: &str, data: Value) -> bool {
        if !self.is_connected() {
            warn(&format!("socket: not connected, dropping event \"{name}\""));
            return false;
        }
        let packet = SioPacket::new(SioPayload::Event {
            name: name.to_owned(),
            args: vec![data],
            id: None,
        });
        self.inner.send(&codec::encode_message(&packet))
    }

    /// Sends `42<id>["name",data]` and resolves with the server's acknowledgement.
    ///
    /// The event is sent when this is called, not when the future is first polled, and the future
    /// does not borrow the client, so it can go straight to `spawn_local`.
    pub fn emit_with_ack(
        &self,
        name: &str,
        data: Value,
        timeout_ms: u32,
    ) -> impl Future<Output = Result<Value, AckError>> + 'static {
        let sent = self.inner.register_ack(name, data, timeout_ms);
        async move {
            match sent {
                // A dropped sender means the client itself is gone.
                Ok(rx) => rx.await.unwrap_or(Err(AckError::Disconnected)),
                Err(e) => Err(e),
            }
        }
    }

    /// [`Self::emit_with_ack`] for client events answered `{ok:true, data}` or
    /// `{ok:false, error:{code, message}}` (the contract's `SocketAck`): resolves with `data`
    /// decoded, or the refusal's code.
    pub fn request<T: DeserializeOwned>(
        &self,
        name: &str,
        data: Value,
        timeout_ms: u32,
    ) -> impl Future<Output = Result<T, AckError>> + 'static {
        let ack = self.emit_with_ack(name, data, timeout_ms);
        async move {
            // Through text: `from_str` decoders already exist, `from_value` ones would be new code.
            let text = json_text(&ack.await?);
            let answer: SocketAck<Value> =
                crate::api::json::from_str(&text).map_err(|_| AckError::Malformed)?;
            match answer {
                SocketAck { ok: true, data, .. } => {
                    let data = json_text(&data.unwrap_or(Value::Null));
                    crate::api::json::from_str(&data).map_err(|_| AckError::Malformed)
                }
                SocketAck { error: Some(e), .. } => Err(AckError::Refused(e.code)),
                _ => Err(AckError::Malformed),
            }
        }
    }

    /// Replaces the CONNECT payload for the next (re)connection, e.g. with a refreshed token. The
    /// current connection keeps the identity it was accepted with.
    pub fn set_auth(&self, auth: Value) {
        self.inner.state.borrow_mut().auth = auth;
    }

    /// Disconnects for good: no reconnection until [`Self::reconnect`].
    pub fn close(&self) {
        self.inner.close();
    }

    /// Drops any current connection and connects again now, with the backoff reset. This is the
    /// way out after a [`SocketEvent::ConnectError`] or [`Self::close`].
    pub fn reconnect(&self) {
        self.inner.reconnect();
    }

    /// Connected to the namespace (not merely to the websocket).
    pub fn is_connected(&self) -> bool {
        self.inner.state.borrow().phase == Phase::Connected
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Phase {
    /// No websocket; a retry may be scheduled.
    #[default]
    Idle,
    /// Websocket created, waiting for the Engine.IO open packet.
    Opening,
    /// CONNECT sent, waiting for the namespace's answer.
    Joining,
    Connected,
}

struct Inner {
    url: String,
    auth_fn: Option<Rc<dyn Fn() -> Value>>,
    reconnect: bool,
    backoff: Backoff,
    connect_timeout_ms: u32,
    on_event: Box<dyn Fn(SocketEvent)>,
    state: RefCell<State>,
}

#[derive(Default)]
struct State {
    auth: Value,
    phase: Phase,
    conn: Option<Conn>,
    /// Bumped whenever a connection starts or ends, so handlers and timers of an older one can
    /// recognise themselves as stale and do nothing.
    generation: u64,
    /// Retries since the last successful connection.
    attempt: u32,
    /// Set by `close()` and by CONNECT_ERROR / server DISCONNECT; only `reconnect()` clears it.
    stopped: bool,
    heartbeat_ms: u32,
    /// The pending (re)connection. Dropping a `Timeout` cancels it.
    open_timer: Option<Timeout>,
    /// Connect timeout, then ping timeout once the handshake is done.
    watchdog: Option<Timeout>,
    next_ack_id: u64,
    acks: HashMap<u64, PendingAck>,
}

struct PendingAck {
    tx: oneshot::Sender<Result<Value, AckError>>,
    _timeout: Timeout,
}

/// A websocket with its JS handlers, which must outlive their registration.
struct Conn {
    ws: WebSocket,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl Drop for Conn {
    fn drop(&mut self) {
        // Unhook first: the closures are freed with this struct, and the close we start here
        // must not be reported as a lost connection.
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close_with_code(1000);
    }
}

impl Inner {
    fn notify(&self, event: SocketEvent) {
        (self.on_event)(event);
    }

    fn is_current(&self, generation: u64) -> bool {
        self.state.borrow().generation == generation
    }

    fn send(&self, frame: &str) -> bool {
        let st = self.state.borrow();
        let Some(conn) = st.conn.as_ref() else {
            return false;
        };
        match conn.ws.send_with_str(frame) {
            Ok(()) => true,
            Err(e) => {
                warn(&format!("socket: send failed: {}", js_error_text(&e)));
                false
            }
        }
    }

    fn schedule_open(self: &Rc<Self>, delay_ms: u32) {
        let weak = Rc::downgrade(self);
        let mut st = self.state.borrow_mut();
        let generation = st.generation;
        st.open_timer = Some(Timeout::new(delay_ms, move || {
            if let Some(inner) = weak.upgrade() {
                let live = {
                    let st = inner.state.borrow();
                    st.generation == generation && !st.stopped && st.phase == Phase::Idle
                };
                if live {
                    inner.open();
                }
            }
        }));
    }

    fn open(self: &Rc<Self>) {
        let (attempt, generation) = {
            let mut st = self.state.borrow_mut();
            st.generation += 1;
            st.phase = Phase::Opening;
            st.heartbeat_ms = 0;
            // This timer has fired (it may be the one running us); dropping it is harmless.
            st.open_timer = None;
            (st.attempt, st.generation)
        };
        self.notify(SocketEvent::Connecting { attempt });
        // The callback may have closed or restarted the client.
        if !self.is_current(generation) || self.state.borrow().stopped {
            return;
        }
        let ws = match WebSocket::new(&self.url) {
            Ok(ws) => ws,
            Err(e) => {
                // A malformed URL will not heal by retrying.
                {
                    let mut st = self.state.borrow_mut();
                    st.stopped = true;
                    st.phase = Phase::Idle;
                }
                self.notify(SocketEvent::ConnectError {
                    message: format!("cannot open {}: {}", self.url, js_error_text(&e)),
                });
                return;
            }
        };
        ws.set_binary_type(BinaryType::Arraybuffer);

        let weak = Rc::downgrade(self);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            if let Some(inner) = weak.upgrade() {
                inner.on_frame(generation, ev.data());
            }
        });
        let weak = Rc::downgrade(self);
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |_ev: CloseEvent| {
            if let Some(inner) = weak.upgrade() {
                inner.lost(generation, "transport close");
            }
        });
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // An `error` event is always followed by `close`, so `close` alone covers both.
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        self.state.borrow_mut().conn = Some(Conn {
            ws,
            _on_message: on_message,
            _on_close: on_close,
        });
        self.arm_watchdog(generation, self.connect_timeout_ms, "connect timeout");
    }

    fn arm_watchdog(self: &Rc<Self>, generation: u64, ms: u32, reason: &'static str) {
        let weak: Weak<Self> = Rc::downgrade(self);
        let timer = Timeout::new(ms, move || {
            if let Some(inner) = weak.upgrade() {
                inner.lost(generation, reason);
            }
        });
        self.state.borrow_mut().watchdog = Some(timer);
    }

    fn on_frame(self: &Rc<Self>, generation: u64, data: JsValue) {
        if !self.is_current(generation) {
            return;
        }
        let Some(text) = data.as_string() else {
            warn("socket: ignoring a binary frame");
            return;
        };
        match codec::decode_eio(&text) {
            Ok(EioPacket::Open(open)) => {
                let heartbeat = open.ping_interval.saturating_add(open.ping_timeout);
                // Called before borrowing: it is the owner's code and may read anything.
                let fresh_auth = self.auth_fn.as_ref().map(|f| f());
                let auth = {
                    let mut st = self.state.borrow_mut();
                    st.heartbeat_ms = heartbeat;
                    st.phase = Phase::Joining;
                    fresh_auth.unwrap_or_else(|| st.auth.clone())
                };
                self.arm_watchdog(generation, heartbeat, "ping timeout");
                let auth = (!auth.is_null()).then_some(auth);
                let connect = SioPacket::new(SioPayload::Connect(auth));
                self.send(&codec::encode_message(&connect));
            }
            Ok(EioPacket::Ping(payload)) => {
                let heartbeat = self.state.borrow().heartbeat_ms;
                // Zero means no open packet yet: keep the connect timeout.
                if heartbeat > 0 {
                    self.arm_watchdog(generation, heartbeat, "ping timeout");
                }
                self.send(&codec::encode_eio(&EioPacket::Pong(payload)));
            }
            Ok(EioPacket::Close) => self.lost(generation, "transport close"),
            Ok(EioPacket::Message(text)) => self.on_packet(&text),
            Ok(EioPacket::Pong(_) | EioPacket::Upgrade | EioPacket::Noop) => {}
            // One bad packet is not worth dropping a healthy connection over.
            Err(e) => warn(&format!("socket: ignoring frame: {e}")),
        }
    }

    fn on_packet(self: &Rc<Self>, text: &str) {
        let packet = match codec::decode_sio(text) {
            Ok(packet) => packet,
            Err(e) => {
                warn(&format!("socket: ignoring packet: {e}"));
                return;
            }
        };
        if packet.namespace != DEFAULT_NAMESPACE {
            return;
        }
        match packet.payload {
            SioPayload::Connect(data) => {
                let sid = data
                    .as_ref()
                    .and_then(|d| d.get("sid"))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                {
                    let mut st = self.state.borrow_mut();
                    st.phase = Phase::Connected;
                    st.attempt = 0;
                }
                self.notify(SocketEvent::Connected { sid });
            }
            SioPayload::ConnectError { message, .. } => {
                // Socketioxide keeps the transport open after refusing; retrying with the same
                // auth would only be refused again.
                self.state.borrow_mut().stopped = true;
                self.teardown();
                self.notify(SocketEvent::ConnectError { message });
            }
            SioPayload::Disconnect => {
                // The server chose to drop us (e.g. logout): do not fight it by reconnecting.
                self.state.borrow_mut().stopped = true;
                self.teardown();
                self.notify(SocketEvent::Disconnected {
                    reason: "io server disconnect".to_owned(),
                });
            }
            SioPayload::Event { name, args, .. } => {
                self.notify(SocketEvent::Event {
                    name,
                    data: codec::args_to_value(args),
                });
            }
            SioPayload::Ack { id, args } => {
                let pending = self.state.borrow_mut().acks.remove(&id);
                if let Some(pending) = pending {
                    let _ = pending.tx.send(Ok(codec::args_to_value(args)));
                }
            }
        }
    }

    /// The transport of `generation` died: report it and retry if allowed.
    fn lost(self: &Rc<Self>, generation: u64, reason: &str) {
        if !self.is_current(generation) {
            return;
        }
        self.teardown();
        let generation = self.state.borrow().generation;
        self.notify(SocketEvent::Disconnected {
            reason: reason.to_owned(),
        });
        // Unless the callback already closed or restarted the client.
        if self.is_current(generation) {
            self.schedule_retry();
        }
    }

    fn schedule_retry(self: &Rc<Self>) {
        let delay = {
            let mut st = self.state.borrow_mut();
            if !self.reconnect || st.stopped {
                return;
            }
            st.attempt = st.attempt.saturating_add(1);
            self.backoff
                .delay_ms(st.attempt - 1, js_sys::Math::random())
        };
        self.schedule_open(delay);
    }

    /// Ends the current connection, if any, and fails its pending acks. Returns whether the
    /// namespace was connected.
    fn teardown(&self) -> bool {
        let (conn, watchdog, acks, was_connected) = {
            let mut st = self.state.borrow_mut();
            st.generation += 1;
            let was_connected = st.phase == Phase::Connected;
            st.phase = Phase::Idle;
            (
                st.conn.take(),
                st.watchdog.take(),
                std::mem::take(&mut st.acks),
                was_connected,
            )
        };
        drop((conn, watchdog));
        for (_, pending) in acks {
            let _ = pending.tx.send(Err(AckError::Disconnected));
        }
        was_connected
    }

    fn register_ack(
        self: &Rc<Self>,
        name: &str,
        data: Value,
        timeout_ms: u32,
    ) -> Result<oneshot::Receiver<Result<Value, AckError>>, AckError> {
        let (id, rx) = {
            let mut st = self.state.borrow_mut();
            if st.phase != Phase::Connected {
                return Err(AckError::NotConnected);
            }
            let id = st.next_ack_id;
            st.next_ack_id = st.next_ack_id.wrapping_add(1);
            let (tx, rx) = oneshot::channel();
            let weak = Rc::downgrade(self);
            let timeout = Timeout::new(timeout_ms, move || {
                if let Some(inner) = weak.upgrade() {
                    let pending = inner.state.borrow_mut().acks.remove(&id);
                    if let Some(pending) = pending {
                        let _ = pending.tx.send(Err(AckError::Timeout));
                    }
                }
            });
            st.acks.insert(
                id,
                PendingAck {
                    tx,
                    _timeout: timeout,
                },
            );
            (id, rx)
        };
        let packet = SioPacket::new(SioPayload::Event {
            name: name.to_owned(),
            args: vec![data],
            id: Some(id),
        });
        if !self.send(&codec::encode_message(&packet)) {
            self.state.borrow_mut().acks.remove(&id);
            return Err(AckError::Disconnected);
        }
        Ok(rx)
    }

    fn close(&self) {
        let (was_active, open_timer) = {
            let mut st = self.state.borrow_mut();
            let was_active = !st.stopped || st.phase != Phase::Idle;
            st.stopped = true;
            (was_active, st.open_timer.take())
        };
        drop(open_timer);
        if self.state.borrow().phase == Phase::Connected {
            let bye = SioPacket::new(SioPayload::Disconnect);
            self.send(&codec::encode_message(&bye));
        }
        self.teardown();
        if was_active {
            self.notify(SocketEvent::Disconnected {
                reason: "io client disconnect".to_owned(),
            });
        }
    }

    fn reconnect(self: &Rc<Self>) {
        let open_timer = {
            let mut st = self.state.borrow_mut();
            st.stopped = false;
            st.attempt = 0;
            st.open_timer.take()
        };
        drop(open_timer);
        if self.teardown() {
            self.notify(SocketEvent::Disconnected {
                reason: "io client reconnect".to_owned(),
            });
        }
        self.schedule_open(0);
    }
}

fn js_error_text(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}

fn warn(message: &str) {
    web_sys::console::warn_1(&JsValue::from_str(message));
}

#[cfg(all(test, target_arch = "wasm32"))]
mod wasm_tests {
    use std::cell::RefCell;
    use std::rc::Rc;

    use gloo_timers::future::TimeoutFuture;
    use serde_json::json;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    use super::*;
    use crate::api::socket::url::{socket_url_from_location, SOCKET_IO_PATH};

    wasm_bindgen_test_configure!(run_in_browser);

    /// Nothing listens there; 65535 is not on the browsers' blocked-port list.
    const DEAD_URL: &str = "ws://127.0.0.1:65535/socket.io/?EIO=4&transport=websocket";

    fn recorder() -> (
        Rc<RefCell<Vec<SocketEvent>>>,
        impl Fn(SocketEvent) + 'static,
    ) {
        let events = Rc::new(RefCell::new(Vec::new()));
        let sink = events.clone();
        (events, move |e| sink.borrow_mut().push(e))
    }

    fn fast_options() -> SocketOptions {
        SocketOptions {
            backoff: Backoff {
                base_ms: 10,
                factor: 2.0,
                cap_ms: 40,
                jitter: 0.0,
            },
            connect_timeout_ms: 2_000,
            ..SocketOptions::new(DEAD_URL)
        }
    }

    fn attempts(events: &[SocketEvent]) -> Vec<u32> {
        events
            .iter()
            .filter_map(|e| match e {
                SocketEvent::Connecting { attempt } => Some(*attempt),
                _ => None,
            })
            .collect()
    }

    #[wasm_bindgen_test]
    fn url_follows_the_page_location() {
        let location = web_sys::window().unwrap().location();
        let scheme = match location.protocol().unwrap().as_str() {
            "https:" => "wss",
            _ => "ws",
        };
        let expected = format!(
            "{scheme}://{}/socket.io/?EIO=4&transport=websocket",
            location.host().unwrap()
        );
        assert_eq!(socket_url_from_location(SOCKET_IO_PATH), Ok(expected));
    }

    #[wasm_bindgen_test]
    async fn unreachable_server_retries_with_growing_attempts() {
        let (events, on_event) = recorder();
        let client = SocketClient::connect(fast_options(), on_event);
        assert!(events.borrow().is_empty(), "no callback inside connect()");
        for _ in 0..100 {
            if attempts(&events.borrow()).len() >= 4 {
                break;
            }
            TimeoutFuture::new(50).await;
        }
        client.close();
        let seen = events.borrow().clone();
        assert_eq!(attempts(&seen)[..4], [0, 1, 2, 3], "{seen:?}");
        assert!(
            seen.iter()
                .any(|e| matches!(e, SocketEvent::Disconnected { .. })),
            "{seen:?}"
        );
        assert!(!client.is_connected());

        // close() stops the retries for good.
        let after_close = attempts(&events.borrow()).len();
        TimeoutFuture::new(300).await;
        assert_eq!(attempts(&events.borrow()).len(), after_close);
    }

    #[wasm_bindgen_test]
    async fn emitting_while_disconnected_sends_nothing() {
        let (_events, on_event) = recorder();
        let client = SocketClient::connect(fast_options(), on_event);
        assert!(!client.emit("x", json!(1)));
        let ack = client.emit_with_ack("x", json!(1), 1_000).await;
        assert_eq!(ack, Err(AckError::NotConnected));
        client.close();
    }

    #[wasm_bindgen_test]
    async fn reconnect_restarts_from_attempt_zero() {
        let (events, on_event) = recorder();
        let client = SocketClient::connect(
            SocketOptions {
                reconnect: false,
                ..fast_options()
            },
            on_event,
        );
        TimeoutFuture::new(500).await;
        assert_eq!(attempts(&events.borrow()), [0], "reconnect: false");
        client.reconnect();
        TimeoutFuture::new(500).await;
        assert_eq!(attempts(&events.borrow()), [0, 0]);
        client.close();
    }
}
