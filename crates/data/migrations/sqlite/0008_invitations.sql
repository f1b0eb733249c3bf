-- Invitations (issue 13): a user created without a password, who chooses it from a mailed
-- link. Keep in step with ../postgres/0009_invitations.sql.

-- When the newest invitation was sent; NULL once accepted (or for a user never invited).
-- The users table shows INVITED while it is set.
ALTER TABLE users ADD COLUMN invited_at TEXT;

-- Client associations waiting for an invited user to accept: made real on acceptance.
CREATE TABLE pending_associations (
    user_id     BLOB NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    client_id   BLOB NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    permissions TEXT NOT NULL DEFAULT '',
    invited_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, client_id)
);
CREATE INDEX pending_associations_client ON pending_associations (client_id);

-- A new purpose for mailed links: SQLite changes a CHECK only by copying the table.
CREATE TABLE mail_tokens_new (
    token_hash  TEXT PRIMARY KEY,
    purpose     TEXT NOT NULL CHECK (purpose IN ('password_reset', 'email_verify', 'invitation')),
    principal   TEXT NOT NULL CHECK (principal IN ('staff', 'user')),
    account_id  BLOB NOT NULL,
    email_norm  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
INSERT INTO mail_tokens_new SELECT token_hash, purpose, principal, account_id, email_norm,
    created_at, expires_at, used_at FROM mail_tokens;
DROP TABLE mail_tokens;
ALTER TABLE mail_tokens_new RENAME TO mail_tokens;
CREATE INDEX mail_tokens_account ON mail_tokens (principal, account_id, created_at);
