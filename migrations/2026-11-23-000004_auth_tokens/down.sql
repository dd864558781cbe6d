DROP TABLE email_tokens;
DROP TABLE refresh_tokens;
