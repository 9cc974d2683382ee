-- Scheduling: each cabinet's booking rules, absences and closures, the reason an appointment
-- was cancelled, and the idempotency keys that make POSTs safe to retry.

-- Minutes kept free between two appointments of one practitioner, and how long before its start
-- a patient may still book a time (staff are not bound by the notice).
ALTER TABLE cabinets ADD COLUMN buffer_minutes INTEGER NOT NULL DEFAULT 0
    CHECK (buffer_minutes BETWEEN 0 AND 240);
ALTER TABLE cabinets ADD COLUMN min_notice_minutes INTEGER NOT NULL DEFAULT 60
    CHECK (min_notice_minutes BETWEEN 0 AND 43200);

-- A time a practitioner takes no appointments; practitioner_id NULL closes the whole cabinet.
-- Existing appointments inside it are kept: an absence only stops new slots being offered.
CREATE TABLE absences (
    id               TEXT PRIMARY KEY,
    cabinet_id       TEXT NOT NULL REFERENCES cabinets(id),
    practitioner_id  TEXT REFERENCES users(id),
    starts_at        INTEGER NOT NULL,
    ends_at          INTEGER NOT NULL,
    reason           TEXT,
    created_by       TEXT NOT NULL REFERENCES users(id),
    created_at       INTEGER NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX absences_cabinet_time ON absences (cabinet_id, starts_at);
CREATE INDEX absences_practitioner_time ON absences (practitioner_id, starts_at);

ALTER TABLE appointments ADD COLUMN cancel_reason TEXT;

-- One row per (user, key): claimed with status 0 before the request runs, then holding the
-- first response (status and body) so a replay answers the same without acting twice.
CREATE TABLE idempotency_keys (
    user_id       TEXT NOT NULL REFERENCES users(id),
    key           TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    status        INTEGER NOT NULL DEFAULT 0,
    body          TEXT,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
