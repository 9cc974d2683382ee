//! Durable notifications: written in batches by the notifier's writer, each person's numbered
//! by a counter in the same transaction; listed, marked read, replayed and purged.

use nova_contract::{
    Channel, NoticeKind, Notification, NotificationChannels, NotificationFamily, Preferences,
};
use std::collections::{BTreeMap, HashMap};

use sqlx::AssertSqlSafe;

use super::sql::{Arg, Sql};
use super::{to_time, Store};
use crate::error::Result;

/// One event for one person, as the notifier queues it.
#[derive(Debug, Clone)]
pub struct NewNotification {
    pub user_id: String,
    pub event: &'static str,
    pub kind: NoticeKind,
    pub message: String,
    /// JSON text.
    pub data: String,
    pub created_at: i64,
}

/// What the database gave a queued event: its number, and whether the person keeps this
/// family out of the app (then it is stored read, not pushed, not replayed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Persisted {
    pub seq: i64,
    pub silent: bool,
}

/// Rows per INSERT: 9 parameters each, far below either database's limit.
const INSERT_CHUNK: usize = 100;
/// People per counter statement: 2 parameters each.
const COUNTER_CHUNK: usize = 400;

type Row = (i64, String, String, String, String, i64, Option<i64>);
const COLUMNS: &str = "seq, event, kind, message, data, created_at, read_at";

fn kind_text(kind: NoticeKind) -> &'static str {
    match kind {
        NoticeKind::Success => "success",
        NoticeKind::Info => "info",
        NoticeKind::Warning => "warning",
        NoticeKind::Error => "error",
    }
}

fn kind_of(text: &str) -> NoticeKind {
    match text {
        "success" => NoticeKind::Success,
        "warning" => NoticeKind::Warning,
        "error" => NoticeKind::Error,
        _ => NoticeKind::Info,
    }
}

fn notification((seq, event, kind, message, data, created_at, read_at): Row) -> Notification {
    Notification {
        id: seq.to_string(),
        family: NotificationFamily::of_event(&event),
        event,
        kind: kind_of(&kind),
        message,
        data: serde_json::from_str(&data).unwrap_or(serde_json::Value::Null),
        timestamp: to_time(created_at),
        read: read_at.is_some(),
        read_at: read_at.map(to_time),
    }
}

impl Store {
    /// Stores a batch in one transaction and answers each event's number, in input order.
    /// People are numbered in sorted id order, so two instances writing batches for the same
    /// people lock their counters in the same order and cannot deadlock.
    pub async fn insert_notifications(&self, items: &[NewNotification]) -> Result<Vec<Persisted>> {
        if items.is_empty() {
            return Ok(Vec::new());
        }
        // Each person's count of events here, in sorted id order.
        let mut counts: BTreeMap<&str, i64> = BTreeMap::new();
        for item in items {
            *counts.entry(item.user_id.as_str()).or_default() += 1;
        }
        let users: Vec<(&str, i64)> = counts.into_iter().collect();
        let mut tx = self.begin_write().await?;
        // The next free number of each person: their counter moved on by their count here,
        // many people per statement (rows in sorted order, so locks are taken in that order).
        let mut last: HashMap<String, i64> = HashMap::with_capacity(users.len());
        for chunk in users.chunks(COUNTER_CHUNK) {
            let mut bump =
                Sql::new("INSERT INTO notification_counters (user_id, last_seq) VALUES ");
            for (i, (user, count)) in chunk.iter().enumerate() {
                if i > 0 {
                    bump.push(", ");
                }
                bump.push("(")
                    .bind_list([Arg::Text((*user).to_owned()), Arg::Int(*count)])
                    .push(")");
            }
            bump.push(
                " ON CONFLICT (user_id) DO UPDATE \
                 SET last_seq = notification_counters.last_seq + excluded.last_seq \
                 RETURNING user_id, last_seq",
            );
            last.extend(
                sqlx::query_as_with::<_, (String, i64), _>(
                    AssertSqlSafe(bump.sql().to_owned()),
                    bump.arguments()?,
                )
                .fetch_all(&mut *tx)
                .await?,
            );
        }
        let mut next: HashMap<&str, i64> = HashMap::with_capacity(users.len());
        for (user, count) in &users {
            let last = last
                .get(*user)
                .ok_or_else(|| crate::error::Error::Internal("counter not returned".into()))?;
            next.insert(user, last - count + 1);
        }
        let mut prefs = Sql::new("SELECT id, preferences FROM users WHERE id IN (");
        prefs
            .bind_list(users.iter().map(|(u, _)| Arg::Text((*u).to_owned())))
            .push(")");
        let prefs: Vec<(String, String)> =
            sqlx::query_as_with(AssertSqlSafe(prefs.sql().to_owned()), prefs.arguments()?)
                .fetch_all(&mut *tx)
                .await?;
        // Each person's preferences, read once; unreadable ones count as the defaults.
        let prefs: HashMap<String, _> = prefs
            .into_iter()
            .map(|(id, p)| {
                let p = serde_json::from_str::<Preferences>(&p).ok();
                (id, p.map(|p| p.notifications).unwrap_or_default())
            })
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let seq = next
                .get_mut(item.user_id.as_str())
                .ok_or_else(|| crate::error::Error::Internal("person not numbered".into()))?;
            let family = NotificationFamily::of_event(item.event);
            let in_app = match prefs.get(&item.user_id) {
                Some(channels) => channels.allows(family, Channel::InApp),
                None => NotificationChannels::default().allows(family, Channel::InApp),
            };
            out.push(Persisted {
                seq: *seq,
                silent: !in_app,
            });
            *seq += 1;
        }
        for (chunk, numbers) in items.chunks(INSERT_CHUNK).zip(out.chunks(INSERT_CHUNK)) {
            let mut insert = Sql::new(
                "INSERT INTO notifications \
                 (user_id, seq, event, kind, message, data, created_at, read_at, silent) VALUES ",
            );
            for (i, (item, p)) in chunk.iter().zip(numbers).enumerate() {
                if i > 0 {
                    insert.push(", ");
                }
                // Silent ones are stored read; 0 (never a real instant) stands for unread.
                let read_at = if p.silent { item.created_at } else { 0 };
                insert
                    .push("(")
                    .bind_list([
                        Arg::Text(item.user_id.clone()),
                        Arg::Int(p.seq),
                        Arg::Text(item.event.to_owned()),
                        Arg::Text(kind_text(item.kind).to_owned()),
                        Arg::Text(item.message.clone()),
                        Arg::Text(item.data.clone()),
                        Arg::Int(item.created_at),
                    ])
                    .push(", NULLIF(")
                    .bind(Arg::Int(read_at))
                    .push(", 0), ")
                    .bind(Arg::Int(i64::from(p.silent)))
                    .push(")");
            }
            sqlx::query_with(AssertSqlSafe(insert.sql().to_owned()), insert.arguments()?)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(out)
    }

