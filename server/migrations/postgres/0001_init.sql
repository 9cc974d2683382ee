-- Nova RDV schema, PostgreSQL dialect. Same tables and columns as the SQLite dialect (instants are
-- Unix seconds in BIGINT), so one set of queries serves both; only the overlap rule differs.

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE cabinets (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    city        TEXT NOT NULL DEFAULT '',
    timezone    TEXT NOT NULL DEFAULT 'Europe/Paris',
    created_at  BIGINT NOT NULL
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
    last_login_at  BIGINT,
    created_at     BIGINT NOT NULL
);
CREATE INDEX users_cabinet_role ON users (cabinet_id, role);

CREATE TABLE working_hours (
    practitioner_id  TEXT NOT NULL REFERENCES users(id),
    weekday          BIGINT NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_minute     BIGINT NOT NULL CHECK (start_minute BETWEEN 0 AND 1440),
    end_minute       BIGINT NOT NULL CHECK (end_minute BETWEEN 0 AND 1440),
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
    starts_at        BIGINT NOT NULL,
    ends_at          BIGINT NOT NULL,
    duration         BIGINT NOT NULL,
    notes            TEXT,
    urgency          TEXT NOT NULL DEFAULT 'normal',
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    CHECK (ends_at > starts_at),
    -- No double booking, decided by the database: two appointments of one practitioner that hold
    -- their slot can never overlap, whatever the isolation level or the number of servers.
    CONSTRAINT appointments_no_overlap EXCLUDE USING gist (
        practitioner_id WITH =,
        int8range(starts_at, ends_at) WITH &&
    ) WHERE (status IN ('pending', 'confirmed'))
);
CREATE INDEX appointments_practitioner_time ON appointments (practitioner_id, starts_at);
CREATE INDEX appointments_patient_time ON appointments (patient_id, starts_at);
CREATE INDEX appointments_cabinet_time ON appointments (cabinet_id, starts_at);

CREATE TABLE refresh_tokens (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    family_id   TEXT NOT NULL,
    expires_at  BIGINT NOT NULL,
    revoked_at  BIGINT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
