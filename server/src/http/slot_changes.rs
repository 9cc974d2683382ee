//! What follows a time being taken or freed, wherever that happens (booking, cancellation,
//! move, erasure): watchers of the agenda hear of it (the booking's own transaction already
//! closed the patient's waitlist entry it answers), and a freed time a patient may still book
//! goes to the waiting patients it fits, first come first served. The change itself is already
//! committed, so a failure here is logged and the request still succeeds.

use chrono::Utc;
use nova_contract::{Appointment, Role, SlotFreed, WaitlistOffer};

use super::booking_rules::cabinet_rules;

use crate::state::ApiContext;

/// `a` now holds its time (the waitlist entry it answers was closed in the same transaction).
pub(crate) async fn taken(ctx: &ApiContext, a: &Appointment) {
    ctx.notify.slot_taken(a).await;
}

/// The time `a` held (as it was) is free again.
pub(crate) async fn freed(ctx: &ApiContext, a: &Appointment) {
    let slot = SlotFreed::from(a);
    ctx.notify.slot_freed(&a.cabinet_id, slot.clone()).await;
    // Only a time a patient may still book is worth offering: not past, not within the
    // cabinet's minimum notice.
    let bookable_from = match cabinet_rules(ctx, &a.cabinet_id).await {
        Ok(rules) => rules.not_before(Role::Patient, Utc::now()),
        Err(e) => {
            tracing::warn!(appointment = %a.id, "waitlist not offered: {e}");
            return;
        }
    };
    if a.start_time < bookable_from {
        return;
    }
    let waiting = ctx
        .store
        .waiting_for(
            &a.cabinet_id,
            &a.practitioner_id,
            a.start_time.timestamp(),
            &a.patient_id,
        )
        .await;
    let waiting = match waiting {
        Ok(w) => w,
        Err(e) => {
            tracing::warn!(appointment = %a.id, "waitlist not read: {e}");
            return;
        }
    };
    // One after the other, so each patient's event leaves in the order they joined.
    for w in waiting {
        let offer = WaitlistOffer {
            slot: slot.clone(),
            waitlist_entry_id: w.entry_id,
        };
        ctx.notify.waitlist_offer(&w.patient_id, offer).await;
    }
}
