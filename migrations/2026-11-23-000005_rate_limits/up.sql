-- Fixed-window counters shared by every process: failed logins per address and per IP,
-- registrations per IP. Keys are hashed, so no address or IP is stored in clear.
CREATE TABLE rate_limit_counters (
    bucket        bytea       NOT NULL CHECK (octet_length(bucket) = 32),
    window_start  timestamptz NOT NULL,
    hits          integer     NOT NULL CHECK (hits > 0),
    PRIMARY KEY (bucket, window_start)
);
CREATE INDEX rate_limit_counters_window_idx ON rate_limit_counters (window_start);
