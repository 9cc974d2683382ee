//! Messages of a conversation: numbered in the order they were written, paged by that number,
//! and each participant's read position. Callers check participation first (see
//! `conversations`).

use chrono::Utc;
use nova_contract::{ErrorCode, Message, MessageListQuery, MessagePage};
use sqlx::{AnyConnection, AssertSqlSafe, FromRow};

use super::sql::{Arg, Sql};
use super::{to_time, Store};
use crate::error::{Error, Result};

#[derive(Debug, FromRow)]
struct MessageRow {
    id: String,
    conversation_id: String,
    seq: i64,
    sender_id: String,
    body: String,
    created_at: i64,
}

impl From<MessageRow> for Message {
    fn from(r: MessageRow) -> Self {
        Message {
            id: r.id,
            conversation_id: r.conversation_id,
            seq: r.seq as u64,
            sender_id: r.sender_id,
            content: r.body,
            created_at: to_time(r.created_at),
        }
    }
}

const MESSAGE_COLUMNS: &str = "id, conversation_id, seq, sender_id, body, created_at";

impl Store {
    /// A page of a conversation's messages, oldest first (see [`MessageListQuery`]).
    pub async fn messages(
        &self,
        id: &str,
        q: &MessageListQuery,
        limit: u32,
    ) -> Result<MessagePage> {
        let mut sql = Sql::new(&format!(
            "SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = "
        ));
        sql.bind(Arg::Text(id.to_owned()));
        let newest_first = q.after.is_none();
        if let Some(before) = q.before {
            sql.push(" AND seq < ")
                .bind(Arg::Int(before.min(i64::MAX as u64) as i64));
        }
        if let Some(after) = q.after {
            sql.push(" AND seq > ")
                .bind(Arg::Int(after.min(i64::MAX as u64) as i64));
        }
        // One more than asked tells whether there is more.
        sql.push(if newest_first {
            " ORDER BY seq DESC LIMIT "
        } else {
            " ORDER BY seq ASC LIMIT "
        })
        .bind(Arg::Int(i64::from(limit) + 1));
        let rows: Vec<MessageRow> =
            sqlx::query_as_with(AssertSqlSafe(sql.sql().to_owned()), sql.arguments()?)
                .fetch_all(&self.pool)
                .await?;
        let has_more = rows.len() > limit as usize;
        let mut items: Vec<Message> = rows
            .into_iter()
            .take(limit as usize)
            .map(Message::from)
            .collect();
        if newest_first {
            items.reverse();
        }
        Ok(MessagePage { items, has_more })
    }

    /// Appends a message: it takes the conversation's next number in the same transaction, so
    /// two senders never share one. The sender has read what they wrote.
    pub async fn send_message(&self, id: &str, sender_id: &str, body: &str) -> Result<Message> {
        let now = Utc::now().timestamp();
        let mut tx = self.begin_write().await?;
        let (seq,): (i64,) = sqlx::query_as(
            "UPDATE conversations SET last_seq = last_seq + 1, last_message_at = $1 \
             WHERE id = $2 RETURNING last_seq",
        )
        .bind(now)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let message_id = uuid::Uuid::new_v4().to_string();
        sqlx::query(
            "INSERT INTO messages (id, conversation_id, seq, sender_id, body, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&message_id)
        .bind(id)
        .bind(seq)
        .bind(sender_id)
        .bind(body)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE conversation_participants SET last_read_seq = $1 \
             WHERE conversation_id = $2 AND user_id = $3 AND last_read_seq < $1",
        )
        .bind(seq)
        .bind(id)
        .bind(sender_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Message {
            id: message_id,
            conversation_id: id.to_owned(),
            seq: seq as u64,
            sender_id: sender_id.to_owned(),
            content: body.to_owned(),
            created_at: to_time(now),
        })
    }

    /// Moves the reader's position forward to `seq` (the last message when `None`); never
    /// back. Returns the position and whether it moved. A `seq` past the last message is 422.
    pub async fn mark_read(
        &self,
        id: &str,
        user_id: &str,
        seq: Option<u64>,
    ) -> Result<(u64, bool)> {
        let (last,): (i64,) = sqlx::query_as("SELECT last_seq FROM conversations WHERE id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        let target = match seq {
            Some(s) if s > last.max(0) as u64 => {
                return Err(Error::field(
                    ErrorCode::ValidationError,
                    "seq",
                    "Ce message n'existe pas (encore)",
                ))
            }
            Some(s) => s as i64,
            None => last,
        };
        let moved = sqlx::query(
            "UPDATE conversation_participants SET last_read_seq = $1 \
             WHERE conversation_id = $2 AND user_id = $3 AND last_read_seq < $1",
        )
        .bind(target)
        .bind(id)
        .bind(user_id)
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1;
        let (position,): (i64,) = sqlx::query_as(
            "SELECT last_read_seq FROM conversation_participants WHERE conversation_id = $1 AND user_id = $2",
        )
        .bind(id)
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?;
        Ok((position.max(0) as u64, moved))
    }

    /// For an erasure (inside its transaction): what the person wrote loses its text (the
    /// others keep the thread, without the erased person's words), and slots still offered to
    /// them expire.
    pub(crate) async fn erase_messages_in(
        &self,
        conn: &mut AnyConnection,
        user_id: &str,
        now: i64,
    ) -> Result<()> {
        sqlx::query("UPDATE messages SET body = '' WHERE sender_id = $1")
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
        sqlx::query(
            "UPDATE proposals SET status = 'expired', updated_at = $1 \
             WHERE patient_id = $2 AND status = 'pending'",
        )
        .bind(now)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }
}
