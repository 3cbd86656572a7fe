import { compareCodeUnits } from '../base/compare.js';
import type { Logger } from '../base/logger.js';
import {
  assembleTaxonomy,
  ISCO_GROUP_URI,
  type Alias,
  type ConceptLabel,
  type TaxonomyData,
  type TaxonomyPart,
} from '../domain/taxonomy.js';
import type { Language } from '../domain/language.js';
import type { RegionLevel } from '../domain/region.js';
import type { Queryable } from '../storage/database.js';
import { readAliases } from './aliases.js';
import { readRegionNames } from './region-names.js';
import { activeTaxonomyVersion } from './import.js';
import { parseSources, sourcesOf, type Table, type TaxonomyTable } from './parse.js';

type Text = string | null;

/** An ESCO label row as the parser gives it (the database's are read in ConceptLabel's shape). */
interface Label {
  concept_uri: string;
  concept_type: 'skill' | 'occupation';
  lang: Language;
  kind: 'pref' | 'alt' | 'hidden';
  label: string;
}

/** The rows the analysis reads, with their columns as the database and the parser name them. */
interface Rows {
  esco_skills: { uri: string; skill_type: Text; pref_en: string; pref_fi: Text; pref_sv: Text }[];
  // the largest tables: read in the value's shape, so that no copy of them is made
  skill_labels: ConceptLabel[];
  occupation_labels: ConceptLabel[];
  esco_skill_groups: { uri: string }[];
  esco_skill_broader: { uri: string; broader_uri: string }[];
  esco_occupations: {
    uri: string;
    isco_code: string;
    pref_en: string;
    pref_fi: Text;
    pref_sv: Text;
    description_en: Text;
  }[];
  esco_occupation_skills: { occupation_uri: string; skill_uri: string; relation: 'essential' | 'optional' }[];
  isco_groups: { code: string; name_en: string; name_fi: Text; name_sv: Text }[];
  sectors: {
    code: string;
    level: number;
    parent_code: Text;
    name_en: string;
    name_fi: Text;
    name_sv: Text;
    note_en: Text;
    note_fi: Text;
    note_sv: Text;
  }[];
  regions: {
    code: string;
    level: RegionLevel;
    name_fi: string;
    name_sv: Text;
    name_en: Text;
    parent_code: Text;
    valid_from: Text;
    valid_to: Text;
  }[];
  municipality_areas: { municipality_code: string; area_code: string }[];
  postal_codes: { postcode: string; municipality_code: string; name_fi: Text; name_sv: Text }[];
}

const LABELS = (type: Label['concept_type']) =>
  `SELECT concept_uri AS uri, lang, kind, label FROM esco_labels WHERE concept_type = '${type}' AND kind <> 'hidden'`;

const READ: { [T in keyof Rows]: string } = {
  esco_skills: 'SELECT uri, skill_type, pref_en, pref_fi, pref_sv FROM esco_skills',
  // hidden labels are ESCO's search aids (misspellings, loose associations): too noisy to match in text
  skill_labels: LABELS('skill'),
  occupation_labels: LABELS('occupation'),
  esco_skill_groups: 'SELECT uri FROM esco_skill_groups',
  esco_skill_broader: 'SELECT uri, broader_uri FROM esco_skill_broader',
  esco_occupations: 'SELECT uri, isco_code, pref_en, pref_fi, pref_sv, description_en FROM esco_occupations',
  esco_occupation_skills: 'SELECT occupation_uri, skill_uri, relation FROM esco_occupation_skills',
  isco_groups: 'SELECT code, name_en, name_fi, name_sv FROM isco_groups',
  sectors: 'SELECT code, level, parent_code, name_en, name_fi, name_sv, note_en, note_fi, note_sv FROM sectors',
  regions: `SELECT code, level, name_fi, name_sv, name_en, parent_code,
    to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to FROM regions`,
  municipality_areas: 'SELECT municipality_code, area_code FROM municipality_areas',
  postal_codes: 'SELECT postcode, municipality_code, name_fi, name_sv FROM postal_codes',
};

export interface LoadOptions {
  /** local alias files (ALIASES_FILES); rows naming no skill of the taxonomy are left out */
  aliasFiles?: string[];
  /** told of alias rows left out */
  log?: Pick<Logger, 'warn'>;
  /** aliases an operator accepted (read from the database with its taxonomy) */
  accepted?: Alias[];
}

/** The file an accepted alias is said to come from (its line is its id). */
export const ACCEPTED_ALIASES = 'accepted by an operator';

