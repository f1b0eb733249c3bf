-- Invitations (issue 13): a user created without a password, who chooses it from a mailed
-- link. Keep in step with ../sqlite/0008_invitations.sql.

-- When the newest invitation was sent; NULL once accepted (or for a user never invited).
-- The users table shows INVITED while it is set.
ALTER TABLE users ADD COLUMN invited_at TIMESTAMPTZ;

-- Client associations waiting for an invited user to accept: made real on acceptance.
CREATE TABLE pending_associations (
    user_id     UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    client_id   UUID NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    permissions TEXT NOT NULL DEFAULT '',
    invited_by  TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, client_id)
);
CREATE INDEX pending_associations_client ON pending_associations (client_id);

ALTER TABLE mail_tokens DROP CONSTRAINT mail_tokens_purpose_check;
ALTER TABLE mail_tokens ADD CONSTRAINT mail_tokens_purpose_check
    CHECK (purpose IN ('password_reset', 'email_verify', 'invitation'));
