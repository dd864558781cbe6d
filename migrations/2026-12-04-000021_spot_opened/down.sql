ALTER TABLE users DROP COLUMN notify_spot_opened;
DROP TABLE spot_openings;
DROP TRIGGER task_watches_end_on_claim ON claims;
DROP FUNCTION task_watches_end_on_claim();
DROP TABLE task_watches;
