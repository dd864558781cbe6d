ALTER TABLE user_totp DROP COLUMN codes_locked_at;
ALTER TABLE user_totp DROP COLUMN failed_codes;
