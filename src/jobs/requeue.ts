import type { Queue } from 'bullmq';
import type { Config } from '../base/config.js';
import type { Logger } from '../base/logger.js';
import type { DocumentsRepository, SweepPlace } from '../storage/documents.repository.js';
import { enqueueMissing, type AnalyzeJobPayload } from './analyze.queue.js';

/**
 * One pass of the requeue sweep: looks, in rounds of `batch` (one query and one pipelined look in Redis each),
 * at stored documents that have waited longer than `staleAfterMs`, at most `rounds` rounds, from `from` (where
 * the last pass stopped) on, and queues those with no job, noting that on their rows so that they are not stale
 * again for as long. Adding a job whose id exists is a no-op, so this is safe from every process. A document
 * whose job is there is only read: marking each one would hold the embedded engine in front of the submissions.
 * Returns how many documents were looked at, how many were queued, and where to go on from (none when the end
 * of the waiting documents was reached: the next pass starts from the beginning).
 */
export async function requeueStale(
  documents: DocumentsRepository,
  queue: Queue<AnalyzeJobPayload>,
  config: Pick<Config, 'JOB_ATTEMPTS' | 'JOB_BACKOFF_MS'>,
  options: { staleAfterMs: number; batch?: number; rounds?: number; from?: SweepPlace },
): Promise<{ checked: number; queued: number; next?: SweepPlace }> {
  const { batch = 200, rounds = 50 } = options;
  let checked = 0;
  let queued = 0;
  let from = options.from;
  for (let round = 0; round < rounds; round++) {
    const { ids, last } = await documents.stale(options.staleAfterMs, batch, from);
    const missing = await enqueueMissing(queue, ids, config);
    await documents.markRequeued(missing);
    checked += ids.length;
    queued += missing.length;
    if (ids.length < batch) return { checked, queued };
    from = last;
  }
  return { checked, queued, ...(from && { next: from }) };
}

/** Runs requeueStale every REQUEUE_INTERVAL_MS (first after 2 s): documents accepted while Redis was down, or orphaned by a lost Redis. */
export function startRequeueSweep(
  config: Config,
  log: Logger,
  documents: DocumentsRepository,
  queue: Queue<AnalyzeJobPayload>,
): () => void {
  const staleAfterMs = Math.max(config.WORKER_LOCK_MS * 2, 10_000);
  let running = false;
  let from: SweepPlace | undefined;
  const sweep = async () => {
    if (running) return;
    running = true;
    try {
      const { checked, queued, next } = await requeueStale(documents, queue, config, { staleAfterMs, from });
      from = next;
      if (queued > 0) log.info({ documents: queued, checked }, 'requeue sweep queued stored documents');
    } catch (err) {
      log.warn({ err }, 'requeue sweep failed; will retry');
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void sweep(), 2_000);
  const timer = setInterval(() => void sweep(), config.REQUEUE_INTERVAL_MS);
  timer.unref();
  first.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
