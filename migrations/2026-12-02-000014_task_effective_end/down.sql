DROP FUNCTION task_effective_end(timestamptz, timestamptz, integer);
