-- Groupings of regions or municipalities besides the official levels, usable wherever a region is: the five
-- ESR+ coordination areas come predefined (by maakunta, as the EU programme 2021–2027 divides mainland Finland);
-- users add their own ("Hämeenlinnan seutu" from municipalities). Members are region codes of any level.
CREATE TABLE region_groupings (
  code       text PRIMARY KEY,
  name_fi    text NOT NULL,
  name_sv    text,
  name_en    text,
  -- the organisation that made it; NULL for the predefined ones, which only an operator changes
  org_id     uuid REFERENCES organisations (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX region_groupings_name ON region_groupings (lower(name_fi));

CREATE TABLE region_grouping_members (
  grouping_code text NOT NULL REFERENCES region_groupings (code) ON DELETE CASCADE,
  region_code   text NOT NULL,
  PRIMARY KEY (grouping_code, region_code)
);

CREATE SEQUENCE region_grouping_numbers;

INSERT INTO region_groupings (code, name_fi, name_sv, name_en) VALUES
  ('ESR1', 'ESR+ Uusimaa', 'ESF+ Nyland', 'ESF+ Uusimaa'),
  ('ESR2', 'ESR+ Etelä-Suomi', 'ESF+ Södra Finland', 'ESF+ Southern Finland'),
  ('ESR3', 'ESR+ Länsi-Suomi', 'ESF+ Västra Finland', 'ESF+ Western Finland'),
  ('ESR4', 'ESR+ Itä-Suomi', 'ESF+ Östra Finland', 'ESF+ Eastern Finland'),
  ('ESR5', 'ESR+ Pohjois-Suomi', 'ESF+ Norra Finland', 'ESF+ Northern Finland');

INSERT INTO region_grouping_members (grouping_code, region_code) VALUES
  ('ESR1', 'MK01'),
  ('ESR2', 'MK02'), ('ESR2', 'MK05'), ('ESR2', 'MK07'), ('ESR2', 'MK08'), ('ESR2', 'MK09'),
  ('ESR3', 'MK04'), ('ESR3', 'MK06'), ('ESR3', 'MK13'), ('ESR3', 'MK14'), ('ESR3', 'MK15'),
  ('ESR4', 'MK10'), ('ESR4', 'MK11'), ('ESR4', 'MK12'),
  ('ESR5', 'MK16'), ('ESR5', 'MK17'), ('ESR5', 'MK18'), ('ESR5', 'MK19');
