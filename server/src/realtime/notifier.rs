//! Sends domain events (seed 004 names, payload `{id, type, message, data, timestamp}`) to the
//! rooms of the people concerned. A failed emit is logged and counted, never silent.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use chrono::Utc;
use nova_contract::{
    names, Appointment, AppointmentMoved, CreateAppointmentRequest, NoticeKind, RealtimeEvent,
    SlotFreed,
};
use serde::Serialize;
use socketioxide::SocketIo;

use super::rooms;

#[derive(Clone)]
pub struct Notifier {
    io: SocketIo,
    failed: Arc<AtomicU64>,
}

impl Notifier {
    pub fn new(io: SocketIo) -> Self {
        Self {
            io,
            failed: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Emits that could not be handed to the socket layer since start.
    pub fn failed_emits(&self) -> u64 {
        self.failed.load(Ordering::Relaxed)
    }

    async fn send<T: Serialize>(
        &self,
        rooms: Vec<String>,
        event: &'static str,
        kind: NoticeKind,
        message: String,
        data: T,
    ) {
        let payload = RealtimeEvent {
            id: uuid::Uuid::new_v4().to_string(),
            kind,
            message,
            data,
            timestamp: Utc::now(),
        };
        if let Err(e) = self.io.to(rooms).emit(event, &payload).await {
            self.failed.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(event, error = %e, "emit failed");
        }
    }

    /// A new booking: the practitioner sees a request, the patient a confirmation of receipt.
    pub async fn appointment_booked(&self, a: &Appointment) {
        let who = a
            .patient
            .as_ref()
            .map(|p| p.full_name())
            .unwrap_or_default();
        let when = a.start_time.format("%d/%m %H:%M UTC");
        self.send(
            vec![rooms::user(&a.practitioner_id)],
            names::RENDEZVOUS_NEW,
            NoticeKind::Info,
            format!("Nouveau rendez-vous : {who}, {when}"),
            a,
        )
        .await;
        self.send(
            vec![rooms::user(&a.patient_id)],
            names::RENDEZVOUS_CREATED,
            NoticeKind::Success,
            "Rendez-vous créé avec succès".into(),
            a,
        )
        .await;
    }

    /// Confirmation reaches the patient, and the practitioner's other tabs.
    pub async fn appointment_confirmed(&self, a: &Appointment) {
        self.send(
            vec![rooms::user(&a.patient_id), rooms::user(&a.practitioner_id)],
            names::RENDEZVOUS_CONFIRMED,
            NoticeKind::Success,
            "Votre rendez-vous a été confirmé".into(),
            a,
        )
        .await;
    }

    /// The caller lost a race for a slot: tell their screens to refresh the slot list.
    pub async fn slot_conflict(&self, user_id: &str, req: &CreateAppointmentRequest) {
        let slot = serde_json::json!({
            "practitionerId": req.practitioner_id,
            "startTime": req.start_time,
            "duration": req.duration,
        });
        self.send(
            vec![rooms::user(user_id)],
            names::CRENEAU_CONFLICT,
            NoticeKind::Error,
            "Ce créneau n'est plus disponible".into(),
            slot,
        )
        .await;
    }

    /// The patient and the practitioner of an appointment.
    fn concerned(a: &Appointment) -> Vec<String> {
        vec![rooms::user(&a.patient_id), rooms::user(&a.practitioner_id)]
    }

    pub async fn appointment_cancelled(&self, a: &Appointment) {
        let when = a.start_time.format("%d/%m %H:%M UTC");
        self.send(
            Self::concerned(a),
            names::RENDEZVOUS_CANCELLED,
            NoticeKind::Warning,
            format!("Rendez-vous du {when} annulé"),
            a,
        )
        .await;
    }

    /// A move reaches the patient and the practitioner, and the previous practitioner when the
    /// appointment changed hands.
    pub async fn appointment_rescheduled(&self, moved: &AppointmentMoved) {
        let a = &moved.appointment;
        let mut to = Self::concerned(a);
        if moved.previous_practitioner_id != a.practitioner_id {
            to.push(rooms::user(&moved.previous_practitioner_id));
        }
        let when = a.start_time.format("%d/%m %H:%M UTC");
        self.send(
            to,
            names::RENDEZVOUS_RESCHEDULED,
            NoticeKind::Info,
            format!("Rendez-vous déplacé au {when}"),
            moved,
        )
        .await;
    }

    pub async fn appointment_completed(&self, a: &Appointment) {
        self.send(
            Self::concerned(a),
            names::RENDEZVOUS_COMPLETED,
            NoticeKind::Success,
            "Rendez-vous terminé".into(),
            a,
        )
        .await;
    }

    pub async fn appointment_no_show(&self, a: &Appointment) {
        self.send(
            Self::concerned(a),
            names::RENDEZVOUS_NO_SHOW,
            NoticeKind::Warning,
            "Absence au rendez-vous enregistrée".into(),
            a,
        )
        .await;
    }

    /// A held time is free again: everyone in the cabinet may be looking at it in a slot picker.
    /// Only the practitioner and the time are sent, nothing about the patient.
    pub async fn slot_freed(&self, cabinet_id: &str, slot: SlotFreed) {
        self.send(
            vec![rooms::cabinet(cabinet_id)],
            names::CRENEAU_AVAILABLE,
            NoticeKind::Info,
            "Un créneau s'est libéré".into(),
            slot,
        )
        .await;
    }
}
