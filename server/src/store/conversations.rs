//! Conversations between a patient and a staff member of one cabinet, and who takes part in
//! them. Every read is scoped by cabinet and by participant: a conversation is only ever
//! described to someone taking part in it. Its messages live in `messages`.

use chrono::Utc;
use nova_contract::{Conversation, ConversationParticipant, Message, Role};
use sqlx::{AssertSqlSafe, FromRow};

use super::sql::{Arg, Sql};
use super::{to_time, Store};
use crate::error::Result;

/// What a caller may know of a conversation id in their cabinet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No such conversation in this cabinet.
    Unknown,
    /// It exists, but the caller takes no part in it.
    Outsider,
    Participant,
}

#[derive(Debug, FromRow)]
struct ConversationRow {
    id: String,
    cabinet_id: String,
    patient_id: String,
    last_message_at: Option<i64>,
    created_at: i64,
    unread: i64,
    m_id: Option<String>,
    m_seq: Option<i64>,
    m_sender_id: Option<String>,
    m_body: Option<String>,
    m_created_at: Option<i64>,
}

/// The caller's view: the last message (joined on the conversation's `last_seq`) and what the
/// caller has not read of the others' messages.
const SELECT: &str = "SELECT c.id, c.cabinet_id, c.patient_id, c.last_message_at, c.created_at, \
     CAST((SELECT COUNT(*) FROM messages u WHERE u.conversation_id = c.id \
           AND u.seq > me.last_read_seq AND u.sender_id <> me.user_id) AS BIGINT) AS unread, \
     m.id AS m_id, m.seq AS m_seq, m.sender_id AS m_sender_id, m.body AS m_body, \
     m.created_at AS m_created_at \
     FROM conversations c \
     JOIN conversation_participants me ON me.conversation_id = c.id AND me.user_id = $1 \
     LEFT JOIN messages m ON m.conversation_id = c.id AND m.seq = c.last_seq \
     WHERE c.cabinet_id = $2";

impl Store {
    /// The conversation between this patient and this staff member in the cabinet, made (with
    /// both as participants) if there was none; `true` when it was made now.
    pub async fn open_conversation(
        &self,
        cabinet_id: &str,
        patient_id: &str,
        staff_id: &str,
    ) -> Result<(String, bool)> {
        let mut tx = self.begin_write().await?;
        let existing: Option<(String,)> = sqlx::query_as(
            "SELECT id FROM conversations WHERE cabinet_id = $1 AND patient_id = $2 AND staff_id = $3",
        )
        .bind(cabinet_id)
        .bind(patient_id)
        .bind(staff_id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((id,)) = existing {
            return Ok((id, false));
        }
        let id = uuid::Uuid::new_v4().to_string();
        let now = Utc::now().timestamp();
        // Two first openings racing on PostgreSQL: the loser's insert does nothing and it reads
        // the winner's row below.
        let inserted = sqlx::query(
            "INSERT INTO conversations (id, cabinet_id, patient_id, staff_id, last_seq, created_at) \
             VALUES ($1, $2, $3, $4, 0, $5) ON CONFLICT (cabinet_id, patient_id, staff_id) DO NOTHING",
        )
        .bind(&id)
        .bind(cabinet_id)
        .bind(patient_id)
        .bind(staff_id)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            tx.rollback().await?;
            let (id,): (String,) = sqlx::query_as(
                "SELECT id FROM conversations WHERE cabinet_id = $1 AND patient_id = $2 AND staff_id = $3",
            )
            .bind(cabinet_id)
            .bind(patient_id)
            .bind(staff_id)
            .fetch_one(&self.pool)
            .await?;
            return Ok((id, false));
        }
        for user in [patient_id, staff_id] {
            sqlx::query(
                "INSERT INTO conversation_participants (conversation_id, user_id, last_read_seq, joined_at) \
                 VALUES ($1, $2, 0, $3)",
            )
            .bind(&id)
            .bind(user)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok((id, true))
    }

    /// Whether `user_id` may see conversation `id` of this cabinet.
    pub async fn conversation_access(
        &self,
        cabinet_id: &str,
        id: &str,
        user_id: &str,
    ) -> Result<Access> {
        let row: Option<(Option<String>,)> = sqlx::query_as(
            "SELECT p.user_id FROM conversations c \
             LEFT JOIN conversation_participants p ON p.conversation_id = c.id AND p.user_id = $1 \
             WHERE c.id = $2 AND c.cabinet_id = $3",
        )
        .bind(user_id)
        .bind(id)
        .bind(cabinet_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            None => Access::Unknown,
            Some((None,)) => Access::Outsider,
            Some((Some(_),)) => Access::Participant,
        })
    }

