//! The realtime store: one Socket.IO connection per signed-in person, turned into signals.
//!
//! - `connection` says whether the screen is live (connecting, live, reconnecting with the
//!   attempt count, offline); the socket client brings the backoff with jitter and the
//!   ping-timeout watchdog.
//! - Each event is decoded once ([`super::live_events`]), deduplicated by id, and applied to the
//!   query cache: the appointment is written into every cached list holding it, and lists or
//!   slots are refetched when it belongs somewhere new. Components just read their queries.
//! - `latest` is the typed stream for components that want to react to events themselves.
//! - `metrics` holds the last `metrics:update` a manager received (`None` before the first);
//!   when the day's figures in it move, the dashboard query is refetched too.
//! - The booking screen names the agenda it shows (`watch_slots`); the socket watches it
//!   (`slots:watch`) and watches again after every reconnection.
//! - Reconnection sends `lastEventId` (the highest durable event id seen), and refetches live
//!   data in case the server cannot replay. While the socket is down, live queries poll every
//!   15 s instead.
//! - An expired token is refreshed through the API client, then the socket connects again.

// The socket exists only in the browser; natively just the types compile.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code, unused_imports))]

use leptos::prelude::*;
use nova_contract::{LiveMetrics, NoticeKind, Role};

use super::event_log::{durable_seq, EventLog};
use super::live_events::{react, Decide, Envelope, LiveEvent, Reaction};
use super::notifications::{Notice, Notifications};
use super::prefs::Prefs;
use super::toasts::{Priority, Toast, Toasts};
use crate::api::query::QueryClient;
use crate::api::{queries, ApiClient};
use crate::i18n::Texts;

/// Live lists poll this often while the socket is down.
pub const FALLBACK_POLL_MS: u32 = 15_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    Connecting,
    Live,
    Reconnecting { attempt: u32 },
    Offline,
}

#[derive(Clone, Copy)]
pub struct Realtime {
    /// What the person is told: the socket's state, or offline when the browser says so (a
    /// socket can look alive for up to a ping timeout after the network went away).
    pub connection: Memo<Connection>,
    socket: RwSignal<Connection>,
    /// The last event handled, typed.
    pub latest: RwSignal<Option<LiveEvent>, LocalStorage>,
    /// The manager's live figures: the last `metrics:update`, until the person changes.
    pub metrics: RwSignal<Option<LiveMetrics>, LocalStorage>,
    /// The practitioner whose free times are on screen: the socket watches that agenda
    /// (`slots:watch`), again after every reconnection, since watching ends with a socket.
    watched: RwSignal<Option<String>>,
    /// The conversation on screen: the socket joins its room (`join-room`), again after every
    /// reconnection, and leaves it when the screen closes it.
    room: RwSignal<Option<String>>,
    #[cfg(target_arch = "wasm32")]
    socket_client: StoredValue<Option<crate::api::socket::SocketClient>, LocalStorage>,
}

impl Realtime {
    /// Watch one practitioner's agenda, or none; the booking screen calls this.
    pub fn watch_slots(&self, practitioner: Option<String>) {
        if self.watched.with_untracked(|w| *w != practitioner) {
            self.watched.set(practitioner);
        }
    }
}

impl Realtime {
    /// Join one conversation's room (or none); the messages screen calls this.
    pub fn open_conversation(&self, id: Option<String>) {
        if self.room.with_untracked(|r| *r != id) {
            self.room.set(id);
        }
    }

    /// Tells the conversation's other screens that the person is (or stopped) typing. Lost
    /// while the socket is down, which is what a typing indicator should do.
    pub fn typing(&self, conversation: &str, is_typing: bool) {
        #[cfg(target_arch = "wasm32")]
        self.socket_client.with_value(|c| {
            if let Some(c) = c.as_ref().filter(|c| c.is_connected()) {
                let mut w = serde_json::Map::new();
                w.insert("conversationId".into(), conversation.into());
                w.insert("isTyping".into(), is_typing.into());
                c.emit(nova_contract::client_names::TYPING, w.into());
            }
        });
        #[cfg(not(target_arch = "wasm32"))]
        let _ = (conversation, is_typing);
    }
}

