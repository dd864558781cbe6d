-- The email outbox: every email is a row written in the same transaction as the change
-- that causes it, then delivered by a worker (at least once, same Message-ID on re-send).

CREATE TABLE email_outbox (
    id               uuid        PRIMARY KEY,
    kind             text        NOT NULL CHECK (kind ~ '^[a-z_]+$'),
    -- The person the email is for, when it is one of our users (erasure purges by it).
    user_id          uuid        NULL,
    to_address       text        NOT NULL CHECK (char_length(to_address) BETWEEN 3 AND 254),
    subject          text        NOT NULL,
    body_text        text        NOT NULL,
    body_html        text        NOT NULL,
    -- Extra headers such as List-Unsubscribe, as a JSON object of strings.
    headers          jsonb       NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(headers) = 'object'),
    status           text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
    attempts         integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text        NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz NULL,
    CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);

CREATE INDEX email_outbox_due_idx ON email_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX email_outbox_dead_idx ON email_outbox (created_at) WHERE status = 'dead';
CREATE INDEX email_outbox_user_idx ON email_outbox (user_id) WHERE user_id IS NOT NULL;

-- Wake the delivery workers of every process when new rows commit (NOTIFY is delivered
-- only on commit, so a rolled-back transaction wakes nobody).
CREATE FUNCTION email_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('dugnad_email_outbox', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER email_outbox_notify
    AFTER INSERT ON email_outbox
    FOR EACH STATEMENT EXECUTE FUNCTION email_outbox_notify();
