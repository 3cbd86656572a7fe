import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Queue } from 'bullmq';
import { createLogger } from '../../src/base/logger.js';
import { analyzeJobId, createAnalyzeQueue, type AnalyzeJobPayload } from '../../src/jobs/analyze.queue.js';
import { bullConnection } from '../../src/jobs/redis.js';
import type { Database } from '../../src/storage/database.js';
import type { DocumentKeys } from '../../src/storage/document-keys.js';
import { DocumentRefusedError, DocumentsRepository } from '../../src/storage/documents.repository.js';
import { IngestBatcher } from '../../src/jobs/ingest.js';
import { createTestDatabase, testConfig, uniquePrefix, testKeys } from '../helpers/context.js';

/** Group commit on embedded PGlite and real Redis: the statements that write documents, counted as they go out. */
describe('IngestBatcher', () => {
  let db: Database;
  let drop: () => Promise<void>;
  let queue: Queue<AnalyzeJobPayload>;
  let org: string;
  const inserts: number[] = [];

  let keys: DocumentKeys;
  beforeAll(async () => {
    ({ db, drop } = await createTestDatabase('pglite'));
    org = randomUUID();
    keys = await testKeys();
    await db.query('INSERT INTO organisations (id, name) VALUES ($1, $2)', [org, 'batcher']);
    queue = createAnalyzeQueue(bullConnection(inject('redisUrl')), uniquePrefix('ingest'));
  });
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    await drop();
  });

  /**
   * The repository over the real database, noting how many documents each INSERT carries; `hold` keeps the next
   * INSERT from going out until it is resolved (a database busy for a moment).
   */
  function countingRepository(hold?: Promise<void>): DocumentsRepository {
    const counted: Database = {
      ...db,
      query: async <T>(sql: string, params?: unknown[]) => {
        if (sql.trimStart().startsWith('INSERT INTO documents')) {
          // the rows go as one JSON text
          inserts.push((JSON.parse(params![0] as string) as unknown[]).length);
          const wait = hold;
          hold = undefined;
          await wait;
        }
        return db.query<T>(sql, params);
      },
    };
    return new DocumentsRepository(counted, keys);
  }

  it('writes a lone submission at once, and what arrives during a write together in the next one', async () => {
    const config = testConfig();
    let release!: () => void;
    const busy = new Promise<void>((resolve) => (release = resolve));
    const batcher = new IngestBatcher(countingRepository(busy), queue, config, createLogger(config), 200, 1);
    const doc = (i: number) => ({
      kind: 'job_ad' as const,
      text: `Haemme hitsaajaa Lahteen (${i}).`,
      language: 'fi' as const,
      externalId: `batch-${i}`,
    });
    const turn = () => new Promise((resolve) => setImmediate(resolve));

    const first = batcher.submit(org, doc(0));
    // the first write goes out in the next turn of the event loop (its keys, then its INSERT, held here); ten more
    // arrive, each in a turn of its own, while it is under way
    while (inserts.length === 0) await turn();
    const later: Promise<unknown>[] = [];
    for (let i = 1; i <= 10; i++) {
      later.push(batcher.submit(org, doc(i)));
      await turn();
    }
    expect(inserts).toEqual([1]);
    release();
    const results = (await Promise.all([first, ...later])) as { id: string; created: boolean; status: string }[];
    expect(inserts).toEqual([1, 10]);
    expect(results.every((r) => r.created && r.status === 'queued')).toBe(true);
    expect(new Set(results.map((r) => r.id)).size).toBe(11);
    const stored = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM documents WHERE org_id = $1', [org]);
    expect(stored).toEqual([{ n: 11 }]);
    // the jobs follow the answers
    await batcher.drain();
    const jobs = await Promise.all(results.map((r) => queue.getJob(analyzeJobId(r.id))));
    expect(jobs.every((j) => j !== undefined)).toBe(true);
  });

  it('fails every submission of a failed statement, and stores none of them, while the next write goes on', async () => {
    inserts.length = 0;
    const config = testConfig();
    const batcher = new IngestBatcher(countingRepository(), queue, config, createLogger(config), 200, 1);
    // an organisation that does not exist: the foreign key fails the whole statement
    const ghost = randomUUID();
    const failed = [
      batcher.submit(ghost, { kind: 'job_ad', text: 'Ei tallennu 1.', language: 'fi' }),
      batcher.submit(ghost, { kind: 'job_ad', text: 'Ei tallennu 2.', language: 'fi' }),
    ];
    const results = await Promise.allSettled(failed);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await db.query('SELECT 1 FROM documents WHERE org_id = $1', [ghost])).toEqual([]);
    await expect(batcher.submit(org, { kind: 'job_ad', text: 'Tallentuu.', language: 'fi' })).resolves.toMatchObject({
      created: true,
    });
    expect(inserts).toEqual([2, 1]);
    await batcher.drain();
  });
  it('fails only the submission whose values the database refuses (a 400), and stores the rest of its statement', async () => {
    inserts.length = 0;
    const config = testConfig();
    const batcher = new IngestBatcher(countingRepository(), queue, config, createLogger(config), 200, 1);
    // the API refuses a NUL before it gets here; past it, PostgreSQL's text cannot hold one (22P05) in a
    // column of its own (the text itself is sealed)
    const texts = ['Haemme kokkia Ouluun.', 'Haemme siivoojaa.', 'Haemme kokkia Ouluun.', 'Haemme tarjoilijaa Ouluun.'];
    const outcomes = await Promise.allSettled(
      texts.map((text, i) =>
        batcher.submit(org, { kind: 'job_ad', text, language: 'fi', ...(i === 1 && { region: 'Ou\u0000lu' }) }),
      ),
    );
    expect(inserts).toEqual([4, 1, 1, 1, 1]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const refused = (outcomes[1] as PromiseRejectedResult).reason as DocumentRefusedError;
    expect(refused).toBeInstanceOf(DocumentRefusedError);
    expect(refused.statusCode).toBe(400);
    expect(refused.message).toMatch(/could not be stored: unsupported Unicode escape sequence/);
    const [first, , again, other] = outcomes.map((o) =>
      o.status === 'fulfilled' ? (o.value as { id: string; created: boolean }) : undefined,
    );
    // the same text twice in the list is still one document, written one by one as in one statement
    expect(first).toMatchObject({ created: true });
    expect(again).toEqual({ id: first!.id, created: false, status: 'queued' });
    expect(other).toMatchObject({ created: true });
    const stored = await countingRepository().getMany([first!.id, other!.id]);
    expect(stored.map((r) => r.text)).toEqual(['Haemme kokkia Ouluun.', 'Haemme tarjoilijaa Ouluun.']);
    await batcher.drain();
    expect(await queue.getJob(analyzeJobId(other!.id))).toBeDefined();
  });
  it('gathers the jobs of submissions written one by one into one addBulk, sent when due, full or drained', async () => {
    inserts.length = 0;
    const config = testConfig();
    const calls: number[] = [];
    const counted = Object.create(queue) as Queue<AnalyzeJobPayload>;
    counted.addBulk = (jobs) => {
      calls.push(jobs.length);
      return queue.addBulk(jobs);
    };
    // a delay no test waits for: the jobs go when drained, or when a full batch (3) has gathered
    const batcher = new IngestBatcher(countingRepository(), counted, config, createLogger(config), 3, 1, 60_000);
    const a = await batcher.submit(org, { kind: 'job_ad', text: 'Haemme putkiasentajaa Vaasaan.', language: 'fi' });
    const b = await batcher.submit(org, { kind: 'job_ad', text: 'Haemme sähköasentajaa Vaasaan.', language: 'fi' });
    expect(inserts).toEqual([1, 1]);
    expect(calls).toEqual([]);
    expect(await queue.getJob(analyzeJobId(a.id))).toBeUndefined();
    await batcher.drain();
    expect(calls).toEqual([2]);
    expect(await queue.getJob(analyzeJobId(a.id))).toBeDefined();
    expect(await queue.getJob(analyzeJobId(b.id))).toBeDefined();

    const full = await Promise.all(
      ['Kokki', 'Tarjoilija', 'Siivooja'].map((who) =>
        batcher.submit(org, { kind: 'job_ad', text: `Haemme: ${who}, Vaasa.`, language: 'fi' }),
      ),
    );
    expect(inserts).toEqual([1, 1, 3]);
    for (let i = 0; i < 200 && calls.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(calls).toEqual([2, 3]);
    await batcher.drain();
    const jobs = await Promise.all(full.map((r) => queue.getJob(analyzeJobId(r.id))));
    expect(jobs.every((j) => j !== undefined)).toBe(true);
    expect(calls).toEqual([2, 3]);
  });
});