pub fn use_realtime() -> Realtime {
    expect_context::<Realtime>()
}

/// Applies one event to the cache and returns what it means for the viewer, or `None` for a
/// duplicate or a malformed event.
pub fn handle_event(
    log: &mut EventLog,
    name: &str,
    data: &serde_json::Value,
    role: Role,
    t: &Texts,
    queries: &QueryClient,
) -> Option<(Envelope, LiveEvent, Reaction)> {
    let (envelope, event) = super::live_events::decode(name, data)?;
    if !log.accept(&envelope.id) {
        return None;
    }
    let mut reaction = react(&event, role, t);
    // Messages and proposals also reach an open conversation's room, as volatile copies; the
    // person's own durable copy carries the toast, so it shows once.
    let room_copy = matches!(event, LiveEvent::Message(_) | LiveEvent::Proposal(..))
        && durable_seq(&envelope.id).is_none();
    if room_copy {
        reaction.toast = None;
    }
    let mut refresh_lists = reaction.refresh_lists;
    if let Some(a) = &reaction.patch {
        // Patched where it is; if no list held it, the lists that should may not know it yet.
        if queries::patch_appointment(queries, a) == 0 {
            refresh_lists = true;
        }
    }
    if refresh_lists {
        queries.invalidate(&queries::appointments());
    }
    if reaction.refresh_slots {
        queries.invalidate(&queries::slots());
    }
    match &event {
        LiveEvent::Message(m) => {
            queries.update::<nova_contract::MessagePage>(
                &queries::messages(&m.conversation_id),
                |page| queries::add_message(page, m),
            );
            queries.invalidate(&queries::conversation_list());
        }
        LiveEvent::Read(r) => {
            queries.update::<Vec<nova_contract::Conversation>>(
                &queries::conversation_list(),
                |list| queries::apply_receipt(list, r),
            );
        }
        LiveEvent::ConversationUpdated => {
            queries.invalidate(&queries::conversation_list());
        }
        LiveEvent::Presence(s) => {
            queries.update::<Vec<nova_contract::Conversation>>(
                &queries::conversation_list(),
                |list| queries::apply_presence(list, s),
            );
        }
        LiveEvent::Proposal(_, p) => {
            queries.invalidate(&queries::proposals(&p.conversation_id));
        }
        _ => {}
    }
    Some((envelope, event, reaction))
}

/// Whether the event belongs to the conversation on screen.
#[cfg(target_arch = "wasm32")]
pub(super) fn in_room(event: &LiveEvent, open: Option<&str>) -> bool {
    let conversation = match event {
        LiveEvent::Message(m) => &m.conversation_id,
        LiveEvent::Proposal(_, p) => &p.conversation_id,
        _ => return false,
    };
    open == Some(conversation.as_str())
}

pub struct RealtimeDeps {
    pub auth: super::auth::Auth,
    pub api: ApiClient,
    pub queries: QueryClient,
    pub network: super::network::Network,
    pub prefs: Prefs,
    pub toasts: Toasts,
    pub notices: Notifications,
}

pub fn provide_realtime(d: RealtimeDeps) -> Realtime {
    let socket = RwSignal::new(Connection::Offline);
    let online = d.network.online;
    let rt = Realtime {
        connection: Memo::new(move |_| {
            if online.get() {
                socket.get()
            } else {
                Connection::Offline
            }
        }),
        socket,
        latest: RwSignal::new_local(None),
        metrics: RwSignal::new_local(None),
        watched: RwSignal::new(None),
        room: RwSignal::new(None),
        #[cfg(target_arch = "wasm32")]
        socket_client: StoredValue::new_local(None),
    };
    provide_context(rt);
    // Poll live lists while the socket is down but the network is up.
    let queries = d.queries.clone();
    let (auth, network) = (d.auth, d.network);
    Effect::new(move |_| {
        let down = rt.connection.get() != Connection::Live;
        let poll = down && network.online.get() && auth.user_id().is_some();
        queries.set_fallback_interval(poll.then_some(FALLBACK_POLL_MS));
    });
    #[cfg(target_arch = "wasm32")]
    connect_when_signed_in(rt, d);
    #[cfg(not(target_arch = "wasm32"))]
    let _ = d;
    rt
}

