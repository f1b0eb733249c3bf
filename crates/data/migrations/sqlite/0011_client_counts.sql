-- How many clients each user is associated with and owns, kept on the user's row by
-- triggers: the list shows the first without a subquery per row, and the filters "owns a
-- client" / "has no client" test a column. Owners get a partial index in creation order,
-- so "owns a client" is one index range in either order however the owners are spread.
-- Keep in step with ../postgres/0012_client_counts.sql.
ALTER TABLE users ADD COLUMN clients INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN clients_owned INTEGER NOT NULL DEFAULT 0;

UPDATE users SET
    clients = (SELECT COUNT(*) FROM user_clients uc WHERE uc.user_id = users.id),
    clients_owned = (SELECT COUNT(*) FROM user_clients uc WHERE uc.user_id = users.id AND uc.is_owner <> 0)
WHERE id IN (SELECT user_id FROM user_clients);

CREATE TRIGGER user_clients_count_insert AFTER INSERT ON user_clients BEGIN
    UPDATE users SET clients = clients + 1, clients_owned = clients_owned + (new.is_owner <> 0)
    WHERE id = new.user_id;
END;
CREATE TRIGGER user_clients_count_delete AFTER DELETE ON user_clients BEGIN
    UPDATE users SET clients = clients - 1, clients_owned = clients_owned - (old.is_owner <> 0)
    WHERE id = old.user_id;
END;
CREATE TRIGGER user_clients_count_update AFTER UPDATE OF user_id, is_owner ON user_clients BEGIN
    UPDATE users SET clients = clients - 1, clients_owned = clients_owned - (old.is_owner <> 0)
    WHERE id = old.user_id;
    UPDATE users SET clients = clients + 1, clients_owned = clients_owned + (new.is_owner <> 0)
    WHERE id = new.user_id;
END;

-- Keyed by `seq`: the creation order SQLite lists by.
CREATE INDEX users_owners ON users (seq) WHERE clients_owned > 0;
-- The owners' lookup through `user_clients` is replaced by the index above.
DROP INDEX user_clients_owner;
