ALTER TABLE tasks RESET (fillfactor);
DROP INDEX claims_active_volunteer_idx;
