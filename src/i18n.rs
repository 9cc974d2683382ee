//! French and English texts. One struct, two constants: a missing translation is a compile
//! error, not a blank label.

use nova_contract::{AppointmentStatus, AppointmentType, ErrorCode, Language};

pub struct Texts {
    pub lang: Language,
    pub tagline: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub sign_in: &'static str,
    pub signing_in: &'static str,
    pub demo_hint: &'static str,
    pub sign_out: &'static str,
    pub live: &'static str,
    pub reconnecting: &'static str,
    pub offline: &'static str,
    pub book_title: &'static str,
    pub practitioner: &'static str,
    pub visit_type: &'static str,
    pub minutes: &'static str,
    pub earlier: &'static str,
    pub later: &'static str,
    pub no_slots: &'static str,
    pub choose_slot: &'static str,
    pub book: &'static str,
    pub booking: &'static str,
    pub booked: &'static str,
    pub my_appointments: &'static str,
    pub no_appointments: &'static str,
    pub agenda_title: &'static str,
    pub today: &'static str,
    pub upcoming: &'static str,
    pub nothing_today: &'static str,
    pub nothing_upcoming: &'static str,
    pub to_close: &'static str,
    pub to_close_hint: &'static str,
    pub patient_elsewhere: &'static str,
    pub confirm: &'static str,
    pub cancel: &'static str,
    pub reschedule: &'static str,
    pub move_title: &'static str,
    pub move_from: &'static str,
    pub move_here: &'static str,
    pub moving: &'static str,
    pub keep_time: &'static str,
    pub move_queued: &'static str,
    pub cancel_ask: &'static str,
    pub cancel_yes: &'static str,
    pub keep: &'static str,
    pub mark_done: &'static str,
    pub mark_no_show: &'static str,
    pub cabinet_today: &'static str,
    pub loading: &'static str,
    pub retry: &'static str,
    pub screen_unavailable: &'static str,
    pub dismiss: &'static str,
    pub notifications: &'static str,
    pub toast_new_request: &'static str,
    pub toast_created: &'static str,
    pub toast_confirmed: &'static str,
    pub toast_conflict: &'static str,
    pub toast_cancelled: &'static str,
    pub refuse: &'static str,
    pub toast_rescheduled: &'static str,
    pub accept: &'static str,
    pub toast_slot_offer: &'static str,
    pub toast_reminder_day: &'static str,
    pub toast_reminder_soon: &'static str,
    pub toast_proposal: &'static str,
    pub toast_proposal_accepted: &'static str,
    pub toast_proposal_rejected: &'static str,
    pub toast_proposal_expired: &'static str,
    pub toast_message: &'static str,
    pub outbox_done: &'static str,
    pub outbox_conflict: &'static str,
    pub outbox_refused: &'static str,
    pub queued_offline: &'static str,
    pub cancel_queued: &'static str,
    pub offline_banner: &'static str,
    pub pending_one: &'static str,
    pub pending_many: &'static str,
    pub sending: &'static str,
    pub unread: &'static str,
    pub mark_all_read: &'static str,
    pub no_notifications: &'static str,
    pub previous_page: &'static str,
    pub next_page: &'static str,
    pub page: &'static str,
    pub stale_data: &'static str,
    pub page_not_found: &'static str,
    pub back_home: &'static str,
    pub language_switch: &'static str,
    weekdays: [&'static str; 7],
    months: [&'static str; 12],
    // Manager's live dashboard.
    pub live_metrics: &'static str,
    pub fill_rate: &'static str,
    pub no_show_rate: &'static str,
    pub connected_patients: &'static str,
    pub connected_practitioners: &'static str,
    pub connected_staff: &'static str,
    pub notification_latency: &'static str,
    pub practitioner_load: &'static str,
    pub col_practitioner: &'static str,
    pub col_appointments: &'static str,
    pub col_booked_open: &'static str,
    pub col_fill: &'static str,
    pub not_working: &'static str,
    // Messages screen.
    pub nav_messages: &'static str,
    pub agenda_nav: &'static str,
    pub conversations_title: &'static str,
    pub no_conversations: &'static str,
    pub write_to_practice: &'static str,
    pub choose_conversation: &'static str,
    pub older_messages: &'static str,
    pub no_messages: &'static str,
    pub your_message: &'static str,
    pub send: &'static str,
    pub seen: &'static str,
    pub is_typing: &'static str,
    pub online: &'static str,
    pub unread_messages: &'static str,
    pub propose_slot: &'static str,
    pub proposal_date: &'static str,
    pub proposal_time: &'static str,
    pub duration_min: &'static str,
    pub proposed_time: &'static str,
    pub proposal_pending: &'static str,
    pub proposal_accepted: &'static str,
    pub proposal_rejected: &'static str,
    pub proposal_expired: &'static str,
}

pub static FR: Texts = Texts {
    lang: Language::Fr,
    tagline: "Vos rendez-vous, en temps réel.",
    email: "Email",
    password: "Mot de passe",
    sign_in: "Se connecter",
    signing_in: "Connexion…",
    demo_hint: "Comptes de démonstration : patient@nova-rdv.test, dr.martin@nova-rdv.test, manager@nova-rdv.test — mot de passe nova-demo",
    sign_out: "Se déconnecter",
    live: "En direct",
    reconnecting: "Reconnexion…",
    offline: "Hors ligne",
    book_title: "Prendre rendez-vous",
    practitioner: "Praticien",
    visit_type: "Motif",
    minutes: "min",
    earlier: "Semaine précédente",
    later: "Semaine suivante",
    no_slots: "Aucun créneau libre sur cette période.",
    choose_slot: "Choisissez un créneau",
    book: "Réserver",
    booking: "Réservation…",
    booked: "Demande envoyée au cabinet",
    my_appointments: "Mes rendez-vous",
    no_appointments: "Aucun rendez-vous à venir.",
    agenda_title: "Mon agenda",
    today: "Aujourd'hui",
    upcoming: "À venir",
    nothing_today: "Aucun rendez-vous aujourd'hui.",
    nothing_upcoming: "Aucun rendez-vous à venir.",
    to_close: "À clôturer",
    to_close_hint: "Ces visites passées sont encore confirmées : indiquez si elles ont eu lieu.",
    patient_elsewhere: "a déjà un rendez-vous à cette heure :",
    confirm: "Confirmer",
    cancel: "Annuler",
    reschedule: "Déplacer",
    move_title: "Déplacer un rendez-vous",
    move_from: "Nouveau créneau pour",
    move_here: "Déplacer ici",
    moving: "Déplacement…",
    keep_time: "Ne pas déplacer",
    move_queued: "Hors ligne : le déplacement partira dès le retour du réseau.",
    cancel_ask: "Annuler ce rendez-vous ?",
    cancel_yes: "Oui, annuler",
    keep: "Le garder",
    mark_done: "Venu",
    mark_no_show: "Absent",
    cabinet_today: "Le cabinet aujourd'hui",
    loading: "Chargement…",
    retry: "Réessayer",
    screen_unavailable: "Cet écran n'a pas pu être chargé : vérifiez votre connexion.",
    dismiss: "Fermer",
    notifications: "Notifications",
    toast_new_request: "Nouvelle demande de rendez-vous",
    toast_created: "Votre demande de rendez-vous est enregistrée",
    toast_confirmed: "Rendez-vous confirmé",
    toast_conflict: "Ce créneau vient d'être pris. Choisissez-en un autre.",
    toast_cancelled: "Rendez-vous annulé",
    refuse: "Refuser",
    toast_rescheduled: "Rendez-vous déplacé",
    accept: "Accepter",
    toast_slot_offer: "Un créneau plus tôt s'est libéré pour vous",
    toast_reminder_day: "Rappel : votre rendez-vous est demain",
    toast_reminder_soon: "Rappel : votre rendez-vous est dans deux heures",
    toast_proposal: "Le cabinet vous propose un rendez-vous",
    toast_proposal_accepted: "Proposition acceptée",
    toast_proposal_rejected: "Proposition refusée",
    toast_proposal_expired: "Proposition expirée : ce créneau n'est plus libre",
    toast_message: "Nouveau message",
    outbox_done: "Modification hors ligne envoyée",
    outbox_conflict: "Modification hors ligne non appliquée",
    outbox_refused: "Modification hors ligne refusée",
    queued_offline: "Hors ligne : votre réservation partira dès le retour du réseau.",
    cancel_queued: "Hors ligne : l'annulation partira dès le retour du réseau.",
    offline_banner: "Vous êtes hors ligne. Vos modifications seront envoyées au retour du réseau.",
    pending_one: "1 modification en attente d'envoi",
    pending_many: "modifications en attente d'envoi",
    sending: "Envoi…",
    unread: "non lues",
    mark_all_read: "Tout marquer comme lu",
    no_notifications: "Aucune notification.",
    previous_page: "Page précédente",
    next_page: "Page suivante",
    page: "Page",
    stale_data: "Données affichées peut-être anciennes.",
    page_not_found: "Cette page n'existe pas.",
    back_home: "Retour à l'accueil",
    language_switch: "English",
    weekdays: ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."],
    months: ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."],
    live_metrics: "Indicateurs en direct",
    fill_rate: "Taux de remplissage",
    no_show_rate: "Taux d'absence",
    connected_patients: "Patients connectés",
    connected_practitioners: "Praticiens connectés",
    connected_staff: "Équipe connectée",
    notification_latency: "Délai des notifications (p50 / p99)",
    practitioner_load: "Charge par praticien",
    col_practitioner: "Praticien",
    col_appointments: "RDV",
    col_booked_open: "Réservé / ouvert",
    col_fill: "Remplissage",
    not_working: "Ne consulte pas ce jour",
    // Messages screen.
    nav_messages: "Messages",
    agenda_nav: "Accueil",
    conversations_title: "Conversations",
    no_conversations: "Aucune conversation pour l'instant.",
    write_to_practice: "Écrire au cabinet",
    choose_conversation: "Choisissez une conversation.",
    older_messages: "Messages plus anciens",
    no_messages: "Aucun message pour l'instant.",
    your_message: "Votre message",
    send: "Envoyer",
    seen: "Lu",
    is_typing: "écrit…",
    online: "En ligne",
    unread_messages: "non lus",
    propose_slot: "Proposer un créneau",
    proposal_date: "Date",
    proposal_time: "Heure",
    duration_min: "Durée (min)",
    proposed_time: "Créneau proposé",
    proposal_pending: "En attente de réponse",
    proposal_accepted: "Accepté",
    proposal_rejected: "Refusé",
    proposal_expired: "Expiré",
};

pub static EN: Texts = Texts {
    lang: Language::En,
    tagline: "Your appointments, live.",
    email: "Email",
    password: "Password",
    sign_in: "Sign in",
    signing_in: "Signing in…",
    demo_hint: "Demo accounts: patient@nova-rdv.test, dr.martin@nova-rdv.test, manager@nova-rdv.test — password nova-demo",
    sign_out: "Sign out",
    live: "Live",
    reconnecting: "Reconnecting…",
    offline: "Offline",
    book_title: "Book an appointment",
    practitioner: "Practitioner",
    visit_type: "Reason",
    minutes: "min",
    earlier: "Previous week",
    later: "Next week",
    no_slots: "No free time in this period.",
    choose_slot: "Pick a time",
    book: "Book",
    booking: "Booking…",
    booked: "Request sent to the practice",
    my_appointments: "My appointments",
    no_appointments: "No upcoming appointments.",
    agenda_title: "My agenda",
    today: "Today",
    upcoming: "Upcoming",
    nothing_today: "No appointments today.",
    nothing_upcoming: "No upcoming appointments.",
    to_close: "To close",
    to_close_hint: "These past visits are still marked confirmed: say whether they took place.",
    patient_elsewhere: "already has an appointment at that time:",
    confirm: "Confirm",
    cancel: "Cancel",
    reschedule: "Move",
    move_title: "Move an appointment",
    move_from: "New time for",
    move_here: "Move here",
    moving: "Moving…",
    keep_time: "Keep the current time",
    move_queued: "Offline: the move will be sent as soon as the network is back.",
    cancel_ask: "Cancel this appointment?",
    cancel_yes: "Yes, cancel",
    keep: "Keep it",
    mark_done: "Seen",
    mark_no_show: "No-show",
    cabinet_today: "The practice today",
    loading: "Loading…",
    retry: "Retry",
    screen_unavailable: "This screen could not be loaded: check your connection.",
    dismiss: "Dismiss",
    notifications: "Notifications",
    toast_new_request: "New appointment request",
    toast_created: "Your appointment request is recorded",
    toast_confirmed: "Appointment confirmed",
    toast_conflict: "That time was just taken. Please pick another.",
    toast_cancelled: "Appointment cancelled",
    refuse: "Decline",
    toast_rescheduled: "Appointment moved",
    accept: "Accept",
    toast_slot_offer: "An earlier time just opened up for you",
    toast_reminder_day: "Reminder: your appointment is tomorrow",
    toast_reminder_soon: "Reminder: your appointment is in two hours",
    toast_proposal: "The practice offers you an appointment",
    toast_proposal_accepted: "Proposal accepted",
    toast_proposal_rejected: "Proposal declined",
    toast_proposal_expired: "Proposal expired: that time is no longer free",
    toast_message: "New message",
    outbox_done: "Offline change sent",
    outbox_conflict: "Offline change not applied",
    outbox_refused: "Offline change refused",
    queued_offline: "Offline: your booking will be sent as soon as the network is back.",
    cancel_queued: "Offline: the cancellation will be sent as soon as the network is back.",
    offline_banner: "You are offline. Your changes will be sent when the network is back.",
    pending_one: "1 change waiting to be sent",
    pending_many: "changes waiting to be sent",
    sending: "Sending…",
    unread: "unread",
    mark_all_read: "Mark all as read",
    no_notifications: "No notifications.",
    previous_page: "Previous page",
    next_page: "Next page",
    page: "Page",
    stale_data: "What you see may be out of date.",
    page_not_found: "This page does not exist.",
    back_home: "Back to home",
    language_switch: "Français",
    weekdays: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    months: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    live_metrics: "Live metrics",
    fill_rate: "Fill rate",
    no_show_rate: "No-show rate",
    connected_patients: "Patients online",
    connected_practitioners: "Practitioners online",
    connected_staff: "Staff online",
    notification_latency: "Notification latency (p50 / p99)",
    practitioner_load: "Load by practitioner",
    col_practitioner: "Practitioner",
    col_appointments: "Appts",
    col_booked_open: "Booked / open",
    col_fill: "Fill",
    not_working: "Not working that day",
    // Messages screen.
    nav_messages: "Messages",
    agenda_nav: "Home",
    conversations_title: "Conversations",
    no_conversations: "No conversations yet.",
    write_to_practice: "Write to the practice",
    choose_conversation: "Choose a conversation.",
    older_messages: "Older messages",
    no_messages: "No messages yet.",
    your_message: "Your message",
    send: "Send",
    seen: "Read",
    is_typing: "is typing…",
    online: "Online",
    unread_messages: "unread",
    propose_slot: "Propose a time",
    proposal_date: "Date",
    proposal_time: "Time",
    duration_min: "Duration (min)",
    proposed_time: "Proposed time",
    proposal_pending: "Waiting for an answer",
    proposal_accepted: "Accepted",
    proposal_rejected: "Rejected",
    proposal_expired: "Expired",
};

pub fn texts(lang: Language) -> &'static Texts {
    match lang {
        Language::Fr => &FR,
        Language::En => &EN,
    }
}

impl Texts {
    /// `weekday` 0 = Monday.
    pub fn weekday(&self, weekday: u32) -> &'static str {
        self.weekdays[(weekday % 7) as usize]
    }

