-- Shared interpretations (issue 30): what analysts read from a view, attached to a region (any level or grouping),
-- a concept, a horizon and a period; others reply and agree. Visible to the own organisation or the network.
CREATE TABLE interpretations (
  id           uuid PRIMARY KEY,
  org_id       uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  key_id       text,
  region       text,
  concept_type text CHECK (concept_type IN ('skill', 'skill_group', 'occupation', 'isco')),
  concept      text,
  horizon      text CHECK (horizon IN ('current', 'short', 'long')),
  period_from  date NOT NULL,
  period_to    date NOT NULL CHECK (period_to >= period_from),
  title        text NOT NULL,
  body         text NOT NULL,
  visibility   text NOT NULL CHECK (visibility IN ('organisation', 'network')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  CHECK ((concept_type IS NULL) = (concept IS NULL))
);
CREATE INDEX interpretations_region ON interpretations (region, period_from);

CREATE TABLE interpretation_replies (
  id                bigserial PRIMARY KEY,
  interpretation_id uuid NOT NULL REFERENCES interpretations (id) ON DELETE CASCADE,
  org_id            uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  key_id            text,
  body              text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX interpretation_replies_of ON interpretation_replies (interpretation_id, id);

-- one agreement per organisation
CREATE TABLE interpretation_agreements (
  interpretation_id uuid NOT NULL REFERENCES interpretations (id) ON DELETE CASCADE,
  org_id            uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (interpretation_id, org_id)
);
