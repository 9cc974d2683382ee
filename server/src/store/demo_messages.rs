//! The demo conversation: Léa Dubois (patient@nova-rdv.test) writing to Dr Claire Martin, so
//! the messaging screens show a real exchange on first run, with one answer still unread.

use std::collections::HashMap;

use chrono::Utc;
use sqlx::{Any, Transaction};

use crate::error::Result;

/// (sender is the patient, minutes ago, text)
const EXCHANGE: &[(bool, i64, &str)] = &[
    (
        true,
        26 * 60,
        "Bonjour Docteur, j'ai une sensibilité au froid sur une molaire depuis quelques jours.",
    ),
    (
        false,
        25 * 60,
        "Bonjour Madame Dubois. La douleur dure-t-elle après le contact avec le froid ?",
    ),
    (true, 24 * 60, "Quelques secondes seulement, surtout le matin."),
    (
        false,
        90,
        "Cela ressemble à une sensibilité dentinaire. Passez me voir pour un contrôle cette semaine.",
    ),
];

/// Writes the conversation; `ids` maps demo emails to (user id, cabinet id).
pub(super) async fn load(
    tx: &mut Transaction<'static, Any>,
    ids: &HashMap<&str, (String, &str)>,
) -> Result<()> {
    let (Some((patient, cabinet)), Some((martin, _))) = (
        ids.get("patient@nova-rdv.test"),
        ids.get("dr.martin@nova-rdv.test"),
    ) else {
        return Ok(());
    };
    let now = Utc::now().timestamp();
    let id = uuid::Uuid::new_v4().to_string();
    let first = now - EXCHANGE[0].1 * 60;
    let last = now - EXCHANGE[EXCHANGE.len() - 1].1 * 60;
    sqlx::query(
        "INSERT INTO conversations (id, cabinet_id, patient_id, staff_id, last_seq, last_message_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(*cabinet)
    .bind(patient)
    .bind(martin)
    .bind(EXCHANGE.len() as i64)
    .bind(last)
    .bind(first)
    .execute(&mut **tx)
    .await?;
    // The patient has not read the last answer yet; the practitioner has read everything.
    for (user, read) in [
        (patient, EXCHANGE.len() as i64 - 1),
        (martin, EXCHANGE.len() as i64),
    ] {
        sqlx::query(
            "INSERT INTO conversation_participants (conversation_id, user_id, last_read_seq, joined_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(&id)
        .bind(user)
        .bind(read)
        .bind(first)
        .execute(&mut **tx)
        .await?;
    }
    for (seq, (by_patient, minutes_ago, text)) in EXCHANGE.iter().enumerate() {
        sqlx::query(
            "INSERT INTO messages (id, conversation_id, seq, sender_id, body, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(&id)
        .bind(seq as i64 + 1)
        .bind(if *by_patient { patient } else { martin })
        .bind(*text)
        .bind(now - minutes_ago * 60)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
