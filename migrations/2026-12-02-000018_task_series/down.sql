ALTER TABLE tasks DROP CONSTRAINT tasks_one_occurrence_per_date;
ALTER TABLE tasks DROP CONSTRAINT tasks_occurrence_of_a_series;
ALTER TABLE tasks DROP COLUMN occurrence_date;
ALTER TABLE tasks DROP COLUMN series_id;
DROP TABLE task_series_private;
DROP TABLE task_series;
