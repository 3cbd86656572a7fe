import { Redis } from 'ioredis';
import { inject } from 'vitest';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { loadAnalyzer } from '../../src/analysis/load-analyzer.js';
import type { Config } from '../../src/base/config.js';
import { createLogger } from '../../src/base/logger.js';
import type { Role } from '../../src/domain/access.js';
import { buildApp } from '../../src/interfaces/http/app.js';
import type { AnalyzerHolder } from '../../src/interfaces/http/deps.js';
import { InProcessAnalysis } from '../../src/jobs/analysis-service.js';
import type { Queue } from 'bullmq';
import { openQueue, type AnalyzeJobPayload } from '../../src/jobs/analyze.queue.js';
import { startWorker, type RunningWorker } from '../../src/jobs/analyze.worker.js';
import { redisOptions } from '../../src/jobs/redis.js';
import { startRequeueSweep } from '../../src/jobs/requeue.js';
import type { Database } from '../../src/storage/database.js';
import type { DocumentKeys } from '../../src/storage/document-keys.js';
import { CorrectionsRepository } from '../../src/storage/corrections.repository.js';
import { DocumentsRepository } from '../../src/storage/documents.repository.js';
import { KeysRepository } from '../../src/storage/keys.repository.js';
import { importTaxonomy } from '../../src/taxonomy/import.js';
import { loadTaxonomy } from '../../src/taxonomy/load.js';
import { createTestDatabase, FIXTURE_TAXONOMY, testConfig, uniquePrefix, type Engine, testKeys } from './context.js';

export type Inject = (options: InjectOptions) => Promise<LightMyRequestResponse>;

export interface TestService {
  /** the API; its inject sends the admin key of organisation "test" unless the request has its own authorization */
  app: FastifyInstance;
  keys: KeysRepository;
  /** the admin key of organisation "test" */
  key: string;
  orgId: string;
  /** a new organisation (made if missing) and a key of `role` for it, with an inject that sends that key */
  caller(org: string, role: Role): Promise<{ key: string; orgId: string; inject: Inject }>;
  db: Database;
  config: Config;
  documents: DocumentsRepository;
  /** the documents' key directory */
  documentKeys: DocumentKeys;
  analyzer: AnalyzerHolder;
  /** the analyze queue the API adds jobs to */
  queue: Queue<AnalyzeJobPayload>;
  startWorker(): RunningWorker;
  close(): Promise<void>;
}

/** The API on a real Redis (own queue prefix) and a real database with the fixture taxonomy (or the one in `taxonomyDir`). */
export async function startTestService(
  engine: Engine,
  name: string,
  env: Record<string, string> = {},
  taxonomyDir = FIXTURE_TAXONOMY,
  storage: { pgliteDir?: string } = {},
): Promise<TestService> {
  const redisUrl = inject('redisUrl');
  const config = testConfig({
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: uniquePrefix(name),
    MAX_TEXT_CHARS: '5000',
    MAX_ANALYZE_CHARS: '2000',
    BODY_LIMIT_BYTES: '65536',
    ...env,
  });
  const { db, drop } = await createTestDatabase(engine, {
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    ...storage,
  });
  await importTaxonomy(db, taxonomyDir);
  const log = createLogger(config);
  const documentKeys = await testKeys();
  const documents = new DocumentsRepository(db, documentKeys);
  const queue = openQueue(config, redisUrl);
  const taxonomy = await loadTaxonomy(db, { aliasFiles: config.ALIASES_FILES.split(','), log });
  const analyzer: AnalyzerHolder = { current: new InProcessAnalysis(await loadAnalyzer(taxonomy, config, log)) };
  // keys are looked up on every request (a revocation holds at once) unless a test sets AUTH_CACHE_MS
  const keys = new KeysRepository(db, env.AUTH_CACHE_MS ? config.AUTH_CACHE_MS : 0);
  const orgId = (await keys.createOrganisation('test')).id;
  const { key } = await keys.createKey('test', 'operator');
  const app = await buildApp({ config, db, documents, queue, redisUrl, analyzer, log, keys });
  await app.ready();
  const raw = app.inject.bind(app) as unknown as Inject;
  const withKey =
    (k: string): Inject =>
    (options) =>
      raw({ ...options, headers: { authorization: `Bearer ${k}`, ...options.headers } });
  (app as unknown as { inject: Inject }).inject = withKey(key);
  const workers: RunningWorker[] = [];
  let stopSweep: (() => void) | undefined;
  return {
    app,
    keys,
    key,
    orgId,
    async caller(org, role) {
      const existing = (await keys.organisations()).find((o) => o.name === org);
      const id = existing?.id ?? (await keys.createOrganisation(org)).id;
      const made = await keys.createKey(org, role);
      return { key: made.key, orgId: id, inject: withKey(made.key) };
    },
    db,
    config,
    documents,
    documentKeys,
    analyzer,
    queue,
    startWorker() {
      const w = startWorker(
        config,
        log,
        redisUrl,
        { documents, corrections: new CorrectionsRepository(db) },
        analyzer.current!,
      );
      workers.push(w);
      // the safety net the service has: a document whose job never reached Redis (a command timing out on a busy
      // machine) is queued again; sooner than in production, so that a test waiting for it does not run out
      stopSweep ??= startRequeueSweep(
        { ...config, REQUEUE_INTERVAL_MS: Math.min(config.REQUEUE_INTERVAL_MS, 2_000) },
        log,
        documents,
        queue,
      );
      return w;
    },
    async close() {
      stopSweep?.();
      for (const w of workers) await w.close();
      await app.close();
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await drop();
      const redis = new Redis(redisOptions(redisUrl));
      const keys = await redis.keys(`${config.QUEUE_PREFIX}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    },
  };
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Sends the documents with the service's own key and waits until each is analysed; their ids, in order. */
export async function sendAndAnalyse(
  s: TestService,
  documents: Record<string, unknown>[],
  timeoutMs = 30_000,
): Promise<string[]> {
  const ids: string[] = [];
  for (const d of documents)
    ids.push((await s.app.inject({ method: 'POST', url: '/v1/documents', payload: d })).json<{ id: string }>().id);
  for (const id of ids)
    await waitFor(
      async () =>
        (await s.app.inject({ method: 'GET', url: `/v1/documents/${id}` })).json<{ status: string }>().status === 'done'
          ? true
          : undefined,
      timeoutMs,
      id,
    );
  return ids;
}
