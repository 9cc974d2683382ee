-- Durable notifications: what a person must not miss, kept per person so a reconnecting socket
-- has it replayed (events with seq > the last id it saw) and the app can list it.
--
-- seq increases per person. It is allocated from notification_counters in the transaction that
-- inserts the rows, so every server instance sharing the database draws from one counter, and
-- the counter row's lock (the write lock on SQLite) makes commits follow seq order per person.
-- No foreign key to users: a batch of several people's events must not fail because one of
-- them was just erased (erasure deletes their notifications itself).
CREATE TABLE notification_counters (
    user_id   TEXT PRIMARY KEY,
    last_seq  INTEGER NOT NULL
);

CREATE TABLE notifications (
    user_id     TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    event       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    message     TEXT NOT NULL,
    data        TEXT NOT NULL, -- JSON
    created_at  INTEGER NOT NULL,
    read_at     INTEGER,
    -- 1 when the person turned this family off in the app: kept (already read) for the record,
    -- neither pushed nor replayed.
    silent      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, seq)
);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_created ON notifications (created_at);
