-- Erasure keeps a person's row (so claims and report totals stay) but not the person: the
-- row is anonymised and marked. Accounts unused for three years are warned, then erased.
ALTER TABLE users ADD COLUMN erased_at timestamptz NULL;
ALTER TABLE users ADD COLUMN inactivity_warned_at timestamptz NULL;
CREATE INDEX users_last_active_idx ON users (last_active_at) WHERE erased_at IS NULL;
