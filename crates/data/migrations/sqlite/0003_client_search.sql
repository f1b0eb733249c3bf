-- Manage Clients: substring search over name, company, tax ID and UUID.
-- Keep in step with ../postgres/0003_client_search.sql.
CREATE VIRTUAL TABLE clients_fts USING fts5(
    search_text,
    content = 'clients',
    content_rowid = 'seq',
    tokenize = 'trigram'
);
INSERT INTO clients_fts (clients_fts) VALUES ('rebuild');

CREATE TRIGGER clients_fts_insert AFTER INSERT ON clients BEGIN
    INSERT INTO clients_fts (rowid, search_text) VALUES (new.seq, new.search_text);
END;
CREATE TRIGGER clients_fts_delete AFTER DELETE ON clients BEGIN
    INSERT INTO clients_fts (clients_fts, rowid, search_text) VALUES ('delete', old.seq, old.search_text);
END;
CREATE TRIGGER clients_fts_update AFTER UPDATE OF search_text ON clients BEGIN
    INSERT INTO clients_fts (clients_fts, rowid, search_text) VALUES ('delete', old.seq, old.search_text);
    INSERT INTO clients_fts (rowid, search_text) VALUES (new.seq, new.search_text);
END;

CREATE INDEX clients_created_at ON clients (created_at);
CREATE INDEX clients_company ON clients (company_name, last_name, first_name);
