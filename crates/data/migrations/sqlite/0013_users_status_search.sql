-- Manage Users, a rare status with a search (INACTIVE and four phone digits): the search's
-- trigram index yields every match of the digits (7,000 at a million users), and each was
-- read in creation order to find the one in twelve that is INACTIVE (p95 10-12 ms). A
-- trigram index of those users alone finds the 500 that match both at once (under 1 ms),
-- as PostgreSQL's partial indexes do (../postgres/0015_users_status_search.sql). NEW and
-- INACTIVE only: ACTIVE is most users, where the whole table's index costs the same.
--
-- Contentless (`content = ''`): each holds only the trigrams of its users, no copy of the
-- text, and cannot be rebuilt from `users` by mistake (a rebuild would index everyone).
-- A row leaves with the text it was indexed with, which the triggers pass as `old`.
CREATE VIRTUAL TABLE users_inactive_fts USING fts5(
    search_text,
    content = '',
    tokenize = 'trigram'
);
CREATE VIRTUAL TABLE users_new_fts USING fts5(
    search_text,
    content = '',
    tokenize = 'trigram'
);

INSERT INTO users_inactive_fts (rowid, search_text)
    SELECT seq, search_text FROM users WHERE status = 'INACTIVE';
INSERT INTO users_new_fts (rowid, search_text)
    SELECT seq, search_text FROM users WHERE status = 'NEW';
INSERT INTO users_inactive_fts (users_inactive_fts) VALUES ('optimize');
INSERT INTO users_new_fts (users_new_fts) VALUES ('optimize');

CREATE TRIGGER users_status_fts_insert AFTER INSERT ON users
WHEN new.status IN ('INACTIVE', 'NEW') BEGIN
    INSERT INTO users_inactive_fts (rowid, search_text)
        SELECT new.seq, new.search_text WHERE new.status = 'INACTIVE';
    INSERT INTO users_new_fts (rowid, search_text)
        SELECT new.seq, new.search_text WHERE new.status = 'NEW';
END;

CREATE TRIGGER users_status_fts_delete AFTER DELETE ON users
WHEN old.status IN ('INACTIVE', 'NEW') BEGIN
    INSERT INTO users_inactive_fts (users_inactive_fts, rowid, search_text)
        SELECT 'delete', old.seq, old.search_text WHERE old.status = 'INACTIVE';
    INSERT INTO users_new_fts (users_new_fts, rowid, search_text)
        SELECT 'delete', old.seq, old.search_text WHERE old.status = 'NEW';
END;

-- One trigger, its statements in order: the old entry leaves before the new one enters,
-- also when a user stays INACTIVE and only the text changes.
CREATE TRIGGER users_status_fts_update AFTER UPDATE OF status, search_text ON users
WHEN old.status IN ('INACTIVE', 'NEW') OR new.status IN ('INACTIVE', 'NEW') BEGIN
    INSERT INTO users_inactive_fts (users_inactive_fts, rowid, search_text)
        SELECT 'delete', old.seq, old.search_text WHERE old.status = 'INACTIVE';
    INSERT INTO users_new_fts (users_new_fts, rowid, search_text)
        SELECT 'delete', old.seq, old.search_text WHERE old.status = 'NEW';
    INSERT INTO users_inactive_fts (rowid, search_text)
        SELECT new.seq, new.search_text WHERE new.status = 'INACTIVE';
    INSERT INTO users_new_fts (rowid, search_text)
        SELECT new.seq, new.search_text WHERE new.status = 'NEW';
END;
