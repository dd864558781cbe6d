ALTER TABLE email_tokens DROP CONSTRAINT email_tokens_email_kind_check;
DELETE FROM email_tokens WHERE email_kind = 'qualification_expiring';
ALTER TABLE email_tokens ADD CONSTRAINT email_tokens_email_kind_check
    CHECK (email_kind IN ('claim_confirmation', 'task_changed', 'task_cancelled', 'reminder',
                          'invitation', 'new_tasks_digest'));
ALTER TABLE users DROP COLUMN notify_qualification_expiring;
DROP FUNCTION local_date(timestamptz, text);
DROP FUNCTION missing_qualifications(uuid, uuid, date);
DROP TABLE qualification_records;
DROP TABLE category_qualifications;
DROP TABLE qualifications;
