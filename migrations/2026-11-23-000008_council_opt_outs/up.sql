-- Councils renounce categories of task (with a reason and a review date) and review
-- these at a yearly meeting with the municipality. A row is one opt-out from the day it
-- began to the day it ended, so the rows are also the history.

CREATE TABLE council_opt_outs (
    id           uuid        PRIMARY KEY,
    council_id   uuid        NOT NULL REFERENCES councils (id),
    category_id  uuid        NOT NULL REFERENCES categories (id),
    reason       text        NOT NULL CHECK (char_length(btrim(reason)) BETWEEN 1 AND 1000),
    review_by    date        NOT NULL,
    created_by   uuid        NULL REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    ended_at     timestamptz NULL,
    ended_by     uuid        NULL REFERENCES users (id) ON DELETE SET NULL,
    end_reason   text        NULL CHECK (char_length(end_reason) <= 1000),
    CHECK ((ended_at IS NULL) = (end_reason IS NULL))
);
-- At most one opt-out in force per council and category.
CREATE UNIQUE INDEX council_opt_outs_in_force_idx ON council_opt_outs (council_id, category_id) WHERE ended_at IS NULL;
CREATE INDEX council_opt_outs_council_idx ON council_opt_outs (council_id, created_at);

CREATE TABLE council_reviews (
    id            uuid        PRIMARY KEY,
    council_id    uuid        NOT NULL REFERENCES councils (id),
    held_on       date        NOT NULL,
    participants  text        NOT NULL CHECK (char_length(participants) <= 2000),
    notes         text        NOT NULL CHECK (char_length(notes) <= 10000),
    created_by    uuid        NULL REFERENCES users (id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX council_reviews_council_idx ON council_reviews (council_id, held_on);

CREATE TABLE council_review_decisions (
    review_id    uuid NOT NULL REFERENCES council_reviews (id) ON DELETE CASCADE,
    category_id  uuid NOT NULL REFERENCES categories (id),
    decision     text NOT NULL CHECK (decision IN ('keep', 'opt_in', 'take_on')),
    PRIMARY KEY (review_id, category_id)
);
