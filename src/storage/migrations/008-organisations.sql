CREATE TABLE organisations (
  id         uuid PRIMARY KEY,
  name       text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- API keys: only a SHA-256 of each key is kept; the prefix finds the row
CREATE TABLE api_keys (
  id           uuid PRIMARY KEY,
  org_id       uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  role         text NOT NULL CHECK (role IN ('contributor', 'analyst', 'admin')),
  prefix       text NOT NULL UNIQUE,
  hash         text NOT NULL,
  label        text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz
);
-- who read which raw texts, when, through which route
CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  org_id      uuid NOT NULL,
  key_id      uuid NOT NULL,
  action      text NOT NULL,
  document_id uuid NOT NULL,
  route       text NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_document ON audit_log (document_id, at);

-- documents stored before organisations existed belong to one made for them
INSERT INTO organisations (id, name)
  SELECT '00000000-0000-4000-8000-000000000001', 'before-organisations' WHERE EXISTS (SELECT 1 FROM documents);
ALTER TABLE documents ADD COLUMN org_id uuid REFERENCES organisations (id);
ALTER TABLE documents ADD COLUMN visibility text CHECK (visibility IN ('private', 'shared'));
UPDATE documents SET org_id = '00000000-0000-4000-8000-000000000001',
  visibility = CASE WHEN kind = 'meeting_note' THEN 'private' ELSE 'shared' END;
ALTER TABLE documents ALTER COLUMN org_id SET NOT NULL;
ALTER TABLE documents ALTER COLUMN visibility SET NOT NULL;
-- the same text or external id is the same document within one organisation only
ALTER TABLE documents DROP CONSTRAINT documents_external_id_key;
ALTER TABLE documents DROP CONSTRAINT documents_content_hash_key;
CREATE UNIQUE INDEX documents_org_external_id ON documents (org_id, external_id);
CREATE UNIQUE INDEX documents_org_content_hash ON documents (org_id, content_hash);
CREATE INDEX documents_org_created ON documents (org_id, created_at DESC, id);

ALTER TABLE batches ADD COLUMN org_id uuid REFERENCES organisations (id);
UPDATE batches SET org_id = '00000000-0000-4000-8000-000000000001';
ALTER TABLE batches ALTER COLUMN org_id SET NOT NULL;

-- demand facts and rollups know the organisation and the visibility of their document
DROP TRIGGER demand_facts_rollup_insert ON demand_facts;
DROP TRIGGER demand_facts_rollup_delete ON demand_facts;
DROP TRIGGER demand_facts_rollup_update_new ON demand_facts;
DROP TRIGGER demand_facts_rollup_update_old ON demand_facts;
DROP FUNCTION demand_facts_added();
DROP FUNCTION demand_facts_removed();
DROP TABLE demand_rollup_country;
DROP TABLE demand_rollup_document;
DROP TABLE demand_rollup_region;
DROP TABLE demand_rollup_work;

ALTER TABLE demand_facts ADD COLUMN org_id uuid;
ALTER TABLE demand_facts ADD COLUMN private boolean;
UPDATE demand_facts f SET org_id = d.org_id, private = (d.visibility = 'private') FROM documents d WHERE d.id = f.document_id;
ALTER TABLE demand_facts ALTER COLUMN org_id SET NOT NULL;
ALTER TABLE demand_facts ALTER COLUMN private SET NOT NULL;
CREATE TABLE demand_rollup_country (
  month date NOT NULL,
  kind text NOT NULL,
  language text NOT NULL,
  horizon text NOT NULL,
  polarity text NOT NULL,
  skill_uri text NOT NULL,
  skill_group text,
  org_id uuid NOT NULL,
  private boolean NOT NULL,
  mentions int NOT NULL,
  demand float8 NOT NULL,
  docs_skill int NOT NULL,
  docs_skill_h int NOT NULL,
  docs_skill_p int NOT NULL,
  docs_skill_h_p int NOT NULL,
  docs_group int NOT NULL,
  docs_group_h int NOT NULL,
  docs_group_p int NOT NULL,
  docs_group_h_p int NOT NULL,
  docs int NOT NULL,
  docs_h int NOT NULL,
  docs_p int NOT NULL,
  docs_h_p int NOT NULL
);
CREATE UNIQUE INDEX demand_rollup_country_key ON demand_rollup_country (month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private) NULLS NOT DISTINCT;

CREATE TABLE demand_rollup_document (
  month date NOT NULL,
  kind text NOT NULL,
  language text NOT NULL,
  horizon text NOT NULL,
  polarity text NOT NULL,
  major_region text,
  area text,
  maakunta text,
  municipality text,
  occupation text,
  isco text,
  sector_section text,
  sector_division text,
  org_id uuid NOT NULL,
  private boolean NOT NULL,
  mentions int NOT NULL,
  demand float8 NOT NULL,
  docs int NOT NULL,
  docs_h int NOT NULL,
  docs_p int NOT NULL,
  docs_h_p int NOT NULL
);
CREATE UNIQUE INDEX demand_rollup_document_key ON demand_rollup_document (month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private) NULLS NOT DISTINCT;
CREATE INDEX demand_rollup_document_municipality ON demand_rollup_document (municipality, month);
CREATE INDEX demand_rollup_document_isco ON demand_rollup_document (isco, month);
CREATE INDEX demand_rollup_document_occupation ON demand_rollup_document (occupation, month);
CREATE TABLE demand_rollup_region (
  month date NOT NULL,
  kind text NOT NULL,
  language text NOT NULL,
  horizon text NOT NULL,
  polarity text NOT NULL,
  major_region text,
  area text,
  maakunta text,
  skill_uri text NOT NULL,
  skill_group text,
  org_id uuid NOT NULL,
  private boolean NOT NULL,
  mentions int NOT NULL,
  demand float8 NOT NULL,
  docs_skill int NOT NULL,
  docs_skill_h int NOT NULL,
  docs_skill_p int NOT NULL,
  docs_skill_h_p int NOT NULL,
  docs_group int NOT NULL,
  docs_group_h int NOT NULL,
  docs_group_p int NOT NULL,
  docs_group_h_p int NOT NULL,
  docs int NOT NULL,
  docs_h int NOT NULL,
  docs_p int NOT NULL,
  docs_h_p int NOT NULL
);
CREATE UNIQUE INDEX demand_rollup_region_key ON demand_rollup_region (month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private) NULLS NOT DISTINCT;
CREATE INDEX demand_rollup_region_maakunta ON demand_rollup_region (maakunta, month);
CREATE INDEX demand_rollup_region_area ON demand_rollup_region (area, month);
CREATE INDEX demand_rollup_region_major_region ON demand_rollup_region (major_region, month);
CREATE INDEX demand_rollup_region_skill_uri ON demand_rollup_region (skill_uri, month);
CREATE TABLE demand_rollup_work (
  month date NOT NULL,
  kind text NOT NULL,
  language text NOT NULL,
  horizon text NOT NULL,
  polarity text NOT NULL,
  occupation text,
  isco text,
  sector_section text,
  sector_division text,
  skill_uri text NOT NULL,
  skill_group text,
  org_id uuid NOT NULL,
  private boolean NOT NULL,
  mentions int NOT NULL,
  demand float8 NOT NULL,
  docs_skill int NOT NULL,
  docs_skill_h int NOT NULL,
  docs_skill_p int NOT NULL,
  docs_skill_h_p int NOT NULL,
  docs_group int NOT NULL,
  docs_group_h int NOT NULL,
  docs_group_p int NOT NULL,
  docs_group_h_p int NOT NULL
);
CREATE UNIQUE INDEX demand_rollup_work_key ON demand_rollup_work (month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private) NULLS NOT DISTINCT;
CREATE INDEX demand_rollup_work_isco ON demand_rollup_work (isco, month);
CREATE INDEX demand_rollup_work_occupation ON demand_rollup_work (occupation, month);
CREATE INDEX demand_rollup_work_sector_division ON demand_rollup_work (sector_division, month);
CREATE INDEX demand_rollup_work_sector_section ON demand_rollup_work (sector_section, month);
CREATE FUNCTION demand_facts_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM added_facts) THEN
    INSERT INTO demand_rollup_country (month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private, mentions, demand, docs_skill, docs_skill_h, docs_skill_p, docs_skill_h_p, docs_group, docs_group_h, docs_group_p, docs_group_h_p, docs, docs_h, docs_p, docs_h_p)
    SELECT month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private, 1 * count(*), 1 * sum(weight), 1 * count(*) FILTER (WHERE firsts & 1 <> 0), 1 * count(*) FILTER (WHERE firsts & 2 <> 0), 1 * count(*) FILTER (WHERE firsts & 4 <> 0), 1 * count(*) FILTER (WHERE firsts & 8 <> 0), 1 * count(*) FILTER (WHERE firsts & 16 <> 0), 1 * count(*) FILTER (WHERE firsts & 32 <> 0), 1 * count(*) FILTER (WHERE firsts & 64 <> 0), 1 * count(*) FILTER (WHERE firsts & 128 <> 0), 1 * count(*) FILTER (WHERE firsts & 256 <> 0), 1 * count(*) FILTER (WHERE firsts & 512 <> 0), 1 * count(*) FILTER (WHERE firsts & 1024 <> 0), 1 * count(*) FILTER (WHERE firsts & 2048 <> 0) FROM added_facts GROUP BY month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private ORDER BY month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private
    ON CONFLICT (month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private) DO UPDATE SET mentions = demand_rollup_country.mentions + EXCLUDED.mentions, demand = demand_rollup_country.demand + EXCLUDED.demand, docs_skill = demand_rollup_country.docs_skill + EXCLUDED.docs_skill, docs_skill_h = demand_rollup_country.docs_skill_h + EXCLUDED.docs_skill_h, docs_skill_p = demand_rollup_country.docs_skill_p + EXCLUDED.docs_skill_p, docs_skill_h_p = demand_rollup_country.docs_skill_h_p + EXCLUDED.docs_skill_h_p, docs_group = demand_rollup_country.docs_group + EXCLUDED.docs_group, docs_group_h = demand_rollup_country.docs_group_h + EXCLUDED.docs_group_h, docs_group_p = demand_rollup_country.docs_group_p + EXCLUDED.docs_group_p, docs_group_h_p = demand_rollup_country.docs_group_h_p + EXCLUDED.docs_group_h_p, docs = demand_rollup_country.docs + EXCLUDED.docs, docs_h = demand_rollup_country.docs_h + EXCLUDED.docs_h, docs_p = demand_rollup_country.docs_p + EXCLUDED.docs_p, docs_h_p = demand_rollup_country.docs_h_p + EXCLUDED.docs_h_p;
    INSERT INTO demand_rollup_document (month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private, mentions, demand, docs, docs_h, docs_p, docs_h_p)
    SELECT month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private, 1 * count(*), 1 * sum(weight), 1 * count(*) FILTER (WHERE firsts & 256 <> 0), 1 * count(*) FILTER (WHERE firsts & 512 <> 0), 1 * count(*) FILTER (WHERE firsts & 1024 <> 0), 1 * count(*) FILTER (WHERE firsts & 2048 <> 0) FROM added_facts GROUP BY month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private ORDER BY month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private
    ON CONFLICT (month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private) DO UPDATE SET mentions = demand_rollup_document.mentions + EXCLUDED.mentions, demand = demand_rollup_document.demand + EXCLUDED.demand, docs = demand_rollup_document.docs + EXCLUDED.docs, docs_h = demand_rollup_document.docs_h + EXCLUDED.docs_h, docs_p = demand_rollup_document.docs_p + EXCLUDED.docs_p, docs_h_p = demand_rollup_document.docs_h_p + EXCLUDED.docs_h_p;
    INSERT INTO demand_rollup_region (month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private, mentions, demand, docs_skill, docs_skill_h, docs_skill_p, docs_skill_h_p, docs_group, docs_group_h, docs_group_p, docs_group_h_p, docs, docs_h, docs_p, docs_h_p)
    SELECT month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private, 1 * count(*), 1 * sum(weight), 1 * count(*) FILTER (WHERE firsts & 1 <> 0), 1 * count(*) FILTER (WHERE firsts & 2 <> 0), 1 * count(*) FILTER (WHERE firsts & 4 <> 0), 1 * count(*) FILTER (WHERE firsts & 8 <> 0), 1 * count(*) FILTER (WHERE firsts & 16 <> 0), 1 * count(*) FILTER (WHERE firsts & 32 <> 0), 1 * count(*) FILTER (WHERE firsts & 64 <> 0), 1 * count(*) FILTER (WHERE firsts & 128 <> 0), 1 * count(*) FILTER (WHERE firsts & 256 <> 0), 1 * count(*) FILTER (WHERE firsts & 512 <> 0), 1 * count(*) FILTER (WHERE firsts & 1024 <> 0), 1 * count(*) FILTER (WHERE firsts & 2048 <> 0) FROM added_facts GROUP BY month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private ORDER BY month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private
    ON CONFLICT (month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private) DO UPDATE SET mentions = demand_rollup_region.mentions + EXCLUDED.mentions, demand = demand_rollup_region.demand + EXCLUDED.demand, docs_skill = demand_rollup_region.docs_skill + EXCLUDED.docs_skill, docs_skill_h = demand_rollup_region.docs_skill_h + EXCLUDED.docs_skill_h, docs_skill_p = demand_rollup_region.docs_skill_p + EXCLUDED.docs_skill_p, docs_skill_h_p = demand_rollup_region.docs_skill_h_p + EXCLUDED.docs_skill_h_p, docs_group = demand_rollup_region.docs_group + EXCLUDED.docs_group, docs_group_h = demand_rollup_region.docs_group_h + EXCLUDED.docs_group_h, docs_group_p = demand_rollup_region.docs_group_p + EXCLUDED.docs_group_p, docs_group_h_p = demand_rollup_region.docs_group_h_p + EXCLUDED.docs_group_h_p, docs = demand_rollup_region.docs + EXCLUDED.docs, docs_h = demand_rollup_region.docs_h + EXCLUDED.docs_h, docs_p = demand_rollup_region.docs_p + EXCLUDED.docs_p, docs_h_p = demand_rollup_region.docs_h_p + EXCLUDED.docs_h_p;
    INSERT INTO demand_rollup_work (month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private, mentions, demand, docs_skill, docs_skill_h, docs_skill_p, docs_skill_h_p, docs_group, docs_group_h, docs_group_p, docs_group_h_p)
    SELECT month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private, 1 * count(*), 1 * sum(weight), 1 * count(*) FILTER (WHERE firsts & 1 <> 0), 1 * count(*) FILTER (WHERE firsts & 2 <> 0), 1 * count(*) FILTER (WHERE firsts & 4 <> 0), 1 * count(*) FILTER (WHERE firsts & 8 <> 0), 1 * count(*) FILTER (WHERE firsts & 16 <> 0), 1 * count(*) FILTER (WHERE firsts & 32 <> 0), 1 * count(*) FILTER (WHERE firsts & 64 <> 0), 1 * count(*) FILTER (WHERE firsts & 128 <> 0) FROM added_facts GROUP BY month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private ORDER BY month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private
    ON CONFLICT (month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private) DO UPDATE SET mentions = demand_rollup_work.mentions + EXCLUDED.mentions, demand = demand_rollup_work.demand + EXCLUDED.demand, docs_skill = demand_rollup_work.docs_skill + EXCLUDED.docs_skill, docs_skill_h = demand_rollup_work.docs_skill_h + EXCLUDED.docs_skill_h, docs_skill_p = demand_rollup_work.docs_skill_p + EXCLUDED.docs_skill_p, docs_skill_h_p = demand_rollup_work.docs_skill_h_p + EXCLUDED.docs_skill_h_p, docs_group = demand_rollup_work.docs_group + EXCLUDED.docs_group, docs_group_h = demand_rollup_work.docs_group_h + EXCLUDED.docs_group_h, docs_group_p = demand_rollup_work.docs_group_p + EXCLUDED.docs_group_p, docs_group_h_p = demand_rollup_work.docs_group_h_p + EXCLUDED.docs_group_h_p;
  END IF;
  RETURN NULL;
