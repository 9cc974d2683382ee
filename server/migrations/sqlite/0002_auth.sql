-- Authentication beyond password login: refresh-token rotation, password reset by mail,
-- sign-in codes by mail, and the outbox where mail goes when no SMTP server is configured.

-- The token that replaced this one when it was used (rotation), for tracing a family.
ALTER TABLE refresh_tokens ADD COLUMN replaced_by TEXT;
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

-- Single-use reset links, valid one hour; only the SHA-256 of the token is kept.
CREATE TABLE password_resets (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER,
    created_at  INTEGER NOT NULL
);
CREATE INDEX password_resets_user ON password_resets (user_id);

-- At most one live sign-in code per user: a new request replaces it. The hash is keyed with
-- the server secret; `attempts` counts tries, and the code dies at five.
CREATE TABLE login_codes (
    user_id     TEXT PRIMARY KEY REFERENCES users(id),
    code_hash   TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    expires_at  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL
);

-- Mail written instead of sent (no NOVA_SMTP_URL): what a developer reads to sign in locally.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    to_address  TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    sent_at     INTEGER
);
CREATE INDEX outbox_to ON outbox (to_address);
