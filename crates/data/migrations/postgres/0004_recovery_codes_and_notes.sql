-- Ten single-use recovery codes per enrolment, usable instead of a TOTP code. Only a keyed
-- hash is stored; the codes are shown once.
CREATE TABLE recovery_codes (
    staff_id   UUID REFERENCES staff(id) ON DELETE CASCADE,
    user_id    UUID REFERENCES users(id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    used_at    TIMESTAMPTZ,
    CHECK ((staff_id IS NULL) <> (user_id IS NULL))
);
CREATE UNIQUE INDEX recovery_codes_staff ON recovery_codes (staff_id, code_hash) WHERE staff_id IS NOT NULL;
CREATE UNIQUE INDEX recovery_codes_user ON recovery_codes (user_id, code_hash) WHERE user_id IS NOT NULL;

-- 2FA the user turned on themselves (from /account) may be turned off by them; 2FA that
-- staff switched on may not.
ALTER TABLE users ADD COLUMN two_factor_by_user BOOLEAN NOT NULL DEFAULT FALSE;

-- Who last changed a user's Admin Notes, and when (shown under the field).
ALTER TABLE users ADD COLUMN admin_notes_by TEXT;
ALTER TABLE users ADD COLUMN admin_notes_at TIMESTAMPTZ;
