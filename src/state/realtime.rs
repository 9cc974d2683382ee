//! The real-time store: one Socket.IO connection per signed-in user, turned into signals.
//! Pages read `appointments_changed` (a version that bumps on every appointment event and on
//! every reconnection) to refetch, and the connection state to show whether they are live.

// The socket exists only in the browser; natively just the pure parts below compile and test.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code, unused_imports))]

use std::collections::VecDeque;

use leptos::prelude::*;
use nova_contract::connect_errors::{TOKEN_INVALID, TOKEN_REQUIRED};
use nova_contract::{names, Appointment, NoticeKind, RealtimeEvent, Role};
use serde_json::Value;

use super::auth::Auth;
use super::prefs::Prefs;
use super::toasts::Toasts;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    Connecting,
    Live,
    Reconnecting { attempt: u32 },
    Offline,
}

#[derive(Clone, Copy)]
pub struct Realtime {
    pub connection: RwSignal<Connection>,
    /// Bumps whenever appointments may have changed: an event arrived or we were away.
    pub appointments_changed: RwSignal<u64>,
    /// Bumps when a slot was taken under someone's eyes.
    pub slots_changed: RwSignal<u64>,
}

/// Remembers recent event ids so an event delivered twice acts once.
#[derive(Debug, Default)]
pub struct SeenIds {
    ids: VecDeque<String>,
}

impl SeenIds {
    const CAPACITY: usize = 256;

    /// `true` the first time an id is seen.
    pub fn first_time(&mut self, id: &str) -> bool {
        if self.ids.iter().any(|s| s == id) {
            return false;
        }
        if self.ids.len() == Self::CAPACITY {
            self.ids.pop_front();
        }
        self.ids.push_back(id.to_owned());
        true
    }
}

