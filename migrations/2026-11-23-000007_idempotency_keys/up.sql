-- Retry safety for mobile clients: the first answer to a request with an Idempotency-Key,
-- scoped to (user, method, path), kept 24 hours. Bodies never hold a task's private block.
CREATE TABLE idempotency_keys (
    user_id          uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    method           text        NOT NULL,
    path             text        NOT NULL,
    key              text        NOT NULL CHECK (char_length(key) BETWEEN 1 AND 255),
    request_hash     bytea       NOT NULL,
    response_status  integer     NOT NULL,
    response_body    jsonb       NOT NULL,
    response_etag    text        NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, method, path, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
