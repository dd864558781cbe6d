-- The councils' funding key: a base amount per eligible council plus an amount per
-- resident aged 0–19, from a yearly pot. Amounts are whole kroner.

-- Registered in Frivillighetsregisteret, and so in the key. Existing councils are the
-- municipality's own and stay in it until an admin says otherwise.
ALTER TABLE councils ADD COLUMN eligible boolean NOT NULL DEFAULT true;

-- The key's amounts per year: from the municipality's data file when this table is
-- empty, then edited by admins.
CREATE TABLE funding_parameters (
    year           integer     PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    base_nok       bigint      NOT NULL CHECK (base_nok BETWEEN 0 AND 1000000000),
    per_child_nok  bigint      NOT NULL CHECK (per_child_nok BETWEEN 0 AND 1000000),
    pot_nok        bigint      NOT NULL CHECK (pot_nok BETWEEN 0 AND 100000000000),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Residents aged 0–19 of a council's area in a year, as an admin entered them from a
-- source (SSB, the municipality's own register …). No figure is ever invented: a
-- council without one counts only its base.
CREATE TABLE council_residents (
    council_id      uuid        NOT NULL REFERENCES councils (id) ON DELETE CASCADE,
    year            integer     NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    residents_0_19  integer     NOT NULL CHECK (residents_0_19 BETWEEN 0 AND 1000000),
    source          text        NOT NULL CHECK (char_length(source) BETWEEN 1 AND 200),
    as_of           date        NOT NULL,
    entered_by      uuid        NULL REFERENCES users (id) ON DELETE SET NULL,
    entered_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (council_id, year)
);
