import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { UnrecoverableError, type Job } from 'bullmq';
import { Value } from 'typebox/value';
import type { Config } from '../base/config.js';
import { correctionOf } from '../domain/correction.js';
import type { Logger } from '../base/logger.js';
import type { AnalysisService } from './analysis-service.js';
import { AnalyzeJobPayload } from './analyze.queue.js';
import { analysisInputOf } from './document-corrections.js';
import type { CorrectionsRepository } from '../storage/corrections.repository.js';
import type { DocumentsRepository } from '../storage/documents.repository.js';

/** Where an analysis job reads its document and the corrections made to its analysis. */
export interface AnalysisStores {
  documents: DocumentsRepository;
  corrections: CorrectionsRepository;
}

export interface ProcessorDeps extends AnalysisStores {
  config: Pick<Config, 'FAULT_JOB_DELAY_MS'>;
  analyzer: AnalysisService;
  log: Logger;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const WORKER_ID = `${hostname()}:${process.pid}`;

/** Loads the document and its corrections, runs the pipeline with them, stores the results. */
export function createAnalyzeProcessor(deps: ProcessorDeps) {
  return async (job: Job<AnalyzeJobPayload>): Promise<{ skills: number }> => {
    const log = deps.log.child({ queue: job.queueName, jobId: job.id, documentId: job.data?.documentId });
    try {
      if (!Value.Check(AnalyzeJobPayload, job.data) || !UUID.test(job.data.documentId)) {
        throw new UnrecoverableError('invalid job payload: expected { documentId: uuid }');
      }
      const { documentId } = job.data;
      const doc = await deps.documents.startProcessing(documentId, WORKER_ID);
      if (!doc) throw new UnrecoverableError(`document ${documentId} does not exist (deleted?)`);
      if (deps.config.FAULT_JOB_DELAY_MS > 0) await sleep(deps.config.FAULT_JOB_DELAY_MS);
      const corrections = await deps.corrections.of(documentId);
      const rows = await deps.analyzer.analyzeForSave(analysisInputOf(doc, corrections.map(correctionOf)));
      const saved = await deps.documents.saveRows(documentId, rows);
      if (!saved) throw new UnrecoverableError(`document ${documentId} was deleted during analysis`);
      log.info({ skills: rows.skills, attempt: job.attemptsMade + 1 }, 'document analysed');
      return { skills: rows.skills };
    } catch (err) {
      const final = err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      log.warn({ err, attempt: job.attemptsMade + 1, final }, 'analysis failed');
      if (final && typeof job.data?.documentId === 'string' && UUID.test(job.data.documentId)) {
        await deps.documents.markFailed(job.data.documentId, (err as Error).message).catch(() => undefined);
      }
      throw err;
    }
  };
}
