-- Nova RDV schema, SQLite dialect. Instants are Unix seconds (INTEGER) so that ordering and
-- overlap tests are plain integer comparisons, identical on every store.

CREATE TABLE cabinets (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    city        TEXT NOT NULL DEFAULT '',
    timezone    TEXT NOT NULL DEFAULT 'Europe/Paris',
    created_at  INTEGER NOT NULL
);

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    cabinet_id     TEXT NOT NULL REFERENCES cabinets(id),
    email          TEXT NOT NULL UNIQUE, -- stored lowercased
    password_hash  TEXT NOT NULL,
    first_name     TEXT NOT NULL,
    last_name      TEXT NOT NULL,
    phone          TEXT,
    role           TEXT NOT NULL CHECK (role IN ('patient', 'practitioner', 'admin', 'manager')),
    specialty      TEXT,
    preferences    TEXT NOT NULL DEFAULT '{}',
    last_login_at  INTEGER,
    created_at     INTEGER NOT NULL
);
CREATE INDEX users_cabinet_role ON users (cabinet_id, role);

-- Weekly opening hours of a practitioner, in the cabinet's local wall-clock time.
CREATE TABLE working_hours (
    practitioner_id  TEXT NOT NULL REFERENCES users(id),
    weekday          INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7), -- ISO: 1 = Monday
    start_minute     INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1440),
    end_minute       INTEGER NOT NULL CHECK (end_minute BETWEEN 0 AND 1440),
    CHECK (start_minute < end_minute)
);
CREATE INDEX working_hours_practitioner ON working_hours (practitioner_id);

CREATE TABLE appointments (
    id               TEXT PRIMARY KEY,
    cabinet_id       TEXT NOT NULL REFERENCES cabinets(id),
    practitioner_id  TEXT NOT NULL REFERENCES users(id),
    patient_id       TEXT NOT NULL REFERENCES users(id),
    kind             TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN
                       ('pending', 'confirmed', 'cancelled', 'completed', 'no_show', 'rescheduled')),
    starts_at        INTEGER NOT NULL,
    ends_at          INTEGER NOT NULL,
    duration         INTEGER NOT NULL,
    notes            TEXT,
    urgency          TEXT NOT NULL DEFAULT 'normal',
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX appointments_practitioner_time ON appointments (practitioner_id, starts_at);
CREATE INDEX appointments_patient_time ON appointments (patient_id, starts_at);
CREATE INDEX appointments_cabinet_time ON appointments (cabinet_id, starts_at);

-- No double booking, decided by the database itself. SQLite runs a writing statement under the
-- database's single write lock, so the check and the write cannot interleave with another writer.
CREATE TRIGGER appointments_no_overlap_insert
BEFORE INSERT ON appointments
WHEN NEW.status IN ('pending', 'confirmed')
BEGIN
    SELECT RAISE(ABORT, 'SLOT_CONFLICT')
    WHERE EXISTS (
        SELECT 1 FROM appointments
        WHERE practitioner_id = NEW.practitioner_id
          AND status IN ('pending', 'confirmed')
          AND starts_at < NEW.ends_at
          AND ends_at > NEW.starts_at
    );
END;

CREATE TRIGGER appointments_no_overlap_update
BEFORE UPDATE OF starts_at, ends_at, status, practitioner_id ON appointments
WHEN NEW.status IN ('pending', 'confirmed')
BEGIN
    SELECT RAISE(ABORT, 'SLOT_CONFLICT')
    WHERE EXISTS (
        SELECT 1 FROM appointments
        WHERE practitioner_id = NEW.practitioner_id
          AND id <> NEW.id
          AND status IN ('pending', 'confirmed')
          AND starts_at < NEW.ends_at
          AND ends_at > NEW.starts_at
    );
END;

CREATE TABLE refresh_tokens (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    family_id   TEXT NOT NULL,
    expires_at  INTEGER NOT NULL,
    revoked_at  INTEGER,
    created_at  INTEGER NOT NULL
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
