//! `/metrics` (Prometheus text) counts sockets, events and latencies; `metrics:update` brings
//! a cabinet's managers the same figures as the REST dashboard, live, and nobody else.

mod common;

use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::socket_client::{Client, PATIENCE};
use common::*;
use http_body_util::BodyExt;
use tower::ServiceExt;

async fn scrape(app: &TestApp) -> String {
    let request = Request::get("/metrics").body(Body::empty()).unwrap();
    let response = app.router.clone().oneshot(request).await.expect("answers");
    assert_eq!(response.status(), StatusCode::OK);
    let kind = response.headers()[header::CONTENT_TYPE].to_str().unwrap();
    assert!(kind.starts_with("text/plain; version=0.0.4"), "{kind}");
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8(bytes.to_vec()).expect("UTF-8 text")
}

/// The value of one sample line, `None` when the series is absent.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

/// Scrapes until `series` has `value` (a socket's end is counted when the server drops it).
async fn eventually(app: &TestApp, series: &str, value: f64) {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let text = scrape(app).await;
        if sample(&text, series) == Some(value) {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{series} never reached {value}:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_metrics_page_counts_sockets_events_and_latencies() {
    let server = served().await;
    let app = &server.app;
    let martin = app.login(MARTIN).await;
    let patient = app.login(PATIENT).await;

    let text = scrape(app).await;
    assert_eq!(
        sample(&text, "nova_socket_connections{role=\"PATIENT\"}"),
        Some(0.0)
    );
    assert!(text.contains("# TYPE nova_event_delivery_seconds histogram"));

    let mut martin_ws = Client::connect(server.addr, &martin.token).await;
    let mut patient_ws = Client::connect(server.addr, &patient.token).await;
    let second_tab = Client::connect(server.addr, &patient.token).await;
    let text = scrape(app).await;
    assert_eq!(
        sample(&text, "nova_socket_connections{role=\"PATIENT\"}"),
        Some(2.0),
        "two tabs are two sockets"
    );
    assert_eq!(
        sample(&text, "nova_socket_connections{role=\"PRACTITIONER\"}"),
        Some(1.0)
    );

    let slot = app
        .next_free_slot(&patient.token, &martin.user_id, 30)
        .await;
    let body = booking(&martin.user_id, slot.start, 30);
    tcp_request(
        server.addr,
        "POST",
        "/api/appointments",
        patient.bearer(),
        Some(&body),
    )
    .await
    .ok(201);
    martin_ws.expect("rendezvous:new").await;
    patient_ws.expect("rendezvous:created").await;

    let text = scrape(app).await;
    assert_eq!(
        sample(&text, "nova_events_emitted_total{event=\"rendezvous:new\"}"),
        Some(1.0)
    );
    assert_eq!(
        sample(&text, "nova_events_failed_total{event=\"rendezvous:new\"}"),
        Some(0.0)
    );
    assert_eq!(
        sample(
            &text,
            "nova_events_emitted_total{event=\"rendezvous:created\"}"
        ),
        Some(1.0)
    );
    let delivered = sample(&text, "nova_event_delivery_seconds_count").unwrap();
    assert!(delivered >= 2.0, "{text}");
    assert_eq!(
        sample(&text, "nova_event_delivery_seconds_bucket{le=\"+Inf\"}"),
        Some(delivered)
    );
    // The booking went over HTTP: its route template is the label, never the raw path.
    let posted =
        "nova_http_request_duration_seconds_count{method=\"POST\",route=\"/api/appointments\"}";
    assert_eq!(sample(&text, posted), Some(1.0), "{text}");
    assert!(!text.contains(&format!("route=\"/api/appointments/{}", slot.start)));

    // Closing a tab is counted.
    drop(second_tab);
    eventually(app, "nova_socket_connections{role=\"PATIENT\"}", 1.0).await;
}

#[tokio::test]
async fn managers_get_live_dashboard_figures_and_nobody_else_does() {
    let server = served().await;
    let app = &server.app;
    let manager = app.login(MANAGER).await;
    let martin = app.login(MARTIN).await;
    let patient = app.login(PATIENT).await;
    let leroy = app.login(LEROY).await;

    let mut patient_ws = Client::connect(server.addr, &patient.token).await;
    patient_ws.dashboard = true;
    let mut leroy_ws = Client::connect(server.addr, &leroy.token).await;
    leroy_ws.dashboard = true;

    // A manager connecting is a change: the first figures come at once, not at the next tick.
    let mut manager_ws = Client::connect(server.addr, &manager.token).await;
    manager_ws.dashboard = true;
    let update = manager_ws.expect("metrics:update").await;
    let live = &update["data"];
    let dashboard = app.get("/api/analytics/dashboard", manager.bearer()).await;
    let dashboard = dashboard.ok(200);
    for key in ["date", "countsByStatus", "total", "fillRate", "noShowRate"] {
        assert_eq!(live[key], dashboard[key], "{key}: {update}");
    }
    assert_eq!(live["connected"]["managers"], 1, "{update}");
    assert_eq!(live["connected"]["patients"], 1, "{update}");
    assert_eq!(
        live["connected"]["practitioners"], 0,
        "Dr Leroy is of another cabinet: {update}"
    );

    // A booking is a change too: an update follows, now with a notification latency.
    let slot = app
        .next_free_slot(&patient.token, &martin.user_id, 30)
        .await;
    let body = booking(&martin.user_id, slot.start, 30);
    tcp_request(
        server.addr,
        "POST",
        "/api/appointments",
        patient.bearer(),
        Some(&body),
    )
    .await
    .ok(201);
    patient_ws.expect("rendezvous:created").await;
    // Pushes already under way when the booking happened may come first.
    let mut update = manager_ws.expect("metrics:update").await;
    for _ in 0..3 {
        if update["data"]["latencyP50Ms"].is_number() {
            break;
        }
        update = manager_ws.expect("metrics:update").await;
    }
    assert!(
        update["data"]["latencyP50Ms"]
            .as_f64()
            .is_some_and(|ms| ms >= 0.0),
        "{update}"
    );
    assert!(
        update["data"]["latencyP99Ms"].as_f64().is_some(),
        "{update}"
    );

    // Neither the patient nor another cabinet's practitioner ever sees the dashboard.
    patient_ws.silence("the patient").await;
    leroy_ws.silence("dr.leroy (other cabinet)").await;
}
