-- Splits the one outbox back into an email and a push outbox (rows of channels that did
-- not exist then are lost).

CREATE TABLE email_outbox (
    id               uuid        PRIMARY KEY,
    kind             text        NOT NULL CHECK (kind ~ '^[a-z_]+$'),
    user_id          uuid        NULL,
    to_address       text        NOT NULL CHECK (char_length(to_address) BETWEEN 3 AND 254),
    status           text        NOT NULL DEFAULT 'pending',
    attempts         integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text        NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz NULL,
    language         text        NOT NULL DEFAULT 'nb' CHECK (language IN ('nb', 'en')),
    facts            jsonb       NULL CHECK (jsonb_typeof(facts) = 'object'),
    message_id       text        NULL,
    CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
    CONSTRAINT email_outbox_status_check CHECK (status IN ('pending', 'sent', 'dead', 'dropped')),
    CONSTRAINT email_outbox_facts_while_needed CHECK ((status IN ('pending', 'dead')) = (facts IS NOT NULL))
);
CREATE INDEX email_outbox_due_idx ON email_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX email_outbox_dead_idx ON email_outbox (created_at) WHERE status = 'dead';
CREATE INDEX email_outbox_user_idx ON email_outbox (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX email_outbox_created_idx ON email_outbox (created_at);

CREATE TABLE push_outbox (
    id               uuid        PRIMARY KEY,
    notification_id  uuid        NOT NULL,
    device_id        uuid        NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    user_id          uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind             text        NOT NULL CHECK (kind ~ '^[a-z_]+$'),
    payload          jsonb       NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
    status           text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
    attempts         integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text        NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz NULL,
    UNIQUE (notification_id, device_id),
    CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);
CREATE INDEX push_outbox_due_idx ON push_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX push_outbox_user_idx ON push_outbox (user_id);
CREATE INDEX push_outbox_device_idx ON push_outbox (device_id);

INSERT INTO email_outbox (id, kind, user_id, to_address, status, attempts, next_attempt_at,
                          last_error, created_at, sent_at, language, facts, message_id)
SELECT id, kind, user_id, to_address, status, attempts, next_attempt_at, last_error,
       created_at, sent_at, language, facts, message_id
  FROM outbox WHERE channel = 'email';

INSERT INTO push_outbox (id, notification_id, device_id, user_id, kind, payload, status,
                         attempts, next_attempt_at, last_error, created_at, sent_at)
SELECT o.id, o.notification_id, o.device_id, o.user_id, o.kind, o.facts,
       CASE WHEN o.status = 'dropped' THEN 'dead' ELSE o.status END,
       o.attempts, o.next_attempt_at, o.last_error, o.created_at, o.sent_at
  FROM outbox o JOIN users u ON u.id = o.user_id
 WHERE o.channel = 'fcm';

DROP TABLE outbox;
DROP FUNCTION outbox_notify();

CREATE FUNCTION email_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('dugnad_email_outbox', '');
    RETURN NULL;
END;
$$;
CREATE TRIGGER email_outbox_notify
    AFTER INSERT ON email_outbox
    FOR EACH STATEMENT EXECUTE FUNCTION email_outbox_notify();

CREATE FUNCTION push_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('dugnad_push_outbox', '');
    RETURN NULL;
END;
$$;
CREATE TRIGGER push_outbox_notify
    AFTER INSERT ON push_outbox
    FOR EACH STATEMENT EXECUTE FUNCTION push_outbox_notify();
