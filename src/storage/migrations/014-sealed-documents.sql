-- Crypto-shredding: a document's title, text and employer, and its stored analysis, sealed with a key of its own
-- kept outside the database (document-keys.ts). Rows stored before this stay plain until sealed at start.
ALTER TABLE documents ALTER COLUMN text DROP NOT NULL;
ALTER TABLE documents ADD COLUMN sealed bytea, ADD COLUMN key_segment text, ADD COLUMN key_slot int;
ALTER TABLE documents ALTER COLUMN sealed SET STORAGE EXTERNAL;
ALTER TABLE documents ADD CONSTRAINT documents_text_or_sealed CHECK (text IS NOT NULL OR sealed IS NOT NULL);
CREATE INDEX documents_plain ON documents (id) WHERE sealed IS NULL;
ALTER TABLE document_analyses ALTER COLUMN analysis DROP NOT NULL;
ALTER TABLE document_analyses ADD COLUMN sealed bytea;
ALTER TABLE document_analyses ALTER COLUMN sealed SET STORAGE EXTERNAL;
