import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Queue } from 'bullmq';
import { KeysRepository } from '../../src/storage/keys.repository.js';
import { analyzeJobId, enqueueMany, openQueue, type AnalyzeJobPayload } from '../../src/jobs/analyze.queue.js';
import { requeueStale } from '../../src/jobs/requeue.js';
import { DocumentsRepository, type SweepPlace } from '../../src/storage/documents.repository.js';
import { createTestDatabase, engines, testConfig, uniquePrefix, testKeys } from '../helpers/context.js';

/**
 * The requeue sweep against a real Redis: stored documents with no job are queued, a backlog longer than one pass
 * in turn from where the last pass stopped, and documents whose job is there are only read.
 */
describe.each(engines())('the requeue sweep on %s', (engine) => {
  let close: () => Promise<void>;
  let documents: DocumentsRepository;
  let queue: Queue<AnalyzeJobPayload>;
  let db: Awaited<ReturnType<typeof createTestDatabase>>['db'];
  const config = testConfig({ QUEUE_PREFIX: uniquePrefix('requeue') });

  beforeAll(async () => {
    const created = await createTestDatabase(engine);
    db = created.db;
    documents = new DocumentsRepository(db, await testKeys());
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
    const stored = await documents.createMany(
      orgId,
      Array.from({ length: 25 }, (_, i) => ({ kind: 'job_ad' as const, text: `Ilmoitus ${i}: etsimme hitsaajaa.` })),
    );
    const ids = stored.map((d) => d.id);
    // accepted an hour ago while Redis was away; five of them did reach the queue
    await db.query(`UPDATE documents SET updated_at = now() - interval '1 hour' WHERE id = ANY($1::uuid[])`, [ids]);
    await enqueueMany(queue, ids.slice(0, 5), config);
    const before = await Promise.all(
      ids.slice(0, 5).map(async (id) => (await queue.getJob(analyzeJobId(id)))!.timestamp),
    );

    // a recent document is left alone
    const [fresh] = await documents.createMany(orgId, [{ kind: 'job_ad', text: 'Ilmoitus tuore: etsimme hitsaajaa.' }]);

    let from: SweepPlace | undefined;
    const pass = async () => {
      const result = await requeueStale(documents, queue, config, { staleAfterMs: 60_000, batch: 10, rounds: 2, from });
      from = result.next;
      return result;
    };
    const passes = [await pass(), await pass(), await pass()];
    // two rounds of ten; then the five the first pass did not reach, not its twenty again; then from the start,
    // where only the five whose jobs were there all along are still waiting: read again, never queued twice
    expect(passes.map((p) => p.checked)).toEqual([20, 5, 5]);
    expect(passes.map((p) => p.next === undefined)).toEqual([false, true, true]);
    // only the twenty with no job were queued, whichever pass reached them, and only their rows were written
    expect(passes.reduce((sum, p) => sum + p.queued, 0)).toBe(20);
    expect(passes[2]!.queued).toBe(0);
    const marked = await db.query<{ id: string }>('SELECT id FROM documents WHERE requeued_at IS NOT NULL');
    expect(marked.map((r) => r.id).sort()).toEqual(ids.slice(5).sort());
    for (const id of ids) expect(await queue.getJob(analyzeJobId(id)), id).toBeDefined();
    expect(await queue.getJob(analyzeJobId(fresh!.id))).toBeUndefined();
    expect(await queue.getJobCountByTypes('waiting')).toBe(25);
    // the jobs that existed stay as they were
    expect(
      await Promise.all(ids.slice(0, 5).map(async (id) => (await queue.getJob(analyzeJobId(id)))!.timestamp)),
    ).toEqual(before);
  });
});
