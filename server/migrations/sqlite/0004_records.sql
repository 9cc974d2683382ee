-- Patient records, GDPR and the calendar feed (SQLite dialect).

-- Who read or changed whose record, and when. Append-only: nothing updates or deletes a row, and
-- it survives the erasure of the people it names (ids only, no names or contact details).
CREATE TABLE audit_log (
    id            TEXT PRIMARY KEY,
    cabinet_id    TEXT NOT NULL,
    actor_id      TEXT NOT NULL,
    actor_role    TEXT NOT NULL,
    action        TEXT NOT NULL,
    subject_type  TEXT NOT NULL,
    subject_id    TEXT NOT NULL,
    at            INTEGER NOT NULL
);
CREATE INDEX audit_log_cabinet_at ON audit_log (cabinet_id, at);
CREATE INDEX audit_log_subject ON audit_log (subject_id, at);

-- An erased account keeps its row (its appointments are the practice's records) but no longer
-- says who it was; this marks it so its old access tokens are refused.
ALTER TABLE users ADD COLUMN erased_at INTEGER;

-- The secret that opens a practitioner's iCalendar feed. Kept in clear: the address is shown
-- again on request, and it opens only data the database already holds in clear.
CREATE TABLE calendar_feeds (
    practitioner_id  TEXT PRIMARY KEY REFERENCES users(id),
    token            TEXT NOT NULL UNIQUE,
    created_at       INTEGER NOT NULL
);
