import { join } from 'node:path';
import { PROJECT_ROOT } from '../base/paths.js';
import { readCsv, splitLines, TaxonomyFileError } from './csv.js';
import { hashSources, resolveSources, type ResolvedSources, type SourceKey } from './sources.js';

/** Bump when the reading of the sources changes, so that the next import replaces the data. */
const IMPORTER_VERSION = 3;
const MAJOR_REGIONS_FILE = join(PROJECT_ROOT, 'taxonomy', 'major-regions.csv');

export type ProgressFn = (stage: string, done: number, total: number) => void;

/** The tables of an imported taxonomy, in the order they are written. */
export const TAXONOMY_TABLES = [
  'esco_skills',
  'esco_occupations',
  'esco_labels',
  'esco_skill_groups',
  'esco_skill_broader',
  'esco_occupation_skills',
  'isco_groups',
  'sectors',
  'regions',
  'municipality_areas',
  'postal_codes',
] as const;
export type TaxonomyTable = (typeof TAXONOMY_TABLES)[number];

/** The source files found under `dir`, and the version of their contents as the importer reads them. */
export async function sourcesOf(dir: string): Promise<{ sources: ResolvedSources; contentHash: string }> {
  const sources = resolveSources(dir);
  const contentHash = `${IMPORTER_VERSION}:${(await hashSources(sources, { majorRegions: MAJOR_REGIONS_FILE })).slice(0, 32)}`;
  return { sources, contentHash };
}

export type Row = (string | number | null)[];

/** One table of the taxonomy as parsed from the sources: its columns, their SQL types, and positional rows. */
export interface Table {
  name: TaxonomyTable;
  columns: string[];
  types: string[];
  rows: Row[];
}

function table(name: TaxonomyTable, spec: Record<string, string>): Table {
  return { name, columns: Object.keys(spec), types: Object.values(spec), rows: [] };
}