END $$;
CREATE FUNCTION demand_facts_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM removed_facts) THEN
    INSERT INTO demand_rollup_country (month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private, mentions, demand, docs_skill, docs_skill_h, docs_skill_p, docs_skill_h_p, docs_group, docs_group_h, docs_group_p, docs_group_h_p, docs, docs_h, docs_p, docs_h_p)
    SELECT month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private, -1 * count(*), -1 * sum(weight), -1 * count(*) FILTER (WHERE firsts & 1 <> 0), -1 * count(*) FILTER (WHERE firsts & 2 <> 0), -1 * count(*) FILTER (WHERE firsts & 4 <> 0), -1 * count(*) FILTER (WHERE firsts & 8 <> 0), -1 * count(*) FILTER (WHERE firsts & 16 <> 0), -1 * count(*) FILTER (WHERE firsts & 32 <> 0), -1 * count(*) FILTER (WHERE firsts & 64 <> 0), -1 * count(*) FILTER (WHERE firsts & 128 <> 0), -1 * count(*) FILTER (WHERE firsts & 256 <> 0), -1 * count(*) FILTER (WHERE firsts & 512 <> 0), -1 * count(*) FILTER (WHERE firsts & 1024 <> 0), -1 * count(*) FILTER (WHERE firsts & 2048 <> 0) FROM removed_facts GROUP BY month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private ORDER BY month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private
    ON CONFLICT (month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private) DO UPDATE SET mentions = demand_rollup_country.mentions + EXCLUDED.mentions, demand = demand_rollup_country.demand + EXCLUDED.demand, docs_skill = demand_rollup_country.docs_skill + EXCLUDED.docs_skill, docs_skill_h = demand_rollup_country.docs_skill_h + EXCLUDED.docs_skill_h, docs_skill_p = demand_rollup_country.docs_skill_p + EXCLUDED.docs_skill_p, docs_skill_h_p = demand_rollup_country.docs_skill_h_p + EXCLUDED.docs_skill_h_p, docs_group = demand_rollup_country.docs_group + EXCLUDED.docs_group, docs_group_h = demand_rollup_country.docs_group_h + EXCLUDED.docs_group_h, docs_group_p = demand_rollup_country.docs_group_p + EXCLUDED.docs_group_p, docs_group_h_p = demand_rollup_country.docs_group_h_p + EXCLUDED.docs_group_h_p, docs = demand_rollup_country.docs + EXCLUDED.docs, docs_h = demand_rollup_country.docs_h + EXCLUDED.docs_h, docs_p = demand_rollup_country.docs_p + EXCLUDED.docs_p, docs_h_p = demand_rollup_country.docs_h_p + EXCLUDED.docs_h_p;
    DELETE FROM demand_rollup_country r USING (SELECT DISTINCT month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private FROM removed_facts) o
    WHERE r.month = o.month AND r.month IS NOT DISTINCT FROM o.month AND r.kind IS NOT DISTINCT FROM o.kind AND r.language IS NOT DISTINCT FROM o.language AND r.horizon IS NOT DISTINCT FROM o.horizon AND r.polarity IS NOT DISTINCT FROM o.polarity AND r.skill_uri IS NOT DISTINCT FROM o.skill_uri AND r.skill_group IS NOT DISTINCT FROM o.skill_group AND r.org_id IS NOT DISTINCT FROM o.org_id AND r.private IS NOT DISTINCT FROM o.private AND r.mentions = 0;
    INSERT INTO demand_rollup_document (month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private, mentions, demand, docs, docs_h, docs_p, docs_h_p)
    SELECT month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private, -1 * count(*), -1 * sum(weight), -1 * count(*) FILTER (WHERE firsts & 256 <> 0), -1 * count(*) FILTER (WHERE firsts & 512 <> 0), -1 * count(*) FILTER (WHERE firsts & 1024 <> 0), -1 * count(*) FILTER (WHERE firsts & 2048 <> 0) FROM removed_facts GROUP BY month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private ORDER BY month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private
    ON CONFLICT (month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private) DO UPDATE SET mentions = demand_rollup_document.mentions + EXCLUDED.mentions, demand = demand_rollup_document.demand + EXCLUDED.demand, docs = demand_rollup_document.docs + EXCLUDED.docs, docs_h = demand_rollup_document.docs_h + EXCLUDED.docs_h, docs_p = demand_rollup_document.docs_p + EXCLUDED.docs_p, docs_h_p = demand_rollup_document.docs_h_p + EXCLUDED.docs_h_p;
    DELETE FROM demand_rollup_document r USING (SELECT DISTINCT month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private FROM removed_facts) o
    WHERE r.month = o.month AND r.month IS NOT DISTINCT FROM o.month AND r.kind IS NOT DISTINCT FROM o.kind AND r.language IS NOT DISTINCT FROM o.language AND r.horizon IS NOT DISTINCT FROM o.horizon AND r.polarity IS NOT DISTINCT FROM o.polarity AND r.major_region IS NOT DISTINCT FROM o.major_region AND r.area IS NOT DISTINCT FROM o.area AND r.maakunta IS NOT DISTINCT FROM o.maakunta AND r.municipality IS NOT DISTINCT FROM o.municipality AND r.occupation IS NOT DISTINCT FROM o.occupation AND r.isco IS NOT DISTINCT FROM o.isco AND r.sector_section IS NOT DISTINCT FROM o.sector_section AND r.sector_division IS NOT DISTINCT FROM o.sector_division AND r.org_id IS NOT DISTINCT FROM o.org_id AND r.private IS NOT DISTINCT FROM o.private AND r.mentions = 0;
    INSERT INTO demand_rollup_region (month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private, mentions, demand, docs_skill, docs_skill_h, docs_skill_p, docs_skill_h_p, docs_group, docs_group_h, docs_group_p, docs_group_h_p, docs, docs_h, docs_p, docs_h_p)
    SELECT month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private, -1 * count(*), -1 * sum(weight), -1 * count(*) FILTER (WHERE firsts & 1 <> 0), -1 * count(*) FILTER (WHERE firsts & 2 <> 0), -1 * count(*) FILTER (WHERE firsts & 4 <> 0), -1 * count(*) FILTER (WHERE firsts & 8 <> 0), -1 * count(*) FILTER (WHERE firsts & 16 <> 0), -1 * count(*) FILTER (WHERE firsts & 32 <> 0), -1 * count(*) FILTER (WHERE firsts & 64 <> 0), -1 * count(*) FILTER (WHERE firsts & 128 <> 0), -1 * count(*) FILTER (WHERE firsts & 256 <> 0), -1 * count(*) FILTER (WHERE firsts & 512 <> 0), -1 * count(*) FILTER (WHERE firsts & 1024 <> 0), -1 * count(*) FILTER (WHERE firsts & 2048 <> 0) FROM removed_facts GROUP BY month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private ORDER BY month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private
    ON CONFLICT (month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private) DO UPDATE SET mentions = demand_rollup_region.mentions + EXCLUDED.mentions, demand = demand_rollup_region.demand + EXCLUDED.demand, docs_skill = demand_rollup_region.docs_skill + EXCLUDED.docs_skill, docs_skill_h = demand_rollup_region.docs_skill_h + EXCLUDED.docs_skill_h, docs_skill_p = demand_rollup_region.docs_skill_p + EXCLUDED.docs_skill_p, docs_skill_h_p = demand_rollup_region.docs_skill_h_p + EXCLUDED.docs_skill_h_p, docs_group = demand_rollup_region.docs_group + EXCLUDED.docs_group, docs_group_h = demand_rollup_region.docs_group_h + EXCLUDED.docs_group_h, docs_group_p = demand_rollup_region.docs_group_p + EXCLUDED.docs_group_p, docs_group_h_p = demand_rollup_region.docs_group_h_p + EXCLUDED.docs_group_h_p, docs = demand_rollup_region.docs + EXCLUDED.docs, docs_h = demand_rollup_region.docs_h + EXCLUDED.docs_h, docs_p = demand_rollup_region.docs_p + EXCLUDED.docs_p, docs_h_p = demand_rollup_region.docs_h_p + EXCLUDED.docs_h_p;
    DELETE FROM demand_rollup_region r USING (SELECT DISTINCT month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private FROM removed_facts) o
    WHERE r.month = o.month AND r.month IS NOT DISTINCT FROM o.month AND r.kind IS NOT DISTINCT FROM o.kind AND r.language IS NOT DISTINCT FROM o.language AND r.horizon IS NOT DISTINCT FROM o.horizon AND r.polarity IS NOT DISTINCT FROM o.polarity AND r.major_region IS NOT DISTINCT FROM o.major_region AND r.area IS NOT DISTINCT FROM o.area AND r.maakunta IS NOT DISTINCT FROM o.maakunta AND r.skill_uri IS NOT DISTINCT FROM o.skill_uri AND r.skill_group IS NOT DISTINCT FROM o.skill_group AND r.org_id IS NOT DISTINCT FROM o.org_id AND r.private IS NOT DISTINCT FROM o.private AND r.mentions = 0;
    INSERT INTO demand_rollup_work (month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private, mentions, demand, docs_skill, docs_skill_h, docs_skill_p, docs_skill_h_p, docs_group, docs_group_h, docs_group_p, docs_group_h_p)
    SELECT month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private, -1 * count(*), -1 * sum(weight), -1 * count(*) FILTER (WHERE firsts & 1 <> 0), -1 * count(*) FILTER (WHERE firsts & 2 <> 0), -1 * count(*) FILTER (WHERE firsts & 4 <> 0), -1 * count(*) FILTER (WHERE firsts & 8 <> 0), -1 * count(*) FILTER (WHERE firsts & 16 <> 0), -1 * count(*) FILTER (WHERE firsts & 32 <> 0), -1 * count(*) FILTER (WHERE firsts & 64 <> 0), -1 * count(*) FILTER (WHERE firsts & 128 <> 0) FROM removed_facts GROUP BY month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private ORDER BY month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private
    ON CONFLICT (month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private) DO UPDATE SET mentions = demand_rollup_work.mentions + EXCLUDED.mentions, demand = demand_rollup_work.demand + EXCLUDED.demand, docs_skill = demand_rollup_work.docs_skill + EXCLUDED.docs_skill, docs_skill_h = demand_rollup_work.docs_skill_h + EXCLUDED.docs_skill_h, docs_skill_p = demand_rollup_work.docs_skill_p + EXCLUDED.docs_skill_p, docs_skill_h_p = demand_rollup_work.docs_skill_h_p + EXCLUDED.docs_skill_h_p, docs_group = demand_rollup_work.docs_group + EXCLUDED.docs_group, docs_group_h = demand_rollup_work.docs_group_h + EXCLUDED.docs_group_h, docs_group_p = demand_rollup_work.docs_group_p + EXCLUDED.docs_group_p, docs_group_h_p = demand_rollup_work.docs_group_h_p + EXCLUDED.docs_group_h_p;
    DELETE FROM demand_rollup_work r USING (SELECT DISTINCT month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private FROM removed_facts) o
    WHERE r.month = o.month AND r.month IS NOT DISTINCT FROM o.month AND r.kind IS NOT DISTINCT FROM o.kind AND r.language IS NOT DISTINCT FROM o.language AND r.horizon IS NOT DISTINCT FROM o.horizon AND r.polarity IS NOT DISTINCT FROM o.polarity AND r.occupation IS NOT DISTINCT FROM o.occupation AND r.isco IS NOT DISTINCT FROM o.isco AND r.sector_section IS NOT DISTINCT FROM o.sector_section AND r.sector_division IS NOT DISTINCT FROM o.sector_division AND r.skill_uri IS NOT DISTINCT FROM o.skill_uri AND r.skill_group IS NOT DISTINCT FROM o.skill_group AND r.org_id IS NOT DISTINCT FROM o.org_id AND r.private IS NOT DISTINCT FROM o.private AND r.mentions = 0;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER demand_facts_rollup_insert AFTER INSERT ON demand_facts REFERENCING NEW TABLE AS added_facts
  FOR EACH STATEMENT EXECUTE FUNCTION demand_facts_added();