/// Keeps the latest live figures. When the day's figures differ from the previous push, an
/// appointment of today changed: the dashboard (per-practitioner load) is refetched as well.
pub fn apply_metrics(
    metrics: RwSignal<Option<LiveMetrics>, LocalStorage>,
    fresh: LiveMetrics,
    queries: &QueryClient,
) {
    let day_moved = metrics.with_untracked(|old| {
        old.as_ref().is_some_and(|o| {
            (o.date, o.counts_by_status, o.fill_rate)
                != (fresh.date, fresh.counts_by_status, fresh.fill_rate)
        })
    });
    if day_moved {
        queries.invalidate(&queries::dashboards());
    }
    metrics.set(Some(fresh));
}

/// Shows an event's toast (with accept/reject on a request or a proposal) and records it in
/// the notification centre: every durable event (the server keeps it too, and counts it
/// unread), and volatile ones worth a toast.
fn announce(envelope: Envelope, reaction: Reaction, d: &RealtimeDeps) {
    let durable = durable_seq(&envelope.id).is_some();
    if reaction.toast.is_none() && !durable {
        return;
    }
    let (kind, priority, title, body) = match reaction.toast {
        Some(plan) => {
            let t = d.prefs.t();
            let mut toast = Toast::new(plan.kind, plan.title)
                .body(plan.body.clone())
                .priority(plan.priority);
            if let Some(target) = plan.decide {
                // A newer toast about the same decision (a request moved since) replaces the
                // older one, whose text is out of date.
                d.toasts.settled(&target.key());
                toast = toast.about(target.key());
                let (yes, no) = match &target {
                    Decide::Appointment(_) => (t.confirm, t.refuse),
                    Decide::Proposal(_) => (t.accept, t.refuse),
                };
                let (run, run2) = (decider(d, target.clone()), decider(d, target));
                toast = toast
                    .action(yes, true, move || run(true))
                    .action(no, false, move || run2(false));
            }
            d.toasts.show(toast);
            (plan.kind, plan.priority, plan.title.to_owned(), plan.body)
        }
        None => (envelope.kind, Priority::Low, envelope.message, None),
    };
    d.notices.push(Notice {
        id: envelope.id,
        kind,
        priority,
        title,
        body,
        at: chrono::Utc::now(),
        read: false,
    });
}

