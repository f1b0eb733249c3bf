-- Manage Users: substring search and sorting that stay fast at a million users.
-- Keep in step with ../sqlite/0002_user_search.sql.

-- Trigram index: `search_text LIKE '%q%'` uses it for any q of 3+ characters.
-- pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX users_search_trgm ON users USING gin (search_text gin_trgm_ops);

-- The sort orders of the table.
CREATE INDEX users_name ON users (last_name, first_name, id);
CREATE INDEX users_status ON users (status, created_at);

-- The number of users, kept by triggers: the unfiltered list shows its total without
-- counting a million rows on every page. Statement-level, so a bulk insert updates the
-- counter once, not once per row.
CREATE TABLE row_counts (
    name TEXT PRIMARY KEY,
    n    BIGINT NOT NULL
);
INSERT INTO row_counts (name, n) VALUES ('users', (SELECT COUNT(*) FROM users));

CREATE FUNCTION users_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE row_counts SET n = n + (SELECT COUNT(*) FROM inserted) WHERE name = 'users';
    RETURN NULL;
END $$;
CREATE FUNCTION users_count_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE row_counts SET n = n - (SELECT COUNT(*) FROM deleted) WHERE name = 'users';
    RETURN NULL;
END $$;
CREATE TRIGGER users_count_insert AFTER INSERT ON users
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION users_count_insert();
CREATE TRIGGER users_count_delete AFTER DELETE ON users
    REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION users_count_delete();
