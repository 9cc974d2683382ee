//! Slot, waitlist and reminder events: watchers of an agenda hear of every time taken or freed
//! (volatile, practitioner and time only), waiting patients of a freed time that fits (durable,
//! in the order they joined), and a patient of their coming visit (durable).

use nova_contract::{
    names, Appointment, NoticeKind, ReminderKind, ReminderNotice, SlotFreed, SlotTaken,
    WaitlistOffer,
};

use super::{rooms, Notifier};

impl Notifier {
    /// A time was booked: open slot pickers on this agenda drop it.
    pub async fn slot_taken(&self, a: &Appointment) {
        self.to_rooms(
            vec![rooms::slots(&a.cabinet_id, &a.practitioner_id)],
            names::CRENEAU_CONFLICT,
            NoticeKind::Info,
            "Un créneau vient d'être réservé".into(),
            SlotTaken::from(a),
        )
        .await;
    }

    /// A held time is free again: open slot pickers on this agenda offer it.
    pub async fn slot_freed(&self, cabinet_id: &str, slot: SlotFreed) {
        self.to_rooms(
            vec![rooms::slots(cabinet_id, &slot.practitioner_id)],
            names::CRENEAU_AVAILABLE,
            NoticeKind::Info,
            "Un créneau s'est libéré".into(),
            slot,
        )
        .await;
    }

    /// A waiting patient's turn: a freed time fits their waitlist entry.
    pub async fn waitlist_offer(&self, patient_id: &str, offer: WaitlistOffer) {
        let when = offer.slot.start_time.format("%d/%m %H:%M UTC");
        self.to_users(
            &[patient_id],
            names::CRENEAU_AVAILABLE,
            NoticeKind::Info,
            format!("Un créneau plus tôt s'est libéré : {when}"),
            offer,
        )
        .await;
    }

    /// The patient's reminder of a confirmed visit.
    pub async fn reminder(&self, kind: ReminderKind, a: &Appointment) {
        let when = a.start_time.format("%d/%m %H:%M UTC");
        let message = match kind {
            ReminderKind::DayBefore => format!("Rappel : rendez-vous demain, {when}"),
            ReminderKind::TwoHoursBefore => {
                format!("Rappel : rendez-vous dans deux heures, {when}")
            }
        };
        self.to_users(
            &[&a.patient_id],
            names::RAPPEL_REMINDER,
            NoticeKind::Info,
            message,
            ReminderNotice {
                reminder: kind,
                appointment: a.clone(),
            },
        )
        .await;
    }
}
