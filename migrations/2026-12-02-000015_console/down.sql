DROP TABLE recovery_codes;
DROP TABLE user_totp;
DROP TABLE console_sessions;
