-- A follow is given occurrences only on the terms the volunteer chose: the series'
-- title, category, council, weekdays and time of day. Each change of those bumps the
-- series' `terms_version`; a follow remembers the version it was made under, ends when
-- the terms change (`terms_changed`), and the generator never claims for a follow whose
-- version is not the series' own.
ALTER TABLE task_series ADD COLUMN terms_version integer NOT NULL DEFAULT 1
    CHECK (terms_version >= 1);
ALTER TABLE series_follows ADD COLUMN terms_version integer NOT NULL DEFAULT 1
    CHECK (terms_version >= 1);
ALTER TABLE series_follows DROP CONSTRAINT series_follows_end_reason_check;
ALTER TABLE series_follows ADD CONSTRAINT series_follows_end_reason_check
    CHECK (end_reason IN ('released', 'expired', 'deactivated', 'council_opted_out',
                          'opted_out', 'qualification_missing', 'series_cancelled',
                          'terms_changed'));
