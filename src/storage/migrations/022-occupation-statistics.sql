-- Official labour-market statistics beside the text signals (issue 31): open vacancies and unemployed jobseekers at
-- the end of each month by occupation (ISCO-08) and region, as Statistics Finland publishes them. Each imported
-- file is a release, found again by its content; a later release's figures replace an earlier one's.
CREATE TABLE statistics_releases (
  id           serial PRIMARY KEY,
  content_hash text NOT NULL UNIQUE,
  file         text NOT NULL,
  title        text,
  figures      int NOT NULL,
  first_month  date,
  last_month   date,
  imported_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE occupation_statistics (
  region     text NOT NULL,
  isco       text NOT NULL,
  month      date NOT NULL,
  vacancies  real,
  jobseekers real,
  release_id int NOT NULL REFERENCES statistics_releases (id),
  PRIMARY KEY (region, isco, month)
);
-- a region's months, newest first: the latest month of a period is one index step per region
CREATE INDEX occupation_statistics_region_month ON occupation_statistics (region, month);

-- the regions that have figures: which parts a region's figures are summed from is read here, not from the figures
CREATE TABLE statistics_regions (region text PRIMARY KEY);
