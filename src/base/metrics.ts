import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * The process's operational metrics, served in Prometheus's text format at GET /metrics: request latencies by
 * route, the database's calls (and, on embedded PGlite, how long background work waited for a gap in the
 * requests), documents per ingest statement, jobs by state and outcome, and Node's own (event-loop delay, GC
 * pauses, heap, CPU, RSS). Counts and durations only: no organisation, key or document appears in a label.
 * One registry per process, as Prometheus scrapes processes; the metrics below are its only instances.
 */
export const registry = new Registry();

/**
 * The event-loop probe's interval: Node's monitorEventLoopDelay records the time between the probe's timer
 * firings, so nodejs_eventloop_lag_*_seconds are this much (10 ms) when nothing holds the loop, and a loop held
 * for 15 ms shows as 25.
 */
export const EVENT_LOOP_PROBE_MS = 10;

let processMetrics = false;
/** Node's and the process's metrics (event-loop delay since the last scrape, GC pauses by kind, heap, CPU, RSS): once per process. */
export function collectProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_PROBE_MS });
}

/** Seconds: fine around the ingest target (20 ms), coarse beyond a second. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const httpDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'Time from a request arriving to its answer sent, by route pattern (not the path itself), method and status',
  labelNames: ['method', 'route', 'status_code'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

/** What a database call is for: someone waits for it (a request's statement), no one does (a worker's save, a sweep), or upkeep. */
export type DbWork = 'foreground' | 'background' | 'maintenance';

export const dbCall = new Histogram({
  name: 'radar_db_call_seconds',
  help: 'Database calls (a statement, or a transaction sent whole) from being sent to their answer, by the work they are for: foreground (requests), background (saves, sweeps), maintenance. On embedded PGlite, which runs one at a time, a foreground call includes any background transaction it waited behind, and a background one is how long it held the engine',
  labelNames: ['engine', 'work'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const dbEngine = new Histogram({
  name: 'radar_db_engine_seconds',
  help: "Embedded PGlite: time from a call reaching the engine's thread to its answer leaving it (its statements' run, and any wait for those before them in the engine), by the work it is for; a transaction's statements, begin and commit each count",
  labelNames: ['work'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [registry],
});

export const dbGateWait = new Histogram({
  name: 'radar_db_gate_wait_seconds',
  help: "Embedded PGlite: how long background and maintenance work waited for a gap in the requests' statements before it went in",
  labelNames: ['work'] as const,
  buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 300],
  registers: [registry],
});

export const ingestStatement = new Histogram({
  name: 'radar_ingest_statement_documents',
  help: 'Submissions written together in one INSERT (group commit): 1 when they arrive one at a time, more while the database is busy',
  buckets: [1, 2, 5, 10, 20, 50, 100, 200],
  registers: [registry],
});

export const jobsFinished = new Counter({
  name: 'radar_jobs_total',
  help: "Analysis jobs finished by this process's worker, by outcome (a failed attempt that will be retried counts as failed)",
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const jobDuration = new Histogram({
  name: 'radar_job_seconds',
  help: "Analysis jobs of this process's worker, from being taken to being finished",
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [registry],
});
