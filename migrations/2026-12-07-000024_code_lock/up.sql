-- Wrong second-factor codes in a row, per account: after 100 the account's codes are
-- locked (even a right one is refused) and the owner is emailed; a right code resets the
-- count, a password reset (which proves the address) lifts the lock.
ALTER TABLE user_totp ADD COLUMN failed_codes integer NOT NULL DEFAULT 0
    CHECK (failed_codes >= 0);
ALTER TABLE user_totp ADD COLUMN codes_locked_at timestamptz NULL;
