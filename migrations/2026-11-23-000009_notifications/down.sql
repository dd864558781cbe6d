DROP TABLE invitations;
ALTER TABLE users DROP COLUMN last_digest_at;
ALTER TABLE claims DROP COLUMN reminder_sent_for;
ALTER TABLE email_tokens DROP COLUMN email_kind;
ALTER TABLE email_tokens DROP COLUMN claim_id;
ALTER TABLE email_tokens DROP CONSTRAINT email_tokens_purpose_check;
ALTER TABLE email_tokens ADD CONSTRAINT email_tokens_purpose_check
    CHECK (purpose IN ('verify_email', 'password_reset', 'set_password'));