    /// A person's events after `after` and since `since`, oldest first, at most `limit`: what a
    /// reconnecting socket missed. Events the person keeps out of the app are not replayed.
    pub async fn notifications_after(
        &self,
        user_id: &str,
        after: i64,
        since: i64,
        limit: i64,
    ) -> Result<Vec<Notification>> {
        let rows: Vec<Row> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM notifications \
             WHERE user_id = $1 AND seq > $2 AND created_at >= $3 AND silent = 0 \
             ORDER BY seq LIMIT $4"
        )))
        .bind(user_id)
        .bind(after)
        .bind(since)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(notification).collect())
    }

    /// A page of a person's notifications, newest first, with the list's total.
    pub async fn notifications_page(
        &self,
        user_id: &str,
        unread_only: bool,
        page: u32,
        limit: u32,
    ) -> Result<(Vec<Notification>, u64)> {
        let filter = if unread_only {
            " AND read_at IS NULL"
        } else {
            ""
        };
        let rows: Vec<Row> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM notifications WHERE user_id = $1{filter} \
             ORDER BY seq DESC LIMIT $2 OFFSET $3"
        )))
        .bind(user_id)
        .bind(i64::from(limit))
        .bind(i64::from(page.saturating_sub(1)) * i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let (total,): (i64,) = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM notifications WHERE user_id = $1{filter}"
        )))
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?;
        Ok((rows.into_iter().map(notification).collect(), total as u64))
    }

    pub async fn unread_notifications(&self, user_id: &str) -> Result<u64> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM notifications \
             WHERE user_id = $1 AND read_at IS NULL",
        )
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(n as u64)
    }

    /// Marks one of the person's notifications read (keeping the first reading time); `None`
    /// when they have no such notification.
    pub async fn mark_notification_read(
        &self,
        user_id: &str,
        seq: i64,
        now: i64,
    ) -> Result<Option<Notification>> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE notifications SET read_at = $1 \
             WHERE user_id = $2 AND seq = $3 AND read_at IS NULL",
        )
        .bind(now)
        .bind(user_id)
        .bind(seq)
        .execute(&mut *tx)
        .await?;
        let row: Option<Row> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM notifications WHERE user_id = $1 AND seq = $2"
        )))
        .bind(user_id)
        .bind(seq)
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(row.map(notification))
    }

    /// Marks every unread notification of the person read; answers how many there were.
    pub async fn mark_all_notifications_read(&self, user_id: &str, now: i64) -> Result<u64> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL",
        )
        .bind(now)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    /// Deletes notifications created before `before`; answers how many.
    pub async fn purge_notifications(&self, before: i64) -> Result<u64> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("DELETE FROM notifications WHERE created_at < $1")
            .bind(before)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    /// A person's channel choices (defaults for an unknown person or unreadable preferences).
    /// Mail and SMS senders ask `notification_prefs(id).await?.allows(family, Channel::Email)`.
    pub async fn notification_prefs(&self, user_id: &str) -> Result<NotificationChannels> {
        let row: Option<(String,)> = sqlx::query_as("SELECT preferences FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row
            .and_then(|(p,)| serde_json::from_str::<Preferences>(&p).ok())
            .map(|p| p.notifications)
            .unwrap_or_default())
    }
}
