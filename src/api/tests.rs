//! Browser tests of the data layer (headless Chromium): the client's refresh and retry rules
//! against a scripted server, and the query cache's staleness, deduplication, invalidation,
//! garbage collection and optimistic updates.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use futures_util::future::join_all;
use leptos::prelude::*;
use nova_contract::{AppointmentStatus, ErrorCode};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

use super::client::Call;
use super::http::{is_aborted, new_idempotency_key, ApiResult, Method};
use super::queries::fixtures::{appointment, page};
use super::queries::{self, AppointmentPage};
use super::query::cache::{AnyData, Fetcher};
use super::query::{
    provide_query_client, use_query, Mutation, MutationOptions, ObserveOptions, QueryClient,
    QueryKey, UseQueryOptions,
};
use super::testing::*;

wasm_bindgen_test_configure!(run_in_browser);

fn signed_in(access: &str) -> MemorySession {
    let s = MemorySession::default();
    *s.session.borrow_mut() = Some(session(access, "r1"));
    s
}

fn get(path: &str) -> Call {
    Call::new(Method::Get, path)
}

// ---- API client -------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn requests_carry_the_bearer_token_and_tenant() {
    let stub = Stub::new(|_| ok("1"));
    let api = client(&stub, &signed_in("a1"));
    let v: ApiResult<u32> = api.fetch(get("/api/x")).await;
    assert_eq!(v, Ok(1));
    let sent = stub.log.borrow()[0].clone();
    assert_eq!(sent.header("Authorization"), Some("Bearer a1"));
    assert_eq!(sent.header("X-Tenant-ID"), Some("c1"));
    api.fetch::<u32>(get("/api/login").anonymous())
        .await
        .unwrap();
    assert_eq!(stub.log.borrow()[1].header("Authorization"), None);
}

