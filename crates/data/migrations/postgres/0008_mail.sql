-- Mail (issue 13): a durable outbox written in the transaction of the change that causes
-- each mail, its delivery attempts, and the single-use links mails carry.
-- Keep in step with ../sqlite/0007_mail.sql.

CREATE TABLE mail_outbox (
    id              UUID PRIMARY KEY,
    kind            TEXT NOT NULL,            -- password_reset, password_changed, …
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    -- The text and HTML parts, encrypted under the server key: a reset link is a secret
    -- until it is used. Emptied once the mail is sent.
    sealed_body     TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    -- While 'sending': when the claim lapses (a sender that died mid-delivery).
    claimed_until   TIMESTAMPTZ,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    sent_at         TIMESTAMPTZ
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);
CREATE INDEX mail_outbox_created ON mail_outbox (created_at);

CREATE TABLE mail_attempts (
    mail_id    UUID NOT NULL REFERENCES mail_outbox(id) ON DELETE CASCADE,
    at         TIMESTAMPTZ NOT NULL,
    outcome    TEXT NOT NULL CHECK (outcome IN ('sent', 'retry', 'failed')),
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mail_attempts_mail ON mail_attempts (mail_id, at);

-- Links sent by mail (password reset, …): only the SHA-256 of the token is stored.
CREATE TABLE mail_tokens (
    token_hash  TEXT PRIMARY KEY,
    purpose     TEXT NOT NULL CHECK (purpose IN ('password_reset', 'email_verify')),
    principal   TEXT NOT NULL CHECK (principal IN ('staff', 'user')),
    account_id  UUID NOT NULL,
    -- The address the link went to: a link outlives no change of email.
    email_norm  TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ
);
CREATE INDEX mail_tokens_account ON mail_tokens (principal, account_id, created_at);