CREATE TRIGGER demand_facts_rollup_delete AFTER DELETE ON demand_facts REFERENCING OLD TABLE AS removed_facts
  FOR EACH STATEMENT EXECUTE FUNCTION demand_facts_removed();
CREATE TRIGGER demand_facts_rollup_update_new AFTER UPDATE ON demand_facts REFERENCING NEW TABLE AS added_facts
  FOR EACH STATEMENT EXECUTE FUNCTION demand_facts_added();
CREATE TRIGGER demand_facts_rollup_update_old AFTER UPDATE ON demand_facts REFERENCING OLD TABLE AS removed_facts
  FOR EACH STATEMENT EXECUTE FUNCTION demand_facts_removed();
INSERT INTO demand_rollup_country (month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private, mentions, demand, docs_skill, docs_skill_h, docs_skill_p, docs_skill_h_p, docs_group, docs_group_h, docs_group_p, docs_group_h_p, docs, docs_h, docs_p, docs_h_p)
    SELECT month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private, 1 * count(*), 1 * sum(weight), 1 * count(*) FILTER (WHERE firsts & 1 <> 0), 1 * count(*) FILTER (WHERE firsts & 2 <> 0), 1 * count(*) FILTER (WHERE firsts & 4 <> 0), 1 * count(*) FILTER (WHERE firsts & 8 <> 0), 1 * count(*) FILTER (WHERE firsts & 16 <> 0), 1 * count(*) FILTER (WHERE firsts & 32 <> 0), 1 * count(*) FILTER (WHERE firsts & 64 <> 0), 1 * count(*) FILTER (WHERE firsts & 128 <> 0), 1 * count(*) FILTER (WHERE firsts & 256 <> 0), 1 * count(*) FILTER (WHERE firsts & 512 <> 0), 1 * count(*) FILTER (WHERE firsts & 1024 <> 0), 1 * count(*) FILTER (WHERE firsts & 2048 <> 0) FROM demand_facts GROUP BY month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private ORDER BY month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private
    ON CONFLICT (month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private) DO UPDATE SET mentions = demand_rollup_country.mentions + EXCLUDED.mentions, demand = demand_rollup_country.demand + EXCLUDED.demand, docs_skill = demand_rollup_country.docs_skill + EXCLUDED.docs_skill, docs_skill_h = demand_rollup_country.docs_skill_h + EXCLUDED.docs_skill_h, docs_skill_p = demand_rollup_country.docs_skill_p + EXCLUDED.docs_skill_p, docs_skill_h_p = demand_rollup_country.docs_skill_h_p + EXCLUDED.docs_skill_h_p, docs_group = demand_rollup_country.docs_group + EXCLUDED.docs_group, docs_group_h = demand_rollup_country.docs_group_h + EXCLUDED.docs_group_h, docs_group_p = demand_rollup_country.docs_group_p + EXCLUDED.docs_group_p, docs_group_h_p = demand_rollup_country.docs_group_h_p + EXCLUDED.docs_group_h_p, docs = demand_rollup_country.docs + EXCLUDED.docs, docs_h = demand_rollup_country.docs_h + EXCLUDED.docs_h, docs_p = demand_rollup_country.docs_p + EXCLUDED.docs_p, docs_h_p = demand_rollup_country.docs_h_p + EXCLUDED.docs_h_p;
