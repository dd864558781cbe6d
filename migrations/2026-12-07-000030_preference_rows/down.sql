-- The preferences go back to columns of `users`, each with its old default.

ALTER TABLE users
    ADD COLUMN notify_claim_confirmation boolean NOT NULL DEFAULT true,
    ADD COLUMN notify_task_changed boolean NOT NULL DEFAULT true,
    ADD COLUMN notify_task_cancelled boolean NOT NULL DEFAULT true,
    ADD COLUMN notify_reminder boolean NOT NULL DEFAULT true,
    ADD COLUMN notify_invitation boolean NOT NULL DEFAULT true,
    ADD COLUMN notify_new_tasks_digest boolean NOT NULL DEFAULT false,
    ADD COLUMN notify_qualification_expiring boolean NOT NULL DEFAULT true,
    ADD COLUMN notify_spot_opened boolean NOT NULL DEFAULT false,
    ADD COLUMN push_task_changed boolean NOT NULL DEFAULT true,
    ADD COLUMN push_task_cancelled boolean NOT NULL DEFAULT true,
    ADD COLUMN push_reminder boolean NOT NULL DEFAULT true,
    ADD COLUMN push_invitation boolean NOT NULL DEFAULT true,
    ADD COLUMN push_spot_opened boolean NOT NULL DEFAULT false;

UPDATE users u SET notify_claim_confirmation = p.enabled FROM notification_preferences p
 WHERE p.user_id = u.id AND p.kind = 'claim_confirmation' AND p.channel = 'email';
UPDATE users u SET notify_task_changed = p.enabled FROM notification_preferences p
 WHERE p.user_id = u.id AND p.kind = 'task_changed' AND p.channel = 'email';
UPDATE users u SET notify_task_cancelled = p.enabled FROM notification_preferences p
 WHERE p.user_id = u.id AND p.kind = 'task_cancelled' AND p.channel = 'email';
UPDATE users u SET notify_reminder = p.enabled FROM notification_preferences p
 WHERE p.user_id = u.id AND p.kind = 'reminder' AND p.channel = 'email';
UPDATE users u SET notify_invitation = p.enabled FROM notification_preferences p
 WHERE p.user_id = u.id AND p.kind = 'invitation' AND p.channel = 'email';
UPDATE users u SET notify_new_tasks_digest = p.enabled FROM notification_preferences p
 WHERE p.user_id = u.id AND p.kind = 'new_tasks_digest' AND p.channel = 'email';
UPDATE users u SET notify_qualification_expiring = p.enabled FROM notification_preferences p
 WHERE p.user_id = u.id AND p.kind = 'qualification_expiring' AND p.channel = 'email';
UPDATE users u SET notify_spot_opened = p.enabled FROM notification_preferences p
 WHERE p.user_id = u.id AND p.kind = 'spot_opened' AND p.channel = 'email';
UPDATE users u SET push_task_changed = p.enabled FROM notification_preferences p
 WHERE p.user_id = u.id AND p.kind = 'task_changed' AND p.channel = 'fcm';
UPDATE users u SET push_task_cancelled = p.enabled FROM notification_preferences p
 WHERE p.user_id = u.id AND p.kind = 'task_cancelled' AND p.channel = 'fcm';
UPDATE users u SET push_reminder = p.enabled FROM notification_preferences p
 WHERE p.user_id = u.id AND p.kind = 'reminder' AND p.channel = 'fcm';
UPDATE users u SET push_invitation = p.enabled FROM notification_preferences p
 WHERE p.user_id = u.id AND p.kind = 'invitation' AND p.channel = 'fcm';
UPDATE users u SET push_spot_opened = p.enabled FROM notification_preferences p
 WHERE p.user_id = u.id AND p.kind = 'spot_opened' AND p.channel = 'fcm';

DROP TABLE notification_preferences;
