import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { Type, type Static } from 'typebox';
import type { Config } from '../base/config.js';
import { bullConnection } from './redis.js';

/** The one queue of the pipeline: analyse a stored document. */
export const ANALYZE_QUEUE = 'analyze';

export const AnalyzeJobPayload = Type.Object(
  { documentId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
export type AnalyzeJobPayload = Static<typeof AnalyzeJobPayload>;

/** Deterministic: the same document is never queued twice at once (BullMQ ignores a second add). */
export function analyzeJobId(documentId: string): string {
  return `doc-${documentId}`;
}

export function analyzeJobOptions(config: Pick<Config, 'JOB_ATTEMPTS' | 'JOB_BACKOFF_MS'>): JobsOptions {
  return {
    attempts: config.JOB_ATTEMPTS,
    backoff: { type: 'exponential', delay: config.JOB_BACKOFF_MS, jitter: 0.5 },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 14 * 24 * 3600 },
  };
}

export function createAnalyzeQueue(connection: ConnectionOptions, prefix: string): Queue<AnalyzeJobPayload> {
  return new Queue<AnalyzeJobPayload>(ANALYZE_QUEUE, { connection, prefix });
}

export async function enqueueAnalyze(
  queue: Queue<AnalyzeJobPayload>,
  documentId: string,
  config: Pick<Config, 'JOB_ATTEMPTS' | 'JOB_BACKOFF_MS'>,
): Promise<void> {
  await queue.add('analyze', { documentId }, { ...analyzeJobOptions(config), jobId: analyzeJobId(documentId) });
}

/** Queues these documents in one round trip; a document whose job exists keeps it (same job id). */
export async function enqueueMany(
  queue: Queue<AnalyzeJobPayload>,
  documentIds: string[],
  config: Pick<Config, 'JOB_ATTEMPTS' | 'JOB_BACKOFF_MS'>,
): Promise<void> {
  if (documentIds.length === 0) return;
  await queue.addBulk(
    documentIds.map((documentId) => ({
      name: 'analyze',
      data: { documentId },
      opts: { ...analyzeJobOptions(config), jobId: analyzeJobId(documentId) },
    })),
  );
}

/**
 * Queues those of these documents that have no job in Redis, and returns them. One pipelined EXISTS per
 * document first, so that a long backlog waiting in the queue costs the sweep a cheap look rather than a job
 * built and sent again (and ignored) for every document.
 */
export async function enqueueMissing(
  queue: Queue<AnalyzeJobPayload>,
  documentIds: string[],
  config: Pick<Config, 'JOB_ATTEMPTS' | 'JOB_BACKOFF_MS'>,
): Promise<string[]> {
  if (documentIds.length === 0) return [];
  // BullMQ's Redis backend builds an ioredis client from the options bullConnection gives it
  const client = (await queue.getBackend().client) as unknown as Redis;
  const pipeline = client.pipeline();
  for (const id of documentIds) pipeline.exists(queue.toKey(analyzeJobId(id)));
  const found = (await pipeline.exec()) ?? [];
  const missing = documentIds.filter((_, i) => {
    const [err, exists] = found[i] ?? [new Error('no reply'), 0];
    if (err) throw err;
    return exists === 0;
  });
  await enqueueMany(queue, missing, config);
  return missing;
}

/**
 * Queues the documents just stored that need analysis (new ones, and stored ones still queued) in one round
 * trip. They are stored already, so a Redis failure is only logged: the requeue sweep queues them later.
 */
export async function enqueueStored(
  queue: Queue<AnalyzeJobPayload>,
  stored: { id: string; created: boolean; status: string }[],
  config: Pick<Config, 'JOB_ATTEMPTS' | 'JOB_BACKOFF_MS'>,
  onError: (err: unknown, documents: number) => void,
): Promise<void> {
  const jobs = [...new Set(stored.filter((s) => s.created || s.status === 'queued').map((s) => s.id))];
  if (jobs.length === 0) return;
  await enqueueMany(queue, jobs, config).catch((err: unknown) => onError(err, jobs.length));
}

/** The queue for adding jobs: fails fast while Redis is down (the document is stored, and the sweep queues it later). */
export function openQueue(config: Config, redisUrl: string): Queue<AnalyzeJobPayload> {
  return createAnalyzeQueue(
    bullConnection(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 5_000 }),
    config.QUEUE_PREFIX,
  );
}
