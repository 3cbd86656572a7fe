import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import type { Config } from '../base/config.js';
import type { Logger } from '../base/logger.js';
import { buildApp } from '../interfaces/http/app.js';
import type { AnalyzerHolder } from '../interfaces/http/deps.js';
import { chartsBundle } from '../interfaces/http/charts-bundle.js';
import { AnalysisProcess } from '../jobs/analysis-process.js';
import { openQueue } from '../jobs/analyze.queue.js';
import { startWorker, type RunningWorker } from '../jobs/analyze.worker.js';
import { resolveRedis } from '../jobs/redis.js';
import { startRequeueSweep } from '../jobs/requeue.js';
import { CorrectionsRepository } from '../storage/corrections.repository.js';
import { DocumentsRepository } from '../storage/documents.repository.js';
import { KeysRepository } from '../storage/keys.repository.js';
import { startMaintenance } from '../storage/maintenance.js';
import { openDocumentKeys, openStorage } from '../storage/open.js';
import { ensureTaxonomy } from '../taxonomy/import.js';
import { taxonomyParts } from '../taxonomy/load.js';

/**
 * Full garbage collections of the API process come less often (HEAP_GROWING_PERCENT): under steady ingest they
 * were the longest stalls of the event loop that answers requests (docs/architecture.md, "Processes").
 */
function spaceOutFullCollections(config: Pick<Config, 'HEAP_GROWING_PERCENT'>): void {
  // 0 is V8's own default: set too, so that a process starting a second service with 0 gets V8's choice back
  setFlagsFromString(`--heap-growing-percent=${config.HEAP_GROWING_PERCENT}`);
}

/** How long the process of POST /v1/analyze waits for the first process's encoder before it starts anyway. */
const INTERACTIVE_START_WAIT_MS = 10 * 60_000;

export interface Service {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the API (and, with `withWorker`, a worker in the same process): storage, taxonomy on first start,
 * Redis (a private redis-server when REDIS_URL is unset), then listen.
 */
export async function startService(config: Config, log: Logger, options: { withWorker: boolean }): Promise<Service> {
  spaceOutFullCollections(config);
  const db = await openStorage(config, log);
  await ensureTaxonomy(db, config, log);
  const redis = await resolveRedis(config, log);
  const queue = openQueue(config, redis.url);
  queue.on('error', (err) => log.warn({ err }, 'queue connection error'));
  const documents = new DocumentsRepository(db, await openDocumentKeys(config));
  const keys = new KeysRepository(db, config.AUTH_CACHE_MS);
  const firstKey = await firstOperatorKey(keys);
  const analyzer: AnalyzerHolder = {};
  const app = await buildApp({ config, db, documents, queue, redisUrl: redis.url, analyzer, log, keys });
  const stopSweep = startRequeueSweep(config, log, documents, queue);
  const stopMaintenance = startMaintenance(db, config.MAINTENANCE_INTERVAL_MS, log);
  let worker: RunningWorker | undefined;
  let analysis: AnalysisProcess | undefined;
  let interactive: AnalysisProcess | undefined;
  let closing = false;
  const sealing = sealPlainDocuments(documents, log, () => closing);
  const stopWaiting = new AbortController();

  const loading = (async () => {
    const started = Date.now();
    // the analyzer runs in a process of its own: analysis never holds the event loop that answers requests
    const taxonomy = () => taxonomyParts(db, { aliasFiles: config.ALIASES_FILES.split(','), log });
    analysis = await AnalysisProcess.start(taxonomy, config, log);
    analyzer.current = analysis;
    log.info({ labels: analyzer.current.labelCount, ms: Date.now() - started }, 'taxonomy index loaded');
    if (options.withWorker && !closing) {
      worker = startWorker(
        config,
        log,
        redis.url,
        { documents, corrections: new CorrectionsRepository(db) },
        analyzer.current,
      );
      // POST /v1/analyze gets a process of its own, so that no request to it delays the queue; it starts once the
      // first has its label embeddings (computed once, on a first start), and the first serves until then
      const waited = sleep(INTERACTIVE_START_WAIT_MS, undefined, { signal: stopWaiting.signal }).catch(() => undefined);
      await Promise.race([analysis.semanticSettled, waited]);
      if (closing) return;
      try {
        interactive = await AnalysisProcess.start(
          taxonomy,
          { ...config, ENCODER_THREADS: config.ANALYZE_ENCODER_THREADS },
          log,
        );
        if (!closing) analyzer.interactive = interactive;
        log.info('POST /v1/analyze has its own analysis process');
      } catch (err) {
        log.warn({ err }, "the analysis process of POST /v1/analyze did not start; the queue's process serves it");
      }
    }
  })().catch((err: unknown) => {
    analyzer.error = (err as Error).message;
    log.error({ err }, 'loading the analyzer failed');
  });

  const url = await app.listen({ port: config.PORT, host: config.HOST });
  log.info({ url, docs: `${url}/docs`, worker: options.withWorker }, 'Skills Demand Radar is listening');
  if (firstKey) {
    process.stdout.write(
      `\nFirst start: an operator API key (organisation "${firstKey.org}") was made. It is shown only now, keep it:\n\n  ${firstKey.key}\n\n` +
        `Send it as "Authorization: Bearer <key>". Make organisations and their keys with it (POST ${url}/v1/orgs, POST ${url}/v1/keys);\n` +
        `give each organisation an admin key, which manages that organisation's keys only. With the service stopped:\n` +
        `skills-radar orgs create <name>; skills-radar keys create --org <name> --role contributor|analyst|admin|operator\n\n`,
    );
  }
  // the analyst page's chart script, built now so that the first visitor does not wait for it
  chartsBundle().catch((err: unknown) => log.warn({ err }, 'building the chart script failed; the page will retry'));
  return {
    url,
    async close() {
      closing = true;
      stopWaiting.abort();
      stopSweep();
      stopMaintenance();
      await app.close();
      await sealing;
      await loading;
      await worker?.close();
      await analysis?.close();
      await interactive?.close();
      await queue.close();
      await db.close();
      await redis.private?.stop();
    },
  };
}

/**
 * Seals, in the background and a few hundred at a time, the documents stored before sealing existed (a database
 * from an earlier version): from then on, deleting one destroys its key as for any other.
 */
async function sealPlainDocuments(documents: DocumentsRepository, log: Logger, stopped: () => boolean): Promise<void> {
  let total = 0;
  try {
    for (let n = await documents.sealPlain(); n > 0 && !stopped(); n = await documents.sealPlain()) total += n;
  } catch (err) {
    log.warn({ err, sealed: total }, 'sealing the documents stored plain stopped; it goes on at the next start');
    return;
  }
  if (total > 0) {
    log.info(
      { sealed: total },
      'documents and analyses stored plain by an earlier version were sealed; VACUUM FULL documents, document_analyses drops their plain copies',
    );
  }
}

/** On a database with no operator key in force: an organisation "admin" (made if missing) and an operator key for it. */
async function firstOperatorKey(keys: KeysRepository): Promise<{ org: string; key: string } | undefined> {
  if (await keys.hasOperator()) return undefined;
  const org = 'admin';
  if (!(await keys.organisations()).some((o) => o.name === org)) await keys.createOrganisation(org);
  const { key } = await keys.createKey(org, 'operator', 'made on first start');
  return { org, key };
}

/** Runs `close` on SIGINT/SIGTERM once; a second signal exits at once. */
export function closeOnSignals(log: Logger, close: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down: the running job finishes or is left for retry');
    close()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        log.fatal({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
