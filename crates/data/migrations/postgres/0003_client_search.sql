-- Manage Clients: substring search over name, company, tax ID and UUID.
-- Keep in step with ../sqlite/0003_client_search.sql.
CREATE INDEX clients_search_trgm ON clients USING gin (search_text gin_trgm_ops);
CREATE INDEX clients_created_at ON clients (created_at);
CREATE INDEX clients_company ON clients (company_name, last_name, first_name);
