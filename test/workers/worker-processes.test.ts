import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Queue } from 'bullmq';
import { ANALYZE_QUEUE, analyzeJobId, createAnalyzeQueue, enqueueAnalyze } from '../../src/jobs/analyze.queue.js';
import { bullConnection } from '../../src/jobs/redis.js';
import type { Database } from '../../src/storage/database.js';
import { KeysRepository } from '../../src/storage/keys.repository.js';
import type { DocumentKeys } from '../../src/storage/document-keys.js';
import { DocumentsRepository } from '../../src/storage/documents.repository.js';
import { importTaxonomy } from '../../src/taxonomy/import.js';
import { loadAnalyzer } from '../../src/analysis/load-analyzer.js';
import { createLogger } from '../../src/base/logger.js';
import { loadTaxonomy } from '../../src/taxonomy/load.js';
import { createTestDatabase, FIXTURE_TAXONOMY, testConfig, uniquePrefix, testKeys } from '../helpers/context.js';
import { runCli, type CliProcess } from '../helpers/processes.js';
import { waitFor } from '../helpers/service.js';

const postgresUrl = inject('postgresUrl');
if (!postgresUrl)
  console.warn(
    '*** worker-process tests SKIPPED: they need a PostgreSQL server (initdb/pg_ctl) shared between processes ***',
  );

const AD = (i: number) =>
  `Ilmoitus ${i}: etsimme hitsaajaa. Edellytämme MIG-hitsauksen osaamista, tuotteiden myyntiä ja asiakaspalvelua. Työskentelet hitsauslaitteilla.`;

