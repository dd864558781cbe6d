-- A person's notification preferences become rows: (person, kind, channel) → on or off,
-- one row only where the person chose otherwise than the default (the defaults are the
-- code's, domain::notification::NotificationKind::preference). A new channel or kind is
-- then a value, not two more columns on `users`.

CREATE TABLE notification_preferences (
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        text        NOT NULL CHECK (kind ~ '^[a-z_]+$'),
    channel     text        NOT NULL CHECK (channel IN ('email', 'fcm', 'webpush', 'sms')),
    enabled     boolean     NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, kind, channel)
);

-- Every choice that differs from its default moves; the rest is the default already.
INSERT INTO notification_preferences (user_id, kind, channel, enabled)
SELECT id, 'claim_confirmation', 'email', notify_claim_confirmation FROM users WHERE notify_claim_confirmation <> true
UNION ALL
SELECT id, 'task_changed', 'email', notify_task_changed FROM users WHERE notify_task_changed <> true
UNION ALL
SELECT id, 'task_cancelled', 'email', notify_task_cancelled FROM users WHERE notify_task_cancelled <> true
UNION ALL
SELECT id, 'reminder', 'email', notify_reminder FROM users WHERE notify_reminder <> true
UNION ALL
SELECT id, 'invitation', 'email', notify_invitation FROM users WHERE notify_invitation <> true
UNION ALL
SELECT id, 'new_tasks_digest', 'email', notify_new_tasks_digest FROM users WHERE notify_new_tasks_digest <> false
UNION ALL
SELECT id, 'qualification_expiring', 'email', notify_qualification_expiring FROM users WHERE notify_qualification_expiring <> true
UNION ALL
SELECT id, 'spot_opened', 'email', notify_spot_opened FROM users WHERE notify_spot_opened <> false
UNION ALL
SELECT id, 'task_changed', 'fcm', push_task_changed FROM users WHERE push_task_changed <> true
UNION ALL
SELECT id, 'task_cancelled', 'fcm', push_task_cancelled FROM users WHERE push_task_cancelled <> true
UNION ALL
SELECT id, 'reminder', 'fcm', push_reminder FROM users WHERE push_reminder <> true
UNION ALL
SELECT id, 'invitation', 'fcm', push_invitation FROM users WHERE push_invitation <> true
UNION ALL
SELECT id, 'spot_opened', 'fcm', push_spot_opened FROM users WHERE push_spot_opened <> false;

ALTER TABLE users
    DROP COLUMN notify_claim_confirmation,
    DROP COLUMN notify_task_changed,
    DROP COLUMN notify_task_cancelled,
    DROP COLUMN notify_reminder,
    DROP COLUMN notify_invitation,
    DROP COLUMN notify_new_tasks_digest,
    DROP COLUMN notify_qualification_expiring,
    DROP COLUMN notify_spot_opened,
    DROP COLUMN push_task_changed,
    DROP COLUMN push_task_cancelled,
    DROP COLUMN push_reminder,
    DROP COLUMN push_invitation,
    DROP COLUMN push_spot_opened;
