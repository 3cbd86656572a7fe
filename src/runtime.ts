import { setPriority } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker, type Queue } from 'bullmq';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { createEmbedder } from './embeddings/index.js';
import { Calibrator } from './pipeline/calibration.js';
import { Analyzer } from './pipeline/analyze.js';
import type { AnalysisService } from './pipeline/process.js';
import { SemanticSkillMatcher } from './pipeline/semantic.js';
import { ANALYZE_QUEUE, createAnalyzeQueue, enqueueMissing, type AnalyzeJobPayload } from './queue/analyze.queue.js';
import { bullConnection, startPrivateRedis, type PrivateRedis } from './queue/redis.js';
import { openDatabase, type Database, type Queryable } from './storage/database.js';
import { DocumentsRepository, type SweepPlace } from './storage/documents.repository.js';
import { migrate } from './storage/migrations.js';
import { jobDuration, jobsFinished } from './metrics.js';
import { readAliases } from './taxonomy/aliases.js';
import { activeTaxonomyVersion, importTaxonomy } from './taxonomy/import.js';
import { createAnalyzeProcessor } from '../workers/analyze.processor.js';

/** Opens the configured database (PostgreSQL server or embedded PGlite) and applies migrations. */
export async function openStorage(config: Config, log: Logger): Promise<Database> {
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: join(config.DATA_DIR, 'pglite'), statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS });
  const applied = await migrate(db);
  if (applied.length > 0) log.info({ applied, engine: db.engine }, 'database migrated');
  return db;
}

/** Imports TAXONOMY_DIR when nothing is imported yet. */
export async function ensureTaxonomy(db: Database, config: Config, log: Logger): Promise<void> {
  if (await activeTaxonomyVersion(db)) return;
  if (!existsSync(config.TAXONOMY_DIR)) {
    log.warn({ TAXONOMY_DIR: config.TAXONOMY_DIR }, 'no taxonomy imported and TAXONOMY_DIR does not exist: see README "Data sources", then run `skills-radar taxonomy import --from <dir>`');
    return;
  }
  log.info({ from: config.TAXONOMY_DIR }, 'importing taxonomy (first start)');
  let last = '';
  const result = await importTaxonomy(db, config.TAXONOMY_DIR, (stage, done, total) => {
    if (done === total && stage !== last) {
      last = stage;
      log.info({ stage, rows: total }, 'taxonomy import');
    }
  });
  log.info({ version: result.versionId, esco: result.escoVersion, counts: result.counts }, 'taxonomy imported');
}

/** Redis from REDIS_URL, else a private redis-server child under DATA_DIR. */
export async function resolveRedis(config: Config, log: Logger): Promise<{ url: string; private?: PrivateRedis }> {
  if (config.REDIS_URL) return { url: config.REDIS_URL };
  const redis = await startPrivateRedis(join(config.DATA_DIR, 'redis'));
  log.info({ url: redis.url }, 'started a private redis-server (set REDIS_URL to use your own)');
  return { url: redis.url, private: redis };
}

/**
 * The analyzer with the active taxonomy and the local aliases (problems in alias files are logged), and the
 * semantic matcher when SEMANTIC_MODEL is set. The label embeddings come from the disk cache in a moment; on the
 * very first start they are computed in the background (minutes for the full ESCO) and attached when ready, and
 * each analysis records in `encoder` whether it had them.
 */
