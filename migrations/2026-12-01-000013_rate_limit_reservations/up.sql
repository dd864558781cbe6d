-- A login reserves its attempt before the slow hash and gives the slot back when the
-- password was right, so a counter may return to zero.
ALTER TABLE rate_limit_counters DROP CONSTRAINT rate_limit_counters_hits_check;
ALTER TABLE rate_limit_counters ADD CONSTRAINT rate_limit_counters_hits_check CHECK (hits >= 0);
