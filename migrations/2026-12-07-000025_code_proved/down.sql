ALTER TABLE console_sessions DROP COLUMN code_proved;
ALTER TABLE refresh_tokens DROP COLUMN code_proved;
