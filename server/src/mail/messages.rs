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
    fn the_code_mail_carries_the_code() {
        let mail = login_code("a@b.fr", "042517");
        assert!(mail.body.contains("Votre code de connexion : 042517\n"));
        assert!(mail.body.contains("10 minutes"));
    }
}
