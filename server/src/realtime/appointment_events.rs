//! Appointment events (seed 004): who is told of each step of an appointment's life.

use nova_contract::{names, Appointment, AppointmentMoved, CreateAppointmentRequest, NoticeKind};

use super::{rooms, Notifier};

impl Notifier {
    /// A new booking: the practitioner sees a request, the patient a confirmation of receipt.
    pub async fn appointment_booked(&self, a: &Appointment) {
        let who = a
            .patient
            .as_ref()
            .map(|p| p.full_name())
            .unwrap_or_default();
        let when = a.start_time.format("%d/%m %H:%M UTC");
        // Together, so both land in one batch of the durable writer (one wait, not two).
        let (practitioner, patient) = ([a.practitioner_id.as_str()], [a.patient_id.as_str()]);
        tokio::join!(
            self.to_users(
                &practitioner,
                names::RENDEZVOUS_NEW,
                NoticeKind::Info,
                format!("Nouveau rendez-vous : {who}, {when}"),
                a,
            ),
            self.to_users(
                &patient,
                names::RENDEZVOUS_CREATED,
                NoticeKind::Success,
                "Rendez-vous créé avec succès".into(),
                a,
            )
        );
    }

    /// Confirmation reaches the patient, and the practitioner's other tabs.
    pub async fn appointment_confirmed(&self, a: &Appointment) {
        self.to_users(
            &[&a.patient_id, &a.practitioner_id],
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
        // Volatile: the caller's own request already answered 409; this only tells the caller's
        // other screens to refresh their slots. Storing it would cost a write for every lost
        // race, and under contention most attempts are lost races.
        self.to_rooms(
            vec![rooms::user(user_id)],
            names::CRENEAU_CONFLICT,
            NoticeKind::Error,
            "Ce créneau n'est plus disponible".into(),
            slot,
        )
        .await;
    }

    /// The patient and the practitioner of an appointment.
    fn concerned(a: &Appointment) -> Vec<&str> {
        vec![&a.patient_id, &a.practitioner_id]
    }

    pub async fn appointment_cancelled(&self, a: &Appointment) {
        let when = a.start_time.format("%d/%m %H:%M UTC");
        self.to_users(
            &Self::concerned(a),
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
            to.push(&moved.previous_practitioner_id);
        }
        let when = a.start_time.format("%d/%m %H:%M UTC");
        self.to_users(
            &to,
            names::RENDEZVOUS_RESCHEDULED,
            NoticeKind::Info,
            format!("Rendez-vous déplacé au {when}"),
            moved,
        )
        .await;
    }

    pub async fn appointment_completed(&self, a: &Appointment) {
        self.to_users(
            &Self::concerned(a),
            names::RENDEZVOUS_COMPLETED,
            NoticeKind::Success,
            "Rendez-vous terminé".into(),
            a,
        )
        .await;
    }

    pub async fn appointment_no_show(&self, a: &Appointment) {
        self.to_users(
            &Self::concerned(a),
            names::RENDEZVOUS_NO_SHOW,
            NoticeKind::Warning,
            "Absence au rendez-vous enregistrée".into(),
            a,
        )
        .await;
    }
}