/** Parses every source into rows; throws TaxonomyFileError on the first malformed record. */
export async function parseSources(src: ResolvedSources, progress: ProgressFn): Promise<Table[]> {
  const p = src.paths;
  const skills = table('esco_skills', {
    uri: 'text',
    skill_type: 'text',
    reuse_level: 'text',
    status: 'text',
    pref_en: 'text',
    pref_fi: 'text',
    pref_sv: 'text',
    description_en: 'text',
  });
  const occupations = table('esco_occupations', {
    uri: 'text',
    code: 'text',
    isco_code: 'text',
    pref_en: 'text',
    pref_fi: 'text',
    pref_sv: 'text',
    description_en: 'text',
  });
  const labels = table('esco_labels', {
    concept_uri: 'text',
    concept_type: 'text',
    lang: 'text',
    kind: 'text',
    label: 'text',
  });
  const groups = table('esco_skill_groups', {
    uri: 'text',
    code: 'text',
    pref_en: 'text',
    description_en: 'text',
    pref_fi: 'text',
    pref_sv: 'text',
  });
  const broader = table('esco_skill_broader', { uri: 'text', broader_uri: 'text' });
  const occSkills = table('esco_occupation_skills', { occupation_uri: 'text', skill_uri: 'text', relation: 'text' });
  const isco = table('isco_groups', {
    code: 'text',
    level: 'int',
    parent_code: 'text',
    uri: 'text',
    name_en: 'text',
    name_fi: 'text',
    name_sv: 'text',
  });
  const sectors = table('sectors', {
    code: 'text',
    level: 'int',
    parent_code: 'text',
    name_en: 'text',
    name_fi: 'text',
    name_sv: 'text',
    note_fi: 'text',
    note_sv: 'text',
    note_en: 'text',
  });
  const regions = table('regions', {
    code: 'text',
    level: 'text',
    name_fi: 'text',
    name_sv: 'text',
    name_en: 'text',
    parent_code: 'text',
    valid_from: 'date',
    valid_to: 'date',
  });
  const areas = table('municipality_areas', { municipality_code: 'text', area_code: 'text' });
  const postal = table('postal_codes', {
    postcode: 'text',
    municipality_code: 'text',
    name_fi: 'text',
    name_sv: 'text',
  });

  const seenLabels = new Set<string>();
  const addLabel = (uri: string, type: 'skill' | 'occupation', lang: string, kind: string, label: string) => {
    const clean = label.replace(/\s+/g, ' ').trim();
    if (!clean) return;
    const key = `${uri}\0${lang}\0${kind}\0${clean}`;
    if (seenLabels.has(key)) return;
    seenLabels.add(key);
    labels.rows.push([uri, type, lang, kind, clean]);
  };
  const need = (path: string, line: number, column: string, value: string) => {
    if (!value) throw new TaxonomyFileError(path.split('/').pop() ?? path, line, `empty ${column}`);
    return value;
  };
  const uriCheck = (path: string, line: number, column: string, value: string) => {
    need(path, line, column, value);
    if (!/^https?:\/\/\S+$/.test(value)) {
      throw new TaxonomyFileError(
        path.split('/').pop() ?? path,
        line,
        `${column} is not a URI: ${JSON.stringify(value.slice(0, 80))}`,
      );
    }
    return value;
  };
  const stage = async (
    key: SourceKey,
    required: string[],
    each: (row: { line: number; get(c: string): string }, path: string) => void,
    lenient = false,
  ) => {
    const path = p[key];
    if (!path) return;
    let n = 0;
    for await (const row of readCsv(path, { required, lenientTrailing: lenient })) {
      each(row, path);
      if (++n % 5000 === 0) progress(key, n, 0);
    }
    progress(key, n, n);
  };

  // ESCO skills (English, with alternative and hidden labels)
  const skillIndex = new Map<string, Row>();
  await stage(
    'skills',
    ['conceptUri', 'preferredLabel', 'altLabels', 'skillType', 'reuseLevel', 'status'],
    (r, path) => {
      const uri = uriCheck(path, r.line, 'conceptUri', r.get('conceptUri'));
      const pref = need(path, r.line, 'preferredLabel', r.get('preferredLabel'));
      const row: Row = [
        uri,
        r.get('skillType') || null,
        r.get('reuseLevel') || null,
        r.get('status') || null,
        pref,
        null,
        null,
        r.get('description') || null,
      ];
      if (skillIndex.has(uri)) throw new TaxonomyFileError('skills_en.csv', r.line, `duplicate conceptUri ${uri}`);
      skillIndex.set(uri, row);
      skills.rows.push(row);
      addLabel(uri, 'skill', 'en', 'pref', pref);
      for (const alt of splitLines(r.get('altLabels'))) addLabel(uri, 'skill', 'en', 'alt', alt);
      for (const hidden of splitLines(r.get('hiddenLabels'))) addLabel(uri, 'skill', 'en', 'hidden', hidden);
    },
  );
  await stage('skillLabelsFiSv', ['conceptUri', 'preferredLabel_fi', 'preferredLabel_sv'], (r, path) => {
    const uri = uriCheck(path, r.line, 'conceptUri', r.get('conceptUri'));
    const row = skillIndex.get(uri);
    if (!row) return; // a label for a skill outside this ESCO version
    const fi = r.get('preferredLabel_fi');
    const sv = r.get('preferredLabel_sv');
    row[5] = fi || null;
    row[6] = sv || null;
    if (fi) addLabel(uri, 'skill', 'fi', 'pref', fi);
    if (sv) addLabel(uri, 'skill', 'sv', 'pref', sv);
  });

  // Skill groups and the skills pillar hierarchy
  // the Finnish and Swedish names of the groups, where ESCO's files in those languages are given
  const groupNames = { fi: new Map<string, string>(), sv: new Map<string, string>() };
  for (const lang of ['fi', 'sv'] as const) {
    await stage(lang === 'fi' ? 'skillGroupsFi' : 'skillGroupsSv', ['conceptUri', 'preferredLabel'], (r, path) => {
      const label = r.get('preferredLabel').trim();
      if (label) groupNames[lang].set(uriCheck(path, r.line, 'conceptUri', r.get('conceptUri')), label);
    });
  }
  await stage('skillGroups', ['conceptUri', 'preferredLabel', 'code'], (r, path) => {
    const uri = uriCheck(path, r.line, 'conceptUri', r.get('conceptUri'));
    groups.rows.push([
      uri,
      r.get('code') || null,
      need(path, r.line, 'preferredLabel', r.get('preferredLabel')),
      r.get('description') || null,
      groupNames.fi.get(uri) ?? null,
      groupNames.sv.get(uri) ?? null,
    ]);
  });
  const seenBroader = new Set<string>();
  await stage('skillBroader', ['conceptUri', 'broaderUri'], (r, path) => {
    const uri = uriCheck(path, r.line, 'conceptUri', r.get('conceptUri'));
    const b = uriCheck(path, r.line, 'broaderUri', r.get('broaderUri'));
    const key = `${uri} ${b}`;
    if (seenBroader.has(key)) return;
    seenBroader.add(key);
    broader.rows.push([uri, b]);
  });

  // ISCO-08 groups: fi/sv/en file when present, else ESCO's English groups
  const iscoCodes = new Set<string>();
  const addIsco = (
    code: string,
    uri: string | null,
    en: string,
    fi: string | null,
    sv: string | null,
    line: number,
    file: string,
  ) => {
    if (!/^\d{1,4}$/.test(code))
      throw new TaxonomyFileError(file, line, `ISCO code ${JSON.stringify(code)} is not 1–4 digits`);
    if (iscoCodes.has(code)) return;
    iscoCodes.add(code);
    isco.rows.push([code, code.length, code.length > 1 ? code.slice(0, -1) : null, uri, en, fi, sv]);
  };
  await stage('isco', ['isco_code', 'name_en', 'name_fi', 'name_sv'], (r, path) => {
    addIsco(
      r.get('isco_code'),
      r.get('conceptUri') || null,
      need(path, r.line, 'name_en', r.get('name_en')),
      r.get('name_fi') || null,
      r.get('name_sv') || null,
      r.line,
      'isco08_groups_fi_sv_en.csv',
    );
  });
  await stage('iscoGroupsEn', ['conceptUri', 'code', 'preferredLabel'], (r, path) => {
    addIsco(
      r.get('code'),
      r.get('conceptUri'),
      need(path, r.line, 'preferredLabel', r.get('preferredLabel')),
      null,
      null,
      r.line,
      'ISCOGroups_en.csv',
    );
  });

  // ESCO occupations with fi/sv labels and synonyms
  const occIndex = new Map<string, Row>();
  await stage('occupations', ['conceptUri', 'iscoGroup', 'preferredLabel', 'altLabels'], (r, path) => {
    const uri = uriCheck(path, r.line, 'conceptUri', r.get('conceptUri'));
    const iscoCode = r.get('iscoGroup');
    if (!/^\d{4}$/.test(iscoCode))
      throw new TaxonomyFileError(
        'occupations_en.csv',
        r.line,
        `iscoGroup ${JSON.stringify(iscoCode)} is not a 4-digit ISCO-08 code`,
      );
    const pref = need(path, r.line, 'preferredLabel', r.get('preferredLabel'));
    const row: Row = [uri, r.get('code') || null, iscoCode, pref, null, null, r.get('description') || null];
    occIndex.set(uri, row);
    occupations.rows.push(row);
    addLabel(uri, 'occupation', 'en', 'pref', pref);
    for (const alt of splitLines(r.get('altLabels'))) addLabel(uri, 'occupation', 'en', 'alt', alt);
    for (const hidden of splitLines(r.get('hiddenLabels'))) addLabel(uri, 'occupation', 'en', 'hidden', hidden);
  });
  await stage(
    'occupationLabelsFiSv',
    ['conceptUri', 'conceptType', 'preferredLabel_fi', 'preferredLabel_sv', 'altLabels_fi', 'altLabels_sv'],
    (r) => {
      const row = occIndex.get(r.get('conceptUri'));
      if (!row || r.get('conceptType') !== 'Occupation') return;
      const uri = row[0] as string;
      row[4] = r.get('preferredLabel_fi') || null;
      row[5] = r.get('preferredLabel_sv') || null;
      for (const lang of ['fi', 'sv'] as const) {
        const pref = r.get(`preferredLabel_${lang}`);
        if (pref) addLabel(uri, 'occupation', lang, 'pref', pref);
        for (const alt of splitLines(r.get(`altLabels_${lang}`))) addLabel(uri, 'occupation', lang, 'alt', alt);
      }
    },
  );
  await stage('occupationsFi', ['conceptUri', 'preferredLabel', 'altLabels'], (r) => {
    const row = occIndex.get(r.get('conceptUri'));
    if (!row) return;
    const uri = row[0] as string;
    if (!row[4] && r.get('preferredLabel')) row[4] = r.get('preferredLabel');
    if (row[4]) addLabel(uri, 'occupation', 'fi', 'pref', row[4] as string);
    for (const alt of splitLines(r.get('altLabels'))) addLabel(uri, 'occupation', 'fi', 'alt', alt);
  });
  const seenRel = new Set<string>();
  await stage('occupationSkills', ['occupationUri', 'relationType', 'skillUri'], (r, path) => {
    const occ = uriCheck(path, r.line, 'occupationUri', r.get('occupationUri'));
    const skill = uriCheck(path, r.line, 'skillUri', r.get('skillUri'));
    const relation = r.get('relationType');
    if (relation !== 'essential' && relation !== 'optional') {
      throw new TaxonomyFileError(
        'occupationSkillRelations.csv',
        r.line,
        `relationType ${JSON.stringify(relation)} is not essential|optional`,
      );
    }
    const key = `${occ} ${skill}`;
    if (seenRel.has(key)) return;
    seenRel.add(key);
    occSkills.rows.push([occ, skill, relation]);
  });

  // TOL 2008 sections and divisions (fi/sv/en); NACE Rev. 2 groups and classes (en)
  const sectorCodes = new Set<string>();
  await stage('tol', ['code', 'level', 'parent_code', 'name_fi', 'name_sv', 'name_en'], (r, path) => {
    const level = Number(r.get('level'));
    const code = r.get('code');
    if (level === 0 || code === 'X' || r.get('parent_code') === 'X') return; // "industries total" and "unknown"
    if (!(level === 1 || level === 2))
      throw new TaxonomyFileError(
        'tol2008_sections_divisions_fi_sv_en.csv',
        r.line,
        `level ${JSON.stringify(r.get('level'))} is not 0, 1 or 2`,
      );
    const parent = level === 1 ? null : r.get('parent_code');
    sectorCodes.add(code);
    sectors.rows.push([
      code,
      level,
      parent,
      need(path, r.line, 'name_en', r.get('name_en')),
      r.get('name_fi') || null,
      r.get('name_sv') || null,
      includesOnly(r.get('note_fi')),
      includesOnly(r.get('note_sv')),
      includesOnly(r.get('note_en')),
    ]);
  });
  await stage(
    'nace',
    ['Level', 'Code', 'Parent', 'Description', 'This item includes', 'This item also includes'],
    (r, path) => {
      const level = Number(r.get('Level'));
      const code = r.get('Code');
      if (!Number.isInteger(level) || level < 1 || level > 4)
        throw new TaxonomyFileError(
          'nace_rev2_en_eurostat.csv',
          r.line,
          `Level ${JSON.stringify(r.get('Level'))} is not 1–4`,
        );
      if (sectorCodes.has(code)) return;
      sectorCodes.add(code);
      const includes = [r.get('This item includes'), r.get('This item also includes')].filter(Boolean).join('\n');
      sectors.rows.push([
        code,
        level,
        r.get('Parent') || null,
        need(path, r.line, 'Description', r.get('Description')),
        null,
        null,
        null,
        null,
        includesOnly(includes),
      ]);
    },
  );

  // Finnish regions: municipality → maakunta → major region → country; ELY (–2025) and elinvoimakeskus (2026–)
  if (p.municipalities && p.maakunnat) {
    regions.rows.push(['FI', 'country', 'Suomi', 'Finland', 'Finland', null, null, null]);
    for await (const r of readCsv(MAJOR_REGIONS_FILE, { required: ['code', 'name_fi', 'name_sv', 'name_en'] })) {
      regions.rows.push([
        r.get('code'),
        'major_region',
        r.get('name_fi'),
        r.get('name_sv'),
        r.get('name_en'),
        'FI',
        null,
        null,
      ]);
    }
    const mkCodes = new Set<string>();
    await stage('maakunnat', ['mk_code', 'name_fi', 'name_sv', 'name_en', 'nuts3_code_2024'], (r, path) => {
      const mk = r.get('mk_code');
      if (!/^MK\d{2}$/.test(mk))
        throw new TaxonomyFileError('maakunnat_2025_fi_sv_en.csv', r.line, `mk_code ${JSON.stringify(mk)} is not MKnn`);
      const nuts3 = need(path, r.line, 'nuts3_code_2024', r.get('nuts3_code_2024'));
      mkCodes.add(mk);
      regions.rows.push([
        mk,
        'maakunta',
        r.get('name_fi'),
        r.get('name_sv') || null,
        r.get('name_en') || null,
        nuts3.slice(0, 4),
        null,
        null,
      ]);
    });
    await stage('ely', ['ely_code', 'name_fi', 'name_sv'], (r) => {
      regions.rows.push([
        `ELY${r.get('ely_code')}`,
        'ely',
        r.get('name_fi'),
        r.get('name_sv') || null,
        null,
        'FI',
        null,
        '2025-12-31',
      ]);
    });
    await stage('elinvoimakeskukset', ['elinvoimakeskus_code', 'name_fi', 'name_sv'], (r) => {
      regions.rows.push([
        `EVK${r.get('elinvoimakeskus_code')}`,
        'elinvoimakeskus',
        r.get('name_fi'),
        r.get('name_sv') || null,
        null,
        'FI',
        '2026-01-01',
        null,
      ]);
    });
    await stage(
      'municipalities',
      ['kunta_code', 'name_fi', 'name_sv', 'name_en', 'mk_code', 'ely_code', 'elinvoimakeskus_code'],
      (r, path) => {
        const code = r.get('kunta_code');
        if (!/^\d{3}$/.test(code))
          throw new TaxonomyFileError(
            'kunnat_2025_to_maakunta_ely_elinvoimakeskus.csv',
            r.line,
            `kunta_code ${JSON.stringify(code)} is not 3 digits`,
          );
        const mk = r.get('mk_code');
        if (!mkCodes.has(mk))
          throw new TaxonomyFileError(
            'kunnat_2025_to_maakunta_ely_elinvoimakeskus.csv',
            r.line,
            `unknown mk_code ${JSON.stringify(mk)}`,
          );
        regions.rows.push([
          `KU${code}`,
          'municipality',
          need(path, r.line, 'name_fi', r.get('name_fi')),
          r.get('name_sv') || null,
          r.get('name_en') || null,
          mk,
          null,
          null,
        ]);
        if (r.get('ely_code')) areas.rows.push([`KU${code}`, `ELY${r.get('ely_code')}`]);
        if (r.get('elinvoimakeskus_code')) areas.rows.push([`KU${code}`, `EVK${r.get('elinvoimakeskus_code')}`]);
      },
    );
    const seenPost = new Set<string>();
    await stage('postalCodes', ['postcode', 'postcode_fi_name', 'postcode_sv_name', 'municipal_code'], (r) => {
      const code = r.get('postcode');
      if (!/^\d{5}$/.test(code) || seenPost.has(code)) return;
      seenPost.add(code);
      postal.rows.push([
        code,
        `KU${r.get('municipal_code')}`,
        r.get('postcode_fi_name') || null,
        r.get('postcode_sv_name') || null,
      ]);
    });
  }
  return [skills, occupations, labels, groups, broader, occSkills, isco, sectors, regions, areas, postal];
}

/** The explanatory note without its "excludes" part: the words there belong to other sectors. */
function includesOnly(note: string): string | null {
  const cut = note.search(
    /EXCLUDES:|Tähän (?:luokkaan |ryhmään |toimialaan )?ei kuulu|Hit hör inte|This (?:section|division|group|class|item) excludes/i,
  );
  const text = (cut >= 0 ? note.slice(0, cut) : note)
    .replace(/INCLUDES:/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 0 ? text : null;
}
