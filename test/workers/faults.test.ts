import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/interfaces/http/app.js';
import { KeysRepository } from '../../src/storage/keys.repository.js';
import { createLogger } from '../../src/base/logger.js';
import { loadAnalyzer } from '../../src/analysis/load-analyzer.js';
import { InProcessAnalysis } from '../../src/jobs/analysis-service.js';
import { openQueue } from '../../src/jobs/analyze.queue.js';
import { startWorker, type RunningWorker } from '../../src/jobs/analyze.worker.js';
import { startRequeueSweep } from '../../src/jobs/requeue.js';
import { loadTaxonomy } from '../../src/taxonomy/load.js';
import { openDatabase, type Database } from '../../src/storage/database.js';
import { CorrectionsRepository } from '../../src/storage/corrections.repository.js';
import { DocumentsRepository } from '../../src/storage/documents.repository.js';
import { migrate } from '../../src/storage/migrate.js';
import { importTaxonomy } from '../../src/taxonomy/import.js';
import { FIXTURE_TAXONOMY, testConfig, testKeys } from '../helpers/context.js';
import { postgresAvailable, startPostgres, startRedis, type TestServer } from '../helpers/servers.js';
import { waitFor } from '../helpers/service.js';

/**
 * Faults under a running service, on servers of its own (a PostgreSQL server and a redis-server this suite
 * stops and starts): Redis lost and restarted empty while documents are analysed, Redis hanging while documents
 * arrive, and the database gone while documents arrive. Afterwards: every accepted document analysed, none twice, no duplicate mentions.
 */
const AD = (i: number) =>
  `Haemme Lahteen hitsaajaa numero ${i}. Edellytämme hitsaustekniikoiden hallintaa ja MIG-hitsausta.`;

