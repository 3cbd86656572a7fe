-- operators create organisations and administer any of them; admins only their own
ALTER TABLE api_keys DROP CONSTRAINT IF EXISTS api_keys_role_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN ('contributor', 'analyst', 'admin', 'operator'));

-- the organisation that owns the document read, kept with the read so that a deleted document's history stays
ALTER TABLE audit_log ADD COLUMN owner_org_id uuid;
UPDATE audit_log a SET owner_org_id = d.org_id FROM documents d WHERE d.id = a.document_id;
CREATE INDEX audit_log_owner ON audit_log (owner_org_id, at);
