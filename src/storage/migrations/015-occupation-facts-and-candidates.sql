-- A mention below the count threshold stays in the analysis as a candidate: no demand fact
ALTER TABLE mentions ADD COLUMN counted boolean NOT NULL DEFAULT true;

-- Occupations named in texts are demand facts too: each fact is of a skill or of an occupation, and the rollups
-- keep the two apart (src/storage/rollups.ts)
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
ALTER TABLE demand_facts ADD COLUMN concept text NOT NULL DEFAULT 'skill' CHECK (concept IN ('skill', 'occupation'));
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
  concept text NOT NULL,
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
CREATE UNIQUE INDEX demand_rollup_country_key ON demand_rollup_country (month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private, concept) NULLS NOT DISTINCT;

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
  concept text NOT NULL,
  mentions int NOT NULL,
  demand float8 NOT NULL,
  docs int NOT NULL,
  docs_h int NOT NULL,
  docs_p int NOT NULL,
  docs_h_p int NOT NULL
);
CREATE UNIQUE INDEX demand_rollup_document_key ON demand_rollup_document (month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private, concept) NULLS NOT DISTINCT;
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
  concept text NOT NULL,
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
CREATE UNIQUE INDEX demand_rollup_region_key ON demand_rollup_region (month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private, concept) NULLS NOT DISTINCT;
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
  concept text NOT NULL,
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
CREATE UNIQUE INDEX demand_rollup_work_key ON demand_rollup_work (month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private, concept) NULLS NOT DISTINCT;
CREATE INDEX demand_rollup_work_isco ON demand_rollup_work (isco, month);
CREATE INDEX demand_rollup_work_occupation ON demand_rollup_work (occupation, month);
CREATE INDEX demand_rollup_work_sector_division ON demand_rollup_work (sector_division, month);
CREATE INDEX demand_rollup_work_sector_section ON demand_rollup_work (sector_section, month);
CREATE FUNCTION demand_facts_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM added_facts) THEN
    INSERT INTO demand_rollup_country (month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private, concept, mentions, demand, docs_skill, docs_skill_h, docs_skill_p, docs_skill_h_p, docs_group, docs_group_h, docs_group_p, docs_group_h_p, docs, docs_h, docs_p, docs_h_p)
    SELECT month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private, concept, 1 * count(*), 1 * sum(weight), 1 * count(*) FILTER (WHERE firsts & 1 <> 0), 1 * count(*) FILTER (WHERE firsts & 2 <> 0), 1 * count(*) FILTER (WHERE firsts & 4 <> 0), 1 * count(*) FILTER (WHERE firsts & 8 <> 0), 1 * count(*) FILTER (WHERE firsts & 16 <> 0), 1 * count(*) FILTER (WHERE firsts & 32 <> 0), 1 * count(*) FILTER (WHERE firsts & 64 <> 0), 1 * count(*) FILTER (WHERE firsts & 128 <> 0), 1 * count(*) FILTER (WHERE firsts & 256 <> 0), 1 * count(*) FILTER (WHERE firsts & 512 <> 0), 1 * count(*) FILTER (WHERE firsts & 1024 <> 0), 1 * count(*) FILTER (WHERE firsts & 2048 <> 0) FROM added_facts GROUP BY month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private, concept ORDER BY month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private, concept
    ON CONFLICT (month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private, concept) DO UPDATE SET mentions = demand_rollup_country.mentions + EXCLUDED.mentions, demand = demand_rollup_country.demand + EXCLUDED.demand, docs_skill = demand_rollup_country.docs_skill + EXCLUDED.docs_skill, docs_skill_h = demand_rollup_country.docs_skill_h + EXCLUDED.docs_skill_h, docs_skill_p = demand_rollup_country.docs_skill_p + EXCLUDED.docs_skill_p, docs_skill_h_p = demand_rollup_country.docs_skill_h_p + EXCLUDED.docs_skill_h_p, docs_group = demand_rollup_country.docs_group + EXCLUDED.docs_group, docs_group_h = demand_rollup_country.docs_group_h + EXCLUDED.docs_group_h, docs_group_p = demand_rollup_country.docs_group_p + EXCLUDED.docs_group_p, docs_group_h_p = demand_rollup_country.docs_group_h_p + EXCLUDED.docs_group_h_p, docs = demand_rollup_country.docs + EXCLUDED.docs, docs_h = demand_rollup_country.docs_h + EXCLUDED.docs_h, docs_p = demand_rollup_country.docs_p + EXCLUDED.docs_p, docs_h_p = demand_rollup_country.docs_h_p + EXCLUDED.docs_h_p;
    INSERT INTO demand_rollup_document (month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private, concept, mentions, demand, docs, docs_h, docs_p, docs_h_p)
    SELECT month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private, concept, 1 * count(*), 1 * sum(weight), 1 * count(*) FILTER (WHERE firsts & 256 <> 0), 1 * count(*) FILTER (WHERE firsts & 512 <> 0), 1 * count(*) FILTER (WHERE firsts & 1024 <> 0), 1 * count(*) FILTER (WHERE firsts & 2048 <> 0) FROM added_facts GROUP BY month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private, concept ORDER BY month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private, concept
    ON CONFLICT (month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private, concept) DO UPDATE SET mentions = demand_rollup_document.mentions + EXCLUDED.mentions, demand = demand_rollup_document.demand + EXCLUDED.demand, docs = demand_rollup_document.docs + EXCLUDED.docs, docs_h = demand_rollup_document.docs_h + EXCLUDED.docs_h, docs_p = demand_rollup_document.docs_p + EXCLUDED.docs_p, docs_h_p = demand_rollup_document.docs_h_p + EXCLUDED.docs_h_p;
    INSERT INTO demand_rollup_region (month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private, concept, mentions, demand, docs_skill, docs_skill_h, docs_skill_p, docs_skill_h_p, docs_group, docs_group_h, docs_group_p, docs_group_h_p, docs, docs_h, docs_p, docs_h_p)
    SELECT month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private, concept, 1 * count(*), 1 * sum(weight), 1 * count(*) FILTER (WHERE firsts & 1 <> 0), 1 * count(*) FILTER (WHERE firsts & 2 <> 0), 1 * count(*) FILTER (WHERE firsts & 4 <> 0), 1 * count(*) FILTER (WHERE firsts & 8 <> 0), 1 * count(*) FILTER (WHERE firsts & 16 <> 0), 1 * count(*) FILTER (WHERE firsts & 32 <> 0), 1 * count(*) FILTER (WHERE firsts & 64 <> 0), 1 * count(*) FILTER (WHERE firsts & 128 <> 0), 1 * count(*) FILTER (WHERE firsts & 256 <> 0), 1 * count(*) FILTER (WHERE firsts & 512 <> 0), 1 * count(*) FILTER (WHERE firsts & 1024 <> 0), 1 * count(*) FILTER (WHERE firsts & 2048 <> 0) FROM added_facts GROUP BY month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private, concept ORDER BY month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private, concept
    ON CONFLICT (month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private, concept) DO UPDATE SET mentions = demand_rollup_region.mentions + EXCLUDED.mentions, demand = demand_rollup_region.demand + EXCLUDED.demand, docs_skill = demand_rollup_region.docs_skill + EXCLUDED.docs_skill, docs_skill_h = demand_rollup_region.docs_skill_h + EXCLUDED.docs_skill_h, docs_skill_p = demand_rollup_region.docs_skill_p + EXCLUDED.docs_skill_p, docs_skill_h_p = demand_rollup_region.docs_skill_h_p + EXCLUDED.docs_skill_h_p, docs_group = demand_rollup_region.docs_group + EXCLUDED.docs_group, docs_group_h = demand_rollup_region.docs_group_h + EXCLUDED.docs_group_h, docs_group_p = demand_rollup_region.docs_group_p + EXCLUDED.docs_group_p, docs_group_h_p = demand_rollup_region.docs_group_h_p + EXCLUDED.docs_group_h_p, docs = demand_rollup_region.docs + EXCLUDED.docs, docs_h = demand_rollup_region.docs_h + EXCLUDED.docs_h, docs_p = demand_rollup_region.docs_p + EXCLUDED.docs_p, docs_h_p = demand_rollup_region.docs_h_p + EXCLUDED.docs_h_p;
    INSERT INTO demand_rollup_work (month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private, concept, mentions, demand, docs_skill, docs_skill_h, docs_skill_p, docs_skill_h_p, docs_group, docs_group_h, docs_group_p, docs_group_h_p)
    SELECT month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private, concept, 1 * count(*), 1 * sum(weight), 1 * count(*) FILTER (WHERE firsts & 1 <> 0), 1 * count(*) FILTER (WHERE firsts & 2 <> 0), 1 * count(*) FILTER (WHERE firsts & 4 <> 0), 1 * count(*) FILTER (WHERE firsts & 8 <> 0), 1 * count(*) FILTER (WHERE firsts & 16 <> 0), 1 * count(*) FILTER (WHERE firsts & 32 <> 0), 1 * count(*) FILTER (WHERE firsts & 64 <> 0), 1 * count(*) FILTER (WHERE firsts & 128 <> 0) FROM added_facts GROUP BY month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private, concept ORDER BY month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private, concept
    ON CONFLICT (month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private, concept) DO UPDATE SET mentions = demand_rollup_work.mentions + EXCLUDED.mentions, demand = demand_rollup_work.demand + EXCLUDED.demand, docs_skill = demand_rollup_work.docs_skill + EXCLUDED.docs_skill, docs_skill_h = demand_rollup_work.docs_skill_h + EXCLUDED.docs_skill_h, docs_skill_p = demand_rollup_work.docs_skill_p + EXCLUDED.docs_skill_p, docs_skill_h_p = demand_rollup_work.docs_skill_h_p + EXCLUDED.docs_skill_h_p, docs_group = demand_rollup_work.docs_group + EXCLUDED.docs_group, docs_group_h = demand_rollup_work.docs_group_h + EXCLUDED.docs_group_h, docs_group_p = demand_rollup_work.docs_group_p + EXCLUDED.docs_group_p, docs_group_h_p = demand_rollup_work.docs_group_h_p + EXCLUDED.docs_group_h_p;
  END IF;
  RETURN NULL;
