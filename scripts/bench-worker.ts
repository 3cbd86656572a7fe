/**
 * One separate worker process (`skills-radar worker`, with the configured sentence encoder) on a real PostgreSQL
 * server and a real Redis: documents/s end to end through the queue, and the worker's peak RSS (VmHWM).
 *   npm run bench:worker [-- --docs 200]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/base/config.js';
import { PROJECT_ROOT } from '../src/base/paths.js';
import { enqueueAnalyze } from '../src/jobs/analyze.queue.js';
import { openQueue } from '../src/jobs/analyze.queue.js';
import { openDatabase } from '../src/storage/database.js';
import { KeysRepository } from '../src/storage/keys.repository.js';
import { DocumentKeys } from '../src/storage/document-keys.js';
import { DocumentsRepository } from '../src/storage/documents.repository.js';
import { migrate } from '../src/storage/migrate.js';
import { importTaxonomy } from '../src/taxonomy/import.js';
import { runCli } from '../test/helpers/processes.js';
import { postgresAvailable, startPostgres, startRedis } from '../test/helpers/servers.js';
import { syntheticAds } from './synthetic-ads.js';

const { values } = parseArgs({ options: { docs: { type: 'string', default: '200' } } });
const full = process.env.TAXONOMY_DIR ?? join(PROJECT_ROOT, '..', 'shared', 'data');
const taxonomy = existsSync(full) ? full : join(PROJECT_ROOT, 'test', 'fixtures', 'taxonomy');
if (!postgresAvailable()) {
  console.log('bench:worker needs initdb/pg_ctl (apt-get install -y postgresql)');
  process.exit(0);
}
const pg = await startPostgres();
const redis = await startRedis();
const env = {
  DATABASE_URL: pg.url,
  REDIS_URL: redis.url,
  TAXONOMY_DIR: taxonomy,
  LOG_LEVEL: 'warn',
  QUEUE_PREFIX: 'benchworker',
  DATA_DIR: join(PROJECT_ROOT, 'data'),
  ...(process.env.ENCODER_THREADS && { ENCODER_THREADS: process.env.ENCODER_THREADS }),
};
const config = loadConfig(env);
const db = await openDatabase({ url: pg.url });
try {
  await migrate(db);
  await importTaxonomy(db, taxonomy);
  const worker = runCli(['worker'], env);
  const documents = new DocumentsRepository(db, await DocumentKeys.open(config.KEY_DIR));
  const org = await new KeysRepository(db).createOrganisation(`bench-${Date.now()}`);
  const queue = openQueue(config, redis.url);
  // the worker is ready once it has taken a first document
  const first = (
    await documents.create(org.id, {
      kind: 'job_ad',
      text: 'We are hiring a welder with MIG welding skills.',
      language: 'en',
    })
  ).document;
  await enqueueAnalyze(queue, first.id, config);
  const until = async (done: () => Promise<boolean>, what: string) => {
    for (let i = 0; i < 6_000; i++) {
      if (await done()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  await until(async () => (await documents.get(first.id))?.status === 'done', 'the worker to start');
  const ads = syntheticAds(Number(values.docs), 5);
  const started = performance.now();
  const ids: string[] = [];
  for (const [i, ad] of ads.entries()) {
    const { document } = await documents.create(org.id, {
      kind: 'job_ad',
      text: ad.text,
      language: ad.lang,
      externalId: `bench-worker-${i}`,
    });
    ids.push(document.id);
    await enqueueAnalyze(queue, document.id, config);
  }
  await until(
    async () =>
      (
        await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM documents WHERE status = 'done' AND id = ANY($1::uuid[])`,
          [ids],
        )
      )[0]!.n === ids.length,
    'the documents',
  );
  const seconds = (performance.now() - started) / 1000;
  const status = readFileSync(`/proc/${worker.child.pid}/status`, 'utf8');
  const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  console.log(`taxonomy: ${taxonomy}; encoder: ${config.SEMANTIC_MODEL}`);
  console.log(
    `one worker process: ${ids.length} synthetic ads (fi/sv/en, ~2,000 characters) in ${seconds.toFixed(1)} s = ${(ids.length / seconds).toFixed(1)} documents/s end to end`,
  );
  console.log(`worker peak RSS (VmHWM) ${hwm.toFixed(0)} MiB, RSS now ${rss.toFixed(0)} MiB`);
  worker.child.kill('SIGTERM');
  await queue.close();
} finally {
  await db.close();
  await redis.stop();
  await pg.stop();
}
