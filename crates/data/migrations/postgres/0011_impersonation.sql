-- Signing in as a user (support): a user session that hangs from the staff session that
-- opened it, so it ends with it (sign-out, expiry, the staff member removed), and keeps
-- the reason given. Keep in step with ../sqlite/0010_impersonation.sql.
ALTER TABLE sessions ADD COLUMN impersonator_session UUID REFERENCES sessions(id) ON DELETE CASCADE;
ALTER TABLE sessions ADD COLUMN impersonation_reason TEXT NOT NULL DEFAULT '';
-- Every session deleted looks for sessions hanging from it.
CREATE INDEX sessions_impersonator ON sessions (impersonator_session);