END $$;
CREATE FUNCTION demand_facts_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM removed_facts) THEN
    INSERT INTO demand_rollup_country (month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private, concept, mentions, demand, docs_skill, docs_skill_h, docs_skill_p, docs_skill_h_p, docs_group, docs_group_h, docs_group_p, docs_group_h_p, docs, docs_h, docs_p, docs_h_p)
    SELECT month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private, concept, -1 * count(*), -1 * sum(weight), -1 * count(*) FILTER (WHERE firsts & 1 <> 0), -1 * count(*) FILTER (WHERE firsts & 2 <> 0), -1 * count(*) FILTER (WHERE firsts & 4 <> 0), -1 * count(*) FILTER (WHERE firsts & 8 <> 0), -1 * count(*) FILTER (WHERE firsts & 16 <> 0), -1 * count(*) FILTER (WHERE firsts & 32 <> 0), -1 * count(*) FILTER (WHERE firsts & 64 <> 0), -1 * count(*) FILTER (WHERE firsts & 128 <> 0), -1 * count(*) FILTER (WHERE firsts & 256 <> 0), -1 * count(*) FILTER (WHERE firsts & 512 <> 0), -1 * count(*) FILTER (WHERE firsts & 1024 <> 0), -1 * count(*) FILTER (WHERE firsts & 2048 <> 0) FROM removed_facts GROUP BY month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private, concept ORDER BY month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private, concept
    ON CONFLICT (month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private, concept) DO UPDATE SET mentions = demand_rollup_country.mentions + EXCLUDED.mentions, demand = demand_rollup_country.demand + EXCLUDED.demand, docs_skill = demand_rollup_country.docs_skill + EXCLUDED.docs_skill, docs_skill_h = demand_rollup_country.docs_skill_h + EXCLUDED.docs_skill_h, docs_skill_p = demand_rollup_country.docs_skill_p + EXCLUDED.docs_skill_p, docs_skill_h_p = demand_rollup_country.docs_skill_h_p + EXCLUDED.docs_skill_h_p, docs_group = demand_rollup_country.docs_group + EXCLUDED.docs_group, docs_group_h = demand_rollup_country.docs_group_h + EXCLUDED.docs_group_h, docs_group_p = demand_rollup_country.docs_group_p + EXCLUDED.docs_group_p, docs_group_h_p = demand_rollup_country.docs_group_h_p + EXCLUDED.docs_group_h_p, docs = demand_rollup_country.docs + EXCLUDED.docs, docs_h = demand_rollup_country.docs_h + EXCLUDED.docs_h, docs_p = demand_rollup_country.docs_p + EXCLUDED.docs_p, docs_h_p = demand_rollup_country.docs_h_p + EXCLUDED.docs_h_p;
    DELETE FROM demand_rollup_country r USING (SELECT DISTINCT month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private, concept FROM removed_facts) o
    WHERE r.month = o.month AND r.month IS NOT DISTINCT FROM o.month AND r.kind IS NOT DISTINCT FROM o.kind AND r.language IS NOT DISTINCT FROM o.language AND r.horizon IS NOT DISTINCT FROM o.horizon AND r.polarity IS NOT DISTINCT FROM o.polarity AND r.skill_uri IS NOT DISTINCT FROM o.skill_uri AND r.skill_group IS NOT DISTINCT FROM o.skill_group AND r.org_id IS NOT DISTINCT FROM o.org_id AND r.private IS NOT DISTINCT FROM o.private AND r.concept IS NOT DISTINCT FROM o.concept AND r.mentions = 0;
    INSERT INTO demand_rollup_document (month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private, concept, mentions, demand, docs, docs_h, docs_p, docs_h_p)
    SELECT month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private, concept, -1 * count(*), -1 * sum(weight), -1 * count(*) FILTER (WHERE firsts & 256 <> 0), -1 * count(*) FILTER (WHERE firsts & 512 <> 0), -1 * count(*) FILTER (WHERE firsts & 1024 <> 0), -1 * count(*) FILTER (WHERE firsts & 2048 <> 0) FROM removed_facts GROUP BY month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private, concept ORDER BY month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private, concept
    ON CONFLICT (month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private, concept) DO UPDATE SET mentions = demand_rollup_document.mentions + EXCLUDED.mentions, demand = demand_rollup_document.demand + EXCLUDED.demand, docs = demand_rollup_document.docs + EXCLUDED.docs, docs_h = demand_rollup_document.docs_h + EXCLUDED.docs_h, docs_p = demand_rollup_document.docs_p + EXCLUDED.docs_p, docs_h_p = demand_rollup_document.docs_h_p + EXCLUDED.docs_h_p;
    DELETE FROM demand_rollup_document r USING (SELECT DISTINCT month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private, concept FROM removed_facts) o
    WHERE r.month = o.month AND r.month IS NOT DISTINCT FROM o.month AND r.kind IS NOT DISTINCT FROM o.kind AND r.language IS NOT DISTINCT FROM o.language AND r.horizon IS NOT DISTINCT FROM o.horizon AND r.polarity IS NOT DISTINCT FROM o.polarity AND r.major_region IS NOT DISTINCT FROM o.major_region AND r.area IS NOT DISTINCT FROM o.area AND r.maakunta IS NOT DISTINCT FROM o.maakunta AND r.municipality IS NOT DISTINCT FROM o.municipality AND r.occupation IS NOT DISTINCT FROM o.occupation AND r.isco IS NOT DISTINCT FROM o.isco AND r.sector_section IS NOT DISTINCT FROM o.sector_section AND r.sector_division IS NOT DISTINCT FROM o.sector_division AND r.org_id IS NOT DISTINCT FROM o.org_id AND r.private IS NOT DISTINCT FROM o.private AND r.concept IS NOT DISTINCT FROM o.concept AND r.mentions = 0;
    INSERT INTO demand_rollup_region (month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private, concept, mentions, demand, docs_skill, docs_skill_h, docs_skill_p, docs_skill_h_p, docs_group, docs_group_h, docs_group_p, docs_group_h_p, docs, docs_h, docs_p, docs_h_p)
    SELECT month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private, concept, -1 * count(*), -1 * sum(weight), -1 * count(*) FILTER (WHERE firsts & 1 <> 0), -1 * count(*) FILTER (WHERE firsts & 2 <> 0), -1 * count(*) FILTER (WHERE firsts & 4 <> 0), -1 * count(*) FILTER (WHERE firsts & 8 <> 0), -1 * count(*) FILTER (WHERE firsts & 16 <> 0), -1 * count(*) FILTER (WHERE firsts & 32 <> 0), -1 * count(*) FILTER (WHERE firsts & 64 <> 0), -1 * count(*) FILTER (WHERE firsts & 128 <> 0), -1 * count(*) FILTER (WHERE firsts & 256 <> 0), -1 * count(*) FILTER (WHERE firsts & 512 <> 0), -1 * count(*) FILTER (WHERE firsts & 1024 <> 0), -1 * count(*) FILTER (WHERE firsts & 2048 <> 0) FROM removed_facts GROUP BY month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private, concept ORDER BY month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private, concept
    ON CONFLICT (month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private, concept) DO UPDATE SET mentions = demand_rollup_region.mentions + EXCLUDED.mentions, demand = demand_rollup_region.demand + EXCLUDED.demand, docs_skill = demand_rollup_region.docs_skill + EXCLUDED.docs_skill, docs_skill_h = demand_rollup_region.docs_skill_h + EXCLUDED.docs_skill_h, docs_skill_p = demand_rollup_region.docs_skill_p + EXCLUDED.docs_skill_p, docs_skill_h_p = demand_rollup_region.docs_skill_h_p + EXCLUDED.docs_skill_h_p, docs_group = demand_rollup_region.docs_group + EXCLUDED.docs_group, docs_group_h = demand_rollup_region.docs_group_h + EXCLUDED.docs_group_h, docs_group_p = demand_rollup_region.docs_group_p + EXCLUDED.docs_group_p, docs_group_h_p = demand_rollup_region.docs_group_h_p + EXCLUDED.docs_group_h_p, docs = demand_rollup_region.docs + EXCLUDED.docs, docs_h = demand_rollup_region.docs_h + EXCLUDED.docs_h, docs_p = demand_rollup_region.docs_p + EXCLUDED.docs_p, docs_h_p = demand_rollup_region.docs_h_p + EXCLUDED.docs_h_p;
    DELETE FROM demand_rollup_region r USING (SELECT DISTINCT month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private, concept FROM removed_facts) o
    WHERE r.month = o.month AND r.month IS NOT DISTINCT FROM o.month AND r.kind IS NOT DISTINCT FROM o.kind AND r.language IS NOT DISTINCT FROM o.language AND r.horizon IS NOT DISTINCT FROM o.horizon AND r.polarity IS NOT DISTINCT FROM o.polarity AND r.major_region IS NOT DISTINCT FROM o.major_region AND r.area IS NOT DISTINCT FROM o.area AND r.maakunta IS NOT DISTINCT FROM o.maakunta AND r.skill_uri IS NOT DISTINCT FROM o.skill_uri AND r.skill_group IS NOT DISTINCT FROM o.skill_group AND r.org_id IS NOT DISTINCT FROM o.org_id AND r.private IS NOT DISTINCT FROM o.private AND r.concept IS NOT DISTINCT FROM o.concept AND r.mentions = 0;
    INSERT INTO demand_rollup_work (month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private, concept, mentions, demand, docs_skill, docs_skill_h, docs_skill_p, docs_skill_h_p, docs_group, docs_group_h, docs_group_p, docs_group_h_p)
    SELECT month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private, concept, -1 * count(*), -1 * sum(weight), -1 * count(*) FILTER (WHERE firsts & 1 <> 0), -1 * count(*) FILTER (WHERE firsts & 2 <> 0), -1 * count(*) FILTER (WHERE firsts & 4 <> 0), -1 * count(*) FILTER (WHERE firsts & 8 <> 0), -1 * count(*) FILTER (WHERE firsts & 16 <> 0), -1 * count(*) FILTER (WHERE firsts & 32 <> 0), -1 * count(*) FILTER (WHERE firsts & 64 <> 0), -1 * count(*) FILTER (WHERE firsts & 128 <> 0) FROM removed_facts GROUP BY month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private, concept ORDER BY month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private, concept
    ON CONFLICT (month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private, concept) DO UPDATE SET mentions = demand_rollup_work.mentions + EXCLUDED.mentions, demand = demand_rollup_work.demand + EXCLUDED.demand, docs_skill = demand_rollup_work.docs_skill + EXCLUDED.docs_skill, docs_skill_h = demand_rollup_work.docs_skill_h + EXCLUDED.docs_skill_h, docs_skill_p = demand_rollup_work.docs_skill_p + EXCLUDED.docs_skill_p, docs_skill_h_p = demand_rollup_work.docs_skill_h_p + EXCLUDED.docs_skill_h_p, docs_group = demand_rollup_work.docs_group + EXCLUDED.docs_group, docs_group_h = demand_rollup_work.docs_group_h + EXCLUDED.docs_group_h, docs_group_p = demand_rollup_work.docs_group_p + EXCLUDED.docs_group_p, docs_group_h_p = demand_rollup_work.docs_group_h_p + EXCLUDED.docs_group_h_p;
    DELETE FROM demand_rollup_work r USING (SELECT DISTINCT month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private, concept FROM removed_facts) o
    WHERE r.month = o.month AND r.month IS NOT DISTINCT FROM o.month AND r.kind IS NOT DISTINCT FROM o.kind AND r.language IS NOT DISTINCT FROM o.language AND r.horizon IS NOT DISTINCT FROM o.horizon AND r.polarity IS NOT DISTINCT FROM o.polarity AND r.occupation IS NOT DISTINCT FROM o.occupation AND r.isco IS NOT DISTINCT FROM o.isco AND r.sector_section IS NOT DISTINCT FROM o.sector_section AND r.sector_division IS NOT DISTINCT FROM o.sector_division AND r.skill_uri IS NOT DISTINCT FROM o.skill_uri AND r.skill_group IS NOT DISTINCT FROM o.skill_group AND r.org_id IS NOT DISTINCT FROM o.org_id AND r.private IS NOT DISTINCT FROM o.private AND r.concept IS NOT DISTINCT FROM o.concept AND r.mentions = 0;
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
INSERT INTO demand_rollup_country (month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private, concept, mentions, demand, docs_skill, docs_skill_h, docs_skill_p, docs_skill_h_p, docs_group, docs_group_h, docs_group_p, docs_group_h_p, docs, docs_h, docs_p, docs_h_p)
    SELECT month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private, concept, 1 * count(*), 1 * sum(weight), 1 * count(*) FILTER (WHERE firsts & 1 <> 0), 1 * count(*) FILTER (WHERE firsts & 2 <> 0), 1 * count(*) FILTER (WHERE firsts & 4 <> 0), 1 * count(*) FILTER (WHERE firsts & 8 <> 0), 1 * count(*) FILTER (WHERE firsts & 16 <> 0), 1 * count(*) FILTER (WHERE firsts & 32 <> 0), 1 * count(*) FILTER (WHERE firsts & 64 <> 0), 1 * count(*) FILTER (WHERE firsts & 128 <> 0), 1 * count(*) FILTER (WHERE firsts & 256 <> 0), 1 * count(*) FILTER (WHERE firsts & 512 <> 0), 1 * count(*) FILTER (WHERE firsts & 1024 <> 0), 1 * count(*) FILTER (WHERE firsts & 2048 <> 0) FROM demand_facts GROUP BY month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private, concept ORDER BY month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private, concept
    ON CONFLICT (month, kind, language, horizon, polarity, skill_uri, skill_group, org_id, private, concept) DO UPDATE SET mentions = demand_rollup_country.mentions + EXCLUDED.mentions, demand = demand_rollup_country.demand + EXCLUDED.demand, docs_skill = demand_rollup_country.docs_skill + EXCLUDED.docs_skill, docs_skill_h = demand_rollup_country.docs_skill_h + EXCLUDED.docs_skill_h, docs_skill_p = demand_rollup_country.docs_skill_p + EXCLUDED.docs_skill_p, docs_skill_h_p = demand_rollup_country.docs_skill_h_p + EXCLUDED.docs_skill_h_p, docs_group = demand_rollup_country.docs_group + EXCLUDED.docs_group, docs_group_h = demand_rollup_country.docs_group_h + EXCLUDED.docs_group_h, docs_group_p = demand_rollup_country.docs_group_p + EXCLUDED.docs_group_p, docs_group_h_p = demand_rollup_country.docs_group_h_p + EXCLUDED.docs_group_h_p, docs = demand_rollup_country.docs + EXCLUDED.docs, docs_h = demand_rollup_country.docs_h + EXCLUDED.docs_h, docs_p = demand_rollup_country.docs_p + EXCLUDED.docs_p, docs_h_p = demand_rollup_country.docs_h_p + EXCLUDED.docs_h_p;
