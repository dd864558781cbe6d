-- The actors removed from claim and release events are gone on purpose; only the check goes.
ALTER TABLE task_events DROP CONSTRAINT task_events_name_no_volunteer;