INSERT INTO demand_rollup_document (month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private, mentions, demand, docs, docs_h, docs_p, docs_h_p)
    SELECT month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private, 1 * count(*), 1 * sum(weight), 1 * count(*) FILTER (WHERE firsts & 256 <> 0), 1 * count(*) FILTER (WHERE firsts & 512 <> 0), 1 * count(*) FILTER (WHERE firsts & 1024 <> 0), 1 * count(*) FILTER (WHERE firsts & 2048 <> 0) FROM demand_facts GROUP BY month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private ORDER BY month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private
    ON CONFLICT (month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private) DO UPDATE SET mentions = demand_rollup_document.mentions + EXCLUDED.mentions, demand = demand_rollup_document.demand + EXCLUDED.demand, docs = demand_rollup_document.docs + EXCLUDED.docs, docs_h = demand_rollup_document.docs_h + EXCLUDED.docs_h, docs_p = demand_rollup_document.docs_p + EXCLUDED.docs_p, docs_h_p = demand_rollup_document.docs_h_p + EXCLUDED.docs_h_p;
INSERT INTO demand_rollup_region (month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private, mentions, demand, docs_skill, docs_skill_h, docs_skill_p, docs_skill_h_p, docs_group, docs_group_h, docs_group_p, docs_group_h_p, docs, docs_h, docs_p, docs_h_p)
    SELECT month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private, 1 * count(*), 1 * sum(weight), 1 * count(*) FILTER (WHERE firsts & 1 <> 0), 1 * count(*) FILTER (WHERE firsts & 2 <> 0), 1 * count(*) FILTER (WHERE firsts & 4 <> 0), 1 * count(*) FILTER (WHERE firsts & 8 <> 0), 1 * count(*) FILTER (WHERE firsts & 16 <> 0), 1 * count(*) FILTER (WHERE firsts & 32 <> 0), 1 * count(*) FILTER (WHERE firsts & 64 <> 0), 1 * count(*) FILTER (WHERE firsts & 128 <> 0), 1 * count(*) FILTER (WHERE firsts & 256 <> 0), 1 * count(*) FILTER (WHERE firsts & 512 <> 0), 1 * count(*) FILTER (WHERE firsts & 1024 <> 0), 1 * count(*) FILTER (WHERE firsts & 2048 <> 0) FROM demand_facts GROUP BY month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private ORDER BY month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private
    ON CONFLICT (month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private) DO UPDATE SET mentions = demand_rollup_region.mentions + EXCLUDED.mentions, demand = demand_rollup_region.demand + EXCLUDED.demand, docs_skill = demand_rollup_region.docs_skill + EXCLUDED.docs_skill, docs_skill_h = demand_rollup_region.docs_skill_h + EXCLUDED.docs_skill_h, docs_skill_p = demand_rollup_region.docs_skill_p + EXCLUDED.docs_skill_p, docs_skill_h_p = demand_rollup_region.docs_skill_h_p + EXCLUDED.docs_skill_h_p, docs_group = demand_rollup_region.docs_group + EXCLUDED.docs_group, docs_group_h = demand_rollup_region.docs_group_h + EXCLUDED.docs_group_h, docs_group_p = demand_rollup_region.docs_group_p + EXCLUDED.docs_group_p, docs_group_h_p = demand_rollup_region.docs_group_h_p + EXCLUDED.docs_group_h_p, docs = demand_rollup_region.docs + EXCLUDED.docs, docs_h = demand_rollup_region.docs_h + EXCLUDED.docs_h, docs_p = demand_rollup_region.docs_p + EXCLUDED.docs_p, docs_h_p = demand_rollup_region.docs_h_p + EXCLUDED.docs_h_p;
