//! Browser tests of the stores (headless Chromium): the offline queue in real localStorage and
//! its replay, realtime events applied to the cache with deduplication and resume, and the
//! toast stack on screen with its keyboard rule.

use std::cell::RefCell;
use std::rc::Rc;

use chrono::DateTime;
use leptos::prelude::*;
use nova_contract::{
    names, AppointmentStatus, AppointmentType, CreateAppointmentRequest, NoticeKind, Role,
};
use serde_json::json;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

use super::event_log::{connect_auth, EventLog};
use super::outbox::{replay, Change, Outcome, PendingChange, Queue};
use super::realtime::{handle_event, in_room};
use super::toasts::{provide_toasts, Priority, Toast, MAX_VISIBLE};
use crate::api::queries::fixtures::{appointment, page};
use crate::api::queries::{self, AppointmentPage};
use crate::api::query::{ObserveOptions, QueryClient};
use crate::api::testing::*;
use crate::i18n::FR;

wasm_bindgen_test_configure!(run_in_browser);

fn booking(key: &str, minute: i64) -> PendingChange {
    PendingChange::new(
        key.into(),
        format!("booking {key}"),
        &Change::Book {
            request: CreateAppointmentRequest {
                patient_id: None,
                patient_data: None,
                practitioner_id: "p".into(),
                kind: AppointmentType::Consultation,
                start_time: DateTime::from_timestamp(1_800_000_000 + minute * 60, 0).unwrap(),
                duration: 30,
                notes: None,
                urgency: None,
            },
        },
    )
}

fn fresh_queue(user: &str) -> Queue {
    let q = Queue::for_user(user);
    for c in q.load() {
        q.remove(&c.key);
    }
    q
}

// ---- offline queue ------------------------------------------------------------------------

