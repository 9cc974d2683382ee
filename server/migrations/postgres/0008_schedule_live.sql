-- Reminders and the waitlist.

-- One row per reminder sent (or being sent): inserting it is the claim, so with several server
-- instances only the one whose insert lands sends it. The appointment's start is part of the key:
-- moving an appointment makes its reminders due again for the new time.
CREATE TABLE reminders (
    appointment_id  TEXT NOT NULL REFERENCES appointments(id),
    kind            TEXT NOT NULL CHECK (kind IN ('24h', '2h')),
    starts_at       BIGINT NOT NULL,
    claimed_at      BIGINT NOT NULL,
    sent_at         BIGINT,
    PRIMARY KEY (appointment_id, kind, starts_at)
);
-- The scheduler's scan: confirmed appointments starting within the next day.
CREATE INDEX appointments_confirmed_start ON appointments (starts_at) WHERE status = 'confirmed';

-- A patient waiting for an earlier time with a practitioner. `seq` is the order of arrival,
-- first come first served; the window is kept both as the local days asked for (shown back) and
-- as instants (matched against freed times).
CREATE TABLE waitlist_entries (
    seq              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    cabinet_id       TEXT NOT NULL REFERENCES cabinets(id),
    patient_id       TEXT NOT NULL REFERENCES users(id),
    practitioner_id  TEXT NOT NULL REFERENCES users(id),
    date_from        TEXT,
    date_to          TEXT,
    not_before       BIGINT,
    not_after        BIGINT,
    created_at       BIGINT NOT NULL,
    fulfilled_at     BIGINT,
    appointment_id   TEXT
);
CREATE INDEX waitlist_open_by_practitioner ON waitlist_entries (practitioner_id, seq)
    WHERE fulfilled_at IS NULL;
-- One open entry per patient and practitioner.
CREATE UNIQUE INDEX waitlist_one_open ON waitlist_entries (patient_id, practitioner_id)
    WHERE fulfilled_at IS NULL;
