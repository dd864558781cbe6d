-- Nynorsk becomes a language a person may read in, beside bokmål and English, and the
-- reference data gets nynorsk names. Existing rows take their bokmål name as the nynorsk
-- one until an admin renames them (a fresh deployment loads them from its data file).
ALTER TABLE users DROP CONSTRAINT users_language_check;
ALTER TABLE users ADD CONSTRAINT users_language_check CHECK (language IN ('nb', 'nn', 'en'));
ALTER TABLE outbox DROP CONSTRAINT outbox_language_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_language_check CHECK (language IN ('nb', 'nn', 'en'));

ALTER TABLE categories ADD COLUMN name_nn text;
UPDATE categories SET name_nn = name_nb;
ALTER TABLE categories
    ALTER COLUMN name_nn SET NOT NULL,
    ADD CONSTRAINT categories_name_nn_check CHECK (char_length(btrim(name_nn)) BETWEEN 1 AND 100);

ALTER TABLE qualifications ADD COLUMN name_nn text;
UPDATE qualifications SET name_nn = name_nb;
ALTER TABLE qualifications
    ALTER COLUMN name_nn SET NOT NULL,
    ADD CONSTRAINT qualifications_name_nn_check CHECK (char_length(name_nn) BETWEEN 1 AND 200);
