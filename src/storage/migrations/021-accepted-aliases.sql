-- Aliases an operator accepted from the words people repeatedly added as a concept (issue 30): read with the alias
-- files when the analysis loads the taxonomy.
CREATE TABLE accepted_aliases (
  id          bigserial PRIMARY KEY,
  lang        text NOT NULL CHECK (lang IN ('fi', 'sv', 'en')),
  alias       text NOT NULL,
  uri         text NOT NULL,
  accepted_by text,
  accepted_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX accepted_aliases_key ON accepted_aliases (lang, lower(alias), uri);
