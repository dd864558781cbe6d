ALTER TABLE qualifications DROP COLUMN name_nn;
ALTER TABLE categories DROP COLUMN name_nn;
UPDATE outbox SET language = 'nb' WHERE language = 'nn';
ALTER TABLE outbox DROP CONSTRAINT outbox_language_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_language_check CHECK (language IN ('nb', 'en'));
UPDATE users SET language = 'nb' WHERE language = 'nn';
ALTER TABLE users DROP CONSTRAINT users_language_check;
ALTER TABLE users ADD CONSTRAINT users_language_check CHECK (language IN ('nb', 'en'));
