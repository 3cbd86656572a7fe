import { backfillFirstsSql, dropRollupsSql, rollupMigrationSql, ROLLUPS, ROLLUPS_V6 } from '../demand/rollups.js';
import { NO_STATEMENT_TIMEOUT, type Database } from './database.js';

interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Versioned schema changes, applied in order, each once. Never edit a released one: add a new one. */
export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'taxonomy',
    sql: `
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
`,
  },
  {
    version: 2,
    name: 'documents',
    sql: `
CREATE TABLE documents (
  id                   uuid PRIMARY KEY,
  kind                 text NOT NULL CHECK (kind IN ('job_ad', 'meeting_note', 'survey_answer', 'report')),
  title                text,
  text                 text NOT NULL,
  language             text CHECK (language IN ('fi', 'sv', 'en')),
  doc_date             date,
  region               text,
  employer             jsonb,
  vacancies            int,
  external_id          text UNIQUE,
  content_hash         text NOT NULL UNIQUE,
  status               text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'processing', 'done', 'failed')),
  attempts             int NOT NULL DEFAULT 0,
  error                text,
  processed_by         text,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  analysed_at          timestamptz
);
CREATE INDEX documents_status ON documents (status, updated_at);
CREATE INDEX documents_created ON documents (created_at DESC, id);

CREATE TABLE document_analyses (
  document_id      uuid PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
  language         text NOT NULL,
  pipeline_version text NOT NULL,
  taxonomy_version int,
  analysis         jsonb NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);

-- One row per skill occurrence; a rerun of a job replaces a document's rows in one transaction.
CREATE TABLE mentions (
  id             bigserial PRIMARY KEY,
  document_id    uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  skill_uri      text NOT NULL,
  score          real NOT NULL,
  method         text NOT NULL,
  start_offset   int NOT NULL,
  end_offset     int NOT NULL,
  sentence_index int NOT NULL,
  UNIQUE (document_id, skill_uri, start_offset)
);
CREATE INDEX mentions_skill ON mentions (skill_uri);
`,
  },
  {
    version: 3,
    name: 'classifications',
    sql: `
ALTER TABLE sectors ADD COLUMN note_fi text;
ALTER TABLE sectors ADD COLUMN note_sv text;
ALTER TABLE sectors ADD COLUMN note_en text;

-- Ranked occupations (ESCO, with ISCO-08) and sectors (TOL 2008) of an analysed document
CREATE TABLE document_classifications (
  document_id uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  scheme      text NOT NULL CHECK (scheme IN ('occupation', 'sector')),
  rank        int NOT NULL,
  code        text NOT NULL,
  isco_code   text,
  level       int,
  score       real NOT NULL,
  PRIMARY KEY (document_id, scheme, rank)
);
CREATE INDEX document_classifications_code ON document_classifications (scheme, code);
`,
  },
  {
    version: 4,
    name: 'demand',
    sql: `
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
`,
  },
  {
    version: 5,
    name: 'demand-covering',
    sql: `
-- the analyst's usual question (a maakunta, a horizon, which skills) answered from the index alone
CREATE INDEX demand_facts_maakunta_signal ON demand_facts (maakunta, polarity, horizon, month) INCLUDE (skill_uri, document_id, weight);
`,
  },
  {
    version: 6,
    name: 'demand-rollups',
    sql: `
-- which document-level counts each fact is the first of (src/demand/rollups.ts); facts so far in physical order
ALTER TABLE demand_facts ADD COLUMN firsts smallint NOT NULL DEFAULT 0;
${backfillFirstsSql()};
${rollupMigrationSql(ROLLUPS_V6)}
-- the rollups answer region + horizon questions now
DROP INDEX demand_facts_maakunta_signal;
`,
  },
  {
    version: 7,
    name: 'batches',
    sql: `
CREATE TABLE batches (
  id          uuid PRIMARY KEY,
  format      text NOT NULL CHECK (format IN ('jsonl', 'csv')),
  kind        text NOT NULL,
  text_field  text,
  id_field    text,
  status      text NOT NULL DEFAULT 'receiving' CHECK (status IN ('receiving', 'received', 'interrupted')),
  rows        int NOT NULL DEFAULT 0,
  rejected    int NOT NULL DEFAULT 0,
  error       text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  received_at timestamptz
);
-- every row of the upload: the document it became, or why it could not be one
CREATE TABLE batch_rows (
  batch_id    uuid NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
  row         int NOT NULL,
  line        int,
  ad_id       text,
  document_id uuid REFERENCES documents (id) ON DELETE SET NULL,
  error       text,
  PRIMARY KEY (batch_id, row)
);
CREATE INDEX batch_rows_document ON batch_rows (document_id);
`,
  },
  {
    version: 8,
    name: 'organisations',
    sql: `
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
${dropRollupsSql(ROLLUPS_V6)}
ALTER TABLE demand_facts ADD COLUMN org_id uuid;
ALTER TABLE demand_facts ADD COLUMN private boolean;
UPDATE demand_facts f SET org_id = d.org_id, private = (d.visibility = 'private') FROM documents d WHERE d.id = f.document_id;
ALTER TABLE demand_facts ALTER COLUMN org_id SET NOT NULL;
ALTER TABLE demand_facts ALTER COLUMN private SET NOT NULL;
${rollupMigrationSql(ROLLUPS)}
`,
  },
  {
    version: 9,
    name: 'requeue sweep marks',
    sql: `
-- when the requeue sweep last queued the document again: it then looks at others first, so a long backlog is
-- covered in turn rather than its oldest rows each time
ALTER TABLE documents ADD COLUMN requeued_at timestamptz;
CREATE INDEX documents_waiting ON documents ((GREATEST(updated_at, requeued_at))) WHERE status IN ('queued', 'processing');
`,
  },
  {
    version: 10,
    name: 'documents: indexes no query uses',
    sql: `
-- listings are per organisation (documents_org_created) and the requeue sweep has documents_waiting: these two
-- were only written, on every submission and every change of status
DROP INDEX IF EXISTS documents_status;
DROP INDEX IF EXISTS documents_created;
`,
  },
  {
    version: 11,
    name: 'requeue sweep goes on where it stopped',
    sql: `
-- the sweep reads the waiting documents in (time, id) order from where its last pass stopped, instead of
-- marking every document it looked at
DROP INDEX documents_waiting;
CREATE INDEX documents_waiting ON documents ((GREATEST(updated_at, requeued_at)), id) WHERE status IN ('queued', 'processing');
`,
  },
];

/** Applies pending migrations; safe when several processes start at once (advisory lock). */
export async function migrate(db: Database): Promise<number[]> {
  await db.transaction(async (tx) => {
    await tx.query(NO_STATEMENT_TIMEOUT); // another process may hold the lock while it migrates
    await tx.query('SELECT pg_advisory_xact_lock(727274)');
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  });
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    await db.transaction(async (tx) => {
      await tx.query(NO_STATEMENT_TIMEOUT); // a migration may rewrite a large table
      await tx.query('SELECT pg_advisory_xact_lock(727274)');
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
      if (done.length > 0) return;
      for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      applied.push(migration.version);
    });
  }
  return applied;
}

/** Statements end with a semicolon at the end of a line, except inside a $$-quoted function body. */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = '';
  let quoted = false;
  for (const line of sql.split('\n')) {
    if (!quoted && /^\s*--/.test(line)) continue;
    current += `${line}\n`;
    quoted = (line.split('$$').length - 1) % 2 === 1 ? !quoted : quoted;
    if (!quoted && /;\s*$/.test(line)) {
      statements.push(current.trim().replace(/;$/, ''));
      current = '';
    }
  }
  if (current.trim()) statements.push(current.trim());
  return statements;
}
