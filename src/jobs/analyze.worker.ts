import { Worker } from 'bullmq';
import type { Config } from '../base/config.js';
import type { Logger } from '../base/logger.js';
import { jobDuration, jobsFinished } from '../base/metrics.js';
import type { AnalysisService } from './analysis-service.js';
import { createAnalyzeProcessor, type AnalysisStores } from './analyze.processor.js';
import { ANALYZE_QUEUE, type AnalyzeJobPayload } from './analyze.queue.js';
import { bullConnection } from './redis.js';

export interface RunningWorker {
  worker: Worker<AnalyzeJobPayload>;
  close(): Promise<void>;
}

/** A BullMQ worker on the analyze queue; `close()` lets the running job finish. */
export function startWorker(
  config: Config,
  log: Logger,
  redisUrl: string,
  stores: AnalysisStores,
  analyzer: AnalysisService,
): RunningWorker {
  const worker = new Worker<AnalyzeJobPayload>(
    ANALYZE_QUEUE,
    createAnalyzeProcessor({ config, ...stores, analyzer, log }),
    {
      connection: bullConnection(redisUrl),
      prefix: config.QUEUE_PREFIX,
      concurrency: config.WORKER_CONCURRENCY,
      lockDuration: config.WORKER_LOCK_MS,
      stalledInterval: Math.max(1_000, Math.floor(config.WORKER_LOCK_MS / 2)),
      maxStalledCount: 3,
      autorun: true,
    },
  );
  worker.on('error', (err) => log.error({ err }, 'worker error'));
  const finished = (
    outcome: 'completed' | 'failed',
    job: { processedOn?: number | undefined; finishedOn?: number | undefined } | undefined,
  ) => {
    jobsFinished.inc({ outcome });
    if (job?.processedOn && job.finishedOn) jobDuration.observe((job.finishedOn - job.processedOn) / 1_000);
  };
  worker.on('completed', (job) => finished('completed', job));
  worker.on('failed', (job) => finished('failed', job));
  return { worker, close: () => worker.close() };
}