    /// `month` 1 = January.
    pub fn month(&self, month: u32) -> &'static str {
        self.months[((month + 11) % 12) as usize]
    }

    pub fn status(&self, s: AppointmentStatus) -> &'static str {
        let fr = self.lang == Language::Fr;
        match (s, fr) {
            (AppointmentStatus::Pending, true) => "En attente",
            (AppointmentStatus::Pending, false) => "Pending",
            (AppointmentStatus::Confirmed, true) => "Confirmé",
            (AppointmentStatus::Confirmed, false) => "Confirmed",
            (AppointmentStatus::Cancelled, true) => "Annulé",
            (AppointmentStatus::Cancelled, false) => "Cancelled",
            (AppointmentStatus::Completed, true) => "Terminé",
            (AppointmentStatus::Completed, false) => "Completed",
            (AppointmentStatus::NoShow, true) => "Absent",
            (AppointmentStatus::NoShow, false) => "No-show",
            (AppointmentStatus::Rescheduled, true) => "Reprogrammé",
            (AppointmentStatus::Rescheduled, false) => "Rescheduled",
        }
    }

    pub fn kind(&self, t: AppointmentType) -> &'static str {
        let fr = self.lang == Language::Fr;
        match (t, fr) {
            (AppointmentType::Consultation, _) => "Consultation",
            (AppointmentType::Controle, true) => "Contrôle",
            (AppointmentType::Controle, false) => "Check-up",
            (AppointmentType::Soin, true) => "Soin",
            (AppointmentType::Soin, false) => "Treatment",
            (AppointmentType::Detartrage, true) => "Détartrage",
            (AppointmentType::Detartrage, false) => "Scaling",
            (AppointmentType::Extraction, _) => "Extraction",
            (AppointmentType::Implant, _) => "Implant",
            (AppointmentType::Orthodontie, true) => "Orthodontie",
            (AppointmentType::Orthodontie, false) => "Orthodontics",
            (AppointmentType::Urgence, true) => "Urgence",
            (AppointmentType::Urgence, false) => "Emergency",
        }
    }

    /// What to tell a person about an error, by its stable code.
    pub fn error(&self, code: ErrorCode) -> &'static str {
        let fr = self.lang == Language::Fr;
        match (code, fr) {
            (ErrorCode::InvalidCredentials, true) => "Email ou mot de passe incorrect.",
            (ErrorCode::InvalidCredentials, false) => "Wrong email or password.",
            (ErrorCode::SlotConflict, true) => {
                "Ce créneau vient d'être pris. Choisissez-en un autre."
            }
            (ErrorCode::SlotConflict, false) => "That time was just taken. Please pick another.",
            (ErrorCode::SlotUnavailable, true) => "Ce créneau n'est plus proposé.",
            (ErrorCode::SlotUnavailable, false) => "That time is no longer offered.",
            (ErrorCode::InvalidTransition, true) => "Ce rendez-vous a déjà changé d'état.",
            (ErrorCode::InvalidTransition, false) => "This appointment has already changed.",
            (ErrorCode::Unauthorized | ErrorCode::TokenExpired, true) => {
                "Votre session a expiré. Reconnectez-vous."
            }
            (ErrorCode::Unauthorized | ErrorCode::TokenExpired, false) => {
                "Your session expired. Please sign in again."
            }
            (ErrorCode::Forbidden, true) => "Action non autorisée.",
            (ErrorCode::Forbidden, false) => "You are not allowed to do this.",
            (ErrorCode::NotFound, true) => "Introuvable.",
            (ErrorCode::NotFound, false) => "Not found.",
            (ErrorCode::RateLimited, true) => "Trop de tentatives. Réessayez dans une minute.",
            (ErrorCode::RateLimited, false) => "Too many attempts. Try again in a minute.",
            (ErrorCode::NetworkError, true) => "Serveur injoignable. Vérifiez votre connexion.",
            (ErrorCode::NetworkError, false) => "Cannot reach the server. Check your connection.",
            (ErrorCode::ValidationError | ErrorCode::MalformedJson, true) => {
                "Certaines informations sont invalides."
            }
            (ErrorCode::ValidationError | ErrorCode::MalformedJson, false) => {
                "Some information is not valid."
            }
            (ErrorCode::IdempotencyKeyReused, true) => {
                "Cette demande a déjà été envoyée avec d'autres informations."
            }
            (ErrorCode::IdempotencyKeyReused, false) => {
                "This request was already sent with different details."
            }
            (ErrorCode::IdempotencyKeyInProgress, true) => {
                "Votre demande précédente est encore en cours. Réessayez dans un instant."
            }
            (ErrorCode::IdempotencyKeyInProgress, false) => {
                "Your previous request is still running. Try again in a moment."
            }
            (ErrorCode::InternalError | ErrorCode::Unknown, true) => {
                "Une erreur est survenue. Réessayez."
            }
            (ErrorCode::InternalError | ErrorCode::Unknown, false) => {
                "Something went wrong. Please retry."
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_name_every_status_and_type() {
        for t in [&FR, &EN] {
            for s in AppointmentStatus::ALL {
                assert!(!t.status(s).is_empty());
            }
            for k in AppointmentType::ALL {
                assert!(!t.kind(k).is_empty());
            }
        }
        assert_eq!(FR.status(AppointmentStatus::Pending), "En attente");
        assert_eq!(EN.status(AppointmentStatus::Pending), "Pending");
        assert_eq!(FR.month(1), "janv.");
        assert_eq!(EN.weekday(6), "Sun");
    }
}
