DELETE FROM rate_limit_counters WHERE hits = 0;
ALTER TABLE rate_limit_counters DROP CONSTRAINT rate_limit_counters_hits_check;
ALTER TABLE rate_limit_counters ADD CONSTRAINT rate_limit_counters_hits_check CHECK (hits > 0);
