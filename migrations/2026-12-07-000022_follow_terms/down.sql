UPDATE series_follows SET end_reason = 'released' WHERE end_reason = 'terms_changed';
ALTER TABLE series_follows DROP CONSTRAINT series_follows_end_reason_check;
ALTER TABLE series_follows ADD CONSTRAINT series_follows_end_reason_check
    CHECK (end_reason IN ('released', 'expired', 'deactivated',
                          'council_opted_out', 'opted_out',
                          'qualification_missing',
                          'series_cancelled'));
ALTER TABLE series_follows DROP COLUMN terms_version;
ALTER TABLE task_series DROP COLUMN terms_version;
