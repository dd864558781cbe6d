-- Recurring tasks: a series is a template and a rule; its occurrences are ordinary tasks,
-- one per (series, local date), generated ahead by the periodic job.

CREATE TABLE task_series (
    id                uuid        PRIMARY KEY,
    service_unit_id   uuid        NOT NULL REFERENCES service_units (id),
    created_by        uuid        NULL REFERENCES users (id) ON DELETE SET NULL,
    title             text        NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    description       text        NOT NULL CHECK (char_length(description) <= 5000),
    category_id       uuid        NOT NULL REFERENCES categories (id),
    council_id        uuid        NULL REFERENCES councils (id),
    duration_minutes  integer     NULL CHECK (duration_minutes BETWEEN 1 AND 10080),
    spots             integer     NOT NULL CHECK (spots BETWEEN 1 AND 50),
    area_hint         text        NULL CHECK (char_length(area_hint) <= 200),
    -- The first occurrence's local date and every occurrence's local wall-clock time.
    first_date        date        NOT NULL,
    local_time        time        NOT NULL,
    freq              text        NOT NULL CHECK (freq IN ('daily', 'weekly', 'monthly')),
    every             integer     NOT NULL DEFAULT 1 CHECK (every BETWEEN 1 AND 4),
    by_weekday        text[]      NOT NULL DEFAULT '{}',
    occurrences       integer     NULL CHECK (occurrences BETWEEN 1 AND 104),
    until             date        NULL,
    -- A cancellation: occurrences from this local date on are cancelled and never made.
    cancelled_from    date        NULL,
    cancelled_at      timestamptz NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK ((occurrences IS NULL) <> (until IS NULL)),
    CHECK (until IS NULL OR until >= first_date)
);
CREATE INDEX task_series_live_idx ON task_series (cancelled_from);

-- The template's private block: the unit's and admins' only, copied into each
-- occurrence's own block, and dropped once every occurrence's block is purged.
CREATE TABLE task_series_private (
    series_id        uuid PRIMARY KEY REFERENCES task_series (id) ON DELETE CASCADE,
    address          text NULL,
    recipient_name   text NULL,
    recipient_phone  text NULL,
    notes            text NULL
);

ALTER TABLE tasks ADD COLUMN series_id uuid NULL REFERENCES task_series (id);
ALTER TABLE tasks ADD COLUMN occurrence_date date NULL;
ALTER TABLE tasks ADD CONSTRAINT tasks_occurrence_of_a_series
    CHECK ((series_id IS NULL) = (occurrence_date IS NULL));
-- One occurrence per series and date, whichever process generates it.
ALTER TABLE tasks ADD CONSTRAINT tasks_one_occurrence_per_date UNIQUE (series_id, occurrence_date);
