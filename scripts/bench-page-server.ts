/**
 * The service for `npm run bench:page`, in a process of its own: embedded PGlite filled with BENCH_MENTIONS demand
 * facts (scripts/seed-demand.ts) from the taxonomy in BENCH_TAXONOMY, Redis, the API on loopback. It sends
 * `{ base, key }` (an analyst key of the organisation that stored the documents) once it listens, answers `times`
 * with the server's own time per route since the last `clear`, and closes everything on `stop`.
 */
import type { AddressInfo } from 'node:net';
import { buildApp } from '../src/interfaces/http/app.js';
import { KeysRepository } from '../src/storage/keys.repository.js';
import { loadConfig } from '../src/base/config.js';
import { createLogger } from '../src/base/logger.js';
import { chartsBundle } from '../src/interfaces/http/charts-bundle.js';
import { openQueue } from '../src/jobs/analyze.queue.js';
import { openDatabase } from '../src/storage/database.js';
import { DocumentsRepository } from '../src/storage/documents.repository.js';
import { startRedis } from '../test/helpers/servers.js';
import { benchKeys, seedDemand } from './seed-demand.js';

const taxonomy = process.env.BENCH_TAXONOMY!;
const db = await openDatabase({});
console.log(`taxonomy: ${taxonomy}; embedded PGlite`);
const keys = await benchKeys();
await seedDemand(db, { taxonomy, mentions: Number(process.env.BENCH_MENTIONS ?? 100_000), baseDocs: 200, keys });
const redis = await startRedis();
const config = loadConfig({
  ...process.env,
  TAXONOMY_DIR: taxonomy,
  REDIS_URL: redis.url,
  LOG_LEVEL: 'warn',
  SEMANTIC_MODEL: 'none',
  QUEUE_PREFIX: 'benchpage',
});
const log = createLogger(config, 'bench-page', 2);
const queue = openQueue(config, redis.url);
const app = await buildApp({
  config,
  db,
  documents: new DocumentsRepository(db, keys),
  queue,
  redisUrl: redis.url,
  analyzer: {},
  log,
});
// the server's own time per request (Fastify's, from the request in to the reply sent), for --detail
const serverMs = new Map<string, number[]>();
app.addHook('onResponse', async (request, reply) => {
  const path = request.url.split('?')[0]!;
  serverMs.set(path, [...(serverMs.get(path) ?? []), reply.elapsedTime]);
});
await app.listen({ port: 0, host: '127.0.0.1' });
await chartsBundle(); // as npm start does after listening
const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
const { key } = await new KeysRepository(db).createKey('bench', 'analyst');
process.send!({ base, key });
process.on('message', (message) => {
  if (message === 'times') process.send!([...serverMs]);
  if (message === 'clear') {
    serverMs.clear();
    process.send!('cleared');
  }
  if (message === 'stop') {
    void (async () => {
      await app.close();
      await queue.close();
      await db.close();
      await redis.stop();
      process.send!('stopped');
      process.disconnect();
    })();
  }
});
