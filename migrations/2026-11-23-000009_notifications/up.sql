-- The volunteer's side of email: one-click links (release a claim, unsubscribe from a kind
-- of email), reminders sent once per start time, the digest's high-water mark, and
-- invitations (which never create a claim).

ALTER TABLE email_tokens DROP CONSTRAINT email_tokens_purpose_check;
ALTER TABLE email_tokens ADD CONSTRAINT email_tokens_purpose_check
    CHECK (purpose IN ('verify_email', 'password_reset', 'set_password', 'release', 'unsubscribe'));
-- A release link names the claim it gives back.
ALTER TABLE email_tokens ADD COLUMN claim_id uuid NULL REFERENCES claims (id) ON DELETE CASCADE;
-- An unsubscribe link names the kind of email it turns off.
ALTER TABLE email_tokens ADD COLUMN email_kind text NULL
    CHECK (email_kind IN ('claim_confirmation', 'task_changed', 'task_cancelled', 'reminder', 'invitation', 'new_tasks_digest'));

-- The start time a reminder was sent for: a moved task gets a new reminder, no task two.
ALTER TABLE claims ADD COLUMN reminder_sent_for timestamptz NULL;

-- Tasks posted after this are new to the person's next digest.
ALTER TABLE users ADD COLUMN last_digest_at timestamptz NULL;

CREATE TABLE invitations (
    id            uuid        PRIMARY KEY,
    task_id       uuid        NOT NULL REFERENCES tasks (id),
    volunteer_id  uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    invited_by    uuid        NULL REFERENCES users (id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    declined_at   timestamptz NULL
);
CREATE UNIQUE INDEX invitations_once_idx ON invitations (task_id, volunteer_id);
CREATE INDEX invitations_volunteer_idx ON invitations (volunteer_id, created_at);
