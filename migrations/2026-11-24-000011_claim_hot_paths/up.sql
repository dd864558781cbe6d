-- Found by the load benchmark.
--
-- A claim reads the caller's active claims. Without an index led by the volunteer for
-- active claims, the planner could walk the whole (task, volunteer) partial index, a cost
-- that grows with every claim ever held.
CREATE INDEX claims_active_volunteer_idx ON claims (volunteer_id) WHERE status = 'active';

-- Every claim and release updates its task's counters (by trigger). Leaving a tenth of each
-- page free lets those updates stay on the page (HOT) without touching the task indexes.
-- Applies to pages written from now on; VACUUM FULL or pg_repack rewrites old ones.
ALTER TABLE tasks SET (fillfactor = 90);