/// What an event means for the screen: a toast (kind, title, body) and which lists to refresh.
#[derive(Debug, Clone, PartialEq)]
pub struct Reaction {
    pub toast: Option<(NoticeKind, &'static str, Option<String>)>,
    pub appointments: bool,
    pub slots: bool,
}

/// Decides what an event does for a user of `role`. Pure, so the mapping tests natively.
pub fn interpret(
    name: &str,
    event: &RealtimeEvent<Value>,
    role: Role,
    t: &crate::i18n::Texts,
) -> Option<Reaction> {
    let appointment = serde_json::from_value::<Appointment>(event.data.clone()).ok();
    let about = |a: &Appointment| {
        let who = match role {
            Role::Patient => a
                .practitioner
                .as_ref()
                .map(|p| format!("Dr {}", p.last_name)),
            _ => a.patient.as_ref().map(|p| p.full_name()),
        };
        let when = crate::format::when(t, a.start_time);
        Some(match who {
            Some(w) => format!("{w} · {when}"),
            None => when,
        })
    };
    let on_appointment = |kind, title| Reaction {
        toast: Some((kind, title, appointment.as_ref().and_then(about))),
        appointments: true,
        slots: true,
    };
    Some(match name {
        names::RENDEZVOUS_NEW => on_appointment(NoticeKind::Info, t.toast_new_request),
        names::RENDEZVOUS_CREATED => on_appointment(NoticeKind::Success, t.toast_created),
        names::RENDEZVOUS_CONFIRMED if role == Role::Patient => {
            on_appointment(NoticeKind::Success, t.toast_confirmed)
        }
        // Staff confirmed it themselves (maybe in another tab): refresh quietly.
        names::RENDEZVOUS_CONFIRMED => Reaction {
            toast: None,
            appointments: true,
            slots: false,
        },
        names::RENDEZVOUS_CANCELLED => on_appointment(NoticeKind::Warning, t.toast_cancelled),
        names::CRENEAU_CONFLICT => Reaction {
            toast: Some((NoticeKind::Error, t.toast_conflict, None)),
            appointments: false,
            slots: true,
        },
        names::CRENEAU_AVAILABLE => Reaction {
            toast: None,
            appointments: false,
            slots: true,
        },
        _ => return None,
    })
}

pub fn use_realtime() -> Realtime {
    expect_context::<Realtime>()
}

pub fn provide_realtime(auth: Auth, prefs: Prefs, toasts: Toasts) -> Realtime {
    let rt = Realtime {
        connection: RwSignal::new(Connection::Offline),
        appointments_changed: RwSignal::new(0),
        slots_changed: RwSignal::new(0),
    };
    provide_context(rt);
    #[cfg(target_arch = "wasm32")]
    connect_when_signed_in(rt, auth, prefs, toasts);
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (auth, prefs, toasts);
    rt
}

#[cfg(target_arch = "wasm32")]
fn connect_when_signed_in(rt: Realtime, auth: Auth, prefs: Prefs, toasts: Toasts) {
    use std::cell::RefCell;
    use std::rc::Rc;

    use crate::api::socket::{
        socket_url_from_location, SocketClient, SocketEvent, SocketOptions, SOCKET_IO_PATH,
    };

    let current: Rc<RefCell<Option<SocketClient>>> = Rc::default();
    let seen: Rc<RefCell<SeenIds>> = Rc::default();
    leptos::prelude::Effect::new(move |_| {
        let token = auth.credentials().map(|c| c.token);
        let role = auth.user().map(|u| u.role);
        if let Some(old) = current.borrow_mut().take() {
            old.close();
        }
        let (Some(token), Some(role)) = (token, role) else {
            rt.connection.set(Connection::Offline);
            return;
        };
        let Ok(url) = socket_url_from_location(SOCKET_IO_PATH) else {
            return;
        };
        let mut opts = SocketOptions::new(url);
        opts.auth = serde_json::json!({ "token": token });
        let seen = seen.clone();
        let client = SocketClient::connect(opts, move |event| match event {
            SocketEvent::Connecting { attempt: 0 } => rt.connection.set(Connection::Connecting),
            SocketEvent::Connecting { attempt } => {
                rt.connection.set(Connection::Reconnecting { attempt })
            }
            SocketEvent::Connected { .. } => {
                rt.connection.set(Connection::Live);
                // Whatever happened while we were away is on the server: refetch.
                rt.appointments_changed.update(|v| *v += 1);
                rt.slots_changed.update(|v| *v += 1);
            }
            SocketEvent::Disconnected { .. } => {
                rt.connection.set(Connection::Reconnecting { attempt: 0 })
            }
            SocketEvent::ConnectError { message } => {
                rt.connection.set(Connection::Offline);
                if message == TOKEN_INVALID || message == TOKEN_REQUIRED {
                    auth.sign_out();
                }
            }
            SocketEvent::Event { name, data } => {
                let Ok(event) = serde_json::from_value::<RealtimeEvent<Value>>(data) else {
                    return;
                };
                if !seen.borrow_mut().first_time(&event.id) {
                    return;
                }
                let t = prefs.t();
                let Some(effect) = interpret(&name, &event, role, t) else {
                    return;
                };
                if let Some((kind, title, body)) = effect.toast {
                    toasts.push(kind, title, body);
                }
                if effect.appointments {
                    rt.appointments_changed.update(|v| *v += 1);
                }
                if effect.slots {
                    rt.slots_changed.update(|v| *v += 1);
                }
            }
        });
        *current.borrow_mut() = Some(client);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::FR;

    fn event(data: Value) -> RealtimeEvent<Value> {
        RealtimeEvent {
            id: "e1".into(),
            kind: NoticeKind::Info,
            message: String::new(),
            data,
            timestamp: chrono::DateTime::from_timestamp(0, 0).unwrap(),
        }
    }

    #[test]
    fn duplicate_events_act_once() {
        let mut seen = SeenIds::default();
        assert!(seen.first_time("a"));
        assert!(!seen.first_time("a"));
        for i in 0..SeenIds::CAPACITY {
            seen.first_time(&i.to_string());
        }
        assert!(
            seen.first_time("a"),
            "old ids are forgotten, memory stays bounded"
        );
    }

    #[test]
    fn a_new_booking_toasts_the_practitioner_and_refreshes_lists() {
        let e = interpret(
            names::RENDEZVOUS_NEW,
            &event(Value::Null),
            Role::Practitioner,
            &FR,
        )
        .unwrap();
        assert_eq!(e.toast.as_ref().map(|t| t.1), Some(FR.toast_new_request));
        assert!(e.appointments && e.slots);
    }

    #[test]
    fn confirmation_toasts_patients_only() {
        let p = interpret(
            names::RENDEZVOUS_CONFIRMED,
            &event(Value::Null),
            Role::Patient,
            &FR,
        )
        .unwrap();
        assert_eq!(p.toast.map(|t| t.0), Some(NoticeKind::Success));
        let s = interpret(
            names::RENDEZVOUS_CONFIRMED,
            &event(Value::Null),
            Role::Practitioner,
            &FR,
        )
        .unwrap();
        assert!(s.toast.is_none() && s.appointments);
    }

    #[test]
    fn conflicts_refresh_slots_and_unknown_events_do_nothing() {
        let c = interpret(
            names::CRENEAU_CONFLICT,
            &event(Value::Null),
            Role::Patient,
            &FR,
        )
        .unwrap();
        assert!(c.slots && !c.appointments);
        assert!(interpret("something:else", &event(Value::Null), Role::Patient, &FR).is_none());
    }
}
