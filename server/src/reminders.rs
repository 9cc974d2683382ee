//! The reminder scheduler: every `NOVA_REMINDER_INTERVAL_SECS`, [`tick`] sends `rappel:reminder`
//! and a mail to the patient of each confirmed appointment 24 h and 2 h before it starts.
//!
//! Every instance runs it; each reminder is claimed in the database before it is sent
//! (`store::reminders`), so it goes out once however many instances tick at the same moment. A
//! claim an instance made but never marked sent (it died meanwhile) is taken over by a later
//! tick, so a crash delays a reminder by minutes instead of losing it.

use std::time::Duration;

use chrono_tz::Tz;
use nova_contract::{Appointment, AppointmentStatus, ReminderKind};

use crate::error::Result;
use crate::mail::messages;
use crate::state::ApiContext;

/// Starts the scheduler unless the configuration turns it off.
pub fn spawn(ctx: ApiContext) {
    let every = ctx.config.reminder_interval_secs;
    if every == 0 {
        return;
    }
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_secs(every));
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            match tick(&ctx, ctx.clock.now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(sent = n, "reminders sent"),
                Err(e) => tracing::warn!("reminder tick failed: {e}"),
            }
        }
    });
}

/// Claims and sends every reminder due at `now` (Unix seconds); how many went out.
pub async fn tick(ctx: &ApiContext, now: i64) -> Result<usize> {
    let mut sent = 0;
    for kind in ReminderKind::ALL {
        let mut claimed = ctx.store.reclaim_reminders(kind, now).await?;
        claimed.extend(ctx.store.claim_reminders(kind, now).await?);
        for (id, starts_at) in claimed {
            match send(ctx, kind, &id, starts_at, now).await {
                Ok(true) => sent += 1,
                Ok(false) => {}
                Err(e) => {
                    tracing::warn!(appointment = %id, kind = kind.as_str(), "reminder not sent: {e}")
                }
            }
        }
    }
    Ok(sent)
}

/// Sends one claimed reminder, unless the appointment was cancelled or moved since the claim.
/// Either way the claim is then marked done, so no later tick takes it over.
async fn send(
    ctx: &ApiContext,
    kind: ReminderKind,
    id: &str,
    starts_at: i64,
    now: i64,
) -> Result<bool> {
    let current = ctx.store.appointment_unscoped(id).await?.filter(|a| {
        a.status == AppointmentStatus::Confirmed && a.start_time.timestamp() == starts_at
    });
    let Some(a) = current else {
        ctx.store.reminder_sent(id, kind, starts_at, now).await?;
        return Ok(false);
    };
    ctx.notify.reminder(kind, &a).await;
    // The event is out: a mail that fails is logged, not retried with the event again.
    if let Err(e) = mail(ctx, kind, &a).await {
        tracing::warn!(appointment = %id, kind = kind.as_str(), "reminder mail not sent: {e}");
    }
    ctx.store.reminder_sent(id, kind, starts_at, now).await?;
    Ok(true)
}

async fn mail(ctx: &ApiContext, kind: ReminderKind, a: &Appointment) -> Result<()> {
    let Some(to) = ctx.store.reminder_address(&a.patient_id).await? else {
        return Ok(());
    };
    let (cabinet, tz) = ctx
        .store
        .cabinet_label(&a.cabinet_id)
        .await?
        .unwrap_or_default();
    let tz: Tz = tz.parse().unwrap_or(chrono_tz::Europe::Paris);
    let when = a
        .start_time
        .with_timezone(&tz)
        .format("le %d/%m/%Y à %H:%M")
        .to_string();
    let practitioner = a
        .practitioner
        .as_ref()
        .map(|p| format!("Dr {} {}", p.first_name, p.last_name))
        .unwrap_or_default();
    ctx.mailer
        .send(messages::appointment_reminder(
            &to,
            kind,
            &cabinet,
            &practitioner,
            &when,
        ))
        .await
}
