DROP TRIGGER push_outbox_notify ON push_outbox;
DROP FUNCTION push_outbox_notify();
DROP TABLE push_outbox;
ALTER TABLE users
    DROP COLUMN push_task_changed,
    DROP COLUMN push_task_cancelled,
    DROP COLUMN push_reminder,
    DROP COLUMN push_invitation,
    DROP COLUMN push_spot_opened;
DROP TABLE devices;
