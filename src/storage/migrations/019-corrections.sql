-- A person's corrections of a document's analysis (issue 30): kept with the document and applied over its
-- machine reading at every analysis, so that they survive re-analysis. Offsets and concepts only: the words they
-- name stay in the sealed text.
CREATE TABLE document_corrections (
  id           bigserial PRIMARY KEY,
  document_id  uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  org_id       uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  key_id       text,
  action       text NOT NULL CHECK (action IN ('remove', 'add', 'change')),
  concept      text NOT NULL CHECK (concept IN ('skill', 'occupation')),
  uri          text NOT NULL,
  start_offset int NOT NULL CHECK (start_offset >= 0),
  end_offset   int NOT NULL CHECK (end_offset >= start_offset),
  horizon      text CHECK (horizon IN ('current', 'short', 'long')),
  polarity     text CHECK (polarity IN ('need', 'surplus', 'mention')),
  weight       real,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX document_corrections_document ON document_corrections (document_id, id);
CREATE INDEX document_corrections_added ON document_corrections (uri) WHERE action = 'add';

-- a mention a correction confirmed, added or changed
ALTER TABLE mentions ADD COLUMN verified boolean NOT NULL DEFAULT false;