INSERT INTO demand_rollup_work (month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private, mentions, demand, docs_skill, docs_skill_h, docs_skill_p, docs_skill_h_p, docs_group, docs_group_h, docs_group_p, docs_group_h_p)
    SELECT month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private, 1 * count(*), 1 * sum(weight), 1 * count(*) FILTER (WHERE firsts & 1 <> 0), 1 * count(*) FILTER (WHERE firsts & 2 <> 0), 1 * count(*) FILTER (WHERE firsts & 4 <> 0), 1 * count(*) FILTER (WHERE firsts & 8 <> 0), 1 * count(*) FILTER (WHERE firsts & 16 <> 0), 1 * count(*) FILTER (WHERE firsts & 32 <> 0), 1 * count(*) FILTER (WHERE firsts & 64 <> 0), 1 * count(*) FILTER (WHERE firsts & 128 <> 0) FROM demand_facts GROUP BY month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private ORDER BY month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private
    ON CONFLICT (month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private) DO UPDATE SET mentions = demand_rollup_work.mentions + EXCLUDED.mentions, demand = demand_rollup_work.demand + EXCLUDED.demand, docs_skill = demand_rollup_work.docs_skill + EXCLUDED.docs_skill, docs_skill_h = demand_rollup_work.docs_skill_h + EXCLUDED.docs_skill_h, docs_skill_p = demand_rollup_work.docs_skill_p + EXCLUDED.docs_skill_p, docs_skill_h_p = demand_rollup_work.docs_skill_h_p + EXCLUDED.docs_skill_h_p, docs_group = demand_rollup_work.docs_group + EXCLUDED.docs_group, docs_group_h = demand_rollup_work.docs_group_h + EXCLUDED.docs_group_h, docs_group_p = demand_rollup_work.docs_group_p + EXCLUDED.docs_group_p, docs_group_h_p = demand_rollup_work.docs_group_h_p + EXCLUDED.docs_group_h_p;
