import type { Queue } from 'bullmq';
import type { Config } from '../../base/config.js';
import type { Logger } from '../../base/logger.js';
import type { AnalysisService } from '../../jobs/analysis-service.js';
import type { AnalyzeJobPayload } from '../../jobs/analyze.queue.js';
import type { Database } from '../../storage/database.js';
import type { DocumentsRepository } from '../../storage/documents.repository.js';
import type { KeysRepository } from '../../storage/keys.repository.js';

/** The analyzer is loaded in the background; the API serves /health and stores documents meanwhile. */
export interface AnalyzerHolder {
  current?: AnalysisService | undefined;
  /** POST /v1/analyze's own analysis process, apart from the queue's; until it is up, `current` serves */
  interactive?: AnalysisService | undefined;
  error?: string | undefined;
}

/** The analysis for a caller who waits for it: the interactive process, else the queue's. */
export function waitedForAnalyzer(holder: AnalyzerHolder): AnalysisService | undefined {
  return holder.interactive ?? holder.current;
}

/** What the API's routes are built from. */
export interface AppDeps {
  config: Config;
  db: Database;
  documents: DocumentsRepository;
  queue: Queue<AnalyzeJobPayload>;
  redisUrl: string;
  analyzer: AnalyzerHolder;
  log: Logger;
  /** organisations and API keys; buildApp makes one on `db` when not given */
  keys: KeysRepository;
}
