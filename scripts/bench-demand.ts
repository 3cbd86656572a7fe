/**
 * Demand queries over a million mentions: p50/p95 per query shape, on a PostgreSQL server (DATABASE_URL, or a
 * throwaway one started with initdb/pg_ctl when installed) and on embedded PGlite.
 *
 * The data: synthetic ads (scripts/synthetic-ads.ts) with random kind, date and region go through the real
 * analyzer and DocumentsRepository.saveAnalysis; their documents and facts are then copied in SQL, each copy
 * with its own month (three years) and municipality (with its roll-up), up to --mentions facts.
 *   npm run bench:demand [-- --mentions 1000000 --base-docs 300 --runs 30 --engines postgres,pglite]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { GroupBy } from '../src/domain/demand.js';
import { DemandRepository, type DemandFilters } from '../src/storage/demand.repository.js';
import { PROJECT_ROOT } from '../src/base/paths.js';
import type { Database } from '../src/storage/database.js';
import { benchKeys, seedDemand } from './seed-demand.js';
import { onEachEngine } from './bench-engines.js';
import { quantile } from './bench-stats.js';

const { values } = parseArgs({
  options: {
    mentions: { type: 'string', default: '1000000' },
    'base-docs': { type: 'string', default: '300' },
    runs: { type: 'string', default: '30' },
    engines: { type: 'string', default: 'postgres,pglite' },
  },
});
const target = Number(values.mentions);
const runs = Number(values.runs);
const full = process.env.TAXONOMY_DIR ?? join(PROJECT_ROOT, '..', 'shared', 'data');
const taxonomy = existsSync(full) ? full : join(PROJECT_ROOT, 'test', 'fixtures', 'taxonomy');
/** Asked as an analyst of an organisation with no documents of its own, as the API asks: every private note is another's. */
const VIEWER: DemandFilters = { viewer: { orgId: '00000000-0000-4000-8000-0000000000ff', k: 3 } };

interface Shape {
  name: string;
  run: (repo: DemandRepository, i: number) => Promise<unknown>;
}

async function shapes(db: Database): Promise<Shape[]> {
  const maakunnat = (
    await db.query<{ code: string }>(`SELECT code FROM regions WHERE level = 'maakunta' ORDER BY code`)
  ).map((r) => r.code);
  const kunnat = (
    await db.query<{ code: string }>(
      `SELECT code FROM regions WHERE level = 'municipality' AND code IN ('KU091', 'KU837', 'KU564', 'KU398', 'KU853') ORDER BY code`,
    )
  ).map((r) => r.code);
  const isco = (
    await db.query<{ isco: string }>(
      `SELECT DISTINCT left(isco, 2) AS isco FROM demand_facts WHERE isco IS NOT NULL ORDER BY 1`,
    )
  ).map((r) => r.isco);
  const pick = <T>(list: T[], i: number) => list[i % list.length]!;
  // what GET /v1/demand asks in JSON: the rows and the totals
  const demand =
    (groupBy: GroupBy, f: (i: number) => DemandFilters): Shape['run'] =>
    (repo, i) =>
      Promise.all([
        repo.demand(groupBy, { ...VIEWER, ...f(i) }, { lang: 'fi', limit: 50 }),
        repo.totals({ ...VIEWER, ...f(i) }),
      ]);
  return [
    { name: 'skill, no filter', run: demand('skill', () => ({})) },
    {
      name: 'skill, maakunta + horizon',
      run: demand('skill', (i) => ({ region: pick(maakunnat, i), horizon: pick(['current', 'short', 'long'], i) })),
    },
    {
      name: 'skill, 12 months',
      run: demand('skill', (i) => ({ from: `202${4 + (i % 2)}-01-01`, to: `202${4 + (i % 2)}-12-01` })),
    },
    { name: 'maakunta, kind', run: demand('maakunta', (i) => ({ kind: pick(['job_ad', 'meeting_note'], i) })) },
    { name: 'isco2, polarity any', run: demand('isco2', () => ({ polarity: 'any' })) },
    { name: 'skill, ISCO 2-digit', run: demand('skill', (i) => ({ occupation: pick(isco, i) })) },
    { name: 'skill, municipality', run: demand('skill', (i) => ({ region: pick(kunnat, i) })) },
    {
      name: 'isco2, maakunta + minScore',
      run: demand('isco2', (i) => ({ region: pick(maakunnat, i), minScore: 0.5 })),
    },
    {
      name: 'skillGroup, major region',
      run: demand('skillGroup', (i) => ({ region: pick(['FI1B', 'FI1C', 'FI19', 'FI1D', 'FI20'], i) })),
    },
    {
      name: 'timeseries quarter, top 5 skills',
      run: (repo) => repo.timeseries('skill', 'quarter', VIEWER, { lang: 'fi', limit: 5 }),
    },
    {
      name: 'emerging skills, quarter',
      run: (repo) =>
        repo.emerging(
          'skill',
          VIEWER,
          { from: '2026-10-01', to: '2026-12-01' },
          { from: '2026-07-01', to: '2026-09-01' },
          { lang: 'fi', limit: 20, minMentions: 3 },
        ),
    },
    {
      name: 'compare maakunta vs country',
      run: (repo, i) =>
        repo.compare('skill', VIEWER, pick(maakunnat, i), undefined, { lang: 'fi', limit: 50, minMentions: 1 }),
    },
  ];
}

async function measure(engine: string, db: Database): Promise<void> {
  const repo = new DemandRepository(db);
  console.log(`\n${engine}: p50 / p95 over ${runs} runs (after 3 warm-up runs)`);
  for (const shape of await shapes(db)) {
    for (let i = 0; i < 3; i++) await shape.run(repo, i);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await shape.run(repo, i);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const q = (p: number) => quantile(times, p)!;
    console.log(
      `  ${shape.name.padEnd(36)} p50 ${q(0.5).toFixed(1).padStart(7)} ms   p95 ${q(0.95).toFixed(1).padStart(7)} ms`,
    );
  }
}

console.log(`taxonomy: ${taxonomy}; target ${target} mentions`);
await onEachEngine(values.engines.split(','), async (engine, db) => {
  console.log(`\n${engine}: loading`);
  await seedDemand(db, {
    taxonomy,
    mentions: target,
    baseDocs: Number(values['base-docs']),
    keys: await benchKeys(),
  });
  await measure(engine, db);
});
console.log(`\npeak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
