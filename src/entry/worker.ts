import { loadAnalyzer } from '../analysis/load-analyzer.js';
import type { Config } from '../base/config.js';
import type { Logger } from '../base/logger.js';
import { InProcessAnalysis } from '../jobs/analysis-service.js';
import { openQueue } from '../jobs/analyze.queue.js';
import { startWorker } from '../jobs/analyze.worker.js';
import { lowerPriority } from '../jobs/priority.js';
import { startRequeueSweep } from '../jobs/requeue.js';
import { CorrectionsRepository } from '../storage/corrections.repository.js';
import { DocumentsRepository } from '../storage/documents.repository.js';
import { openDocumentKeys, openStorage } from '../storage/open.js';
import { loadTaxonomy } from '../taxonomy/load.js';

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
  const documents = new DocumentsRepository(db, await openDocumentKeys(config));
  const analyzer = await loadAnalyzer(
    await loadTaxonomy(db, { aliasFiles: config.ALIASES_FILES.split(','), log }),
    config,
    log,
  );
  if (analyzer.taxonomyVersion === null) log.warn('no taxonomy imported: documents will be analysed with no skills');
  const running = startWorker(
    config,
    log,
    config.REDIS_URL,
    { documents, corrections: new CorrectionsRepository(db) },
    new InProcessAnalysis(analyzer),
  );
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
