import type { Config } from '../src/config.js';
import type { Logger } from '../src/logger.js';
import { loadAnalyzer, lowerPriority, openQueue, openStorage, startRequeueSweep, startWorker } from '../src/runtime.js';
import { DocumentsRepository } from '../src/storage/documents.repository.js';

/** A worker process: shared PostgreSQL and Redis, models and taxonomy loaded before the first job. */
export async function runWorkerProcess(config: Config, log: Logger): Promise<() => Promise<void>> {
  if (!config.DATABASE_URL || !config.REDIS_URL) {
    throw new Error(
      'a separate worker process needs DATABASE_URL (a PostgreSQL server) and REDIS_URL shared with the API; ' +
        'with the embedded defaults, `npm start` runs a worker inside the API process',
    );
  }
  lowerPriority(config, log, 'worker');
  const db = await openStorage(config, log);
  const documents = new DocumentsRepository(db);
  const analyzer = await loadAnalyzer(db, config, log);
  if (analyzer.taxonomyVersion === null) log.warn('no taxonomy imported: documents will be analysed with no skills');
  const running = startWorker(config, log, config.REDIS_URL, documents, analyzer);
  const queue = openQueue(config, config.REDIS_URL);
  queue.on('error', (err) => log.warn({ err }, 'queue connection error'));
  const stopSweep = startRequeueSweep(config, log, documents, queue);
  log.info({ labels: analyzer.labelCount, concurrency: config.WORKER_CONCURRENCY }, 'worker ready');
  return async () => {
    stopSweep();
    await running.close();
    await queue.close();
    await db.close();
  };
}
