DROP INDEX email_outbox_created_idx;
ALTER TABLE email_outbox DROP CONSTRAINT email_outbox_facts_while_needed;
DELETE FROM email_outbox WHERE status = 'dropped';
ALTER TABLE email_outbox DROP CONSTRAINT email_outbox_status_check;
ALTER TABLE email_outbox ADD CONSTRAINT email_outbox_status_check
    CHECK (status IN ('pending', 'sent', 'dead'));

ALTER TABLE email_outbox ADD COLUMN subject text NOT NULL DEFAULT '';
ALTER TABLE email_outbox ADD COLUMN body_text text NOT NULL DEFAULT '';
ALTER TABLE email_outbox ADD COLUMN body_html text NOT NULL DEFAULT '';
ALTER TABLE email_outbox ADD COLUMN headers jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(headers) = 'object');
-- Only rows from before the migration can be given their body back; rows written since
-- hold intents that only the newer worker can render, so they are given up as dead.
UPDATE email_outbox
   SET subject = coalesce(facts->>'subject', ''), body_text = coalesce(facts->>'text', ''),
       body_html = coalesce(facts->>'html', ''), headers = coalesce(facts->'headers', '{}'::jsonb)
 WHERE facts->>'kind' = 'legacy';
UPDATE email_outbox SET status = 'dead', last_error = 'written by a newer version'
 WHERE status = 'pending' AND facts->>'kind' IS DISTINCT FROM 'legacy';
ALTER TABLE email_outbox ALTER COLUMN subject DROP DEFAULT;
ALTER TABLE email_outbox ALTER COLUMN body_text DROP DEFAULT;
ALTER TABLE email_outbox ALTER COLUMN body_html DROP DEFAULT;

ALTER TABLE email_outbox DROP COLUMN message_id;
ALTER TABLE email_outbox DROP COLUMN facts;
ALTER TABLE email_outbox DROP COLUMN language;
