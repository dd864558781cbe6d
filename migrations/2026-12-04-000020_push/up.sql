-- Push notifications to the mobile app: the devices a person registered, their push
-- preferences, and the push outbox — rows of the same durable pattern as emails, written
-- in the transaction of the change and delivered by a worker through FCM.

-- A device token is unique across users: registering it again, by anyone, moves it.
CREATE TABLE devices (
    id           uuid        PRIMARY KEY,
    user_id      uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token        text        NOT NULL UNIQUE CHECK (octet_length(token) BETWEEN 1 AND 1024),
    platform     text        NOT NULL CHECK (platform IN ('android', 'ios')),
    app_version  text        NULL CHECK (char_length(app_version) BETWEEN 1 AND 64),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX devices_user_idx ON devices (user_id);

-- On by default once a device is registered, except a spot that opened.
ALTER TABLE users
    ADD COLUMN push_task_changed   boolean NOT NULL DEFAULT true,
    ADD COLUMN push_task_cancelled boolean NOT NULL DEFAULT true,
    ADD COLUMN push_reminder       boolean NOT NULL DEFAULT true,
    ADD COLUMN push_invitation     boolean NOT NULL DEFAULT true,
    ADD COLUMN push_spot_opened    boolean NOT NULL DEFAULT false;

-- One row per (notification, device). The payload is public by construction: the kind,
-- the task id and a short text of the category, the local time and the area hint — never
-- a title, a private block or a person's name. A device that goes away takes its rows.
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

CREATE FUNCTION push_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('dugnad_push_outbox', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER push_outbox_notify
    AFTER INSERT ON push_outbox
    FOR EACH STATEMENT EXECUTE FUNCTION push_outbox_notify();
