//! Who may act where, kept current across PostgreSQL instances.
//!
//! Several server instances may share one PostgreSQL database, and a membership can change
//! through any of them (or through `psql`). The database says so itself: triggers
//! (`migrations/postgres/0009_membership_changes.sql`) `NOTIFY` the person's id on the
//! `nova_memberships` channel, and this task makes the instance's
//! [`MemberCache`] forget them. Until it is listening, and whenever the connection drops, the
//! cache is paused (every request reads), because a change made in the gap would go unseen.

use std::sync::Weak;
use std::time::Duration;

use sqlx::postgres::PgListener;

use super::member_cache::MemberCache;

const CHANNEL: &str = "nova_memberships";

/// Waits before listening again after the connection could not be (re)made: doubling from the
/// first to the last, so a database that stays away is not asked every second.
const RETRY_FIRST: Duration = Duration::from_secs(1);
const RETRY_LAST: Duration = Duration::from_secs(30);

/// Listens for as long as the cache lives.
pub(super) fn spawn(url: String, cache: Weak<MemberCache>) {
    tokio::spawn(async move {
        let mut retry = RETRY_FIRST;
        loop {
            let mut heard = false;
            if let Err(e) = listen(&url, &cache, &mut heard).await {
                tracing::warn!("membership changes: not listening ({e}); every request reads");
            }
            let Some(live) = cache.upgrade() else { return };
            live.pause();
            drop(live);
            let wait = if heard { RETRY_FIRST } else { retry };
            retry = (wait * 2).min(RETRY_LAST);
            tokio::time::sleep(wait).await;
        }
    });
}

/// Returns `Ok` when the cache is gone, an error when the connection is; `heard` says whether
/// it listened at all.
async fn listen(url: &str, cache: &Weak<MemberCache>, heard: &mut bool) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen(CHANNEL).await?;
    *heard = true;
    // From here on every committed change reaches this listener.
    match cache.upgrade() {
        Some(live) => live.resume(),
        None => return Ok(()),
    }
    loop {
        let next = listener.try_recv().await?;
        let Some(live) = cache.upgrade() else {
            return Ok(());
        };
        match next {
            Some(change) => live.forget(change.payload()),
            // The connection dropped and was made again (listening again before this
            // returns): whatever changed in between was not heard.
            None => live.forget_everyone(),
        }
    }
}
