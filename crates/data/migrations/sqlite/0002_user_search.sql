-- Manage Users: substring search and sorting that stay fast at a million users.
-- Keep in step with ../postgres/0002_user_search.sql.

-- A trigram full-text index over users.search_text: any substring of 3+ characters is
-- found through the index, case-insensitively. The index holds no copy of the text
-- (external content), and the triggers keep it in step with every write.
CREATE VIRTUAL TABLE users_fts USING fts5(
    search_text,
    content = 'users',
    content_rowid = 'seq',
    tokenize = 'trigram'
);

CREATE TRIGGER users_fts_insert AFTER INSERT ON users BEGIN
    INSERT INTO users_fts (rowid, search_text) VALUES (new.seq, new.search_text);
END;
CREATE TRIGGER users_fts_delete AFTER DELETE ON users BEGIN
    INSERT INTO users_fts (users_fts, rowid, search_text) VALUES ('delete', old.seq, old.search_text);
END;
CREATE TRIGGER users_fts_update AFTER UPDATE OF search_text ON users BEGIN
    INSERT INTO users_fts (users_fts, rowid, search_text) VALUES ('delete', old.seq, old.search_text);
    INSERT INTO users_fts (rowid, search_text) VALUES (new.seq, new.search_text);
END;

-- The sort orders of the table.
CREATE INDEX users_name ON users (last_name, first_name, id);
CREATE INDEX users_status ON users (status, created_at);

-- The number of users, kept by triggers: the unfiltered list shows its total without
-- counting a million rows on every page.
CREATE TABLE row_counts (
    name TEXT PRIMARY KEY,
    n    INTEGER NOT NULL
);
INSERT INTO row_counts (name, n) VALUES ('users', (SELECT COUNT(*) FROM users));
CREATE TRIGGER users_count_insert AFTER INSERT ON users BEGIN
    UPDATE row_counts SET n = n + 1 WHERE name = 'users';
END;
CREATE TRIGGER users_count_delete AFTER DELETE ON users BEGIN
    UPDATE row_counts SET n = n - 1 WHERE name = 'users';
END;
