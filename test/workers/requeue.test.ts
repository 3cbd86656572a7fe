import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Queue } from 'bullmq';
import { KeysRepository } from '../../src/auth/keys.js';
import { analyzeJobId, enqueueMany, type AnalyzeJobPayload } from '../../src/queue/analyze.queue.js';
import { openQueue, requeueStale } from '../../src/runtime.js';
import { DocumentsRepository } from '../../src/storage/documents.repository.js';
import { createTestDatabase, engines, testConfig, uniquePrefix } from '../helpers/context.js';

/** The requeue sweep against a real Redis: stored documents with no job are queued, a backlog longer than one pass in turn. */
describe.each(engines())('the requeue sweep on %s', (engine) => {
  let close: () => Promise<void>;
  let documents: DocumentsRepository;
  let queue: Queue<AnalyzeJobPayload>;
  let db: Awaited<ReturnType<typeof createTestDatabase>>['db'];
  const config = testConfig({ QUEUE_PREFIX: uniquePrefix('requeue') });

  beforeAll(async () => {
    const created = await createTestDatabase(engine);
    db = created.db;
    documents = new DocumentsRepository(db);
    queue = openQueue(config, inject('redisUrl'));
    close = async () => {
      await queue.obliterate({ force: true });
      await queue.close();
      await created.drop();
    };
  }, 60_000);
  afterAll(() => close?.());

  it('queues every waiting document with no job, rounds of a batch at a time, and the rest of a backlog on later passes', async () => {
    const orgId = (await new KeysRepository(db).createOrganisation('requeue')).id;
    const stored = await documents.createMany(orgId, Array.from({ length: 25 }, (_, i) => ({ kind: 'job_ad' as const, text: `Ilmoitus ${i}: etsimme hitsaajaa.` })));
    const ids = stored.map((d) => d.id);
    // accepted an hour ago while Redis was away; five of them did reach the queue
    await db.query(`UPDATE documents SET updated_at = now() - interval '1 hour' WHERE id = ANY($1::uuid[])`, [ids]);
    await enqueueMany(queue, ids.slice(0, 5), config);
    const before = await Promise.all(ids.slice(0, 5).map(async (id) => (await queue.getJob(analyzeJobId(id)))!.timestamp));

    // a recent document is left alone
    const [fresh] = await documents.createMany(orgId, [{ kind: 'job_ad', text: 'Ilmoitus tuore: etsimme hitsaajaa.' }]);

    const pass = () => requeueStale(documents, queue, config, { staleAfterMs: 60_000, batch: 10, rounds: 2 });
    const passes = [await pass(), await pass(), await pass()];
    // two rounds of ten; then the five the first pass did not reach, not its twenty again; then none, each was looked at just now
    expect(passes.map((p) => p.checked)).toEqual([20, 5, 0]);
    // only the twenty with no job were queued, whichever pass reached them
    expect(passes.reduce((sum, p) => sum + p.queued, 0)).toBe(20);
    for (const id of ids) expect(await queue.getJob(analyzeJobId(id)), id).toBeDefined();
    expect(await queue.getJob(analyzeJobId(fresh!.id))).toBeUndefined();
    expect(await queue.getJobCountByTypes('waiting')).toBe(25);
    // the jobs that existed stay as they were
    expect(await Promise.all(ids.slice(0, 5).map(async (id) => (await queue.getJob(analyzeJobId(id)))!.timestamp))).toEqual(before);
  });
});
