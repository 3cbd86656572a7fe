import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analysis/analyzer.js';
import type { TaxonomyData } from '../../src/domain/taxonomy.js';
import type { Database } from '../../src/storage/database.js';
import { importTaxonomy } from '../../src/taxonomy/import.js';
import { loadTaxonomy, readTaxonomy } from '../../src/taxonomy/load.js';
import { createTestDatabase, fullDataPresent, SHARED_DATA } from '../helpers/context.js';

if (!fullDataPresent) {
  console.warn(`\n*** full-data suite SKIPPED: no official data at ${SHARED_DATA} (set RADAR_FULL_DATA_DIR) ***\n`);
}

const texts = {
  fi: 'Etsimme kokenutta hitsaajaa Hämeenlinnaan. Edellytämme MIG-hitsauksen osaamista ja trukkikorttia.',
  en: 'We are looking for an experienced welder for our workshop in Tampere. You have solid welding skills and can operate a forklift.',
  sv: 'Vi söker en erfaren svetsare till vår verkstad i Vasa. Du behärskar MIG-svetsning och har truckkort.',
};

describe.skipIf(!fullDataPresent)('the real ESCO, ISCO-08, TOL 2008 and regions data', () => {
  let db: Database;
  let drop: () => Promise<void>;
  let analyzer: Analyzer;
  let taxonomy: TaxonomyData;

  beforeAll(async () => {
    ({ db, drop } = await createTestDatabase('pglite'));
    expect((await importTaxonomy(db, SHARED_DATA)).escoVersion).toBe('1.1.1');
    taxonomy = await loadTaxonomy(db);
    analyzer = await Analyzer.create(taxonomy);
  }, 180_000);
  afterAll(() => drop());

  it('imports every classification completely', async () => {
    const count = async (sql: string) => (await db.query<{ n: number }>(sql))[0]!.n;
    expect(await count('SELECT count(*)::int AS n FROM esco_skills')).toBe(13_896);
    expect(
      await count('SELECT count(*)::int AS n FROM esco_skills WHERE pref_fi IS NOT NULL AND pref_sv IS NOT NULL'),
    ).toBe(13_896);
    expect(await count('SELECT count(*)::int AS n FROM esco_occupations')).toBe(3_007);
    expect(
      await count(
        `SELECT count(DISTINCT concept_uri)::int AS n FROM esco_labels WHERE concept_type = 'occupation' AND lang = 'fi' AND kind = 'alt'`,
      ),
    ).toBeGreaterThan(2_000);
    expect(await count('SELECT count(*)::int AS n FROM esco_occupation_skills')).toBeGreaterThan(120_000);
    expect(await count('SELECT count(*)::int AS n FROM isco_groups WHERE level = 4')).toBe(436);
    expect(await count(`SELECT count(*)::int AS n FROM sectors WHERE level = 1`)).toBe(21);
    expect(await count(`SELECT count(*)::int AS n FROM sectors WHERE level = 2 AND name_fi IS NOT NULL`)).toBe(88);
    expect(await count(`SELECT count(*)::int AS n FROM regions WHERE level = 'municipality'`)).toBe(308);
    expect(await count(`SELECT count(*)::int AS n FROM regions WHERE level = 'maakunta'`)).toBe(19);
    expect(await count(`SELECT count(*)::int AS n FROM regions WHERE level = 'elinvoimakeskus'`)).toBe(10);
    const hml = await db.query(
      `SELECT m.code, m.parent_code, p.name_fi FROM regions m JOIN regions p ON p.code = m.parent_code WHERE m.name_fi = 'Hämeenlinna'`,
    );
    expect(hml).toEqual([{ code: 'KU109', parent_code: 'MK05', name_fi: 'Kanta-Häme' }]);
  });

  it('reads the same taxonomy from the files as from the database it was imported into', async () => {
    const fromFiles = await readTaxonomy(SHARED_DATA);
    expect(fromFiles.version).toEqual({ ...taxonomy.version, id: null });
    expect({ ...fromFiles, version: null }).toEqual({ ...taxonomy, version: null });
    expect(taxonomy.skillLabels.length).toBeGreaterThan(100_000);
  });

  it('importing the same data again changes nothing', async () => {
    expect((await importTaxonomy(db, SHARED_DATA)).changed).toBe(false);
  });

  it.each(Object.entries(texts))('finds welding skills with exact spans in the %s ad', (language, text) => {
    const a = analyzer.analyze({ text });
    expect(a.language).toBe(language);
    const welding = a.skills.filter((s) => /hitsa|weld|svets/i.test(s.label));
    expect(welding.length).toBeGreaterThan(0);
    for (const s of a.skills) {
      for (const span of s.spans) {
        const covered = text.slice(span.start, span.end);
        expect(covered.trim()).toBe(covered);
        expect(covered.length).toBeGreaterThan(1);
      }
    }
    const spanTexts = welding.flatMap((s) => s.spans.map((sp) => text.slice(sp.start, sp.end)));
    expect(spanTexts.some((t) => /hitsa|weld|svets/i.test(t))).toBe(true);
  });
});
