-- How many clients each user is associated with and owns, kept on the user's row by a
-- trigger: the list shows the first without a subquery per row, and the filters "owns a
-- client" / "has no client" test a column. Owners get a partial index in creation order,
-- so "owns a client" is one index range in either order however the owners are spread.
-- Keep in step with ../sqlite/0011_client_counts.sql.
ALTER TABLE users ADD COLUMN clients BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN clients_owned BIGINT NOT NULL DEFAULT 0;

UPDATE users u SET clients = c.n, clients_owned = c.owned
FROM (
    SELECT user_id, COUNT(*) AS n, COUNT(*) FILTER (WHERE is_owner) AS owned
    FROM user_clients GROUP BY user_id
) c
WHERE u.id = c.user_id;

CREATE FUNCTION user_clients_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE users SET clients = clients - 1,
            clients_owned = clients_owned - CASE WHEN OLD.is_owner THEN 1 ELSE 0 END
        WHERE id = OLD.user_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE users SET clients = clients + 1,
            clients_owned = clients_owned + CASE WHEN NEW.is_owner THEN 1 ELSE 0 END
        WHERE id = NEW.user_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER user_clients_count AFTER INSERT OR DELETE OR UPDATE OF user_id, is_owner
    ON user_clients FOR EACH ROW EXECUTE FUNCTION user_clients_count();

CREATE INDEX users_owners ON users (created_at) WHERE clients_owned > 0;
-- The owners' lookup through `user_clients` is replaced by the index above.
DROP INDEX user_clients_owner;
