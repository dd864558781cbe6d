-- Qualifications: a police certificate that was shown, a confidentiality declaration that
-- was signed. The document is never stored: a record says which kind, when it was seen
-- (and issued), until when it counts, and who recorded it. No column of a record holds
-- free text about a person.

CREATE TABLE qualifications (
    id                      uuid        PRIMARY KEY,
    slug                    text        NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name_nb                 text        NOT NULL CHECK (char_length(name_nb) BETWEEN 1 AND 200),
    name_en                 text        NOT NULL CHECK (char_length(name_en) BETWEEN 1 AND 200),
    description_nb          text        NOT NULL DEFAULT '' CHECK (char_length(description_nb) <= 2000),
    description_en          text        NOT NULL DEFAULT '' CHECK (char_length(description_en) <= 2000),
    -- The law or the municipality's own rule the requirement rests on.
    legal_basis             text        NOT NULL CHECK (char_length(legal_basis) BETWEEN 1 AND 500),
    -- NULL: valid until revoked.
    valid_months            integer     NULL CHECK (valid_months BETWEEN 1 AND 600),
    -- A certificate older than this when shown is refused; such a type needs issued_on.
    max_age_days_when_seen  integer     NULL CHECK (max_age_days_when_seen BETWEEN 0 AND 3650),
    active                  boolean     NOT NULL DEFAULT true,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE category_qualifications (
    category_id       uuid NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    qualification_id  uuid NOT NULL REFERENCES qualifications (id) ON DELETE CASCADE,
    PRIMARY KEY (category_id, qualification_id)
);

CREATE TABLE qualification_records (
    id                 uuid        PRIMARY KEY,
    user_id            uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    qualification_id   uuid        NOT NULL REFERENCES qualifications (id),
    seen_on            date        NOT NULL,
    issued_on          date        NULL,
    valid_until        date        NULL,
    recorded_by        uuid        NULL REFERENCES users (id) ON DELETE SET NULL,
    recorded_at        timestamptz NOT NULL DEFAULT now(),
    revoked_at         timestamptz NULL,
    revoked_by         uuid        NULL REFERENCES users (id) ON DELETE SET NULL,
    -- When the volunteer was told the record runs out in 30 days: once per record.
    expiry_notified_at timestamptz NULL,
    CHECK (issued_on IS NULL OR issued_on <= seen_on),
    CHECK (valid_until IS NULL OR valid_until >= seen_on)
);
CREATE INDEX qualification_records_user_idx ON qualification_records (user_id, qualification_id);
CREATE INDEX qualification_records_expiry_idx ON qualification_records (valid_until)
    WHERE revoked_at IS NULL AND expiry_notified_at IS NULL;

-- The one rule of validity, for queries (the claim applies the same rule in Rust, with
-- the records locked): the qualifications `category` requires that `person` holds no
-- valid record of on `on_date` — not revoked, and valid until that date or later.
-- Requirements of a deactivated type no longer apply.
CREATE FUNCTION missing_qualifications(person uuid, category uuid, on_date date)
RETURNS uuid[] LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(cq.qualification_id ORDER BY cq.qualification_id), '{}')
      FROM category_qualifications cq
      JOIN qualifications q ON q.id = cq.qualification_id AND q.active
     WHERE cq.category_id = category
       AND NOT EXISTS (
           SELECT 1 FROM qualification_records r
            WHERE r.user_id = person
              AND r.qualification_id = cq.qualification_id
              AND r.revoked_at IS NULL
              AND (r.valid_until IS NULL OR r.valid_until >= on_date))
$$;

-- The calendar date of `at` in `zone` (a task's local start date).
CREATE FUNCTION local_date(at timestamptz, zone text)
RETURNS date LANGUAGE sql STABLE AS $$ SELECT (at AT TIME ZONE zone)::date $$;

-- The expiry email can be turned off like the other optional emails.
ALTER TABLE users ADD COLUMN notify_qualification_expiring boolean NOT NULL DEFAULT true;
ALTER TABLE email_tokens DROP CONSTRAINT email_tokens_email_kind_check;
ALTER TABLE email_tokens ADD CONSTRAINT email_tokens_email_kind_check
    CHECK (email_kind IN ('claim_confirmation', 'task_changed', 'task_cancelled', 'reminder',
                          'invitation', 'new_tasks_digest', 'qualification_expiring'));
