-- Messaging between a patient and the cabinet's staff (seed 003) and appointment proposals made
-- inside a conversation (seed 001). SQLite dialect; the PostgreSQL one has the same tables.

-- One conversation per (cabinet, patient, staff member): opening it again finds the same one.
-- last_seq numbers its messages 1, 2, 3…; a sender bumps it in the same transaction as the
-- insert, so numbers never repeat and a read position is one integer.
CREATE TABLE conversations (
    id               TEXT PRIMARY KEY,
    cabinet_id       TEXT NOT NULL REFERENCES cabinets(id),
    patient_id       TEXT NOT NULL REFERENCES users(id),
    staff_id         TEXT NOT NULL REFERENCES users(id),
    last_seq         INTEGER NOT NULL DEFAULT 0,
    last_message_at  INTEGER,
    created_at       INTEGER NOT NULL,
    UNIQUE (cabinet_id, patient_id, staff_id)
);

-- Who may read and write a conversation, and how far each has read.
CREATE TABLE conversation_participants (
    conversation_id  TEXT NOT NULL REFERENCES conversations(id),
    user_id          TEXT NOT NULL REFERENCES users(id),
    last_read_seq    INTEGER NOT NULL DEFAULT 0,
    joined_at        INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX conversation_participants_user ON conversation_participants (user_id);

CREATE TABLE messages (
    id               TEXT PRIMARY KEY,
    conversation_id  TEXT NOT NULL REFERENCES conversations(id),
    seq              INTEGER NOT NULL,
    sender_id        TEXT NOT NULL REFERENCES users(id),
    body             TEXT NOT NULL,
    created_at       INTEGER NOT NULL,
    UNIQUE (conversation_id, seq)
);

-- A slot offered to the conversation's patient. Accepting books it (appointment_id); a slot
-- that passed or was taken meanwhile leaves the proposal 'expired'.
CREATE TABLE proposals (
    id               TEXT PRIMARY KEY,
    conversation_id  TEXT NOT NULL REFERENCES conversations(id),
    cabinet_id       TEXT NOT NULL REFERENCES cabinets(id),
    practitioner_id  TEXT NOT NULL REFERENCES users(id),
    patient_id       TEXT NOT NULL REFERENCES users(id),
    proposed_by      TEXT NOT NULL REFERENCES users(id),
    kind             TEXT NOT NULL,
    starts_at        INTEGER NOT NULL,
    duration         INTEGER NOT NULL,
    notes            TEXT,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected', 'expired')),
    appointment_id   TEXT REFERENCES appointments(id),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX proposals_conversation ON proposals (conversation_id, created_at);
