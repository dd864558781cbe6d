-- When a task ends, for the queries that need it: its ends_at, else its start plus its
-- duration, else one hour after its start. The same rule as `domain::task::effective_end`
-- in Rust; a test compares the two on many tasks.
CREATE FUNCTION task_effective_end(starts_at timestamptz, ends_at timestamptz, duration_minutes integer)
    RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN coalesce(ends_at, starts_at + make_interval(mins => duration_minutes), starts_at + interval '1 hour');
