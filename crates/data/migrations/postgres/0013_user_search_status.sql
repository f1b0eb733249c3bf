-- Manage Users, a status with a search shorter than the trigram probe (INACTIVE and four
-- phone digits): neither is rare alone, so walking the list passed 19,000 rows for a page
-- (95 ms, 300 ms at p95 at a million users). The search index now keys each row by its
-- status as well: the rows of both come from the index (700 in 6 ms). Conditions on any
-- of its columns alone still use it, so it replaces the index under the same name (the
-- seed drops and rebuilds it by name). No SQLite counterpart: there a status with a
-- search is read through the full-text index in creation order.
CREATE INDEX users_search_status ON users USING gin (created_month, status, search_text gin_trgm_ops);
DROP INDEX users_search_months;
ALTER INDEX users_search_status RENAME TO users_search_months;
