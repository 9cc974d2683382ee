//! `metrics:update`: each cabinet's managers get today's figures, who is connected and how
//! fast notifications go out, every few seconds and soon after anything changes (a booking,
//! someone connecting). Volatile: a dashboard wants the latest figures, not a history.
//!
//! Every instance pushes to the managers connected to it (`local()`), so with several
//! instances a manager gets one update per period, not one per instance. Connection counts
//! and latencies are those of the manager's own instance; the day's figures come from the
//! shared database.

use std::time::Duration;

use chrono::Utc;
use nova_contract::{names, LiveMetrics, NoticeKind, RealtimeEvent, Role};
use tokio::time::{sleep, sleep_until, Instant};

use super::rooms;
use crate::http::analytics::cabinet_day;
use crate::state::ApiContext;

/// Pushed at least this often while a manager is connected.
const PERIOD: Duration = Duration::from_secs(5);
/// After a change, wait this long for the changes that usually follow it (both sides of a
/// booking, several tabs opening), so a burst costs one recomputation.
const SETTLE: Duration = Duration::from_millis(250);

/// Starts the pusher; it runs for the life of the process.
pub fn spawn(ctx: ApiContext) {
    tokio::spawn(async move {
        let metrics = ctx.notify.metrics().clone();
        let mut next = Instant::now() + PERIOD;
        loop {
            tokio::select! {
                _ = sleep_until(next) => {}
                _ = metrics.wake.notified() => sleep(SETTLE).await,
            }
            metrics.take_changed();
            for cabinet in metrics.cabinets_with_managers() {
                if let Err(e) = push(&ctx, &cabinet).await {
                    tracing::warn!(cabinet, error = %e, "metrics:update not computed");
                }
            }
            next = Instant::now() + PERIOD;
        }
    });
}

/// Today's live figures for one cabinet.
pub async fn live_metrics(ctx: &ApiContext, cabinet: &str) -> crate::Result<LiveMetrics> {
    let day = cabinet_day(ctx, cabinet, None).await?;
    let metrics = ctx.notify.metrics();
    let (p50, p99) = metrics.latency_quantiles();
    Ok(LiveMetrics {
        date: day.date,
        counts_by_status: day.counts_by_status,
        total: day.total,
        fill_rate: day.fill_rate,
        no_show_rate: day.no_show_rate,
        connected: metrics.connected(cabinet),
        latency_p50_ms: p50,
        latency_p99_ms: p99,
    })
}

async fn push(ctx: &ApiContext, cabinet: &str) -> crate::Result<()> {
    let data = live_metrics(ctx, cabinet).await?;
    let payload = RealtimeEvent {
        id: uuid::Uuid::new_v4().to_string(),
        kind: NoticeKind::Info,
        message: "Tableau de bord mis à jour".into(),
        data,
        timestamp: Utc::now(),
    };
    let room = rooms::cabinet_role(cabinet, Role::Manager);
    let sent = ctx
        .notify
        .io()
        .local()
        .to(room)
        .emit(names::METRICS_UPDATE, &payload)
        .await;
    ctx.notify
        .metrics()
        .event_counted(names::METRICS_UPDATE, sent.is_ok());
    if let Err(e) = sent {
        tracing::warn!(cabinet, error = %e, "metrics:update not sent");
    }
    Ok(())
}
