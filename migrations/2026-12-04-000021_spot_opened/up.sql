-- A freed spot finds a volunteer: volunteers watch full tasks, and a spot that opens is
-- broadcast to the watchers and to the volunteers who asked for it, at most once per task
-- per six hours and never in the quiet hours.

-- Who watches which task. Nobody but the watcher sees it. A watch ends when the watcher
-- claims (the trigger below), at the task's start (the periodic job) or on erasure.
CREATE TABLE task_watches (
    task_id     uuid        NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (task_id, user_id)
);
CREATE INDEX task_watches_user_idx ON task_watches (user_id);

CREATE FUNCTION task_watches_end_on_claim() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM task_watches WHERE task_id = NEW.task_id AND user_id = NEW.volunteer_id;
    RETURN NULL;
END;
$$;

CREATE TRIGGER task_watches_end_on_claim
    AFTER INSERT ON claims
    FOR EACH ROW EXECUTE FUNCTION task_watches_end_on_claim();

-- A task whose spot opened: when (waiting for the job to broadcast it), who just left
-- (never told), and when it was last broadcast (at most once per six hours).
CREATE TABLE spot_openings (
    task_id            uuid        PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
    pending_since      timestamptz NULL,
    leavers            uuid[]      NOT NULL DEFAULT '{}',
    last_broadcast_at  timestamptz NULL
);
CREATE INDEX spot_openings_pending_idx ON spot_openings (pending_since) WHERE pending_since IS NOT NULL;

-- The email of a spot that opened can be turned off (it is off until asked for).
ALTER TABLE users ADD COLUMN notify_spot_opened boolean NOT NULL DEFAULT false;
