import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatisticsRepository } from '../../src/storage/statistics.repository.js';
import { chunkSelection, downloadStatistics, PxWebError } from '../../src/taxonomy/pxweb.js';
import { engines, FIXTURE_TAXONOMY } from '../helpers/context.js';
import { runCli } from '../helpers/processes.js';
import { figureAt, startPxWebServer, type PxWebServer } from '../helpers/pxweb-server.js';
import { startTestService, type TestService } from '../helpers/service.js';

/** Issue 31: table 12ti straight from the PxWeb API, cut under its cell limit and paced by its call limit. */
describe('downloading the employment service statistics from PxWeb', () => {
  let px: PxWebServer;
  beforeAll(async () => {
    px = await startPxWebServer({ maxValues: 100, maxCalls: 3, timeWindow: 1 }, true);
  });
  afterAll(() => px.close());

  it('cuts a query by months first, then by regions, each part under the cell limit', () => {
    const months = Array.from({ length: 10 }, (_, i) => `2026M${String(i + 1).padStart(2, '0')}`);
    const query = [
      { code: 'kuukausi', values: months },
      { code: 'alue', values: ['SSS', 'MK01', 'MK07'] },
      { code: 'ammatti', values: ['7212', '5223'] },
      { code: 'tiedot', values: ['A', 'B'] },
    ];
    const byMonths = chunkSelection(query, 30, ['kuukausi', 'alue']);
    expect(byMonths.map((q) => q[0]!.values.length)).toEqual([2, 2, 2, 2, 2]);
    const byRegions = chunkSelection(query, 5, ['kuukausi', 'alue']);
    expect(byRegions).toHaveLength(30);
    expect(byRegions.every((q) => q.reduce((n, v) => n * v.values.length, 1) <= 5)).toBe(true);
    expect(new Set(byRegions.map((q) => `${q[0]!.values.join()}|${q[1]!.values.join()}`)).size).toBe(30);
    expect(() => chunkSelection(query, 3, ['kuukausi', 'alue'])).toThrow(PxWebError);
  });

  it("reads the table's variables from its metadata and fetches the end-of-month measures of the maakunnat", async () => {
    const release = await downloadStatistics({ table: px.table, from: '2026-01' });
    // 10 months × (country, 2 maakunnat) × 5 ISCO groups (X left out), in queries of at most 100 cells
    expect(release.rows).toHaveLength(10 * 3 * 5);
    expect(px.queries.every((cells) => cells <= 100)).toBe(true);
    expect(px.queries.reduce((a, b) => a + b, 0)).toBe(10 * 3 * 6 * 2);
    expect(px.overLimit).toBe(0);
    expect(release.title).toMatch(/^Työttömät työnhakijat ja avoimet työpaikat/);
    expect(release.rows).toContainEqual({
      month: '2026-10-01',
      region: 'MK07',
      isco: '7212',
      jobseekers: figureAt('2026M10', 'MK07', '7212', 'TYOTTOMATLOPUSSA'),
      vacancies: figureAt('2026M10', 'MK07', '7212', 'AVPAIKATLOPUSSA'),
    });
    expect(release.rows.find((r) => r.region === 'FI' && r.isco === '' && r.month === '2026-01-01')).toBeDefined();
    expect(release.rows.some((r) => r.region.startsWith('KU') || r.month < '2026-01-01')).toBe(false);
    expect((await downloadStatistics({ table: px.table, from: '2026-01' })).contentHash).toBe(release.contentHash);
  });

  it('fetches the regions asked for, and stops with the reason at a table the API does not have', async () => {
    const release = await downloadStatistics({ table: px.table, regions: ['KU109'], from: '2026-10' });
    expect(release.rows).toContainEqual({
      month: '2026-10-01',
      region: 'KU109',
      isco: '5223',
      jobseekers: figureAt('2026M10', 'KU109', '5223', 'TYOTTOMATLOPUSSA'),
      vacancies: null,
    });
    await expect(downloadStatistics({ table: px.table.replace('12ti', '99zz') })).rejects.toThrow(
      /99zz\.px answered 404/,
    );
    await expect(downloadStatistics({ table: px.table, from: '2030-01' })).rejects.toThrow(/no month from 2030-01/);
  });
});

describe.each(engines())('statistics downloaded into %s', (engine) => {
  let px: PxWebServer;
  let s: TestService;
  beforeAll(async () => {
    px = await startPxWebServer({ maxValues: 200, maxCalls: 10, timeWindow: 1 });
    s = await startTestService(engine, 'statistics-download');
  }, 60_000);
  afterAll(async () => {
    await px.close();
    await s.close();
  });

  it('imports a download once and answers it by region', async () => {
    const repo = new StatisticsRepository(s.db);
    const release = await downloadStatistics({ table: px.table });
    expect(await repo.importRelease(release)).toMatchObject({ changed: true, figures: 14 * 3 * 5 });
    expect(await repo.importRelease(await downloadStatistics({ table: px.table }))).toMatchObject({ changed: false });
    const analyst = (await s.caller('maakuntaliitto', 'analyst')).inject;
    const res = await analyst({ method: 'GET', url: '/v1/statistics/occupations?region=MK07&level=4' });
    expect(res.statusCode, res.body).toBe(200);
    const answer = res.json<{ month: string; rows: { key: string; vacancies: number; jobseekers: number }[] }>();
    expect(answer.month).toBe('2026-10');
    expect(answer.rows.find((r) => r.key === '7212')).toMatchObject({
      jobseekers: figureAt('2026M10', 'MK07', '7212', 'TYOTTOMATLOPUSSA'),
      vacancies: figureAt('2026M10', 'MK07', '7212', 'AVPAIKATLOPUSSA'),
    });
  });
});

describe('skills-radar statistics download', () => {
  let px: PxWebServer;
  let dir: string;
  beforeAll(async () => {
    px = await startPxWebServer({ maxValues: 500, maxCalls: 10, timeWindow: 1 });
    dir = mkdtempSync(join(tmpdir(), 'radar-statistics-'));
  });
  afterAll(async () => {
    await px.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports the table once, says so the second time, and stops cleanly at a missing table', async () => {
    const env = { TAXONOMY_DIR: FIXTURE_TAXONOMY, DATA_DIR: join(dir, 'data'), SEMANTIC_MODEL: 'none' };
    const first = runCli(['statistics', 'download', '--table', px.table, '--from', '2026-06'], env);
    expect(await first.exited, first.output()).toBe(0);
    expect(first.output()).toMatch(/Imported 75 figures from http:\/\/127\.0\.0\.1:\d+\/.*12ti\.px/);
    const again = runCli(['statistics', 'download', '--table', px.table, '--from', '2026-06'], env);
    expect(await again.exited, again.output()).toBe(0);
    expect(again.output()).toMatch(/already imported .*nothing changed/);
    const missing = runCli(['statistics', 'download', '--table', px.table.replace('12ti', '99zz')], env);
    expect(await missing.exited, missing.output()).toBe(1);
    expect(missing.output()).toMatch(/nothing of it stored:\n.*answered 404/);
  }, 120_000);
});