describe.skipIf(!postgresUrl)('separate worker processes on PostgreSQL and Redis', () => {
  let db: Database;
  let url: string;
  let drop: () => Promise<void>;
  let documents: DocumentsRepository;
  let orgId: string;
  let expectedMentions: number;
  const processes: CliProcess[] = [];
  let keys: DocumentKeys;

  beforeAll(async () => {
    const created = await createTestDatabase('postgres');
    db = created.db;
    url = created.url!;
    drop = created.drop;
    await importTaxonomy(db, FIXTURE_TAXONOMY);
    keys = await testKeys();
    documents = new DocumentsRepository(db, keys);
    orgId = (await new KeysRepository(db).createOrganisation('workers')).id;
    const config = testConfig();
    // the worker processes load the same taxonomy and the project's alias list
    const log = createLogger(config);
    expectedMentions = (
      await loadAnalyzer(await loadTaxonomy(db, { aliasFiles: config.ALIASES_FILES.split(','), log }), config, log)
    ).analyze({ text: AD(0) }).mentions.length;
    expect(expectedMentions).toBeGreaterThanOrEqual(3);
  });
  afterAll(async () => {
    for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await drop();
  });

  function worker(prefix: string, extra: Record<string, string> = {}): CliProcess {
    const p = runCli(['worker'], {
      DATABASE_URL: url,
      REDIS_URL: inject('redisUrl'),
      QUEUE_PREFIX: prefix,
      WORKER_LOCK_MS: '2000',
      JOB_BACKOFF_MS: '200',
      SEMANTIC_MODEL: 'none',
      TAXONOMY_DIR: FIXTURE_TAXONOMY,
      KEY_DIR: keys.dir,
      ...extra,
    });
    processes.push(p);
    return p;
  }

  async function submit(queue: Queue, n: number, offset: number): Promise<string[]> {
    const config = testConfig();
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const { document } = await documents.create(orgId, { kind: 'job_ad', text: AD(offset + i) });
      await enqueueAnalyze(queue, document.id, config);
      ids.push(document.id);
    }
    return ids;
  }

  async function mentionStats(ids: string[]) {
    const rows = await db.query<{ total: number; distinct_rows: number }>(
      `SELECT count(*)::int AS total, count(DISTINCT (document_id, skill_uri, start_offset))::int AS distinct_rows
       FROM mentions WHERE document_id = ANY($1::uuid[])`,
      [ids],
    );
    return rows[0]!;
  }

  it('finishes a job whose worker was killed with SIGKILL mid-job, with no loss and no duplicates', async () => {
    const prefix = uniquePrefix('sigkill');
    const queue = createAnalyzeQueue(bullConnection(inject('redisUrl')), prefix);
    const slow = worker(prefix, { FAULT_JOB_DELAY_MS: '4000' });
    await slow.waitForOutput(/worker ready/);
    const [id] = await submit(queue, 1, 100);
    await waitFor(
      async () => ((await documents.get(id!))?.status === 'processing' ? true : undefined),
      20_000,
      'processing',
    );
    slow.child.kill('SIGKILL');
    await slow.exited;
    expect((await documents.get(id!))?.status).toBe('processing');

    const restarted = worker(prefix);
    await restarted.waitForOutput(/worker ready/);
    const doc = await waitFor(
      async () => {
        const d = await documents.get(id!);
        return d?.status === 'done' ? d : undefined;
      },
      30_000,
      'the job to be retried',
    );
    expect(doc.attempts).toBe(2);
    expect(await mentionStats([id!])).toEqual({ total: expectedMentions, distinct_rows: expectedMentions });
    // the document is done when its save commits; BullMQ marks the job completed just after
    const job = await queue.getJob(analyzeJobId(id!));
    expect(
      await waitFor(
        async () => ((await job?.getState()) === 'completed' ? 'completed' : undefined),
        10_000,
        'completed',
      ),
    ).toBe('completed');
    restarted.child.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it('shares the queue between two worker processes and analyses every document exactly once', async () => {
    const prefix = uniquePrefix('two');
    const queue = createAnalyzeQueue(bullConnection(inject('redisUrl')), prefix);
    const a = worker(prefix, { FAULT_JOB_DELAY_MS: '50' });
    const b = worker(prefix, { FAULT_JOB_DELAY_MS: '50' });
    await Promise.all([a.waitForOutput(/worker ready/), b.waitForOutput(/worker ready/)]);
    const ids = await submit(queue, 40, 200);
    await waitFor(
      async () => {
        const rows = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM documents WHERE id = ANY($1::uuid[]) AND status = 'done'`,
          [ids],
        );
        return rows[0]?.n === ids.length ? true : undefined;
      },
      60_000,
      'all documents',
    );
    const rows = await db.query<{ attempts: number; processed_by: string }>(
      'SELECT attempts, processed_by FROM documents WHERE id = ANY($1::uuid[])',
      [ids],
    );
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
    expect(new Set(rows.map((r) => r.processed_by)).size).toBe(2);
    expect(await mentionStats(ids)).toEqual({
      total: ids.length * expectedMentions,
      distinct_rows: ids.length * expectedMentions,
    });
    // a job is marked completed in Redis just after its document is saved as done: wait for the last marks
    const counts = await waitFor(
      async () => {
        const c = await queue.getJobCounts('completed', 'failed');
        return (c.completed ?? 0) + (c.failed ?? 0) === ids.length ? c : undefined;
      },
      10_000,
      'every job completed',
    );
    expect(counts).toEqual({ completed: ids.length, failed: 0 });
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it('fails a job for a missing document without retrying it, and keeps it as evidence', async () => {
    const prefix = uniquePrefix('missing');
    const queue = createAnalyzeQueue(bullConnection(inject('redisUrl')), prefix);
    const w = worker(prefix);
    await w.waitForOutput(/worker ready/);
    const ghost = '0b8f8a70-0000-4000-8000-000000000001';
    await enqueueAnalyze(queue, ghost, testConfig());
    const job = await waitFor(
      async () => {
        const j = await queue.getJob(analyzeJobId(ghost));
        // read the job again once it has failed: the first read may be from before the failure
        return j && (await j.getState()) === 'failed' ? queue.getJob(analyzeJobId(ghost)) : undefined;
      },
      20_000,
      'the job to fail',
    );
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/does not exist/);
    expect(queue.name).toBe(ANALYZE_QUEUE);
    w.child.kill('SIGTERM');
    await w.exited;
    await queue.obliterate({ force: true });
    await queue.close();
  });
});