/// What a toast's accept (`true`) and reject buttons do.
fn decider(d: &RealtimeDeps, target: Decide) -> impl Fn(bool) + 'static {
    let (api, queries, toasts, prefs) = (d.api.clone(), d.queries.clone(), d.toasts, d.prefs);
    move |yes| match &target {
        Decide::Appointment(id) => {
            super::agenda::decide(&api, &queries, toasts, prefs, id.clone(), yes)
        }
        Decide::Proposal(id) => {
            let (api, queries, id) = (api.clone(), queries.clone(), id.clone());
            leptos::task::spawn_local(async move {
                match crate::api::endpoints::decide_proposal(&api, &id, yes).await {
                    // The accepted proposal is an appointment now, and its time is taken.
                    Ok(()) => {
                        queries.invalidate(&queries::appointments());
                        queries.invalidate(&queries::slots());
                    }
                    Err(e) => toasts.push(NoticeKind::Error, prefs.t().error(e.code), None),
                }
            });
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn connect_when_signed_in(rt: Realtime, d: RealtimeDeps) {
    use std::cell::RefCell;
    use std::rc::Rc;

    use nova_contract::client_names;
    use nova_contract::connect_errors::{TOKEN_INVALID, TOKEN_REQUIRED};

    use super::event_log::connect_auth;
    use crate::api::endpoints;
    use crate::api::socket::{
        socket_url_from_location, SocketClient, SocketEvent, SocketOptions, SOCKET_IO_PATH,
    };

    let d = Rc::new(d);
    let current: Rc<RefCell<Option<SocketClient>>> = Rc::default();
    let slot = Rc::downgrade(&current);
    // Back online: do not wait for the backoff, try now.
    let network = d.network;
    let for_online = current.clone();
    Effect::new(move |_| {
        if network.online.get() {
            if let Some(c) = for_online.borrow().as_ref().filter(|c| !c.is_connected()) {
                c.reconnect();
            }
        }
    });
    // The agenda on screen changed: stop watching the old one, watch the new one. A socket
    // that is not connected watches nothing; `Connected` below catches up.
    let (for_watch, api) = (current.clone(), d.api.clone());
    let before = RefCell::new(None::<String>);
    Effect::new(move |_| {
        let now = rt.watched.get();
        let old = before.replace(now.clone());
        if let Some(c) = for_watch.borrow().as_ref().filter(|c| c.is_connected()) {
            if let Some(old) = old.filter(|old| Some(old) != now.as_ref()) {
                watch(c, &api, client_names::SLOTS_UNWATCH, old);
            }
            if let Some(p) = now {
                watch(c, &api, client_names::SLOTS_WATCH, p);
            }
        }
    });
    // The conversation on screen changed: leave the old room, join the new one.
    let for_room = current.clone();
    let before_room = RefCell::new(None::<String>);
    Effect::new(move |_| {
        let now = rt.room.get();
        let old = before_room.replace(now.clone());
        if let Some(c) = for_room.borrow().as_ref().filter(|c| c.is_connected()) {
            if let Some(old) = old.filter(|old| Some(old) != now.as_ref()) {
                room(c, client_names::LEAVE_ROOM, &old);
            }
            if let Some(id) = now {
                room(c, client_names::JOIN_ROOM, &id);
            }
        }
    });
    // Outlives connections, so a reconnection resumes after the last durable event; it
    // belongs to one person and starts afresh for another.
    let log = Rc::new(RefCell::new(EventLog::default()));
    // One connection per person: a token refresh does not reconnect (the next CONNECT reads
    // the current token), a different person does.
    let auth = d.auth;
    Effect::new(move |_| {
        let who = auth.user().map(|u| (u.id, u.role));
        if let Some(old) = current.borrow_mut().take() {
            old.close();
        }
        rt.socket_client.set_value(None);
        log.borrow_mut()
            .reset_for(who.as_ref().map(|w| w.0.as_str()));
        rt.metrics.set(None);
        let Some((_, role)) = who else {
            rt.socket.set(Connection::Offline);
            return;
        };
        let Ok(url) = socket_url_from_location(SOCKET_IO_PATH) else {
            return;
        };
        let log = log.clone();
        // Refusals since the last accepted connection: a server that keeps refusing a token
        // the API accepts must not be retried in a tight loop.
        let refusals = Rc::new(std::cell::Cell::new(0u32));
        let mut opts = SocketOptions::new(url);
        let (api, l) = (d.api.clone(), log.clone());
        opts.auth_fn = Some(Rc::new(move || {
            let token = api.credentials().map(|c| c.token).unwrap_or_default();
            connect_auth(&token, l.borrow().last_event_id().as_deref())
        }));
        let (d, slot) = (d.clone(), slot.clone());
        let client = SocketClient::connect(opts, move |event| match event {
            SocketEvent::Connecting { attempt: 0 } => rt.socket.set(Connection::Connecting),
            SocketEvent::Connecting { attempt } => {
                rt.socket.set(Connection::Reconnecting { attempt })
            }
            SocketEvent::Connected { .. } => {
                refusals.set(0);
                rt.socket.set(Connection::Live);
                if let Some(c) = slot.upgrade().and_then(|s| s.borrow().clone()) {
                    if let Some(p) = rt.watched.get_untracked() {
                        watch(&c, &d.api, client_names::SLOTS_WATCH, p);
                    }
                    // Rooms end with a socket: join the open conversation again, and catch up
                    // on what was said meanwhile.
                    if let Some(id) = rt.room.get_untracked() {
                        room(&c, client_names::JOIN_ROOM, &id);
                        d.queries.invalidate(&queries::messages(&id));
                    }
                }
                d.queries.invalidate(&queries::conversation_list());
                // The server replays from `lastEventId` when it can; refetching what is on
                // screen covers the case where it cannot.
                d.queries.invalidate(&queries::appointments());
                d.queries.invalidate(&queries::slots());
            }
            SocketEvent::Disconnected { .. } => {
                rt.socket.set(Connection::Reconnecting { attempt: 0 })
            }
            SocketEvent::ConnectError { message } => {
                rt.socket.set(Connection::Offline);
                refusals.set(refusals.get() + 1);
                let token_refused = message == TOKEN_INVALID || message == TOKEN_REQUIRED;
                if token_refused && refusals.get() <= 2 {
                    // Probably an expired access token: any authenticated call refreshes it
                    // (or ends the session if it cannot be refreshed), then connect again.
                    let (api, slot) = (d.api.clone(), slot.clone());
                    leptos::task::spawn_local(async move {
                        if endpoints::me(&api).await.is_ok() {
                            if let Some(c) = slot.upgrade().and_then(|s| s.borrow().clone()) {
                                c.reconnect();
                            }
                        }
                    });
                }
            }
            SocketEvent::Event { name, data } => {
                if let Some(m) = super::live_events::decode_metrics(&name, &data) {
                    return apply_metrics(rt.metrics, m, &d.queries);
                }
                let t = d.prefs.t();
                let handled =
                    handle_event(&mut log.borrow_mut(), &name, &data, role, t, &d.queries);
                if let Some((envelope, event, mut reaction)) = handled {
                    // The open thread already shows it (and its proposal card has the
                    // buttons): a toast would repeat it.
                    if rt.room.with_untracked(|r| in_room(&event, r.as_deref())) {
                        reaction.toast = None;
                    }
                    if let Some(made) = Decide::settled_by(&event) {
                        d.toasts.settled(&made.key());
                    }
                    rt.latest.set(Some(event));
                    announce(envelope, reaction, &d);
                }
            }
        });
        rt.socket_client.set_value(Some(client.clone()));
        *current.borrow_mut() = Some(client);
    });
}

/// Sends `join-room` / `leave-room` for `conversation:{id}`. A refusal only means no live
/// updates in the open thread: the durable `message:new` still reaches the person's own room.
#[cfg(target_arch = "wasm32")]
fn room(c: &crate::api::socket::SocketClient, name: &'static str, conversation: &str) {
    let data = format!("conversation:{conversation}").into();
    let ack = c.request::<serde::de::IgnoredAny>(name, data, 5_000);
    leptos::task::spawn_local(async move {
        if let Err(e) = ack.await {
            web_sys::console::warn_1(&format!("{name}: {e}").into());
        }
    });
}

/// Sends `slots:watch` / `slots:unwatch` for a practitioner of the cabinet the API talks to.
/// A refusal only means no live updates: the list still polls and refetches on reconnection.
#[cfg(target_arch = "wasm32")]
fn watch(
    c: &crate::api::socket::SocketClient,
    api: &ApiClient,
    name: &'static str,
    practitioner: String,
) {
    // The contract's `SlotWatch`, built as a `Value` directly: serialising the struct would
    // bring a `Value` serialiser into the bundle for two fields.
    let mut w = serde_json::Map::new();
    w.insert("practitionerId".into(), practitioner.into());
    if let Some(cabinet) = api
        .credentials()
        .map(|c| c.tenant)
        .filter(|t| !t.is_empty())
    {
        w.insert("cabinetId".into(), cabinet.into());
    }
    let ack = c.request::<serde::de::IgnoredAny>(name, w.into(), 5_000);
    leptos::task::spawn_local(async move {
        if let Err(e) = ack.await {
            web_sys::console::warn_1(&format!("{name}: {e}").into());
        }
    });
}
