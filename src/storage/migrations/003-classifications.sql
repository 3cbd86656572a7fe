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
