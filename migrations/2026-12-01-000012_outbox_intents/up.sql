-- The outbox holds what to say, not what was said: the kind, the recipient, their
-- language and the public facts the email needs (with the ids of its stored link tokens),
-- rendered by the worker at delivery. A copy of the database therefore holds no body and
-- no working link: link tokens are derived from their ids with a server key. Once sent, a
-- row keeps only metadata: kind, masked address, times and Message-ID.

ALTER TABLE email_outbox ADD COLUMN language text NOT NULL DEFAULT 'nb' CHECK (language IN ('nb', 'en'));
ALTER TABLE email_outbox ADD COLUMN facts jsonb NULL CHECK (jsonb_typeof(facts) = 'object');
ALTER TABLE email_outbox ADD COLUMN message_id text NULL;

-- Rows written before this migration carry a rendered body; those still to be sent keep
-- it in their facts until they are, the rest lose it now.
UPDATE email_outbox
   SET facts = jsonb_build_object('kind', 'legacy', 'subject', subject, 'text', body_text,
                                  'html', body_html, 'headers', headers)
 WHERE status = 'pending';
UPDATE email_outbox
   SET to_address = left(split_part(to_address, '@', 1), 1) || '***@' || split_part(to_address, '@', 2)
 WHERE status = 'sent';

ALTER TABLE email_outbox DROP COLUMN subject;
ALTER TABLE email_outbox DROP COLUMN body_text;
ALTER TABLE email_outbox DROP COLUMN body_html;
ALTER TABLE email_outbox DROP COLUMN headers;

-- `dropped`: resolved to nothing to send (a reset for an address with no account, a
-- security email over its address's hourly limit). Pending rows have facts; sent and
-- dropped rows never do.
ALTER TABLE email_outbox DROP CONSTRAINT email_outbox_status_check;
ALTER TABLE email_outbox ADD CONSTRAINT email_outbox_status_check
    CHECK (status IN ('pending', 'sent', 'dead', 'dropped'));
ALTER TABLE email_outbox ADD CONSTRAINT email_outbox_facts_while_needed
    CHECK ((status IN ('pending', 'dead')) = (facts IS NOT NULL));

CREATE INDEX email_outbox_created_idx ON email_outbox (created_at);