describe.skipIf(!postgresAvailable())('faults: Redis restarted and the database away, on a PostgreSQL server', () => {
  let pg: TestServer;
  let redis: TestServer;
  let db: Database;
  let app: FastifyInstance;
  let worker: RunningWorker;
  let stopSweep: () => void;
  let auth: Record<string, string>;
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    pg = await startPostgres();
    redis = await startRedis();
    db = await openDatabase({ url: pg.url });
    await migrate(db);
    await importTaxonomy(db, FIXTURE_TAXONOMY);
    const config = testConfig({
      DATABASE_URL: pg.url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: 'faults',
      FAULT_JOB_DELAY_MS: '100',
      WORKER_LOCK_MS: '2000',
      REQUEUE_INTERVAL_MS: '1000',
      JOB_BACKOFF_MS: '300',
      JOB_ATTEMPTS: '20',
    });
    const log = createLogger(config);
    const documents = new DocumentsRepository(db, await testKeys());
    const keys = new KeysRepository(db, 60_000);
    await keys.createOrganisation('faults');
    auth = { authorization: `Bearer ${(await keys.createKey('faults', 'admin')).key}` };
    const queue = openQueue(config, redis.url);
    queue.on('error', () => undefined); // Redis goes away on purpose
    const analyzer = new InProcessAnalysis(
      await loadAnalyzer(await loadTaxonomy(db, { aliasFiles: config.ALIASES_FILES.split(','), log }), config, log),
    );
    app = await buildApp({
      config,
      db,
      documents,
      queue,
      redisUrl: redis.url,
      analyzer: { current: analyzer },
      log,
      keys,
    });
    await app.ready();
    worker = startWorker(config, log, redis.url, { documents, corrections: new CorrectionsRepository(db) }, analyzer);
    stopSweep = startRequeueSweep(config, log, documents, queue);
    closers.push(
      () => worker.close(),
      () => app.close(),
      () => queue.close(),
      () => db.close(),
      () => redis.stop(),
      () => pg.stop(),
    );
  }, 120_000);
  afterAll(async () => {
    stopSweep?.();
    for (const close of closers) await close().catch(() => undefined);
  });

  const submit = (i: number) =>
    app.inject({
      method: 'POST',
      url: '/v1/documents',
      headers: auth,
      payload: { kind: 'job_ad', text: AD(i), externalId: `ad-${i}`, date: '2026-11-01' },
    });

  /** Every stored document done, each once: its mentions and demand facts written once, none repeated. */
  async function expectAllAnalysedOnce(externalIds: string[]) {
    const rows = await waitFor(
      async () => {
        const r = await db.query<{ external_id: string; status: string }>(
          'SELECT external_id, status FROM documents WHERE external_id = ANY($1::text[])',
          [externalIds],
        );
        return r.length === externalIds.length && r.every((d) => d.status === 'done') ? r : undefined;
      },
      90_000,
      'every accepted document to be analysed',
    );
    expect(rows.map((r) => r.external_id).sort()).toEqual([...externalIds].sort());
    const repeated = await db.query(
      'SELECT document_id, skill_uri, start_offset FROM mentions GROUP BY 1, 2, 3 HAVING count(*) > 1',
    );
    expect(repeated).toEqual([]);
    // every counted skill mention has its demand fact, once
    const mismatched = await db.query(
      `SELECT d.id FROM documents d
       LEFT JOIN (SELECT document_id, count(*) AS n, count(*) FILTER (WHERE counted) AS counted FROM mentions GROUP BY 1) m
         ON m.document_id = d.id
       LEFT JOIN (SELECT document_id, count(*) AS n FROM demand_facts WHERE concept = 'skill' GROUP BY 1) f ON f.document_id = d.id
       WHERE COALESCE(m.counted, 0) <> COALESCE(f.n, 0) OR COALESCE(m.n, 0) = 0`,
    );
    expect(mismatched).toEqual([]);
  }

  it('loses nothing when Redis dies mid-processing and comes back empty: the sweep queues what it lost', async () => {
    const accepted: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await submit(i);
      expect(res.statusCode).toBe(202);
      accepted.push(`ad-${i}`);
    }
    await waitFor(
      async () =>
        (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM documents WHERE status = 'done'"))[0]!.n >= 3
          ? true
          : undefined,
      30_000,
      'some analyses',
    );
    await redis.down();
    // Redis away: documents are still accepted (stored; their jobs come later)
    for (let i = 20; i < 30; i++) {
      const res = await submit(i);
      expect(res.statusCode, res.body).toBe(202);
      accepted.push(`ad-${i}`);
    }
    await new Promise((r) => setTimeout(r, 1_500));
    await redis.up();
    await expectAllAnalysedOnce(accepted);
  }, 150_000);

  it('keeps answering while Redis hangs (SIGSTOP): the documents are stored, and analysed once Redis goes on', async () => {
    const accepted: string[] = [];
    redis.pause!();
    try {
      // no job can be queued and no rate-limit count kept while Redis hangs; the answers do not wait for either
      for (let i = 60; i < 70; i++) {
        const res = await submit(i);
        expect(res.statusCode, res.body).toBe(202);
        accepted.push(`ad-${i}`);
      }
      const stored = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM documents WHERE external_id = ANY($1::text[])',
        [accepted],
      );
      expect(stored[0]!.n).toBe(accepted.length);
    } finally {
      redis.resume!();
    }
    await expectAllAnalysedOnce(accepted);
  }, 150_000);

  it('answers 503 with Retry-After while the database is away, writes nothing half, and takes every retry once it is back', async () => {
    const outcome = new Map<number, number>();
    const base = 100;
    // a stream of submissions; the database goes away in the middle of it
    const sending = (async () => {
      for (let i = base; i < base + 60; i++) {
        const res = await submit(i);
        outcome.set(i, res.statusCode);
        if (res.statusCode === 503) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        else expect(res.statusCode, res.body).toBe(202);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    await pg.down();
    const demand = await app.inject({ method: 'GET', url: '/v1/demand', headers: auth });
    expect(demand.statusCode).toBe(503);
    expect(demand.headers['retry-after']).toBeDefined();
    await new Promise((r) => setTimeout(r, 800));
    await pg.up();
    await sending;
    const refused = [...outcome].filter(([, s]) => s === 503).map(([i]) => i);
    expect(refused.length).toBeGreaterThan(0);
    expect([...outcome.values()].filter((s) => s === 202).length).toBeGreaterThan(0);
    // the client retries what was refused: each lands once (a retry of a row that did commit is a duplicate, not a copy)
    for (const i of refused) {
      const res = await waitFor(
        async () => {
          const r = await submit(i);
          return r.statusCode === 202 ? r : undefined;
        },
        30_000,
        `retry ${i}`,
      );
      expect(res.json<{ id: string }>().id).toBeTruthy();
    }
    const ids = [...outcome.keys()].map((i) => `ad-${i}`);
    const copies = await db.query<{ external_id: string; n: number }>(
      'SELECT external_id, count(*)::int AS n FROM documents WHERE external_id = ANY($1::text[]) GROUP BY 1',
      [ids],
    );
    expect(copies.length).toBe(ids.length);
    expect(copies.every((c) => c.n === 1)).toBe(true);
    await expectAllAnalysedOnce(ids);
  }, 150_000);
});