/**
 * Postal locality names (as Posti writes them, upper case) in title case, each with its municipality: only names
 * of one municipality, and not a municipality's or region's own name.
 */
function localitiesOf(postal: Rows['postal_codes'], regions: { names: { fi: string; sv: string | null } }[]) {
  const taken = new Set(
    regions
      .flatMap((r) => [r.names.fi, r.names.sv])
      .filter((n) => n)
      .map((n) => n!.toLowerCase()),
  );
  const municipalities = new Map<string, Set<string>>();
  for (const p of postal)
    for (const name of [p.name_fi, p.name_sv]) {
      if (!name || taken.has(name.toLowerCase())) continue;
      const title = name.toLowerCase().replace(/(^|[\s-])\p{L}/gu, (c) => c.toUpperCase());
      municipalities.set(title, (municipalities.get(title) ?? new Set()).add(p.municipality_code));
    }
  return [...municipalities]
    .filter(([, codes]) => codes.size === 1)
    .map(([name, codes]) => ({ name, municipality: [...codes][0]! }))
    .sort(by((l) => l.name));
}

/** How to read the rows of one table: from the database, or from the parsed files. */
type Read = <T extends keyof Rows>(table: T) => Promise<Rows[T]>;

/** The active taxonomy of the database as one value (empty when none is imported). */
export function loadTaxonomy(db: Queryable, options: LoadOptions = {}): Promise<TaxonomyData> {
  return assembleTaxonomy(taxonomyParts(db, options));
}

/** loadTaxonomy part by part: the value's fields one at a time, each read from the database when asked for. */
export async function* taxonomyParts(db: Queryable, options: LoadOptions = {}): AsyncGenerator<TaxonomyPart> {
  const version = await activeTaxonomyVersion(db);
  // rows come back untyped: READ's columns are Rows' by construction
  const read: Read = async (table) => (await db.query(READ[table])) as Rows[typeof table];
  const accepted = await db.query<{ lang: Language; alias: string; uri: string; id: string }>(
    'SELECT lang, alias, uri, id::text AS id FROM accepted_aliases ORDER BY id',
  );
  yield* partsOf(
    read,
    version ? { id: version.id, escoVersion: version.escoVersion, contentHash: version.contentHash } : null,
    {
      ...options,
      accepted: accepted.map((a) => ({
        lang: a.lang,
        alias: a.alias,
        uri: a.uri,
        file: ACCEPTED_ALIASES,
        line: Number(a.id),
      })),
    },
  );
}

/**
 * The taxonomy read straight from the official files under `dir`, without a database: the same value that
 * importing them and `loadTaxonomy` give (version id null). For evaluation, benchmarks and tests.
 */
export async function readTaxonomy(dir: string, options: LoadOptions = {}): Promise<TaxonomyData> {
  const { sources, contentHash } = await sourcesOf(dir);
  const tables = new Map((await parseSources(sources, () => undefined)).map((t) => [t.name, t]));
  const rows = (name: TaxonomyTable) => objects(tables.get(name)!);
  const labels = (type: Label['concept_type']) =>
    (rows('esco_labels') as unknown as Label[])
      .filter((l) => l.concept_type === type && l.kind !== 'hidden')
      .map((l) => ({ uri: l.concept_uri, lang: l.lang, kind: l.kind as ConceptLabel['kind'], label: l.label }));
  const read: Read = async (table) =>
    (table === 'skill_labels'
      ? labels('skill')
      : table === 'occupation_labels'
        ? labels('occupation')
        : rows(table as Exclude<typeof table, 'skill_labels' | 'occupation_labels'>)) as Rows[typeof table];
  return assembleTaxonomy(partsOf(read, { id: null, escoVersion: sources.escoVersion, contentHash }, options));
}

/** A parsed table's positional rows as objects keyed by column. */
function objects(t: Table): Record<string, unknown>[] {
  return t.rows.map((row) => Object.fromEntries(t.columns.map((c, i) => [c, row[i] ?? null])));
}

const by =
  <T>(...keys: ((x: T) => string)[]) =>
  (a: T, b: T): number => {
    for (const key of keys) {
      const c = compareCodeUnits(key(a), key(b));
      if (c !== 0) return c;
    }
    return 0;
  };

/**
 * The value part by part, in its shape and in a fixed order whichever engine or file the rows came from: one
 * table at a time, so that a consumer that passes each part on (to an analysis process) holds one at a time.
 */
