CREATE TABLE taxonomy_versions (
  id           serial PRIMARY KEY,
  content_hash text NOT NULL UNIQUE,
  esco_version text NOT NULL,
  source_dir   text NOT NULL,
  counts       jsonb NOT NULL,
  imported_at  timestamptz NOT NULL DEFAULT now(),
  active       boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX taxonomy_versions_one_active ON taxonomy_versions (active) WHERE active;

CREATE TABLE esco_skills (
  uri            text PRIMARY KEY,
  skill_type     text,
  reuse_level    text,
  status         text,
  pref_en        text NOT NULL,
  pref_fi        text,
  pref_sv        text,
  description_en text
);
CREATE TABLE esco_occupations (
  uri            text PRIMARY KEY,
  code           text,
  isco_code      text NOT NULL,
  pref_en        text NOT NULL,
  pref_fi        text,
  pref_sv        text,
  description_en text
);
-- Preferred, alternative and hidden labels of skills and occupations, per language.
CREATE TABLE esco_labels (
  concept_uri  text NOT NULL,
  concept_type text NOT NULL CHECK (concept_type IN ('skill', 'occupation')),
  lang         text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('pref', 'alt', 'hidden')),
  label        text NOT NULL,
  PRIMARY KEY (concept_uri, lang, kind, label)
);
CREATE INDEX esco_labels_type_lang ON esco_labels (concept_type, lang);
CREATE TABLE esco_skill_groups (
  uri            text PRIMARY KEY,
  code           text,
  pref_en        text NOT NULL,
  description_en text
);
-- skill → broader skill or skill group (ESCO skills pillar hierarchy)
CREATE TABLE esco_skill_broader (
  uri         text NOT NULL,
  broader_uri text NOT NULL,
  PRIMARY KEY (uri, broader_uri)
);
CREATE TABLE esco_occupation_skills (
  occupation_uri text NOT NULL,
  skill_uri      text NOT NULL,
  relation       text NOT NULL CHECK (relation IN ('essential', 'optional')),
  PRIMARY KEY (occupation_uri, skill_uri)
);
CREATE INDEX esco_occupation_skills_skill ON esco_occupation_skills (skill_uri);
CREATE TABLE isco_groups (
  code        text PRIMARY KEY,
  level       int NOT NULL CHECK (level BETWEEN 1 AND 4),
  parent_code text,
  uri         text,
  name_en     text NOT NULL,
  name_fi     text,
  name_sv     text
);
-- TOL 2008 sections and divisions (fi/sv/en) and NACE Rev. 2 groups and classes (en)
CREATE TABLE sectors (
  code        text PRIMARY KEY,
  level       int NOT NULL CHECK (level BETWEEN 1 AND 4),
  parent_code text,
  name_en     text NOT NULL,
  name_fi     text,
  name_sv     text
);
-- Finnish regional divisions; levels: municipality, maakunta, ely, elinvoimakeskus, major_region, country
CREATE TABLE regions (
  code        text PRIMARY KEY,
  level       text NOT NULL,
  name_fi     text NOT NULL,
  name_sv     text,
  name_en     text,
  parent_code text,
  valid_from  date,
  valid_to    date
);
CREATE INDEX regions_level ON regions (level);
-- municipality → ELY area (until 2025) and elinvoimakeskus area (from 2026)
CREATE TABLE municipality_areas (
  municipality_code text NOT NULL,
  area_code         text NOT NULL,
  PRIMARY KEY (municipality_code, area_code)
);
CREATE TABLE postal_codes (
  postcode          text PRIMARY KEY,
  municipality_code text NOT NULL,
  name_fi           text,
  name_sv           text
);
