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