export async function loadAnalyzer(db: Queryable, config: Config, log: Logger, options: { waitForSemantic?: boolean } = {}): Promise<Analyzer> {
  const { aliases, problems } = await readAliases(config.ALIASES_FILES.split(','));
  for (const p of problems) log.warn(p, 'alias row skipped');
  const calibrator = Calibrator.load(config.CALIBRATION_FILE, config.SEMANTIC_MODEL === 'none' ? null : config.SEMANTIC_MODEL);
  const analyzer = await Analyzer.load(db, { aliases, log, calibrator });
  if (config.SEMANTIC_MODEL === 'none') return analyzer;
  const version = await activeTaxonomyVersion(db);
  if (!version) return analyzer;
  const started = Date.now();
  let lastLog = 0;
  const embedder = createEmbedder(config.SEMANTIC_MODEL, config.MODELS_DIR);
  if (!embedder) return analyzer;
  const building = SemanticSkillMatcher.build(db, embedder, join(config.DATA_DIR, 'embeddings'), `taxonomy-${version.contentHash}`, (done, total) => {
    if (Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      log.info({ done, total }, 'embedding skill labels (once per taxonomy version and model)');
    }
  }).then((matcher) => {
    analyzer.attachSemantic(matcher);
    log.info({ model: matcher.embedder.id, labels: matcher.size, ms: Date.now() - started }, 'semantic skill matching ready');
  });
  const settled = building.catch((err: unknown) => log.error({ err }, 'semantic matching unavailable; continuing lexical only'));
  if (options.waitForSemantic) await settled;
  else await Promise.race([settled, new Promise((r) => setTimeout(r, 15_000).unref())]);
  return analyzer;
}

/**
 * Lowers a process's CPU priority to WORKER_NICE (this process without `pid`): analysis is background work, and
 * on a shared machine the API's answers (and its ingest latency) get the CPU first. A refusal is only logged.
 */
export function lowerPriority(config: Pick<Config, 'WORKER_NICE'>, log: Logger, what: string, pid?: number): void {
  try {
    if (pid === undefined) setPriority(config.WORKER_NICE);
    else setPriority(pid, config.WORKER_NICE);
  } catch (err) {
    log.warn({ err, nice: config.WORKER_NICE }, `could not lower the ${what} priority`);
  }
}

export interface RunningWorker {
  worker: Worker<AnalyzeJobPayload>;
  close(): Promise<void>;
}

/** A BullMQ worker on the analyze queue; `close()` lets the running job finish. */
export function startWorker(config: Config, log: Logger, redisUrl: string, documents: DocumentsRepository, analyzer: AnalysisService): RunningWorker {
  const worker = new Worker<AnalyzeJobPayload>(ANALYZE_QUEUE, createAnalyzeProcessor({ config, documents, analyzer, log }), {
    connection: bullConnection(redisUrl),
    prefix: config.QUEUE_PREFIX,
    concurrency: config.WORKER_CONCURRENCY,
    lockDuration: config.WORKER_LOCK_MS,
    stalledInterval: Math.max(1_000, Math.floor(config.WORKER_LOCK_MS / 2)),
    maxStalledCount: 3,
    autorun: true,
  });
  worker.on('error', (err) => log.error({ err }, 'worker error'));
  const finished = (outcome: 'completed' | 'failed', job: { processedOn?: number | undefined; finishedOn?: number | undefined } | undefined) => {
    jobsFinished.inc({ outcome });
    if (job?.processedOn && job.finishedOn) jobDuration.observe((job.finishedOn - job.processedOn) / 1_000);
  };
  worker.on('completed', (job) => finished('completed', job));
  worker.on('failed', (job) => finished('failed', job));
  return { worker, close: () => worker.close() };
}

/**
 * One pass of the requeue sweep: looks, in rounds of `batch` (one query and one pipelined look in Redis each),
 * at stored documents that have waited longer than `staleAfterMs`, at most `rounds` rounds, from `from` (where
 * the last pass stopped) on, and queues those with no job, noting that on their rows so that they are not stale
 * again for as long. Adding a job whose id exists is a no-op, so this is safe from every process. A document
 * whose job is there is only read: under a long backlog every one of them is, and a mark written on each (a new
 * version of its row and of its index entries) held the embedded engine 40–60 ms per thousand, in front of the
 * submissions. The reads are background work in rounds of 200, about 3 ms of the engine each. Returns how many
 * documents were looked at, how many were queued, and where to go on from (none when the end of the waiting
 * documents was reached: the next pass starts from the beginning).
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
export function startRequeueSweep(config: Config, log: Logger, documents: DocumentsRepository, queue: Queue<AnalyzeJobPayload>): () => void {
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

export function openQueue(config: Config, redisUrl: string): Queue<AnalyzeJobPayload> {
  // fail fast rather than buffer when Redis is down or hangs: the document is stored and the sweep queues it later
  return createAnalyzeQueue(bullConnection(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 5_000 }), config.QUEUE_PREFIX);
}
