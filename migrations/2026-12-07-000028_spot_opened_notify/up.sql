-- A spot that opens is broadcast in seconds, not at the next minute's job: the broadcast
-- worker of every process LISTENs on this channel, woken when a pending opening commits
-- (NOTIFY is delivered on commit only, and once per transaction for the same payload).
CREATE FUNCTION spot_openings_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('dugnad_spot_opened', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER spot_openings_notify
    AFTER INSERT OR UPDATE OF pending_since ON spot_openings
    FOR EACH ROW WHEN (NEW.pending_since IS NOT NULL)
    EXECUTE FUNCTION spot_openings_notify();
