/**
 * Batch classification throughput: a generated dump (scripts/synthetic-dump.ts, fi/sv/en, 600–3,400 characters)
 * through `classify` locally with 1 and 2 analysis processes (lexical only, and with the sentence encoder), and
 * through a service (API + 1 or 2 `skills-radar worker` processes on PostgreSQL and Redis). Prints ads/s, ads/s
 * per process, scaling efficiency and peak RSS; `--sizes 10000,100000` compares peak RSS across dump sizes; `resume`
 * times `skills-radar classify` given again on a finished output of `--semantic-ads` ads (the whole command).
 *   npm run bench:batch [-- --ads 10000 --semantic-ads 2000 --server-ads 2000 --sizes 10000,100000 --only local,semantic,server,memory,resume]
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { classifyLocal } from '../src/interfaces/batch/local.js';
import { classifyRemote } from '../src/interfaces/batch/remote.js';
import { loadConfig } from '../src/base/config.js';
import { PROJECT_ROOT } from '../src/base/paths.js';
import { openDatabase } from '../src/storage/database.js';
import { migrate } from '../src/storage/migrate.js';
import { importTaxonomy } from '../src/taxonomy/import.js';
import { runCli, type CliProcess } from '../test/helpers/processes.js';
import { postgresAvailable, startPostgres, startRedis } from '../test/helpers/servers.js';
import { writeDump } from './synthetic-dump.js';
import { peakRssMiB } from './bench-stats.js';

const { values } = parseArgs({
  options: {
    ads: { type: 'string', default: '10000' },
    'semantic-ads': { type: 'string', default: '2000' },
    'server-ads': { type: 'string', default: '2000' },
    sizes: { type: 'string', default: '10000,100000' },
    only: { type: 'string', default: 'local,semantic,server,memory,resume' },
  },
});
const only = new Set(values.only.split(','));
const full = process.env.TAXONOMY_DIR ?? join(PROJECT_ROOT, '..', 'shared', 'data');
const taxonomy = existsSync(full) ? full : join(PROJECT_ROOT, 'test', 'fixtures', 'taxonomy');
const dir = mkdtempSync(join(tmpdir(), 'radar-bench-batch-'));
const config = loadConfig({ ...process.env, TAXONOMY_DIR: taxonomy, LOG_LEVEL: 'warn' });
console.log(`taxonomy: ${taxonomy}; dumps in ${dir}`);

async function dump(n: number): Promise<string> {
  const path = join(dir, `dump-${n}.jsonl.gz`);
  if (!existsSync(path)) await writeDump(path, n, 11);
  return path;
}

async function local(n: number, workers: number, semantic: boolean) {
  const out = join(dir, `out-${n}-${workers}-${semantic}.jsonl`);
  rmSync(out, { force: true });
  const s = await classifyLocal(semantic ? config : { ...config, SEMANTIC_MODEL: 'none' }, {
    input: await dump(n),
    out,
    format: 'jsonl',
    fields: {},
    workers,
  });
  const peak = s.maxRssMiB.parent + s.maxRssMiB.children.reduce((a, b) => a + b, 0);
  console.log(
    `  local ${semantic ? `lexical + ${s.semantic ?? 'none'}` : 'lexical only'}, ${workers} process${workers > 1 ? 'es' : ''}, ${n} ads: ${s.adsPerSecond.toFixed(1)} ads/s ` +
      `(${(s.adsPerSecond / workers).toFixed(1)} per process; loading ${s.loadSeconds.toFixed(1)} s); peak RSS ${s.maxRssMiB.parent} MiB + ${s.maxRssMiB.children.join(' + ')} MiB = ${peak} MiB`,
  );
  const perAd = (sec: number) => ((sec / Math.max(1, s.written)) * 1000).toFixed(2);
  console.log(
    `    CPU per ad: ${perAd(s.cpuSeconds.parent)} ms in the parent, ${perAd(s.cpuSeconds.children.reduce((a, b) => a + b, 0))} ms in the analysis processes`,
  );
  return { rate: s.adsPerSecond, peak, parent: s.maxRssMiB.parent, children: s.maxRssMiB.children };
}

const efficiency = (one: number, two: number) =>
  `2 processes = ${(two / one).toFixed(2)} × 1 process (scaling efficiency ${((two / one / 2) * 100).toFixed(0)} %)`;

if (only.has('local')) {
  console.log('\nlocal mode, lexical only');
  const one = await local(Number(values.ads), 1, false);
  const two = await local(Number(values.ads), 2, false);
  console.log(`  ${efficiency(one.rate, two.rate)}`);
}
if (only.has('semantic')) {
  console.log(`\nlocal mode, lexical + ${config.SEMANTIC_MODEL}`);
  const one = await local(Number(values['semantic-ads']), 1, true);
  const two = await local(Number(values['semantic-ads']), 2, true);
  console.log(`  ${efficiency(one.rate, two.rate)}`);
}
if (only.has('memory')) {
  console.log('\nmemory against dump size (local, lexical only, 2 processes)');
  const runs = [];
  for (const n of values.sizes.split(',').map(Number)) runs.push({ n, ...(await local(n, 2, false)) });
  const [a, b] = [runs[0]!, runs[runs.length - 1]!];
  console.log(
    `  peak RSS ${a.n} ads: ${a.peak} MiB; ${b.n} ads: ${b.peak} MiB (${(((b.peak - a.peak) / a.peak) * 100).toFixed(1)} %)`,
  );
}
if (only.has('resume')) {
  const n = Number(values['semantic-ads']);
  console.log(`\nclassify given again on a finished output of ${n} ads (the command, start to exit)`);
  await local(n, 2, false);
  const out = join(dir, `out-${n}-2-false.jsonl`);
  const started = Date.now();
  const again = runCli(['classify', await dump(n), '--out', out], {
    TAXONOMY_DIR: taxonomy,
    DATA_DIR: join(dir, 'data'),
    LOG_LEVEL: 'warn',
  });
  const status = await again.exited;
  console.log(
    `  exited ${status} after ${((Date.now() - started) / 1000).toFixed(1)} s: ${again.output().trim().split('\n')[0]}`,
  );
}
if (only.has('server')) {
  if (!postgresAvailable()) console.log('\nserver mode: SKIPPED (needs initdb/pg_ctl)');
  else {
    console.log(`\nserver mode (API + workers on PostgreSQL and Redis, encoder ${config.SEMANTIC_MODEL})`);
    const rates: number[] = [];
    for (const workers of [1, 2]) {
      const pg = await startPostgres();
      const redis = await startRedis();
      const env = {
        DATABASE_URL: pg.url,
        REDIS_URL: redis.url,
        TAXONOMY_DIR: taxonomy,
        LOG_LEVEL: 'info',
        QUEUE_PREFIX: 'benchbatch',
        DATA_DIR: join(PROJECT_ROOT, 'data'),
        PORT: String(18_000 + workers),
        SEMANTIC_MODEL: config.SEMANTIC_MODEL,
      };
      const db = await openDatabase({ url: pg.url });
      await migrate(db);
      await importTaxonomy(db, taxonomy);
      await db.close();
      const procs: CliProcess[] = [runCli(['api'], env)];
      // as `npm run worker` runs them (see package.json)
      for (let i = 0; i < workers; i++)
        procs.push(runCli(['worker'], { ...env, NODE_OPTIONS: '--max-semi-space-size=64' }));
      try {
        for (const p of procs.slice(1)) await p.waitForOutput(/worker ready/, 600_000);
        await procs[0]!.waitForOutput(/listening/i, 120_000);
        const n = Number(values['server-ads']);
        // the API's first start made an admin key and printed it once
        const apiKey = /^\s+(sdr_[0-9a-f]{12}_[\w-]{43})$/m.exec(procs[0]!.output())?.[1];
        if (!apiKey) throw new Error('the API printed no first admin key');
        const s = await classifyRemote(`http://127.0.0.1:${env.PORT}`, {
          apiKey,
          input: await dump(n),
          out: join(dir, `remote-${workers}.jsonl`),
          format: 'jsonl',
          fields: {},
          pollMs: 500,
        });
        const hwm = procs.map((p) => peakRssMiB(p.child.pid));
        rates.push(s.adsPerSecond);
        console.log(
          `  ${workers} worker process${workers > 1 ? 'es' : ''}, ${n} ads: ${s.adsPerSecond.toFixed(1)} ads/s end to end (upload included); peak RSS API ${hwm[0]} MiB, workers ${hwm.slice(1).join(' + ')} MiB`,
        );
      } finally {
        for (const p of procs) p.child.kill('SIGTERM');
        await Promise.all(procs.map((p) => p.exited));
        await redis.stop();
        await pg.stop();
      }
    }
    console.log(`  ${efficiency(rates[0]!, rates[1]!)}`);
  }
}
rmSync(dir, { recursive: true, force: true });
