-- Roster schema, PostgreSQL. Keep in step with ../sqlite/0001_init.sql.

CREATE TABLE staff (
    id              UUID PRIMARY KEY,
    email           TEXT NOT NULL,
    email_norm      TEXT NOT NULL UNIQUE,
    password_hash   TEXT NOT NULL,
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    two_factor      BOOLEAN NOT NULL DEFAULT TRUE,  -- enrolment forced at next sign-in
    totp_secret     TEXT,          -- encrypted with the server key
    totp_pending    TEXT,          -- encrypted, during enrolment
    totp_last_step  BIGINT,        -- last accepted time step: a code is accepted once
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until    TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    last_sign_in_at TIMESTAMPTZ
);

CREATE TABLE staff_permissions (
    staff_id   UUID NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    permission TEXT NOT NULL,
    PRIMARY KEY (staff_id, permission)
);

CREATE TABLE users (
    id              UUID PRIMARY KEY,
    email           TEXT NOT NULL,
    email_norm      TEXT NOT NULL UNIQUE,
    password_hash   TEXT NOT NULL,
    first_name      TEXT NOT NULL DEFAULT '',
    last_name       TEXT NOT NULL DEFAULT '',
    phone           TEXT UNIQUE,   -- E.164
    language        TEXT NOT NULL DEFAULT 'en',
    admin_notes     TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'NEW' CHECK (status IN ('NEW', 'ACTIVE', 'INACTIVE')),
    email_verified  BOOLEAN NOT NULL DEFAULT FALSE,
    phone_verified  BOOLEAN NOT NULL DEFAULT FALSE,
    two_factor      BOOLEAN NOT NULL DEFAULT FALSE,
    totp_secret     TEXT,
    totp_pending    TEXT,
    totp_last_step  BIGINT,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until    TIMESTAMPTZ,
    search_text     TEXT NOT NULL DEFAULT '',  -- lower-cased name, email, phone, uuid
    version         BIGINT NOT NULL DEFAULT 1,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    last_sign_in_at TIMESTAMPTZ,
    last_sign_in_ip TEXT
);
CREATE INDEX users_created_at ON users (created_at);

CREATE TABLE clients (
    id           UUID PRIMARY KEY,
    first_name   TEXT NOT NULL DEFAULT '',
    last_name    TEXT NOT NULL DEFAULT '',
    company_name TEXT NOT NULL DEFAULT '',
    tax_id       TEXT UNIQUE,
    status       TEXT NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'INACTIVE', 'CLOSED')),
    search_text  TEXT NOT NULL DEFAULT '',
    version      BIGINT NOT NULL DEFAULT 1,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE user_clients (
    user_id     UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    client_id   UUID NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    is_owner    BOOLEAN NOT NULL DEFAULT FALSE,
    permissions TEXT NOT NULL DEFAULT '',  -- comma-separated client permission codes
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, client_id)
);
CREATE INDEX user_clients_client ON user_clients (client_id);
-- Exactly one owner per client at most; the service keeps "at least one".
CREATE UNIQUE INDEX user_clients_one_owner ON user_clients (client_id) WHERE is_owner;

CREATE TABLE sessions (
    id           UUID PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,     -- SHA-256 of the cookie token; the token is never stored
    staff_id     UUID REFERENCES staff(id) ON DELETE CASCADE,
    user_id      UUID REFERENCES users(id) ON DELETE CASCADE,
    stage        TEXT NOT NULL CHECK (stage IN ('full', 'code', 'enrol')),
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT '',
    CHECK ((staff_id IS NULL) <> (user_id IS NULL))
);
CREATE INDEX sessions_staff ON sessions (staff_id);
CREATE INDEX sessions_user ON sessions (user_id);

-- No foreign keys: the trail outlives what it is about.
CREATE TABLE audit_events (
    id           UUID PRIMARY KEY,
    at           TIMESTAMPTZ NOT NULL,
    actor_kind   TEXT NOT NULL CHECK (actor_kind IN ('staff', 'user', 'system', 'anonymous')),
    actor_id     UUID,
    actor_label  TEXT NOT NULL DEFAULT '',
    target_kind  TEXT NOT NULL CHECK (target_kind IN ('staff', 'user', 'client', 'system')),
    target_id    UUID,
    target_label TEXT NOT NULL DEFAULT '',
    action       TEXT NOT NULL,
    changes      TEXT NOT NULL DEFAULT '{}',  -- JSON: field -> [before, after], secrets redacted
    ip           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_at ON audit_events (at);
CREATE INDEX audit_events_target ON audit_events (target_id, at);
CREATE INDEX audit_events_actor ON audit_events (actor_id, at);

CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