INSERT INTO demand_rollup_document (month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private, concept, mentions, demand, docs, docs_h, docs_p, docs_h_p)
    SELECT month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private, concept, 1 * count(*), 1 * sum(weight), 1 * count(*) FILTER (WHERE firsts & 256 <> 0), 1 * count(*) FILTER (WHERE firsts & 512 <> 0), 1 * count(*) FILTER (WHERE firsts & 1024 <> 0), 1 * count(*) FILTER (WHERE firsts & 2048 <> 0) FROM demand_facts GROUP BY month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private, concept ORDER BY month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private, concept
    ON CONFLICT (month, kind, language, horizon, polarity, major_region, area, maakunta, municipality, occupation, isco, sector_section, sector_division, org_id, private, concept) DO UPDATE SET mentions = demand_rollup_document.mentions + EXCLUDED.mentions, demand = demand_rollup_document.demand + EXCLUDED.demand, docs = demand_rollup_document.docs + EXCLUDED.docs, docs_h = demand_rollup_document.docs_h + EXCLUDED.docs_h, docs_p = demand_rollup_document.docs_p + EXCLUDED.docs_p, docs_h_p = demand_rollup_document.docs_h_p + EXCLUDED.docs_h_p;
INSERT INTO demand_rollup_region (month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private, concept, mentions, demand, docs_skill, docs_skill_h, docs_skill_p, docs_skill_h_p, docs_group, docs_group_h, docs_group_p, docs_group_h_p, docs, docs_h, docs_p, docs_h_p)
    SELECT month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private, concept, 1 * count(*), 1 * sum(weight), 1 * count(*) FILTER (WHERE firsts & 1 <> 0), 1 * count(*) FILTER (WHERE firsts & 2 <> 0), 1 * count(*) FILTER (WHERE firsts & 4 <> 0), 1 * count(*) FILTER (WHERE firsts & 8 <> 0), 1 * count(*) FILTER (WHERE firsts & 16 <> 0), 1 * count(*) FILTER (WHERE firsts & 32 <> 0), 1 * count(*) FILTER (WHERE firsts & 64 <> 0), 1 * count(*) FILTER (WHERE firsts & 128 <> 0), 1 * count(*) FILTER (WHERE firsts & 256 <> 0), 1 * count(*) FILTER (WHERE firsts & 512 <> 0), 1 * count(*) FILTER (WHERE firsts & 1024 <> 0), 1 * count(*) FILTER (WHERE firsts & 2048 <> 0) FROM demand_facts GROUP BY month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private, concept ORDER BY month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private, concept
    ON CONFLICT (month, kind, language, horizon, polarity, major_region, area, maakunta, skill_uri, skill_group, org_id, private, concept) DO UPDATE SET mentions = demand_rollup_region.mentions + EXCLUDED.mentions, demand = demand_rollup_region.demand + EXCLUDED.demand, docs_skill = demand_rollup_region.docs_skill + EXCLUDED.docs_skill, docs_skill_h = demand_rollup_region.docs_skill_h + EXCLUDED.docs_skill_h, docs_skill_p = demand_rollup_region.docs_skill_p + EXCLUDED.docs_skill_p, docs_skill_h_p = demand_rollup_region.docs_skill_h_p + EXCLUDED.docs_skill_h_p, docs_group = demand_rollup_region.docs_group + EXCLUDED.docs_group, docs_group_h = demand_rollup_region.docs_group_h + EXCLUDED.docs_group_h, docs_group_p = demand_rollup_region.docs_group_p + EXCLUDED.docs_group_p, docs_group_h_p = demand_rollup_region.docs_group_h_p + EXCLUDED.docs_group_h_p, docs = demand_rollup_region.docs + EXCLUDED.docs, docs_h = demand_rollup_region.docs_h + EXCLUDED.docs_h, docs_p = demand_rollup_region.docs_p + EXCLUDED.docs_p, docs_h_p = demand_rollup_region.docs_h_p + EXCLUDED.docs_h_p;
