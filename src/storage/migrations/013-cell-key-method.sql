-- the secret that turns a document id into its record key for the cell key method (demand.repository.ts)
CREATE TABLE settings (
  name  text PRIMARY KEY,
  value text NOT NULL
);
INSERT INTO settings (name, value)
  VALUES ('cell_key_secret', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));

-- other organisations' private documents are read from the facts, through this small index
CREATE INDEX demand_facts_private ON demand_facts (org_id, month) WHERE private;
