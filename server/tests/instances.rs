//! Several server instances behind one load balancer: rooms span instances through the
//! PostgreSQL adapter (or Redis when `NOVA_TEST_REDIS` names one), so an event caused on one
//! instance reaches sockets connected to another, and a client whose instance died picks up on
//! another one what it missed; a membership changed anywhere is obeyed everywhere at once.
//! PostgreSQL only: skipped unless `NOVA_TEST_POSTGRES` is set.

mod common;

use common::socket_client::Client;
use common::*;
use nova_contract::Role;
use serde_json::json;

fn on_postgres() -> bool {
    let set = std::env::var("NOVA_TEST_POSTGRES").is_ok_and(|u| !u.is_empty());
    if !set {
        eprintln!("skipped: several instances need NOVA_TEST_POSTGRES");
    }
    set
}

/// `NOVA_TEST_REDIS` (a `redis://` URL), for the Redis adapter variant.
fn redis_url() -> Option<String> {
    let url = std::env::var("NOVA_TEST_REDIS")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() {
        eprintln!("skipped: the Redis variant needs NOVA_TEST_REDIS");
    }
    url
}

/// The patient books with Dr Martin through instance A while both are connected to B.
async fn booking_on_a_reaches_sockets_on_b(a: &Served, b: &Instance) {
    let martin = a.app.login(MARTIN).await;
    let patient = a.app.login(PATIENT).await;
    let leroy = a.app.login(LEROY).await;
    let mut martin_ws = Client::connect(b.addr, &martin.token).await;
    let mut patient_ws = Client::connect(b.addr, &patient.token).await;
    let mut leroy_ws = Client::connect(b.addr, &leroy.token).await;

    let slot = a
        .app
        .next_free_slot(&patient.token, &martin.user_id, 30)
        .await;
    let body = booking(&martin.user_id, slot.start, 30);
    let reply = tcp_request(
        a.addr,
        "POST",
        "/api/appointments",
        patient.bearer(),
        Some(&body),
    )
    .await;
    let id = reply.ok(201)["id"].as_str().unwrap().to_string();

    let new = martin_ws.expect("rendezvous:new").await;
    assert_eq!(new["data"]["id"], id.as_str());
    let created = patient_ws.expect("rendezvous:created").await;
    assert_eq!(created["data"]["id"], id.as_str());
    // Spanning instances must not widen the audience, nor deliver twice.
    leroy_ws.silence("dr.leroy (other cabinet)").await;
    martin_ws.silence("dr.martin, a second time").await;
    patient_ws.silence("the patient, a second time").await;
}

#[tokio::test]
async fn an_event_caused_on_one_instance_reaches_sockets_on_another() {
    if !on_postgres() {
        return;
    }
    let a = served().await;
    let b = another_instance(&a.app, |_| {}).await;
    booking_on_a_reaches_sockets_on_b(&a, &b).await;
}

#[tokio::test]
async fn the_redis_adapter_also_spans_instances() {
    if !on_postgres() {
        return;
    }
    let Some(url) = redis_url() else { return };
    // Both instances must use Redis: A is rebuilt with it, B starts with it.
    let a = served_with(|c| c.redis_url = Some(url.clone())).await;
    let b = another_instance(&a.app, |c| c.redis_url = Some(url.clone())).await;
    booking_on_a_reaches_sockets_on_b(&a, &b).await;
}

/// Relies only on the replay protocol: durable event ids are per-user sequence numbers, and a
/// socket that connects with `auth.lastEventId` first receives, in order, what came after it.
#[tokio::test]
async fn a_client_of_a_killed_instance_gets_its_missed_events_from_another() {
    if !on_postgres() {
        return;
    }
    let a = served().await;
    let b = another_instance(&a.app, |_| {}).await;
    let martin = a.app.login(MARTIN).await;
    let patient = a.app.login(PATIENT).await;

    // The patient, on B, sees their booking acknowledged.
    let mut patient_ws = Client::connect(b.addr, &patient.token).await;
    let slot = a
        .app
        .next_free_slot(&patient.token, &martin.user_id, 30)
        .await;
    let body = booking(&martin.user_id, slot.start, 30);
    let reply = tcp_request(
        a.addr,
        "POST",
        "/api/appointments",
        patient.bearer(),
        Some(&body),
    )
    .await;
    let id = reply.ok(201)["id"].as_str().unwrap().to_string();
    let created = patient_ws.expect("rendezvous:created").await;
    let last_seen = created["id"].as_str().unwrap().to_string();

    // B dies, taking the patient's socket with it; meanwhile Dr Martin confirms on A.
    b.kill();
    drop(patient_ws);
    drop(b);
    let uri = format!("/api/appointments/{id}/confirm");
    tcp_request(a.addr, "PUT", &uri, martin.bearer(), None)
        .await
        .ok(200);

    // The client reconnects to A with the last id it saw: the confirmation is replayed.
    let auth = json!({ "token": patient.token, "lastEventId": last_seen });
    let (mut patient_ws, answer) = Client::handshake(a.addr, Some(auth)).await;
    assert!(answer.starts_with("40"), "connected, got {answer}");
    let confirmed = patient_ws.expect("rendezvous:confirmed").await;
    assert_eq!(confirmed["data"]["id"], id.as_str());
    patient_ws.silence("the patient, after the replay").await;
}

/// Each instance remembers who may act where (one read fewer per request), so each must hear
/// of a change made anywhere else: through another instance, or straight in the database.
/// Without that it would go on obeying the old role for up to a minute.
#[tokio::test]
async fn a_membership_changed_elsewhere_is_obeyed_by_every_instance_at_once() {
    if !on_postgres() {
        return;
    }
    let a = served().await;
    let b = another_instance(&a.app, |_| {}).await;
    let manager = a.app.login(MANAGER).await;
    let dashboard = |addr| {
        let token = manager.token.clone();
        async move {
            tcp_request(addr, "GET", "/api/analytics/dashboard", Some(&token), None)
                .await
                .status
                .as_u16()
        }
    };
    // Both instances answer the manager and now remember the membership.
    assert_eq!(dashboard(a.addr).await, 200);
    assert_eq!(dashboard(b.addr).await, 200);

    // Demoted through instance B: instance A refuses too.
    b.ctx
        .store
        .add_membership(&manager.user_id, "cab-parc", Role::Patient)
        .await
        .expect("role changed");
    assert_eq!(status_within_seconds(|| dashboard(a.addr), 403).await, 403);

    // Promoted again straight in the database: both instances hear of it.
    let db = sqlx::PgPool::connect(&a.app.ctx.config.database_url)
        .await
        .expect("the test database answers");
    sqlx::query("UPDATE memberships SET role = 'manager' WHERE user_id = $1")
        .bind(&manager.user_id)
        .execute(&db)
        .await
        .expect("role changed in SQL");
    assert_eq!(status_within_seconds(|| dashboard(a.addr), 200).await, 200);
    assert_eq!(status_within_seconds(|| dashboard(b.addr), 200).await, 200);
}

/// The status `ask` answers, asked again until it is `wanted` or five seconds have passed (the
/// message between instances takes milliseconds; the cache would otherwise hold for 60 s).
async fn status_within_seconds<F, Fut>(ask: F, wanted: u16) -> u16
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = u16>,
{
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let status = ask().await;
        if status == wanted || tokio::time::Instant::now() >= deadline {
            return status;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
