-- One outbox for every channel: a row is one notification to one recipient by one
-- channel — `email` (to an address), `fcm` (to a registered device), and later `webpush`
-- and `sms` — leased, retried and kept by the same rules, delivered by one worker. The
-- rows of the two outboxes before it move here unchanged, pending ones included.

CREATE TABLE outbox (
    id               uuid        PRIMARY KEY,
    channel          text        NOT NULL CHECK (channel IN ('email', 'fcm', 'webpush', 'sms')),
    kind             text        NOT NULL CHECK (kind ~ '^[a-z_]+$'),
    -- The person the row is for, when it is one of our users (erasure and the export
    -- find rows by it; a unit's shared address has none).
    user_id          uuid        NULL,
    -- Where an email (or, later, an SMS) goes; masked once sent.
    to_address       text        NULL CHECK (char_length(to_address) BETWEEN 3 AND 254),
    -- Where a push goes: a device that goes away takes its rows.
    device_id        uuid        NULL REFERENCES devices (id) ON DELETE CASCADE,
    -- One notification to several devices shares this id; each device gets it once.
    notification_id  uuid        NULL,
    language         text        NOT NULL DEFAULT 'nb' CHECK (language IN ('nb', 'en')),
    -- What to say: public facts only, rendered in `language` at delivery.
    facts            jsonb       NULL CHECK (jsonb_typeof(facts) = 'object'),
    status           text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead', 'dropped')),
    attempts         integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text        NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz NULL,
    message_id       text        NULL,
    UNIQUE (notification_id, device_id),
    CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
    CONSTRAINT outbox_address_by_channel CHECK ((channel IN ('email', 'sms')) = (to_address IS NOT NULL)),
    CONSTRAINT outbox_device_by_channel CHECK (
        (channel IN ('fcm', 'webpush')) = (device_id IS NOT NULL)
        AND (device_id IS NULL OR (user_id IS NOT NULL AND notification_id IS NOT NULL))),
    -- An email forgets what it said once it is sent or dropped; a push keeps its public
    -- facts for the person's export until the retention takes it.
    CONSTRAINT outbox_facts_while_needed CHECK (
        CASE WHEN channel = 'email' THEN (status IN ('pending', 'dead')) = (facts IS NOT NULL)
             ELSE facts IS NOT NULL END)
);

CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_user_idx ON outbox (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX outbox_device_idx ON outbox (device_id) WHERE device_id IS NOT NULL;
CREATE INDEX outbox_created_idx ON outbox (created_at);

INSERT INTO outbox (id, channel, kind, user_id, to_address, language, facts, status, attempts,
                    next_attempt_at, last_error, created_at, sent_at, message_id)
SELECT id, 'email', kind, user_id, to_address, language, facts, status, attempts,
       next_attempt_at, last_error, created_at, sent_at, message_id
  FROM email_outbox;

INSERT INTO outbox (id, channel, kind, user_id, device_id, notification_id, language, facts,
                    status, attempts, next_attempt_at, last_error, created_at, sent_at)
SELECT id, 'fcm', kind, user_id, device_id, notification_id,
       CASE WHEN payload->>'language' = 'en' THEN 'en' ELSE 'nb' END, payload,
       status, attempts, next_attempt_at, last_error, created_at, sent_at
  FROM push_outbox;

DROP TABLE email_outbox;
DROP FUNCTION email_outbox_notify();
DROP TABLE push_outbox;
DROP FUNCTION push_outbox_notify();

-- Wake the one worker of every process when new rows commit (on commit only).
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('dugnad_outbox', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER outbox_notify
    AFTER INSERT ON outbox
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
