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
import { DemandRepository, type DemandFilters, type GroupBy } from '../src/demand/demand.repository.js';
import { ROLLUPS } from '../src/demand/rollups.js';
import { Analyzer } from '../src/pipeline/analyze.js';
import { PROJECT_ROOT } from '../src/paths.js';
import { openDatabase, type Database } from '../src/storage/database.js';
import { DocumentsRepository } from '../src/storage/documents.repository.js';
import { migrate } from '../src/storage/migrations.js';
import { importTaxonomy } from '../src/taxonomy/import.js';
import { postgresAvailable, startPostgres, type TestServer } from '../test/helpers/servers.js';
import { rng, syntheticAds } from './synthetic-ads.js';

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
const KINDS = ['job_ad', 'job_ad', 'job_ad', 'meeting_note', 'report'] as const;
const HORIZON_WORDS: Record<string, string[]> = {
  fi: ['', 'Lähivuosina tarvitaan lisää osaajia.', 'Vuoteen 2030 mennessä tarve kasvaa.'],
  sv: ['', 'Under de närmaste åren behövs fler.', 'På lång sikt ökar behovet.'],
  en: ['', 'Next year we need more people.', 'In the long term the need grows.'],
};

async function load(db: Database): Promise<void> {
  await migrate(db);
  let t = performance.now();
  await importTaxonomy(db, taxonomy);
  const analyzer = await Analyzer.load(db);
  const documents = new DocumentsRepository(db);
  const municipalities = (await db.query<{ code: string; name_fi: string }>(`SELECT code, name_fi FROM regions WHERE level = 'municipality' ORDER BY code`)).map((r) => r.name_fi);
  const random = rng(7);
  const ads = syntheticAds(Number(values['base-docs']), 13);
  for (const [i, ad] of ads.entries()) {
    const kind = KINDS[i % KINDS.length]!;
    const date = `202${4 + Math.floor(random() * 3)}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-15`;
    const text = `${ad.text} ${HORIZON_WORDS[ad.lang]![i % 3]}`;
    const region = municipalities[Math.floor(random() * municipalities.length)];
    const { document } = await documents.create({ kind, text, language: ad.lang, date, region, externalId: `bench-${i}` });
    await documents.saveAnalysis(document.id, analyzer.analyze({ text, language: ad.lang, kind, date, region }));
  }
  const base = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM demand_facts'))[0]!.n;
  console.log(`  ${ads.length} synthetic ads through the analyzer and the repository: ${base} facts (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  t = performance.now();
  const copies = Math.max(0, Math.ceil(target / Math.max(1, base)) - 1);
  await db.exec(`
    CREATE TEMP TABLE muni AS
      SELECT m.code AS municipality, m.parent_code AS maakunta, a.area_code AS area, k.parent_code AS major_region,
             row_number() OVER (ORDER BY m.code) AS n
      FROM regions m JOIN regions k ON k.code = m.parent_code
      LEFT JOIN municipality_areas a ON a.municipality_code = m.code AND a.area_code LIKE 'EVK%'
      WHERE m.level = 'municipality';
    CREATE TEMP TABLE copies AS
      SELECT d.id AS base_id, md5(d.id::text || '-' || g)::uuid AS id, g AS copy,
             (date '2024-01-01' + (floor(random() * 36)::int * interval '1 month'))::date AS month,
             1 + floor(random() * (SELECT count(*) FROM muni))::int AS muni_n
      FROM documents d, generate_series(1, ${copies}) g;
    INSERT INTO documents (id, kind, text, language, doc_date, content_hash, status)
      SELECT c.id, d.kind, d.text, d.language, c.month, md5(d.content_hash || c.copy), 'done'
      FROM copies c JOIN documents d ON d.id = c.base_id;
    INSERT INTO demand_facts (document_id, skill_uri, skill_group, month, kind, language, horizon, polarity, weight, score,
        municipality, maakunta, area, major_region, occupation, isco, sector_section, sector_division, firsts)
      SELECT c.id, f.skill_uri, f.skill_group, c.month, f.kind, f.language, f.horizon, f.polarity, f.weight, f.score,
             m.municipality, m.maakunta, m.area, m.major_region, f.occupation, f.isco, f.sector_section, f.sector_division, f.firsts
      FROM copies c JOIN demand_facts f ON f.document_id = c.base_id JOIN muni m ON m.n = c.muni_n;
  `);
  // as autovacuum would: statistics, and the visibility map that index-only scans need
  await db.exec(`VACUUM ANALYZE demand_facts, ${ROLLUPS.map((r) => r.table).join(', ')}`);
  const n = (await db.query<{ n: number; d: number }>('SELECT count(*)::int AS n, count(DISTINCT document_id)::int AS d FROM demand_facts'))[0]!;
  console.log(`  copied to ${n.n} facts of ${n.d} documents in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  for (const r of ROLLUPS) {
    const rows = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${r.table}`))[0]!.n;
    console.log(`  ${r.table}: ${rows} rows (${(n.n / Math.max(1, rows)).toFixed(1)} facts per row)`);
  }
}

interface Shape {
  name: string;
  run: (repo: DemandRepository, i: number) => Promise<unknown>;
}

async function shapes(db: Database): Promise<Shape[]> {
  const maakunnat = (await db.query<{ code: string }>(`SELECT code FROM regions WHERE level = 'maakunta' ORDER BY code`)).map((r) => r.code);
  const kunnat = (await db.query<{ code: string }>(`SELECT code FROM regions WHERE level = 'municipality' AND code IN ('KU091', 'KU837', 'KU564', 'KU398', 'KU853') ORDER BY code`)).map((r) => r.code);
  const isco = (await db.query<{ isco: string }>(`SELECT DISTINCT left(isco, 2) AS isco FROM demand_facts WHERE isco IS NOT NULL ORDER BY 1`)).map((r) => r.isco);
  const pick = <T>(list: T[], i: number) => list[i % list.length]!;
  // what GET /v1/demand asks in JSON: the rows and the totals
  const demand = (groupBy: GroupBy, f: (i: number) => DemandFilters): Shape['run'] => (repo, i) =>
    Promise.all([repo.demand(groupBy, f(i), { lang: 'fi', limit: 50 }), repo.totals(f(i))]);
  return [
    { name: 'skill, no filter', run: demand('skill', () => ({})) },
    { name: 'skill, maakunta + horizon', run: demand('skill', (i) => ({ region: pick(maakunnat, i), horizon: pick(['current', 'short', 'long'], i) })) },
    { name: 'skill, 12 months', run: demand('skill', (i) => ({ from: `202${4 + (i % 2)}-01-01`, to: `202${4 + (i % 2)}-12-01` })) },
    { name: 'maakunta, kind', run: demand('maakunta', (i) => ({ kind: pick(['job_ad', 'meeting_note'], i) })) },
    { name: 'isco2, polarity any', run: demand('isco2', () => ({ polarity: 'any' })) },
    { name: 'skill, ISCO 2-digit', run: demand('skill', (i) => ({ occupation: pick(isco, i) })) },
    { name: 'skill, municipality', run: demand('skill', (i) => ({ region: pick(kunnat, i) })) },
    { name: 'isco2, maakunta + minScore', run: demand('isco2', (i) => ({ region: pick(maakunnat, i), minScore: 0.5 })) },
    { name: 'skillGroup, major region', run: demand('skillGroup', (i) => ({ region: pick(['FI1B', 'FI1C', 'FI19', 'FI1D', 'FI20'], i) })) },
    { name: 'timeseries quarter, top 5 skills', run: (repo) => repo.timeseries('skill', 'quarter', {}, { lang: 'fi', limit: 5 }) },
    {
      name: 'emerging skills, quarter',
      run: (repo) => repo.emerging('skill', {}, { from: '2026-10-01', to: '2026-12-01' }, { from: '2026-07-01', to: '2026-09-01' }, { lang: 'fi', limit: 20, minMentions: 3 }),
    },
    { name: 'compare maakunta vs country', run: (repo, i) => repo.compare('skill', {}, pick(maakunnat, i), undefined, { lang: 'fi', limit: 50, minMentions: 1 }) },
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
    const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
    console.log(`  ${shape.name.padEnd(36)} p50 ${q(0.5).toFixed(1).padStart(7)} ms   p95 ${q(0.95).toFixed(1).padStart(7)} ms`);
  }
}

console.log(`taxonomy: ${taxonomy}; target ${target} mentions`);
for (const engine of values.engines.split(',')) {
  let server: TestServer | undefined;
  let url = process.env.DATABASE_URL;
  if (engine === 'postgres' && !url) {
    if (!postgresAvailable()) {
      console.log('\npostgres: SKIPPED (no DATABASE_URL and no initdb/pg_ctl)');
      continue;
    }
    server = await startPostgres();
    url = server.url;
  }
  const db = await openDatabase(engine === 'postgres' ? { url } : {});
  try {
    console.log(`\n${engine}: loading`);
    await load(db);
    await measure(engine, db);
  } finally {
    await db.close();
    await server?.stop();
  }
}
console.log(`\npeak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
