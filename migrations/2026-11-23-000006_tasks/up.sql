-- Tasks, their claims and their audit trail. The database itself refuses an over-fill:
-- a trigger keeps tasks.active_claims equal to the task's active claims, and a CHECK keeps
-- it within spots, so a claim past the last spot fails whatever the application does.

CREATE TABLE tasks (
    id               uuid        PRIMARY KEY,
    title            text        NOT NULL CHECK (char_length(btrim(title)) BETWEEN 1 AND 200),
    description      text        NOT NULL CHECK (char_length(description) <= 5000),
    category_id      uuid        NOT NULL REFERENCES categories (id),
    -- NULL: municipality-wide.
    council_id       uuid        NULL REFERENCES councils (id),
    service_unit_id  uuid        NOT NULL REFERENCES service_units (id),
    created_by       uuid        NULL REFERENCES users (id) ON DELETE SET NULL,
    status           text        NOT NULL DEFAULT 'open'
                                 CHECK (status IN ('open', 'filled', 'cancelled', 'completed', 'expired', 'withdrawn')),
    starts_at        timestamptz NOT NULL,
    ends_at          timestamptz NULL,
    duration_minutes integer     NULL CHECK (duration_minutes BETWEEN 1 AND 10080),
    spots            integer     NOT NULL DEFAULT 1 CHECK (spots BETWEEN 1 AND 50),
    active_claims    integer     NOT NULL DEFAULT 0,
    area_hint        text        NULL CHECK (char_length(area_hint) <= 200),
    cancel_reason    text        NULL CHECK (char_length(cancel_reason) <= 1000),
    -- Bumped on every change, claims included: the strong ETag.
    version          integer     NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tasks_ends_after_start CHECK (ends_at IS NULL OR ends_at > starts_at),
    CONSTRAINT tasks_never_overfilled CHECK (active_claims BETWEEN 0 AND spots),
    CONSTRAINT tasks_filled_means_full CHECK ((status = 'filled') = (status IN ('open', 'filled') AND active_claims = spots))
);
CREATE INDEX tasks_browse_idx ON tasks (status, starts_at, id);
CREATE INDEX tasks_council_idx ON tasks (council_id, status, starts_at, id);
CREATE INDEX tasks_unit_idx ON tasks (service_unit_id, starts_at, id);

-- What only the poster's unit, admins and active claimants see; purged after retention.
CREATE TABLE task_private (
    task_id          uuid        PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
    address          text        NULL CHECK (char_length(address) <= 300),
    recipient_name   text        NULL CHECK (char_length(recipient_name) <= 200),
    recipient_phone  text        NULL CHECK (char_length(recipient_phone) <= 32),
    notes            text        NULL CHECK (char_length(notes) <= 2000)
);

CREATE TABLE claims (
    id              uuid        PRIMARY KEY,
    task_id         uuid        NOT NULL REFERENCES tasks (id),
    volunteer_id    uuid        NOT NULL REFERENCES users (id),
    status          text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'released', 'completed', 'voided')),
    claimed_at      timestamptz NOT NULL DEFAULT now(),
    released_at     timestamptz NULL,
    completed_at    timestamptz NULL,
    minutes         integer     NULL CHECK (minutes BETWEEN 0 AND 10080),
    CHECK ((status = 'released') = (released_at IS NOT NULL)),
    CHECK ((status = 'completed') = (completed_at IS NOT NULL))
);
-- At most one active claim per volunteer and task.
CREATE UNIQUE INDEX claims_one_active_idx ON claims (task_id, volunteer_id) WHERE status = 'active';
CREATE INDEX claims_volunteer_idx ON claims (volunteer_id, status);
CREATE INDEX claims_task_idx ON claims (task_id, status);

-- Keeps tasks.active_claims and open/filled in step with the claims table.
CREATE FUNCTION claims_count_active() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta integer := 0;
    target uuid;
BEGIN
    IF TG_OP = 'INSERT' THEN
        target := NEW.task_id;
        IF NEW.status = 'active' THEN delta := 1; END IF;
    ELSE
        target := NEW.task_id;
        IF OLD.status = 'active' AND NEW.status <> 'active' THEN delta := -1; END IF;
        IF OLD.status <> 'active' AND NEW.status = 'active' THEN delta := 1; END IF;
    END IF;
    IF delta <> 0 THEN
        UPDATE tasks
           SET active_claims = active_claims + delta,
               status = CASE
                   WHEN status IN ('open', 'filled') AND active_claims + delta = spots THEN 'filled'
                   WHEN status IN ('open', 'filled') THEN 'open'
                   ELSE status END,
               version = version + 1,
               updated_at = now()
         WHERE id = target;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER claims_count_active
    AFTER INSERT OR UPDATE OF status ON claims
    FOR EACH ROW EXECUTE FUNCTION claims_count_active();

-- Append-only history of every change: who, what kind, which fields (never values).
CREATE TABLE task_events (
    id          uuid        PRIMARY KEY,
    task_id     uuid        NOT NULL REFERENCES tasks (id),
    actor_id    uuid        NULL REFERENCES users (id) ON DELETE SET NULL,
    kind        text        NOT NULL CHECK (kind ~ '^[a-z_]+$'),
    fields      text[]      NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX task_events_task_idx ON task_events (task_id, created_at, id);

CREATE FUNCTION task_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- The only change allowed is forgetting an erased actor.
    IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL
       AND (NEW.id, NEW.task_id, NEW.kind, NEW.fields, NEW.created_at)
           IS NOT DISTINCT FROM (OLD.id, OLD.task_id, OLD.kind, OLD.fields, OLD.created_at) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'task_events is append-only';
END;
$$;
CREATE TRIGGER task_events_append_only
    BEFORE UPDATE OR DELETE ON task_events
    FOR EACH ROW EXECUTE FUNCTION task_events_append_only();
