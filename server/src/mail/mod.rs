//! Outgoing mail: sign-in codes and password-reset links.
//!
//! With `NOVA_SMTP_URL` set, mail goes out through that SMTP server (lettre, rustls). Sending
//! runs in the background, so a request answers as fast whether or not it sent a mail (which
//! would otherwise tell who has an account) and a slow server delays no one; a failure is
//! logged. Without it, mail is written to the `outbox` table and logged at INFO, which is how a
//! developer signs in with a code locally and how the tests read codes. The outbox keeps codes
//! and links in clear: it is for development, never for production.

pub mod messages;

use std::sync::Arc;

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::clock::Clock;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::store::Store;

/// One plain-text message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

#[derive(Clone)]
pub struct Mailer {
    transport: Arc<Transport>,
}

enum Transport {
    Smtp {
        smtp: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    Outbox {
        store: Store,
        clock: Clock,
    },
}

impl Mailer {
    /// SMTP when the configuration names a server, else the outbox. A bad URL or sender
    /// address stops the server at start rather than failing on the first mail.
    pub fn new(config: &Config, store: Store, clock: Clock) -> Result<Self> {
        let transport = match &config.smtp_url {
            Some(url) => {
                let smtp = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| Error::Config(format!("NOVA_SMTP_URL: {e}")))?
                    .build();
                let from = config
                    .mail_from
                    .parse()
                    .map_err(|e| Error::Config(format!("NOVA_MAIL_FROM: {e}")))?;
                tracing::info!("mail goes out through SMTP");
                Transport::Smtp { smtp, from }
            }
            None => {
                tracing::info!(
                    "NOVA_SMTP_URL unset: mail is written to the outbox table and the log"
                );
                Transport::Outbox { store, clock }
            }
        };
        Ok(Self {
            transport: Arc::new(transport),
        })
    }

    pub async fn send(&self, mail: Mail) -> Result<()> {
        match &*self.transport {
            Transport::Smtp { smtp, from } => {
                let message = build_message(from.clone(), &mail)?;
                let smtp = smtp.clone();
                tokio::spawn(async move {
                    match smtp.send(message).await {
                        Ok(_) => {
                            tracing::info!(to = %mail.to, subject = %mail.subject, "mail sent")
                        }
                        Err(e) => {
                            tracing::warn!(to = %mail.to, subject = %mail.subject, error = %e, "mail not sent")
                        }
                    }
                });
                Ok(())
            }
            Transport::Outbox { store, clock } => {
                store
                    .insert_outbox(&mail.to, &mail.subject, &mail.body, clock.now())
                    .await?;
                tracing::info!(to = %mail.to, subject = %mail.subject, body = %mail.body, "mail written to the outbox");
                Ok(())
            }
        }
    }
}

fn build_message(from: Mailbox, mail: &Mail) -> Result<Message> {
    let to: Mailbox = mail
        .to
        .parse()
        .map_err(|e| Error::Internal(format!("mail to {}: {e}", mail.to)))?;
    Message::builder()
        .from(from)
        .to(to)
        .subject(mail.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body.clone())
        .map_err(|e| Error::Internal(format!("mail: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_plain_text_utf8() {
        let from: Mailbox = "Nova RDV <no-reply@nova-rdv.test>".parse().unwrap();
        let mail = messages::login_code("lea@nova-rdv.test", "123456");
        let raw = String::from_utf8(build_message(from, &mail).unwrap().formatted()).unwrap();
        assert!(raw.contains("Content-Type: text/plain; charset=utf-8"));
        assert!(raw.contains("From: \"Nova RDV\" <no-reply@nova-rdv.test>"));
    }

    #[test]
    fn a_bad_recipient_is_an_error_not_a_panic() {
        let from: Mailbox = "no-reply@nova-rdv.test".parse().unwrap();
        let mail = messages::login_code("not an address", "123456");
        assert!(build_message(from, &mail).is_err());
    }
}
