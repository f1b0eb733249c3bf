-- Manage Users' filters (status, 2FA, clients, created, last sign-in): an index for each
-- filter that can be rare, so a rare filter is looked up rather than scanned for. Common
-- ones (ACTIVE, 2FA off, verified) fill a page within a few rows of any order and need
-- none. Keep in step with ../sqlite/0009_user_filters.sql.
CREATE INDEX users_locked ON users (locked_until) WHERE locked_until IS NOT NULL;
CREATE INDEX users_invited ON users (created_at) WHERE invited_at IS NOT NULL;
CREATE INDEX users_two_factor_on ON users (created_at) WHERE totp_secret IS NOT NULL;
CREATE INDEX users_two_factor_pending ON users (created_at) WHERE two_factor AND totp_secret IS NULL;
CREATE INDEX users_last_sign_in ON users (last_sign_in_at);
CREATE INDEX user_clients_owner ON user_clients (user_id) WHERE is_owner;