#[wasm_bindgen_test]
fn the_queue_lives_in_local_storage_in_order_once_per_key() {
    let q = fresh_queue("test-persist");
    q.push(booking("k1", 0));
    q.push(booking("k2", 30));
    q.push(booking("k1", 0));
    // A new handle reads what a reload would find.
    let after_reload = Queue::for_user("test-persist").load();
    assert_eq!(
        after_reload
            .iter()
            .map(|c| c.key.as_str())
            .collect::<Vec<_>>(),
        ["k1", "k2"]
    );
    let raw = web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item("nova_outbox:test-persist")
        .unwrap()
        .unwrap();
    assert!(raw.contains(r#""key":"k1""#) && raw.contains(r#""path":"/api/appointments""#));
    assert!(
        Queue::for_user("someone-else").load().is_empty(),
        "per person"
    );
    q.remove("k1");
    q.remove("k2");
    assert!(Queue::for_user("test-persist").load().is_empty());
}

#[wasm_bindgen_test]
fn a_move_and_a_cancellation_survive_a_reload_as_they_were_made() {
    let q = fresh_queue("test-move");
    let at = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
    let moved = PendingChange::new(
        "m1".into(),
        "Déplacer · lun. 1 janv. · 09:00".into(),
        &Change::Reschedule {
            id: "a1".into(),
            start_time: at,
        },
    );
    let cancelled = PendingChange::new(
        "c1".into(),
        "Annuler".into(),
        &Change::Cancel {
            id: "a2".into(),
            reason: None,
        },
    );
    q.push(moved.clone());
    q.push(cancelled.clone());
    assert_eq!(Queue::for_user("test-move").load(), [moved, cancelled]);
    q.remove("m1");
    q.remove("c1");
}

#[wasm_bindgen_test]
async fn replay_sends_in_order_with_each_key_and_reports_every_outcome() {
    let q = fresh_queue("test-replay");
    for (k, m) in [("k1", 0), ("k2", 30), ("k3", 60), ("k4", 90)] {
        q.push(booking(k, m));
    }
    let stub = Stub::new(|r| match r.header("Idempotency-Key") {
        Some("k1") | Some("k4") => Reply::Json(
            201,
            format!(
                r#"{{"success":true,"data":{}}}"#,
                serde_json::to_string(&appointment("a", 0, AppointmentStatus::Pending)).unwrap()
            ),
        ),
        Some("k2") => fail(409, "SLOT_CONFLICT"),
        _ => fail(422, "VALIDATION_ERROR"),
    });
    let api = client(&stub, &{
        let s = MemorySession::default();
        *s.session.borrow_mut() = Some(session("a1", "r1"));
        s
    });
    let mut seen = Vec::new();
    let settled = replay(&api, &q, |c, o| seen.push((c.key.clone(), o.clone()))).await;
    assert_eq!(settled, 4);
    let keys: Vec<_> = stub
        .log
        .borrow()
        .iter()
        .map(|r| r.header("Idempotency-Key").unwrap().to_owned())
        .collect();
    assert_eq!(keys, ["k1", "k2", "k3", "k4"], "in order, each once");
    assert!(matches!(seen[0].1, Outcome::Done));
    assert!(matches!(seen[1].1, Outcome::Conflict(_)));
    assert!(matches!(seen[2].1, Outcome::Refused(_)));
    assert!(matches!(seen[3].1, Outcome::Done));
    assert!(q.load().is_empty());
}

#[wasm_bindgen_test]
async fn replay_stops_at_the_first_change_that_must_wait_and_resends_the_same_key() {
    let q = fresh_queue("test-wait");
    q.push(booking("k1", 0));
    q.push(booking("k2", 30));
    let online = Rc::new(RefCell::new(false));
    let o = online.clone();
    let stub = Stub::new(move |_| {
        if *o.borrow() {
            ok(&serde_json::to_string(&appointment("a", 0, AppointmentStatus::Pending)).unwrap())
        } else {
            Reply::Network
        }
    });
    let s = MemorySession::default();
    *s.session.borrow_mut() = Some(session("a1", "r1"));
    let api = client(&stub, &s);
    assert_eq!(replay(&api, &q, |_, _| {}).await, 0);
    assert_eq!(q.load().len(), 2, "nothing is lost");
    assert!(
        stub.log
            .borrow()
            .iter()
            .all(|r| r.header("Idempotency-Key") == Some("k1")),
        "k2 waits its turn"
    );

    *online.borrow_mut() = true;
    let mut done = Vec::new();
    assert_eq!(replay(&api, &q, |c, _| done.push(c.key.clone())).await, 2);
    assert_eq!(done, ["k1", "k2"]);
    let last_two: Vec<_> = stub
        .log
        .borrow()
        .iter()
        .rev()
        .take(2)
        .map(|r| r.header("Idempotency-Key").unwrap().to_owned())
        .collect();
    assert_eq!(last_two, ["k2", "k1"], "k1 went again with the same key");
}

// ---- realtime -----------------------------------------------------------------------------

fn event(id: &str, data: serde_json::Value) -> serde_json::Value {
    json!({"id": id, "type": "info", "message": "", "data": data, "timestamp": "2026-11-23T08:00:00Z"})
}

#[wasm_bindgen_test]
async fn a_message_lands_in_its_open_thread_once_and_toasts_once() {
    let q = QueryClient::default();
    let thread = queries::messages("c1");
    q.set(
        &thread,
        nova_contract::MessagePage {
            items: vec![],
            has_more: false,
        },
    );
    let mut log = EventLog::default();
    let m = json!({"id": "m1", "conversationId": "c1", "seq": 1, "senderId": "u2",
        "content": "Bonjour", "createdAt": "2026-11-23T08:00:00Z"});
    let durable = handle_event(
        &mut log,
        names::MESSAGE_NEW,
        &event("7", m.clone()),
        Role::Patient,
        &FR,
        &q,
    );
    assert!(durable.expect("acts").2.toast.is_some());
    // The conversation room's copy: another envelope id, the same message.
    let copy = handle_event(
        &mut log,
        names::MESSAGE_NEW,
        &event("v-1", m),
        Role::Patient,
        &FR,
        &q,
    );
    assert!(
        copy.expect("acts").2.toast.is_none(),
        "the room copy does not toast again"
    );
    let page = q.get::<nova_contract::MessagePage>(&thread).unwrap();
    assert_eq!(
        page.items.len(),
        1,
        "the second copy is dropped by message id"
    );
}

#[wasm_bindgen_test]
fn only_events_of_the_open_conversation_are_on_screen() {
    let m = json!({"id": "m1", "conversationId": "c1", "seq": 1, "senderId": "u2",
        "content": "Bonjour", "createdAt": "2026-11-23T08:00:00Z"});
    let (_, message) = super::live_events::decode(names::MESSAGE_NEW, &event("7", m)).unwrap();
    assert!(in_room(&message, Some("c1")));
    assert!(!in_room(&message, Some("c2")));
    assert!(!in_room(&message, None));
    let (_, other) = super::live_events::decode(
        names::RENDEZVOUS_CONFIRMED,
        &event(
            "8",
            serde_json::to_value(appointment("a", 100, AppointmentStatus::Confirmed)).unwrap(),
        ),
    )
    .unwrap();
    assert!(!in_room(&other, Some("c1")));
}

#[wasm_bindgen_test]
async fn events_patch_cached_lists_once_and_move_the_resume_cursor() {
    let q = QueryClient::default();
    let list = queries::appointments().with("list").with("x");
    q.set(
        &list,
        page(vec![appointment("a", 100, AppointmentStatus::Pending)]),
    );
    let mut log = EventLog::default();
    let confirmed =
        serde_json::to_value(appointment("a", 100, AppointmentStatus::Confirmed)).unwrap();

    let r = handle_event(
        &mut log,
        names::RENDEZVOUS_CONFIRMED,
        &event("41", confirmed.clone()),
        Role::Patient,
        &FR,
        &q,
    );
    let (_, _, reaction) = r.expect("first delivery acts");
    assert_eq!(reaction.toast.map(|t| t.title), Some(FR.toast_confirmed));
    let status = q.get::<AppointmentPage>(&list).unwrap().items[0].status;
    assert_eq!(
        status,
        AppointmentStatus::Confirmed,
        "patched in place, no refetch"
    );

    // The server replays from lastEventId after a reconnection: e1 again, then e2.
    assert_eq!(
        connect_auth("t", log.last_event_id().as_deref()),
        json!({"token": "t", "lastEventId": "41"})
    );
    assert!(handle_event(
        &mut log,
        names::RENDEZVOUS_CONFIRMED,
        &event("41", confirmed),
        Role::Patient,
        &FR,
        &q
    )
    .is_none());
    let cancelled =
        serde_json::to_value(appointment("a", 100, AppointmentStatus::Cancelled)).unwrap();
    assert!(handle_event(
        &mut log,
        names::RENDEZVOUS_CANCELLED,
        &event("42", cancelled),
        Role::Patient,
        &FR,
        &q
    )
    .is_some());
    assert_eq!(log.last_event_id().as_deref(), Some("42"));

    // A volatile event (uuid id) is handled once but never becomes the resume cursor, and
    // the replay of an older durable event does not move it back.
    let watcher =
        json!({"practitionerId": "p", "startTime": "2026-11-23T08:00:00Z", "duration": 30});
    let uuid = "5b7c2f0e-8d1a-4c3b-9e6f-0a1b2c3d4e5f";
    assert!(handle_event(
        &mut log,
        names::CRENEAU_CONFLICT,
        &event(uuid, watcher.clone()),
        Role::Patient,
        &FR,
        &q
    )
    .is_some());
    assert!(handle_event(
        &mut log,
        names::CRENEAU_CONFLICT,
        &event(uuid, watcher),
        Role::Patient,
        &FR,
        &q
    )
    .is_none());
    assert!(handle_event(
        &mut log,
        "notification:general",
        &event("40", json!(null)),
        Role::Patient,
        &FR,
        &q
    )
    .is_some());
    assert_eq!(log.last_event_id().as_deref(), Some("42"));

    // Someone else signs in on this tab: no replay of the previous person's cursor.
    log.reset_for(Some("someone-else"));
    assert_eq!(
        connect_auth("t", log.last_event_id().as_deref()),
        json!({"token": "t"})
    );
    assert_eq!(
        q.get::<AppointmentPage>(&list).unwrap().items[0].status,
        AppointmentStatus::Cancelled
    );
}

#[wasm_bindgen_test]
async fn an_appointment_no_list_holds_makes_the_lists_refetch() {
    let q = QueryClient::default();
    let list = queries::appointments().with("list").with("y");
    let calls = Rc::new(std::cell::Cell::new(0));
    let c = calls.clone();
    q.observe(&list, ObserveOptions::default());
    q.ensure(
        &list,
        Rc::new(move |_| {
            c.set(c.get() + 1);
            Box::pin(async { Ok(Rc::new(page(Vec::new())) as crate::api::query::cache::AnyData) })
        }),
        60_000.0,
    );
    settle(10).await;
    let fresh = serde_json::to_value(appointment("new", 100, AppointmentStatus::Pending)).unwrap();
    let mut log = EventLog::default();
    handle_event(
        &mut log,
        names::RENDEZVOUS_NEW,
        &event("n1", fresh),
        Role::Practitioner,
        &FR,
        &q,
    )
    .unwrap();
    settle(10).await;
    assert_eq!(calls.get(), 2, "refetched to find where it belongs");
}

// ---- toasts on screen ---------------------------------------------------------------------

#[wasm_bindgen_test]
async fn toasts_render_in_live_regions_and_escape_dismisses_the_newest() {
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let container = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&container).unwrap();
    let toasts = Rc::new(RefCell::new(None));
    let out = toasts.clone();
    let el: web_sys::HtmlElement = container.clone().unchecked_into();
    let handle = leptos::mount::mount_to(el, move || {
        super::prefs::provide_prefs();
        *out.borrow_mut() = Some(provide_toasts());
        view! { <crate::components::toast_region::ToastRegion /> }
    });
    settle(10).await;
    let toasts = toasts.borrow().unwrap();
    for i in 0..(MAX_VISIBLE + 2) {
        toasts.show(Toast::new(NoticeKind::Info, format!("t{i}")));
    }
    toasts.show(Toast::new(NoticeKind::Warning, "urgent").priority(Priority::Critical));
    settle(10).await;
    let count = |sel: &str| container.query_selector_all(sel).unwrap().length();
    assert_eq!(count(".toast"), MAX_VISIBLE as u32);
    assert_eq!(
        count("[aria-live=assertive] .toast"),
        1,
        "critical goes to the assertive region"
    );
    assert_eq!(count("[aria-live=polite] .toast"), (MAX_VISIBLE - 1) as u32);

    let escape = web_sys::KeyboardEventInit::new();
    escape.set_key("Escape");
    let ev = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &escape).unwrap();
    window().dispatch_event(&ev).unwrap();
    settle(10).await;
    assert_eq!(
        count("[aria-live=assertive] .toast"),
        0,
        "the newest (critical) went first"
    );
    assert_eq!(
        count(".toast"),
        MAX_VISIBLE as u32,
        "a waiting one took its place"
    );

    let first: web_sys::HtmlElement = container
        .query_selector(".toast .toast-close")
        .unwrap()
        .unwrap()
        .unchecked_into();
    first.click();
    settle(10).await;
    assert_eq!(
        count(".toast"),
        MAX_VISIBLE as u32,
        "the last waiting one came in"
    );

    // A critical toast with an action: the button runs its callback and dismisses it.
    let accepted = Rc::new(std::cell::Cell::new(false));
    let a = accepted.clone();
    toasts.show(
        Toast::new(NoticeKind::Info, "request")
            .priority(Priority::Critical)
            .action("Accept", true, move || a.set(true)),
    );
    settle(10).await;
    let accept: web_sys::HtmlElement = container
        .query_selector("[aria-live=assertive] button.primary")
        .unwrap()
        .expect("the action is a real, focusable button")
        .unchecked_into();
    accept.click();
    settle(10).await;
    assert!(accepted.get());
    assert_eq!(count("[aria-live=assertive] .toast"), 0);
    drop(handle);
    container.remove();
}
