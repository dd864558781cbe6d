ALTER TABLE task_series DROP COLUMN rule_from;
DROP TABLE series_events;
DROP TABLE series_follows;
