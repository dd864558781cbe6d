DROP TRIGGER task_events_append_only ON task_events;
DROP FUNCTION task_events_append_only();
DROP TABLE task_events;
DROP TRIGGER claims_count_active ON claims;
DROP FUNCTION claims_count_active();
DROP TABLE claims;
DROP TABLE task_private;
DROP TABLE tasks;
