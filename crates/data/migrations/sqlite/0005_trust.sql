-- Sign-in failures are counted in two pools per account: browsers that never completed a
-- sign-in for it (the account's own columns) and each browser that did (devices). A lock in
-- one pool never closes the other, so strangers cannot keep the owner out. Failures older
-- than a day start afresh; each new lock lasts longer than the last (lock_count).
ALTER TABLE staff ADD COLUMN last_failed_at TEXT;
ALTER TABLE staff ADD COLUMN lock_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE staff ADD COLUMN lock_reason TEXT;
ALTER TABLE users ADD COLUMN last_failed_at TEXT;
ALTER TABLE users ADD COLUMN lock_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN lock_reason TEXT;

-- A browser that completed a sign-in for an account: the cookie holds a random token,
-- this table its hash.
CREATE TABLE devices (
    id              BLOB PRIMARY KEY,
    token_hash      TEXT NOT NULL UNIQUE,
    staff_id        BLOB REFERENCES staff(id) ON DELETE CASCADE,
    user_id         BLOB REFERENCES users(id) ON DELETE CASCADE,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    last_failed_at  TEXT,
    locked_until    TEXT,
    lock_count      INTEGER NOT NULL DEFAULT 0,
    lock_reason     TEXT,
    created_at      TEXT NOT NULL,
    last_used_at    TEXT NOT NULL,
    CHECK ((staff_id IS NULL) <> (user_id IS NULL))
);
CREATE INDEX devices_staff ON devices (staff_id);
CREATE INDEX devices_user ON devices (user_id);

-- Which server key this database belongs to: a start with another key is refused rather
-- than leaving every TOTP secret unreadable. The recovery-code pepper is kept here,
-- encrypted under the key, so that rotating the key keeps recovery codes valid.
CREATE TABLE server_key (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    check_value     TEXT NOT NULL,
    recovery_pepper TEXT NOT NULL,
    created_at      TEXT NOT NULL
);

-- Per-address sign-in counts shared by every instance (used on PostgreSQL; one SQLite
-- file has one instance, which counts in memory).
CREATE TABLE rate_limits (
    bucket       TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    hits         INTEGER NOT NULL,
    PRIMARY KEY (bucket, window_start)
);
