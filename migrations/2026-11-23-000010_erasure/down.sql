DROP INDEX users_last_active_idx;
ALTER TABLE users DROP COLUMN inactivity_warned_at;
ALTER TABLE users DROP COLUMN erased_at;
