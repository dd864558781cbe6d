DROP TABLE login_unlocks;
DELETE FROM email_tokens WHERE purpose = 'login_unlock';
ALTER TABLE email_tokens DROP CONSTRAINT email_tokens_purpose_check;
ALTER TABLE email_tokens ADD CONSTRAINT email_tokens_purpose_check
    CHECK (purpose IN ('verify_email', 'password_reset', 'set_password', 'release', 'unsubscribe'));