#[wasm_bindgen_test]
async fn concurrent_expired_requests_share_one_refresh_then_retry_once() {
    let stub = Stub::new(|r| match (r.path.as_str(), r.header("Authorization")) {
        ("/api/auth/refresh", _) => {
            assert_eq!(r.body.as_deref(), Some(r#"{"refreshToken":"r1"}"#));
            Reply::After(20, Box::new(ok(&session_json("a2", "r2"))))
        }
        (_, Some("Bearer a1")) => fail(401, "TOKEN_EXPIRED"),
        (_, Some("Bearer a2")) => ok("7"),
        _ => fail(401, "UNAUTHORIZED"),
    });
    let session = signed_in("a1");
    let api = client(&stub, &session);
    let calls = (0..3).map(|i| {
        let api = api.clone();
        async move { api.fetch::<u32>(get(&format!("/api/x{i}"))).await }
    });
    let results = join_all(calls).await;
    assert_eq!(results, vec![Ok(7), Ok(7), Ok(7)]);
    assert_eq!(stub.count("/api/auth/refresh"), 1, "{:?}", stub.paths());
    assert_eq!(
        stub.log.borrow().len(),
        7,
        "3 refused + 1 refresh + 3 retried"
    );
    assert_eq!(session.replaced.get(), 1);
    let creds = session.session.borrow().clone().unwrap().tokens;
    assert_eq!(
        (creds.access_token.as_str(), creds.refresh_token.as_str()),
        ("a2", "r2")
    );
}

#[wasm_bindgen_test]
async fn a_refused_refresh_ends_the_session_for_everyone_waiting() {
    let stub = Stub::new(|r| match r.path.as_str() {
        "/api/auth/refresh" => Reply::After(10, Box::new(fail(401, "UNAUTHORIZED"))),
        _ => fail(401, "TOKEN_EXPIRED"),
    });
    let session = signed_in("a1");
    let api = client(&stub, &session);
    let results = join_all((0..2).map(|_| {
        let api = api.clone();
        async move { api.fetch::<u32>(get("/api/x")).await }
    }))
    .await;
    for r in results {
        assert_eq!(r.unwrap_err().code, ErrorCode::TokenExpired);
    }
    assert_eq!(stub.count("/api/auth/refresh"), 1);
    assert_eq!(session.cleared.get(), 1);
    assert!(
        session.session.borrow().is_none(),
        "the router sends the user to login"
    );
}

#[wasm_bindgen_test]
async fn a_refresh_lost_to_the_network_keeps_the_session() {
    let stub = Stub::new(|r| match r.path.as_str() {
        "/api/auth/refresh" => Reply::Network,
        _ => fail(401, "TOKEN_EXPIRED"),
    });
    let session = signed_in("a1");
    let e = client(&stub, &session)
        .fetch::<u32>(get("/api/x"))
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NetworkError);
    assert_eq!(
        stub.count("/api/auth/refresh"),
        1,
        "a rotating token is never resent"
    );
    assert!(session.session.borrow().is_some());
}

#[wasm_bindgen_test]
async fn reads_retry_5xx_and_network_errors_but_never_4xx() {
    let n = Rc::new(Cell::new(0));
    let c = n.clone();
    let stub = Stub::new(move |r| {
        c.set(c.get() + 1);
        match (r.path.as_str(), c.get()) {
            ("/api/flaky", 1) => Reply::Network,
            ("/api/flaky", 2) => fail(503, "INTERNAL_ERROR"),
            ("/api/flaky", _) => ok("3"),
            _ => fail(404, "NOT_FOUND"),
        }
    });
    let api = client(&stub, &signed_in("a1"));
    assert_eq!(api.fetch::<u32>(get("/api/flaky")).await, Ok(3));
    assert_eq!(stub.count("/api/flaky"), 3);
    let e = api.fetch::<u32>(get("/api/missing")).await.unwrap_err();
    assert_eq!((e.code, e.status), (ErrorCode::NotFound, Some(404)));
    assert_eq!(stub.count("/api/missing"), 1);
}

#[wasm_bindgen_test]
async fn writes_retry_only_with_an_idempotency_key_and_keep_it() {
    let stub = Stub::new(|_| Reply::Network);
    let api = client(&stub, &signed_in("a1"));
    let plain = Call::new(Method::Post, "/api/plain").json(&1);
    assert_eq!(
        api.execute(plain).await.unwrap_err().code,
        ErrorCode::NetworkError
    );
    assert_eq!(stub.count("/api/plain"), 1);
    let keyed = Call::new(Method::Post, "/api/keyed").idempotency_key(Some("k-1".into()));
    api.execute(keyed).await.unwrap_err();
    assert_eq!(stub.count("/api/keyed"), 4, "first attempt + 3 retries");
    assert!(stub
        .log
        .borrow()
        .iter()
        .filter(|r| r.path == "/api/keyed")
        .all(|r| r.header("Idempotency-Key") == Some("k-1")));
}

#[wasm_bindgen_test]
async fn an_aborted_request_resolves_quietly_and_is_not_retried() {
    let stub = Stub::new(|_| Reply::After(50, Box::new(ok("1"))));
    let api = client(&stub, &signed_in("a1"));
    let controller = web_sys::AbortController::new().unwrap();
    let call = get("/api/slow").signal(Some(controller.signal()));
    let pending = api.fetch::<u32>(call);
    controller.abort();
    let e = pending.await.unwrap_err();
    assert!(is_aborted(&e));
    assert_eq!(stub.count("/api/slow"), 1);
}

#[wasm_bindgen_test]
fn idempotency_keys_are_v4_uuids() {
    let a = new_idempotency_key();
    assert_eq!(a.len(), 36);
    assert_eq!(&a[14..15], "4");
    assert_ne!(a, new_idempotency_key());
}

// ---- query cache ------------------------------------------------------------------------

/// A fetcher that counts its calls and answers `value` after a short delay.
fn counting(calls: &Rc<Cell<u32>>, value: u32) -> Fetcher {
    let calls = calls.clone();
    Rc::new(move |_signal| {
        calls.set(calls.get() + 1);
        Box::pin(async move {
            settle(5).await;
            Ok(Rc::new(value) as AnyData)
        })
    })
}

fn clock() -> (Rc<Cell<f64>>, QueryClient) {
    let now = Rc::new(Cell::new(1_000.0));
    let n = now.clone();
    (now, QueryClient::with_clock(move || n.get()))
}

fn key(parts: &[&str]) -> QueryKey {
    let mut k = QueryKey::new(parts[0]);
    for p in &parts[1..] {
        k = k.with(p);
    }
    k
}

#[wasm_bindgen_test]
async fn fresh_answers_are_served_from_cache_and_stale_ones_refetched() {
    let (now, q) = clock();
    let calls = Rc::new(Cell::new(0));
    let k = key(&["a"]);
    q.ensure(&k, counting(&calls, 1), 1_000.0);
    settle(20).await;
    assert_eq!(q.get::<u32>(&k), Some(1));
    now.set(1_900.0);
    q.ensure(&k, counting(&calls, 2), 1_000.0);
    settle(20).await;
    assert_eq!(calls.get(), 1, "still fresh at 900 ms");
    now.set(2_100.0);
    q.ensure(&k, counting(&calls, 2), 1_000.0);
    settle(20).await;
    assert_eq!((calls.get(), q.get::<u32>(&k)), (2, Some(2)));
}

#[wasm_bindgen_test]
async fn one_request_serves_every_reader_of_a_key() {
    let (_, q) = clock();
    let calls = Rc::new(Cell::new(0));
    let k = key(&["a"]);
    for _ in 0..5 {
        q.ensure(&k, counting(&calls, 1), 0.0);
    }
    assert!(q.read_untracked(&k).fetching);
    settle(20).await;
    assert_eq!(calls.get(), 1);
    assert!(!q.read_untracked(&k).fetching);
}

#[wasm_bindgen_test]
async fn invalidation_reaches_a_prefix_and_nothing_else() {
    let (_, q) = clock();
    let calls = Rc::new(Cell::new(0));
    let others = Rc::new(Cell::new(0));
    let (a1, a2, a3, b) = (
        key(&["appointments", "list", "1"]),
        key(&["appointments", "list", "2"]),
        key(&["appointments", "list", "3"]),
        key(&["slots", "x"]),
    );
    for k in [&a1, &a2, &b] {
        q.observe(k, ObserveOptions::default());
    }
    q.ensure(&a1, counting(&calls, 1), 60_000.0);
    q.ensure(&a2, counting(&calls, 1), 60_000.0);
    q.ensure(&a3, counting(&calls, 1), 60_000.0);
    q.ensure(&b, counting(&others, 1), 60_000.0);
    settle(20).await;
    assert_eq!((calls.get(), others.get()), (3, 1));

    assert_eq!(q.invalidate(&key(&["appointments"])), 3);
    settle(20).await;
    assert_eq!(calls.get(), 5, "the two watched lists refetch at once");
    assert_eq!(others.get(), 1, "another family is untouched");
    q.ensure(&a3, counting(&calls, 1), 60_000.0);
    settle(20).await;
    assert_eq!(
        calls.get(),
        6,
        "the unwatched one refetches when shown again"
    );
}

#[wasm_bindgen_test]
async fn live_metrics_refetch_the_dashboard_only_when_the_day_moved() {
    use crate::state::realtime::apply_metrics;
    use nova_contract::{ConnectedByRole, LiveMetrics, StatusCounts};

    let (_, q) = clock();
    let calls = Rc::new(Cell::new(0));
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let k = queries::dashboard(date);
    q.observe(&k, ObserveOptions::default());
    q.ensure(&k, counting(&calls, 1), 60_000.0);
    settle(20).await;
    let first = LiveMetrics {
        date,
        counts_by_status: StatusCounts::default(),
        total: 0,
        fill_rate: 0.0,
        no_show_rate: None,
        connected: ConnectedByRole::default(),
        latency_p50_ms: None,
        latency_p99_ms: None,
    };
    let metrics = RwSignal::new_local(None);
    apply_metrics(metrics, first.clone(), &q);
    let mut someone_connected = first.clone();
    someone_connected.connected.patients = 1;
    someone_connected.latency_p50_ms = Some(0.4);
    apply_metrics(metrics, someone_connected.clone(), &q);
    settle(20).await;
    assert_eq!(
        calls.get(),
        1,
        "connections and latency leave the day as it was"
    );
    assert_eq!(metrics.get_untracked(), Some(someone_connected.clone()));

    let mut booked = someone_connected;
    booked.counts_by_status.pending = 1;
    booked.fill_rate = 0.0625;
    apply_metrics(metrics, booked, &q);
    settle(20).await;
    assert_eq!(
        calls.get(),
        2,
        "a booking today moves the per-practitioner load"
    );
}

#[wasm_bindgen_test]
async fn an_answer_older_than_a_direct_write_does_not_overwrite_it() {
    let (_, q) = clock();
    let calls = Rc::new(Cell::new(0));
    let k = key(&["a"]);
    q.ensure(&k, counting(&calls, 1), 0.0);
    q.set(&k, 42u32);
    settle(20).await;
    assert_eq!(q.get::<u32>(&k), Some(42));
}

#[wasm_bindgen_test]
async fn leaving_aborts_the_fetch_and_unwatched_answers_are_collected() {
    let (_, q) = clock();
    let k = key(&["a"]);
    let aborted = Rc::new(Cell::new(false));
    let flag = aborted.clone();
    let slow: Fetcher = Rc::new(move |signal| {
        let flag = flag.clone();
        Box::pin(async move {
            settle(30).await;
            flag.set(signal.is_some_and(|s| s.aborted()));
            Ok(Rc::new(1u32) as AnyData)
        })
    });
    q.observe(&k, ObserveOptions::default());
    q.ensure(&k, slow, 0.0);
    q.unobserve(&k);
    settle(50).await;
    assert!(aborted.get(), "nobody wants it any more");
    assert_eq!(q.get::<u32>(&k), None);

    q.observe(&k, ObserveOptions::default());
    q.set(&k, 2u32);
    q.collect(&k);
    assert!(q.contains(&k), "watched entries stay");
    q.unobserve(&k);
    q.collect(&k);
    assert!(!q.contains(&k));
}

#[wasm_bindgen_test]
async fn focus_and_reconnect_refetch_only_what_is_watched_and_stale() {
    let (now, q) = clock();
    let calls = Rc::new(Cell::new(0));
    let (watched, idle) = (key(&["w"]), key(&["i"]));
    q.observe(
        &watched,
        ObserveOptions {
            stale_time: 1_000.0,
            ..Default::default()
        },
    );
    q.ensure(&watched, counting(&calls, 1), 1_000.0);
    q.ensure(&idle, counting(&calls, 1), 1_000.0);
    settle(20).await;
    q.on_focus();
    settle(20).await;
    assert_eq!(calls.get(), 2, "fresh: nothing to do");
    now.set(5_000.0);
    q.on_focus();
    settle(20).await;
    assert_eq!(calls.get(), 3);
    now.set(10_000.0);
    q.on_reconnect();
    settle(20).await;
    assert_eq!(calls.get(), 4, "only the watched entry");
}

#[wasm_bindgen_test]
async fn an_optimistic_update_is_rolled_back_when_the_server_refuses() {
    let (_, q) = clock();
    let list = key(&["appointments", "list", "1"]);
    q.set(
        &list,
        page(vec![appointment("a", 100, AppointmentStatus::Pending)]),
    );
    let seen_during = Rc::new(RefCell::new(None));
    let (probe, seen) = (q.clone(), seen_during.clone());
    let confirm = |accept: bool| {
        let (probe, seen, list) = (probe.clone(), seen.clone(), list.clone());
        Mutation::new(
            q.clone(),
            move |id: String| {
                let (probe, seen, list) = (probe.clone(), seen.clone(), list.clone());
                async move {
                    *seen.borrow_mut() = probe
                        .get::<AppointmentPage>(&list)
                        .map(|p| p.items[0].status);
                    settle(5).await;
                    if accept {
                        let mut a = appointment(&id, 100, AppointmentStatus::Confirmed);
                        a.notes = Some("from server".into());
                        Ok(a)
                    } else {
                        Err(super::http::decode_error(
                            409,
                            r#"{"success":false,"error":{"code":"INVALID_TRANSITION","message":"m"}}"#,
                        ))
                    }
                }
            },
            MutationOptions {
                optimistic: Some(Rc::new(|q: &QueryClient, id: &String| {
                    let before = q.snapshot(&queries::appointments());
                    queries::set_status(q, id, AppointmentStatus::Confirmed);
                    before
                })),
                on_success: Some(Rc::new(
                    |q: &QueryClient, _: &String, a: &nova_contract::Appointment| {
                        queries::patch_appointment(q, a);
                    },
                )),
                ..Default::default()
            },
        )
    };
    let status = |q: &QueryClient| q.get::<AppointmentPage>(&list).unwrap().items[0].clone();

    let e = confirm(false).run("a".into()).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidTransition);
    assert_eq!(
        *seen_during.borrow(),
        Some(AppointmentStatus::Confirmed),
        "shown at once"
    );
    assert_eq!(status(&q).status, AppointmentStatus::Pending, "rolled back");

    confirm(true).run("a".into()).await.unwrap();
    let a = status(&q);
    assert_eq!(a.status, AppointmentStatus::Confirmed);
    assert_eq!(
        a.notes.as_deref(),
        Some("from server"),
        "the server's version wins"
    );
}

