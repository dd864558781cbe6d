-- The web console: sessions in a cookie, and a second factor for the people who see
-- where vulnerable people live.

-- A console session. The cookie holds a random token; only its SHA-256 is stored. A
-- session that has passed the password but not yet the second factor is `otp` (or
-- `enrol`, when a code is required and the person has no authenticator yet) and opens
-- nothing but the page that finishes the sign-in.
CREATE TABLE console_sessions (
    id                   uuid        PRIMARY KEY,
    user_id              uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash           bytea       NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    -- The synchronizer token every state-changing form of this session carries.
    csrf_token           text        NOT NULL,
    stage                text        NOT NULL CHECK (stage IN ('otp', 'enrol', 'full')),
    -- An authenticator secret shown during enrolment, kept until its first code proves
    -- the person scanned it.
    pending_totp_secret  bytea       NULL,
    created_at           timestamptz NOT NULL DEFAULT now(),
    last_seen_at         timestamptz NOT NULL DEFAULT now(),
    expires_at           timestamptz NOT NULL
);
CREATE INDEX console_sessions_user_idx ON console_sessions (user_id);

-- An enrolled TOTP authenticator (RFC 6238: SHA-1, 6 digits, 30 s). `last_step` is the
-- time step of the last code accepted, so a code cannot be used twice.
CREATE TABLE user_totp (
    user_id     uuid        PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret      bytea       NOT NULL CHECK (octet_length(secret) >= 20),
    enabled_at  timestamptz NOT NULL DEFAULT now(),
    last_step   bigint      NULL
);

-- Recovery codes: shown once, stored as SHA-256, each usable once.
CREATE TABLE recovery_codes (
    id          uuid        PRIMARY KEY,
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash   bytea       NOT NULL UNIQUE CHECK (octet_length(code_hash) = 32),
    used_at     timestamptz NULL
);
CREATE INDEX recovery_codes_user_idx ON recovery_codes (user_id);
