-- Following a series: a volunteer's own standing choice to be given each new occurrence
-- as it is generated. One row per (series, volunteer); renewing or following again
-- rewrites it. It lasts until `expires_at` (at most twelve weeks from the last renewal)
-- unless it ends earlier, and why it ended is kept so the app can say so.
CREATE TABLE series_follows (
    series_id   uuid        NOT NULL REFERENCES task_series (id) ON DELETE CASCADE,
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    started_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    ended_at    timestamptz NULL,
    end_reason  text        NULL CHECK (end_reason IN ('released', 'expired', 'deactivated',
                                                       'council_opted_out', 'opted_out',
                                                       'qualification_missing',
                                                       'series_cancelled')),
    PRIMARY KEY (series_id, user_id),
    CHECK ((ended_at IS NULL) = (end_reason IS NULL)),
    CHECK (expires_at > started_at)
);
CREATE INDEX series_follows_live_idx ON series_follows (user_id) WHERE ended_at IS NULL;

-- What happened to a series as a whole (its occurrences keep their own task events).
CREATE TABLE series_events (
    id          uuid        PRIMARY KEY,
    series_id   uuid        NOT NULL REFERENCES task_series (id) ON DELETE CASCADE,
    actor_id    uuid        NULL REFERENCES users (id) ON DELETE SET NULL,
    kind        text        NOT NULL CHECK (kind IN ('created', 'edited', 'cancelled')),
    -- For an edit: the fields changed and the local date they apply from.
    fields      text[]      NOT NULL DEFAULT '{}',
    from_date   date        NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX series_events_series_idx ON series_events (series_id, created_at);

-- An edit that changes a series' weekdays applies from a date: the rule as it stands makes
-- no occurrence before `rule_from` (those followed the earlier rule and exist already).
ALTER TABLE task_series ADD COLUMN rule_from date NULL;