INSERT INTO demand_rollup_work (month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private, concept, mentions, demand, docs_skill, docs_skill_h, docs_skill_p, docs_skill_h_p, docs_group, docs_group_h, docs_group_p, docs_group_h_p)
    SELECT month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private, concept, 1 * count(*), 1 * sum(weight), 1 * count(*) FILTER (WHERE firsts & 1 <> 0), 1 * count(*) FILTER (WHERE firsts & 2 <> 0), 1 * count(*) FILTER (WHERE firsts & 4 <> 0), 1 * count(*) FILTER (WHERE firsts & 8 <> 0), 1 * count(*) FILTER (WHERE firsts & 16 <> 0), 1 * count(*) FILTER (WHERE firsts & 32 <> 0), 1 * count(*) FILTER (WHERE firsts & 64 <> 0), 1 * count(*) FILTER (WHERE firsts & 128 <> 0) FROM demand_facts GROUP BY month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private, concept ORDER BY month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private, concept
    ON CONFLICT (month, kind, language, horizon, polarity, occupation, isco, sector_section, sector_division, skill_uri, skill_group, org_id, private, concept) DO UPDATE SET mentions = demand_rollup_work.mentions + EXCLUDED.mentions, demand = demand_rollup_work.demand + EXCLUDED.demand, docs_skill = demand_rollup_work.docs_skill + EXCLUDED.docs_skill, docs_skill_h = demand_rollup_work.docs_skill_h + EXCLUDED.docs_skill_h, docs_skill_p = demand_rollup_work.docs_skill_p + EXCLUDED.docs_skill_p, docs_skill_h_p = demand_rollup_work.docs_skill_h_p + EXCLUDED.docs_skill_h_p, docs_group = demand_rollup_work.docs_group + EXCLUDED.docs_group, docs_group_h = demand_rollup_work.docs_group_h + EXCLUDED.docs_group_h, docs_group_p = demand_rollup_work.docs_group_p + EXCLUDED.docs_group_p, docs_group_h_p = demand_rollup_work.docs_group_h_p + EXCLUDED.docs_group_h_p;
