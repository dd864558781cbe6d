-- People: volunteers who register themselves, and staff, coordinators and admins created
-- by an admin. Role-dependent links are enforced here, not only in Rust.

CREATE TABLE users (
    id                   uuid        PRIMARY KEY,
    -- Stored as entered (trimmed); unique in any letter case.
    email                text        NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254 AND email = btrim(email)),
    -- NULL until an admin-created account sets its password.
    password_hash        text        NULL,
    name                 text        NOT NULL CHECK (char_length(btrim(name)) BETWEEN 1 AND 100),
    phone                text        NULL CHECK (char_length(phone) <= 32),
    role                 text        NOT NULL CHECK (role IN ('admin', 'staff', 'coordinator', 'volunteer')),
    service_unit_id      uuid        NULL REFERENCES service_units (id),
    council_id           uuid        NULL REFERENCES councils (id),
    language             text        NOT NULL DEFAULT 'nb' CHECK (language IN ('nb', 'en')),
    email_verified       boolean     NOT NULL DEFAULT false,
    invitable            boolean     NOT NULL DEFAULT false,
    notify_claim_confirmation boolean NOT NULL DEFAULT true,
    notify_task_changed       boolean NOT NULL DEFAULT true,
    notify_task_cancelled     boolean NOT NULL DEFAULT true,
    notify_reminder           boolean NOT NULL DEFAULT true,
    notify_invitation         boolean NOT NULL DEFAULT true,
    notify_new_tasks_digest   boolean NOT NULL DEFAULT false,
    active               boolean     NOT NULL DEFAULT true,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    last_active_at       timestamptz NOT NULL DEFAULT now(),
    -- Staff belong to exactly one unit; nobody else belongs to one.
    CONSTRAINT users_staff_have_a_unit CHECK ((role = 'staff') = (service_unit_id IS NOT NULL)),
    -- A coordinator leads one council.
    CONSTRAINT users_coordinators_lead_a_council CHECK (role <> 'coordinator' OR council_id IS NOT NULL)
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_role_idx ON users (role, id);

-- A volunteer's own category opt-outs: they filter only that person's feed and invitations.
CREATE TABLE user_category_opt_outs (
    user_id      uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    category_id  uuid        NOT NULL REFERENCES categories (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, category_id)
);
