import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/base/paths.js';
import { StatisticsRepository } from '../../src/storage/statistics.repository.js';
import { TaxonomyFileError } from '../../src/taxonomy/csv.js';
import { readStatisticsFile } from '../../src/taxonomy/statistics.js';
import { engines } from '../helpers/context.js';
import { startTestService, type Inject, type TestService } from '../helpers/service.js';

const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'statistics');
const CSV = join(FIXTURES, '12ti-tyonv.csv');
const JSONSTAT = join(FIXTURES, '12ti-tyonv.json');

type Answer = {
  region: string;
  month: string | null;
  rows: {
    key: string;
    label: string;
    vacancies: number | null;
    jobseekers: number | null;
    ratio: number | null;
    vacanciesChange: number | null;
    jobseekersChange: number | null;
  }[];
  releases: { file: string }[];
  source: string;
};

/** Employment service statistics (issue 31): PxWeb CSV and JSON-stat2 read alike, imported once, answered by region. */
describe('reading the employment service statistics', () => {
  it('reads the same figures from PxWeb CSV and JSON-stat2, occupations outside ISCO-08 left out', async () => {
    const csv = await readStatisticsFile(CSV);
    const json = await readStatisticsFile(JSONSTAT);
    const order = (rows: typeof csv.rows) =>
      [...rows].sort((a, b) => `${a.month}${a.region}${a.isco}`.localeCompare(`${b.month}${b.region}${b.isco}`));
    expect(csv.rows).toHaveLength(3 * 4 * 2);
    expect(order(json.rows)).toEqual(order(csv.rows));
    expect(csv.title).toMatch(/^Työttömät työnhakijat ja avoimet työpaikat/);
    expect(csv.rows).toContainEqual({
      month: '2026-10-01',
      region: 'KU398',
      isco: '7212',
      vacancies: 12,
      jobseekers: 48,
    });
    expect(csv.rows).toContainEqual({
      month: '2026-10-01',
      region: 'KU109',
      isco: '5223',
      vacancies: null,
      jobseekers: 54,
    });
    expect(csv.rows.some((r) => r.region === 'FI')).toBe(true);
    expect(csv.contentHash).not.toBe(json.contentHash);
  });

  it('stops at a malformed file with its name, line and reason', async () => {
    const err = await readStatisticsFile(join(FIXTURES, '12ti-bad-month.csv')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaxonomyFileError);
    expect((err as Error).message).toBe('12ti-bad-month.csv:4: "2026M13" is no month (2024M01)');
  });
});

describe.each(engines())('official statistics beside the text signals on %s', (engine) => {
  let s: TestService;
  let analyst: Inject;
  const get = async (query: string) => {
    const res = await analyst({ method: 'GET', url: `/v1/statistics/occupations?${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Answer>();
  };

  beforeAll(async () => {
    s = await startTestService(engine, 'statistics');
    analyst = (await s.caller('maakuntaliitto', 'analyst')).inject;
  }, 60_000);
  afterAll(() => s.close());

  it('imports a release once; the same figures in the other format change nothing but the release', async () => {
    const repo = new StatisticsRepository(s.db);
    const csv = await readStatisticsFile(CSV);
    expect(await repo.importRelease(csv)).toMatchObject({ changed: true, figures: 24 });
    expect(await repo.importRelease(csv)).toMatchObject({ changed: false, figures: 24 });
    const before = await get('region=Lahti');
    expect(await repo.importRelease(await readStatisticsFile(JSONSTAT))).toMatchObject({ changed: true });
    const after = await get('region=Lahti');
    expect(after.rows).toEqual(before.rows);
    expect(after.releases.map((r) => r.file)).toEqual(['12ti-tyonv.json', '12ti-tyonv.csv']);
  });

  it('answers vacancies, jobseekers, their ratio and the change in a year, per ISCO group, with the source line', async () => {
    const lahti = await get('region=Lahti&lang=fi');
    expect(lahti.region).toBe('KU398');
    expect(lahti.month).toBe('2026-10');
    expect(lahti.rows.find((r) => r.key === '7212')).toEqual({
      key: '7212',
      label: 'Hitsaajat ja kaasuleikkaajat',
      month: '2026-10',
      vacancies: 12,
      jobseekers: 48,
      ratio: 0.25,
      vacanciesChange: 0.5,
      jobseekersChange: 0.2,
    });
    expect(lahti.source).toMatch(/Statistics Finland.*CC BY 4\.0/);
    // a maakunta's own figures; the whole country's
    expect((await get('region=MK07')).rows.find((r) => r.key === '7212')).toMatchObject({
      jobseekers: 72,
      vacancies: 18,
    });
    expect((await get('')).rows.find((r) => r.key === '7212')).toMatchObject({ jobseekers: 1200, vacancies: 300 });
    // a grouping: Päijät-Häme's own figures and Kanta-Häme's from its municipalities
    expect((await get('region=ESR2')).rows.find((r) => r.key === '7212')).toMatchObject({
      jobseekers: 90,
      vacancies: 23,
    });
    // ISCO levels, one group, an earlier month
    expect((await get('region=Lahti&level=2')).rows.map((r) => r.key)).toEqual(['52', '72']);
    expect((await get('region=Lahti&occupation=5223')).rows.map((r) => r.key)).toEqual(['5223']);
    const september = await get('region=Lahti&to=2026-09');
    expect(september.month).toBe('2026-09');
    expect(september.rows.find((r) => r.key === '7212')!.vacanciesChange).toBeNull();
    expect(await get('region=Lahti&to=2020-01')).toMatchObject({ month: null, rows: [] });
  });

  it("maps one occupation group's figures across the maakunnat", async () => {
    const res = await analyst({ method: 'GET', url: '/v1/statistics/regions?occupation=7212&lang=sv' });
    expect(res.statusCode, res.body).toBe(200);
    const rows = res.json<{ rows: { key: string; label: string; vacancies: number | null; ratio: number | null }[] }>()
      .rows;
    expect(rows.map((r) => r.key)).toEqual(['MK01', 'MK05', 'MK07', 'MK15']);
    expect(rows.find((r) => r.key === 'MK07')).toMatchObject({
      label: 'Päijänne-Tavastland',
      vacancies: 18,
      ratio: 0.25,
    });
    expect(rows.find((r) => r.key === 'MK05')).toMatchObject({ vacancies: 5 });
    expect(rows.find((r) => r.key === 'MK01')).toMatchObject({ vacancies: null, ratio: null });
    const bad = await analyst({ method: 'GET', url: '/v1/statistics/regions?occupation=welder' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ field: string }>().field).toBe('occupation');
  });

  it("answers for the country from its maakunnat's figures when a release has none of the whole country", async () => {
    await s.db.query(`DELETE FROM occupation_statistics WHERE region = 'FI'`);
    await s.db.query(`DELETE FROM statistics_regions WHERE region = 'FI'`);
    // Päijät-Häme's own figures and Kanta-Häme's from Hämeenlinna, as for the ESR+ area that holds both
    expect((await get('region=FI')).rows.find((r) => r.key === '7212')).toMatchObject({
      jobseekers: 90,
      vacancies: 23,
    });
  });

  it('refuses an unknown region, a period ending before it starts and a level outside 1–4, naming the field', async () => {
    for (const [query, field] of [
      ['region=Atlantis', 'region'],
      ['from=2026-10&to=2026-01', 'to'],
      ['level=5', 'level'],
      ['occupation=72a', 'occupation'],
    ]) {
      const res = await analyst({ method: 'GET', url: `/v1/statistics/occupations?${query}` });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json<{ field: string }>().field).toBe(field);
    }
  });
});
