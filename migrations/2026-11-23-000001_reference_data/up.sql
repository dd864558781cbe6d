-- Councils (nærmiljøutvalg), task categories and service units: the reference data every
-- task points at. Loaded from the municipality's data file on first start; admins edit it.

CREATE TABLE councils (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL CHECK (char_length(btrim(name)) BETWEEN 1 AND 100),
    active      boolean     NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX councils_name_key ON councils (lower(name));

CREATE TABLE categories (
    id          uuid        PRIMARY KEY,
    slug        text        NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND char_length(slug) <= 64),
    name_nb     text        NOT NULL CHECK (char_length(btrim(name_nb)) BETWEEN 1 AND 100),
    name_en     text        NOT NULL CHECK (char_length(btrim(name_en)) BETWEEN 1 AND 100),
    active      boolean     NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE service_units (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL CHECK (char_length(btrim(name)) BETWEEN 1 AND 200),
    email       text        NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254),
    phone       text        NULL CHECK (char_length(phone) <= 32),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX service_units_name_key ON service_units (lower(name));