#[wasm_bindgen_test]
async fn use_query_shares_the_cache_between_components_and_follows_its_key() {
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = Owner::new();
    owner.set();
    let (_, q) = clock();
    provide_query_client(q.clone());
    let calls = Rc::new(Cell::new(0));
    let page_no = RwSignal::new(1u32);
    let make = || {
        let calls = calls.clone();
        use_query(
            move || Some((key(&["p"]).with(page_no.get()), page_no.get())),
            move |n: u32, _| {
                calls.set(calls.get() + 1);
                async move {
                    settle(5).await;
                    Ok::<_, nova_contract::ErrorDetails>(n * 10)
                }
            },
            UseQueryOptions {
                keep_previous_data: true,
                ..Default::default()
            },
        )
    };
    let first = make();
    let second = make();
    settle(30).await;
    assert_eq!(calls.get(), 1, "two components, one request");
    assert_eq!(
        (first.data.get_untracked(), second.data.get_untracked()),
        (Some(10), Some(10))
    );

    page_no.set(2);
    settle(1).await;
    assert_eq!(
        first.data.get_untracked(),
        Some(10),
        "previous page shown while loading"
    );
    settle(30).await;
    assert_eq!(first.data.get_untracked(), Some(20));
    assert_eq!(calls.get(), 2);
    drop(owner);
}
