ALTER TABLE documents ADD COLUMN horizon text CHECK (horizon IN ('current', 'short', 'long'));
ALTER TABLE mentions ADD COLUMN horizon text NOT NULL DEFAULT 'current' CHECK (horizon IN ('current', 'short', 'long'));
ALTER TABLE mentions ADD COLUMN polarity text NOT NULL DEFAULT 'mention' CHECK (polarity IN ('need', 'surplus', 'mention'));
ALTER TABLE mentions ADD COLUMN weight real NOT NULL DEFAULT 1;

-- every place a document names, with its roll-up; demand is counted in the primary place's
CREATE TABLE document_regions (
  document_id uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  code        text NOT NULL,
  level       text NOT NULL,
  is_primary  boolean NOT NULL,
  source      text NOT NULL CHECK (source IN ('metadata', 'text')),
  PRIMARY KEY (document_id, code)
);
CREATE INDEX document_regions_code ON document_regions (code) WHERE is_primary;

-- One row per mention with everything a demand query filters or groups by, so that every demand query reads
-- one table: written in the same transaction as the mentions, replaced with them.
CREATE TABLE demand_facts (
  document_id     uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  skill_uri       text NOT NULL,
  skill_group     text,
  month           date NOT NULL,
  kind            text NOT NULL,
  language        text NOT NULL,
  horizon         text NOT NULL,
  polarity        text NOT NULL,
  weight          real NOT NULL,
  score           real NOT NULL,
  municipality    text,
  maakunta        text,
  area            text,
  major_region    text,
  occupation      text,
  isco            text,
  sector_section  text,
  sector_division text
);
CREATE INDEX demand_facts_document ON demand_facts (document_id);
CREATE INDEX demand_facts_month ON demand_facts (month);
CREATE INDEX demand_facts_maakunta ON demand_facts (maakunta, month);
CREATE INDEX demand_facts_municipality ON demand_facts (municipality, month);
CREATE INDEX demand_facts_area ON demand_facts (area, month);
CREATE INDEX demand_facts_major ON demand_facts (major_region, month);
CREATE INDEX demand_facts_skill ON demand_facts (skill_uri, month);
CREATE INDEX demand_facts_isco ON demand_facts (isco, month);
CREATE INDEX demand_facts_sector ON demand_facts (sector_division, month);
