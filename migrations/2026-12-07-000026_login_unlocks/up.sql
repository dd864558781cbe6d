-- Step-up at the failed-login ceiling: once an address has had too many wrong passwords
-- from everywhere together, a right password from a network of its own (an IPv4 address
-- or an IPv6 /64, stored hashed like a rate-limit key) emails the owner an unlock link
-- instead of signing in. A row is one such link; following it unlocks that network for
-- the account for an hour. Rows are forgotten after a day.
CREATE TABLE login_unlocks (
    token_id uuid PRIMARY KEY REFERENCES email_tokens (id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    network bytea NOT NULL,
    asked_at timestamptz NOT NULL DEFAULT now(),
    unlocked_until timestamptz NULL
);
CREATE INDEX login_unlocks_user ON login_unlocks (user_id, asked_at);

ALTER TABLE email_tokens DROP CONSTRAINT email_tokens_purpose_check;
ALTER TABLE email_tokens ADD CONSTRAINT email_tokens_purpose_check
    CHECK (purpose IN ('verify_email', 'password_reset', 'set_password', 'release',
                       'unsubscribe', 'login_unlock'));