    /// Whether this (not erased) user takes part in conversation `id`, whatever the cabinet:
    /// what a socket asking to join `conversation:{id}` must be.
    pub async fn is_participant(&self, id: &str, user_id: &str) -> Result<bool> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT p.user_id FROM conversation_participants p JOIN users u ON u.id = p.user_id \
             WHERE p.conversation_id = $1 AND p.user_id = $2 AND u.erased_at IS NULL",
        )
        .bind(id)
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.is_some())
    }

    /// Everyone taking part in a conversation.
    pub async fn participant_ids(&self, id: &str) -> Result<Vec<String>> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT user_id FROM conversation_participants WHERE conversation_id = $1 ORDER BY user_id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(u,)| u).collect())
    }

    /// The caller's conversations in this cabinet, most recently active first.
    pub async fn conversations_of(
        &self,
        cabinet_id: &str,
        user_id: &str,
    ) -> Result<Vec<Conversation>> {
        let sql = format!(
            "{SELECT} ORDER BY COALESCE(c.last_message_at, c.created_at) DESC, c.id LIMIT 200"
        );
        let rows: Vec<ConversationRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(user_id)
            .bind(cabinet_id)
            .fetch_all(&self.pool)
            .await?;
        self.describe(rows).await
    }

    /// One conversation as `user_id` sees it; `None` unless they take part in it.
    pub async fn conversation(
        &self,
        cabinet_id: &str,
        id: &str,
        user_id: &str,
    ) -> Result<Option<Conversation>> {
        let sql = format!("{SELECT} AND c.id = $3");
        let rows: Vec<ConversationRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(user_id)
            .bind(cabinet_id)
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        Ok(self.describe(rows).await?.pop())
    }

    /// Adds the participants (one query for all conversations) to the rows.
    async fn describe(&self, rows: Vec<ConversationRow>) -> Result<Vec<Conversation>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = Sql::new(
            "SELECT p.conversation_id, u.id, u.first_name, u.last_name, \
             COALESCE(mem.role, u.role) AS role, p.last_read_seq \
             FROM conversation_participants p JOIN users u ON u.id = p.user_id \
             JOIN conversations c ON c.id = p.conversation_id \
             LEFT JOIN memberships mem ON mem.user_id = p.user_id AND mem.cabinet_id = c.cabinet_id \
             WHERE p.conversation_id IN (",
        );
        q.bind_list(rows.iter().map(|r| Arg::Text(r.id.clone())))
            .push(") ORDER BY p.joined_at, u.id");
        let people: Vec<(String, String, String, String, String, i64)> =
            sqlx::query_as_with(AssertSqlSafe(q.sql().to_owned()), q.arguments()?)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let participants = people
                    .iter()
                    .filter(|p| p.0 == r.id)
                    .map(|p| ConversationParticipant {
                        id: p.1.clone(),
                        first_name: p.2.clone(),
                        last_name: p.3.clone(),
                        role: Role::parse(&p.4).unwrap_or(Role::Patient),
                        last_read_seq: p.5.max(0) as u64,
                        // Presence is the socket layer's to say (`Notifier::mark_online`).
                        online: false,
                    })
                    .collect();
                let last_message = match (r.m_id, r.m_seq, r.m_sender_id, r.m_body) {
                    (Some(id), Some(seq), Some(sender_id), Some(body)) => Some(Message {
                        id,
                        conversation_id: r.id.clone(),
                        seq: seq as u64,
                        sender_id,
                        content: body,
                        created_at: to_time(r.m_created_at.unwrap_or(r.created_at)),
                    }),
                    _ => None,
                };
                Conversation {
                    id: r.id,
                    cabinet_id: r.cabinet_id,
                    patient_id: r.patient_id,
                    participants,
                    last_message,
                    unread_count: r.unread.max(0) as u64,
                    created_at: to_time(r.created_at),
                    updated_at: to_time(r.last_message_at.unwrap_or(r.created_at)),
                }
            })
            .collect())
    }
}
