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
