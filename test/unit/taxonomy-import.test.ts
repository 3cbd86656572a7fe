import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/storage/database.js';
import { TaxonomyFileError } from '../../src/taxonomy/csv.js';
import { activeTaxonomyVersion, importTaxonomy } from '../../src/taxonomy/import.js';
import { createTestDatabase, engines, FIXTURE_TAXONOMY } from '../helpers/context.js';

function copyFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'radar-tax-'));
  cpSync(FIXTURE_TAXONOMY, dir, { recursive: true });
  return dir;
}

describe.each(engines())('taxonomy import on %s', (engine) => {
  let db: Database;
  let drop: () => Promise<void>;
  const dirs: string[] = [];

  beforeAll(async () => {
    ({ db, drop } = await createTestDatabase(engine));
  });
  afterAll(async () => {
    await drop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('imports every source and records a version', async () => {
    const stages: string[] = [];
    const result = await importTaxonomy(db, FIXTURE_TAXONOMY, (stage) => stages.push(stage));
    expect(result.changed).toBe(true);
    expect(result.escoVersion).toBe('1.1.1');
    expect(result.counts).toMatchObject({
      esco_skills: 8,
      esco_occupations: 1,
      isco_groups: 4,
      municipality_areas: 8,
      postal_codes: 5,
    });
    expect(stages).toContain('write esco_labels');
    const mig = await db.query<{ pref_fi: string; pref_sv: string }>(
      `SELECT pref_fi, pref_sv FROM esco_skills WHERE pref_en = 'perform metal inert gas welding'`,
    );
    expect(mig).toEqual([{ pref_fi: 'suorittaa MIG-hitsausta', pref_sv: 'utföra MIG-svetsning' }]);
    const labels = await db.query<{ lang: string; kind: string; label: string }>(
      `SELECT lang, kind, label FROM esco_labels WHERE concept_type = 'occupation' ORDER BY lang, kind, label`,
    );
    expect(labels.filter((l) => l.lang === 'fi').map((l) => l.label)).toEqual([
      'MIG-hitsaaja',
      'levyseppähitsaaja',
      'hitsaaja',
    ]);
    // regions roll up municipality → maakunta → major region → country; ELY until 2025, elinvoimakeskus from 2026
    const chain = await db.query<{ code: string; level: string }>(
      `WITH RECURSIVE up AS (SELECT code, level, parent_code FROM regions WHERE code = 'KU398'
         UNION ALL SELECT r.code, r.level, r.parent_code FROM regions r JOIN up ON r.code = up.parent_code)
       SELECT code, level FROM up`,
    );
    expect(chain).toEqual([
      { code: 'KU398', level: 'municipality' },
      { code: 'MK07', level: 'maakunta' },
      { code: 'FI1C', level: 'major_region' },
      { code: 'FI', level: 'country' },
    ]);
    const areas = await db.query<{ area_code: string; valid_from: string | null; valid_to: string | null }>(
      `SELECT a.area_code, to_char(r.valid_from, 'YYYY-MM-DD') AS valid_from, to_char(r.valid_to, 'YYYY-MM-DD') AS valid_to
       FROM municipality_areas a JOIN regions r ON r.code = a.area_code WHERE a.municipality_code = 'KU398' ORDER BY 1`,
    );
    expect(areas).toEqual([
      { area_code: 'ELY05', valid_from: null, valid_to: '2025-12-31' },
      { area_code: 'EVK04', valid_from: '2026-01-01', valid_to: null },
    ]);
    const sectors = await db.query<{ code: string; level: number; name_fi: string | null }>(
      'SELECT code, level, name_fi FROM sectors ORDER BY code',
    );
    expect(sectors).toEqual([
      { code: '25', level: 2, name_fi: 'Metallituotteiden valmistus' },
      { code: '25.1', level: 3, name_fi: null },
      { code: '25.11', level: 4, name_fi: null },
      { code: 'C', level: 1, name_fi: 'Teollisuus' },
    ]);
    // analysed: the planner knows the new rows' counts (never-analysed tables have -1)
    const planned = await db.query<{ relname: string; reltuples: number }>(
      `SELECT relname, reltuples::float8 AS reltuples FROM pg_class WHERE relname IN ('esco_skills', 'postal_codes') ORDER BY relname`,
    );
    expect(planned).toEqual([
      { relname: 'esco_skills', reltuples: 8 },
      { relname: 'postal_codes', reltuples: 5 },
    ]);
  });

  it('changes nothing when the same data is imported again', async () => {
    const before = await activeTaxonomyVersion(db);
    const again = await importTaxonomy(db, FIXTURE_TAXONOMY);
    expect(again.changed).toBe(false);
    expect(again.versionId).toBe(before?.id);
    expect((await activeTaxonomyVersion(db))?.importedAt).toEqual(before?.importedAt);
  });

  it('reads .csv.gz files and records a new version for new data', async () => {
    const dir = copyFixture();
    dirs.push(dir);
    const skills = join(dir, 'esco-v1.1.1-en', 'skills_en.csv');
    writeFileSync(
      `${skills}.gz`,
      gzipSync(readFileSync(skills, 'utf8').replace('Serving customers.', 'Serving customers well.')),
    );
    rmSync(skills);
    const result = await importTaxonomy(db, dir);
    expect(result.changed).toBe(true);
    expect(result.counts['esco_skills']).toBe(8);
    const desc = await db.query<{ description_en: string }>(
      `SELECT description_en FROM esco_skills WHERE pref_en = 'customer service'`,
    );
    expect(desc[0]?.description_en).toBe('Serving customers well.');
  });

  it.each([
    [
      'a broken quote',
      'skills_en.csv',
      (s: string) => s.replace('"Serving customers.', '"Serving customers.\n"x'),
      /skills_en\.csv(:\d+)?: .*(quote|Quote|Invalid)/,
    ],
    [
      'a value that is not a URI',
      'skills_en.csv',
      (s: string) => s.replace('http://data.europa.eu/esco/skill/15a33d76', 'not a uri 15a33d76'),
      /skills_en\.csv:\d+: conceptUri is not a URI/,
    ],
    [
      'a missing column',
      'occupations_en.csv',
      (s: string) => s.replace('iscoGroup,', 'isco,'),
      /occupations_en\.csv:1: missing column\(s\) iscoGroup/,
    ],
    [
      'an ISCO code that is not one',
      'occupations_en.csv',
      (s: string) => s.replace(',7212,welder', ',72X2,welder'),
      /occupations_en\.csv:\d+: iscoGroup "72X2"/,
    ],
  ])('stops at %s with file, line and reason, leaving the previous taxonomy', async (_name, file, corrupt, message) => {
    const before = await activeTaxonomyVersion(db);
    const skillCount = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM esco_skills');
    const dir = copyFixture();
    dirs.push(dir);
    const path = join(dir, 'esco-v1.1.1-en', file);
    writeFileSync(path, corrupt(readFileSync(path, 'utf8')));
    const error = await importTaxonomy(db, dir).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(TaxonomyFileError);
    expect((error as Error).message).toMatch(message);
    expect((await activeTaxonomyVersion(db))?.id).toBe(before?.id);
    expect(await db.query('SELECT count(*)::int AS n FROM esco_skills')).toEqual(skillCount);
  });

  it('names the missing required files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radar-empty-'));
    dirs.push(dir);
    await expect(importTaxonomy(db, dir)).rejects.toThrow(/required file\(s\) not found: skills_en\.csv\[\.gz\]/);
  });
});
