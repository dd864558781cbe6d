-- Principle 2: a unit sees that a spot was given back and when, never by whom. A
-- `claimed` event naming the volunteer and a later `released` one would attribute the
-- release by derivation, so no task event names a volunteer: claims, releases and what
-- follows from them carry no actor (the claimants list says who holds a spot now).
-- Events written before this rule lose their actor; staff and admin actions keep theirs.
-- The rule lives in the schema too, so a slip in the code is a refused insert.
UPDATE task_events SET actor_id = NULL
 WHERE kind IN ('claimed', 'released', 'reopened', 'filled', 'claim_voided', 'auto_completed');
ALTER TABLE task_events ADD CONSTRAINT task_events_name_no_volunteer
    CHECK (actor_id IS NULL
           OR kind NOT IN ('claimed', 'released', 'reopened', 'filled', 'claim_voided', 'auto_completed'));
