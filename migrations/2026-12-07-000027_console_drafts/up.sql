-- A console form posted after its session expired: kept, sealed with a key derived from
-- the server secret (never in a URL or a log), for the person of that session only, so
-- that after signing in again (second factor included) the form is drawn again as it was
-- typed. Taken once; forgotten after an hour.
CREATE TABLE console_drafts (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    path text NOT NULL,
    return_to text NOT NULL,
    sealed bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX console_drafts_created ON console_drafts (created_at);

-- Where a sign-in goes once its second factor is proved: the page asked for, or a draft.
ALTER TABLE console_sessions ADD COLUMN resume text NULL;
