-- The regions' knowledge process (issue 30): a catalogue of the sources feeding the platform beside what the
-- documents themselves show, and the annual calendar of when the region's knowledge products are due.
CREATE TABLE knowledge_sources (
  id          uuid PRIMARY KEY,
  org_id      uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  name        text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('job_ads', 'meeting_notes', 'survey', 'statistics', 'report', 'other')),
  owner       text NOT NULL,
  rhythm      text NOT NULL CHECK (rhythm IN ('continuous', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular')),
  last_update date,
  url         text,
  description text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX knowledge_sources_name ON knowledge_sources (org_id, lower(name));

-- a product due every year on a month (and day): "Ammattibarometri, syksy", "Alueellinen ennakointikatsaus"
CREATE TABLE knowledge_calendar (
  id          uuid PRIMARY KEY,
  org_id      uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  title       text NOT NULL,
  region      text,
  due_month   int NOT NULL CHECK (due_month BETWEEN 1 AND 12),
  due_day     int CHECK (due_day BETWEEN 1 AND 31),
  owner       text NOT NULL,
  description text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
