ALTER TABLE console_sessions DROP COLUMN resume;
DROP TABLE console_drafts;
