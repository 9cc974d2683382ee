//! The mails the server sends, in French like the product. Plain text: they carry one code or
//! one link, and plain text reaches every mailbox intact.

use super::Mail;
use crate::auth::one_time::{OTP_TTL_SECS, RESET_TTL_SECS};

pub fn password_reset(to: &str, public_url: &str, token: &str) -> Mail {
    let link = format!(
        "{}/reset-password?token={token}",
        public_url.trim_end_matches('/')
    );
    Mail {
        to: to.to_string(),
        subject: "Réinitialisation de votre mot de passe Nova RDV".into(),
        body: format!(
            "Bonjour,\n\n\
             Pour choisir un nouveau mot de passe, ouvrez ce lien (valable {} minutes, une seule fois) :\n\
             {link}\n\n\
             Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe \
             reste inchangé.\n\n\
             L'équipe Nova RDV\n",
            RESET_TTL_SECS / 60
        ),
    }
}

pub fn login_code(to: &str, code: &str) -> Mail {
    Mail {
        to: to.to_string(),
        subject: format!("Votre code de connexion Nova RDV : {code}"),
        body: format!(
            "Bonjour,\n\n\
             Votre code de connexion : {code}\n\n\
             Il est valable {} minutes et ne sert qu'une fois. Ne le communiquez à personne : \
             Nova RDV ne vous le demandera jamais.\n\n\
             L'équipe Nova RDV\n",
            OTP_TTL_SECS / 60
        ),
    }
}

/// A reminder of a confirmed visit. `when` is already in the cabinet's local time.
pub fn appointment_reminder(
    to: &str,
    kind: nova_contract::ReminderKind,
    cabinet: &str,
    practitioner: &str,
    when: &str,
) -> Mail {
    let soon = match kind {
        nova_contract::ReminderKind::DayBefore => "demain",
        nova_contract::ReminderKind::TwoHoursBefore => "dans deux heures",
    };
    Mail {
        to: to.to_string(),
        subject: format!("Rappel : votre rendez-vous {soon}, {when}"),
        body: format!(
            "Bonjour,\n\n\
             Nous vous rappelons votre rendez-vous {soon} :\n\
             {when}, avec {practitioner} ({cabinet}).\n\n\
             Si vous ne pouvez pas venir, annulez-le depuis votre espace patient pour libérer \
             le créneau.\n\n\
             L'équipe Nova RDV\n"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reset_mail_carries_a_link_with_the_token() {
        let mail = password_reset("a@b.fr", "https://rdv.example/", "abc123");
        assert!(mail
            .body
            .contains("https://rdv.example/reset-password?token=abc123\n"));
        assert!(mail.body.contains("60 minutes"));
    }

    #[test]
    fn the_reminder_says_when_and_with_whom() {
        let mail = appointment_reminder(
            "a@b.fr",
            nova_contract::ReminderKind::DayBefore,
            "Cabinet du Parc",
            "Dr Martin",
            "mardi 24/11/2026 à 10:00",
        );
        assert!(mail.subject.contains("demain"));
        assert!(mail
            .body
            .contains("mardi 24/11/2026 à 10:00, avec Dr Martin (Cabinet du Parc).\n"));
    }

    #[test]
    fn the_code_mail_carries_the_code() {
        let mail = login_code("a@b.fr", "042517");
        assert!(mail.body.contains("Votre code de connexion : 042517\n"));
        assert!(mail.body.contains("10 minutes"));
    }
}