async function* partsOf(
  read: Read,
  version: TaxonomyData['version'],
  options: LoadOptions,
): AsyncGenerator<TaxonomyPart> {
  // sorted in place: the largest tables, of which no copy is made
  const labels = (rows: ConceptLabel[]) =>
    rows.sort(
      by(
        (l) => l.uri,
        (l) => l.lang,
        (l) => l.kind,
        (l) => l.label,
      ),
    );
  yield { key: 'version', value: version };
  const skills = (await read('esco_skills'))
    .map((s) => ({ uri: s.uri, type: s.skill_type, names: { en: s.pref_en, fi: s.pref_fi, sv: s.pref_sv } }))
    .sort(by((s) => s.uri));
  // aliases name skills or occupations
  const known = new Set(skills.map((s) => s.uri));
  yield { key: 'skills', value: skills };
  yield { key: 'skillLabels', value: labels(await read('skill_labels')) };
  yield { key: 'skillGroups', value: (await read('esco_skill_groups')).map((g) => g.uri).sort(compareCodeUnits) };
  yield {
    key: 'skillBroader',
    value: (await read('esco_skill_broader'))
      .map((b) => ({ uri: b.uri, broader: b.broader_uri }))
      .sort(
        by(
          (b) => b.uri,
          (b) => b.broader,
        ),
      ),
  };
  const occupations = (await read('esco_occupations'))
    .map((o) => ({
      uri: o.uri,
      isco: o.isco_code,
      names: { en: o.pref_en, fi: o.pref_fi, sv: o.pref_sv },
      description: o.description_en,
    }))
    .sort(by((o) => o.uri));
  for (const o of occupations) known.add(o.uri);
  yield { key: 'occupations', value: occupations };
  yield { key: 'occupationLabels', value: labels(await read('occupation_labels')) };
  yield {
    key: 'occupationSkills',
    value: (await read('esco_occupation_skills'))
      .map((r) => ({ occupation: r.occupation_uri, skill: r.skill_uri, essential: r.relation === 'essential' }))
      .sort(
        by(
          (r) => r.occupation,
          (r) => r.skill,
        ),
      ),
  };
  const iscoGroups = (await read('isco_groups'))
    .map((g) => ({ code: g.code, names: { en: g.name_en, fi: g.name_fi, sv: g.name_sv } }))
    .sort(by((g) => g.code));
  // an alias may name an occupation only as its ISCO-08 group ("kokoonpanotyöntekijä": assemblers)
  for (const g of iscoGroups) known.add(`${ISCO_GROUP_URI}${g.code}`);
  yield { key: 'iscoGroups', value: iscoGroups };
  yield {
    key: 'sectors',
    value: (await read('sectors'))
      .map((s) => ({
        code: s.code,
        level: s.level,
        parent: s.parent_code,
        names: { en: s.name_en, fi: s.name_fi, sv: s.name_sv },
        notes: { en: s.note_en, fi: s.note_fi, sv: s.note_sv },
      }))
      .sort(by((s) => s.code)),
  };
  const regions = (await read('regions'))
    .map((r) => ({
      code: r.code,
      level: r.level,
      names: { fi: r.name_fi, sv: r.name_sv, en: r.name_en },
      parent: r.parent_code,
      validFrom: r.valid_from,
      validTo: r.valid_to,
    }))
    .sort(by((r) => r.code));
  yield { key: 'regions', value: regions };
  yield {
    key: 'municipalityAreas',
    value: (await read('municipality_areas'))
      .map((a) => ({ municipality: a.municipality_code, area: a.area_code }))
      .sort(
        by(
          (a) => a.municipality,
          (a) => a.area,
        ),
      ),
  };
  const postal = await read('postal_codes');
  yield {
    key: 'postalCodes',
    value: postal.map((p) => ({ postcode: p.postcode, municipality: p.municipality_code })).sort(by((p) => p.postcode)),
  };
  yield { key: 'localities', value: localitiesOf(postal, regions) };
  yield { key: 'regionNames', value: await readRegionNames(new Set(regions.map((r) => r.code))) };
  const { aliases, problems } = await readAliases(options.aliasFiles ?? []);
  for (const p of problems) options.log?.warn(p, 'alias row skipped');
  yield {
    key: 'aliases',
    value: [...aliases, ...(options.accepted ?? [])].filter((a) => {
      if (known.has(a.uri)) return true;
      options.log?.warn(
        { file: a.file, line: a.line, uri: a.uri },
        'alias names a skill or occupation not in the taxonomy; skipped',
      );
      return false;
    }),
  };
}
