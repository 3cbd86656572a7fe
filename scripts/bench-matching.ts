/**
 * The matching view's queries: ten years of employment service statistics (every month, the 19 maakunnat, every
 * ISCO-08 unit group of the taxonomy) beside a million demand facts, on a PostgreSQL server (DATABASE_URL, or a
 * throwaway one) and on embedded PGlite. Per shape p50/p95: the statistics of a region alone, and the whole view
 * (its four /v1/demand queries and the statistics) for a maakunta, a grouping of maakunnat and the whole country.
 *   npm run bench:matching [-- --mentions 1000000 --base-docs 300 --runs 30 --engines postgres,pglite]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/base/paths.js';
import type { Database } from '../src/storage/database.js';
import { DemandRepository, type DemandFilters } from '../src/storage/demand.repository.js';
import { StatisticsRepository } from '../src/storage/statistics.repository.js';
import { onEachEngine } from './bench-engines.js';
import { quantile } from './bench-stats.js';
import { benchKeys, seedDemand } from './seed-demand.js';

const { values } = parseArgs({
  options: {
    mentions: { type: 'string', default: '1000000' },
    'base-docs': { type: 'string', default: '300' },
    runs: { type: 'string', default: '30' },
    engines: { type: 'string', default: 'postgres,pglite' },
  },
});
const runs = Number(values.runs);
const full = process.env.TAXONOMY_DIR ?? join(PROJECT_ROOT, '..', 'shared', 'data');
const taxonomy = existsSync(full) ? full : join(PROJECT_ROOT, 'test', 'fixtures', 'taxonomy');
const VIEWER: DemandFilters = { viewer: { orgId: '00000000-0000-4000-8000-0000000000ff', k: 3 } };

/** Ten years of monthly figures for every maakunta and ISCO-08 unit group, made in SQL. */
async function seedStatistics(db: Database): Promise<number> {
  const [release] = await db.query<{ id: number }>(
    `INSERT INTO statistics_releases (content_hash, file, figures) VALUES ('bench', 'bench', 0) RETURNING id`,
  );
  await db.query(
    `INSERT INTO occupation_statistics (region, isco, month, vacancies, jobseekers, release_id)
     SELECT r.code, g.code, m::date, floor(random() * 60), floor(random() * 240), $1
       FROM regions r
       CROSS JOIN (SELECT code FROM isco_groups WHERE length(code) = 4) g
       CROSS JOIN generate_series('2016-11-01'::date, '2026-10-01'::date, interval '1 month') m
      WHERE r.level = 'maakunta' AND r.valid_to IS NULL`,
    [release!.id],
  );
  await db.query(
    `INSERT INTO statistics_regions (region) SELECT code FROM regions WHERE level = 'maakunta' AND valid_to IS NULL`,
  );
  const [n] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM occupation_statistics');
  return n!.n;
}

async function measure(engine: string, db: Database): Promise<void> {
  const demand = new DemandRepository(db);
  const statistics = new StatisticsRepository(db);
  const maakunnat = (
    await db.query<{ code: string }>(
      `SELECT code FROM regions WHERE level = 'maakunta' AND valid_to IS NULL ORDER BY code`,
    )
  ).map((r) => r.code);
  const pick = <T>(list: T[], i: number) => list[i % list.length]!;
  /** the page's matching view: four /v1/demand answers (rows and totals) and the statistics */
  const view = async (region: string | undefined, grouping: boolean) => {
    const f = (polarity: 'need' | 'surplus', horizon?: 'current' | 'short' | 'long') => ({
      ...VIEWER,
      concept: 'occupation' as const,
      polarity,
      ...(region && { region }),
      ...(horizon && { horizon }),
    });
    const asks = [f('need', 'current'), f('need', 'short'), f('need', 'long'), f('surplus')];
    await Promise.all([
      ...asks.map((a) => Promise.all([demand.demand('isco4', a, { lang: 'fi', limit: 1000 }), demand.totals(a)])),
      statistics
        .partsOf(region ?? 'FI', grouping)
        .then((parts) => statistics.occupations(parts, { level: 4, lang: 'fi' })),
    ]);
  };
  const shapes: { name: string; run: (i: number) => Promise<unknown> }[] = [
    {
      name: 'statistics, maakunta',
      run: async (i) =>
        statistics.occupations(await statistics.partsOf(pick(maakunnat, i), false), { level: 4, lang: 'fi' }),
    },
    {
      name: 'statistics, ESR+ area',
      run: async (i) =>
        statistics.occupations(await statistics.partsOf(`ESR${(i % 5) + 1}`, true), { level: 4, lang: 'fi' }),
    },
    { name: 'matching view, maakunta', run: (i) => view(pick(maakunnat, i), false) },
    { name: 'matching view, ESR+ area', run: (i) => view(`ESR${(i % 5) + 1}`, true) },
    { name: 'matching view, whole country', run: () => view(undefined, false) },
  ];
  console.log(`\n${engine}: p50 / p95 over ${runs} runs (after 3 warm-up runs)`);
  for (const shape of shapes) {
    for (let i = 0; i < 3; i++) await shape.run(i);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await shape.run(i);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const q = (p: number) => quantile(times, p)!;
    console.log(
      `  ${shape.name.padEnd(32)} p50 ${q(0.5).toFixed(1).padStart(7)} ms   p95 ${q(0.95).toFixed(1).padStart(7)} ms`,
    );
  }
}

console.log(`taxonomy: ${taxonomy}; target ${values.mentions} mentions`);
await onEachEngine(values.engines.split(','), async (engine, db) => {
  console.log(`\n${engine}: loading`);
  await seedDemand(db, {
    taxonomy,
    mentions: Number(values.mentions),
    baseDocs: Number(values['base-docs']),
    keys: await benchKeys(),
  });
  const t = performance.now();
  const figures = await seedStatistics(db);
  await db.query('ANALYZE occupation_statistics');
  console.log(`  ${figures} statistics figures in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  await measure(engine, db);
});
console.log(`\npeak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
