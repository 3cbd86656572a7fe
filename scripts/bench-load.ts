/**
 * Load on the ingest and demand routes over loopback, with autocannon, for a bounded time: the service as
 * `npm start` runs it (embedded PGlite, a private redis-server, a worker analysing in the same process), or the
 * API with separate worker processes on a PostgreSQL server (--postgres). Ingest is sent at a fixed rate
 * (latencies corrected for coordinated omission), each request a different ~2,000-character ad; demand is
 * asked as fast as the service answers. Ingest is then sent again as an even, open-loop stream (evenLoad).
 * Prints req/s, p50/p99/max latency, non-2xx answers, how many accepted documents are stored, and peak RSS.
 *
 * Two floors come first: autocannon against a bare Node HTTP server in a process of its own (what the tool and
 * this machine measure with nothing behind them), then `GET /health` of the service at the same rate. With
 * autocannon's fixed rate each connection sends its share of a second back to back, all of them as the second
 * begins, so many connections send in bursts (50 connections at 500 req/s: 50 requests in flight at once, and a
 * p99 of about 60 ms against the bare server here); 10 connections (the default) keep the bursts small.
 *
 * The measured ingest follows a warm-up at the same rate (--warmup seconds, printed on a line of its own): a
 * service just started spends its first seconds under load compiling (V8 tiers up PGlite's WebAssembly and the
 * request path's JavaScript on its background threads: on this 2-core machine 2–3 s of CPU in the first
 * 20 s, against 0.9 s in the next 20), and the figures asked for are those of a service that has been running.
 *   npm run bench:load [-- --rate 500 --seconds 20 --warmup 15 --connections 10 --postgres]
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { EVENT_LOOP_PROBE_MS } from '../src/base/metrics.js';
import { PROJECT_ROOT } from '../src/base/paths.js';
import { loadConfig } from '../src/base/config.js';
import { createLogger } from '../src/base/logger.js';
import { loadAnalyzer } from '../src/analysis/load-analyzer.js';
import { openStorage } from '../src/storage/open.js';
import { loadTaxonomy } from '../src/taxonomy/load.js';
import { importTaxonomy } from '../src/taxonomy/import.js';
import { grew, histogramDelta, parseMetrics, quantileBound, shareWithin } from '../test/helpers/metrics.js';
import { runCli, type CliProcess } from '../test/helpers/processes.js';
import { postgresAvailable, startPostgres, startRedis } from '../test/helpers/servers.js';
import { syntheticAds } from './synthetic-ads.js';
import { analysisChildrenOf, busyShare, cpuTimes, peakRssMiB, quantile, stolenShare } from './bench-stats.js';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '15' },
    connections: { type: 'string', default: '10' },
    postgres: { type: 'boolean', default: false },
    // internal: the set-up step, run in a process of its own
    prepare: { type: 'boolean', default: false },
  },
});
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const warmup = Number(values.warmup);
const connections = Number(values.connections);
const taxonomy = process.env.TAXONOMY_DIR ?? join(PROJECT_ROOT, '..', 'shared', 'data');
const dataDir = values.prepare ? '' : mkdtempSync(join(tmpdir(), 'radar-load-'));
const port = 18_600 + Math.floor(Math.random() * 300);
const base = `http://127.0.0.1:${port}`;
// per-request logging and the rate limit would measure themselves, not the service
const env: Record<string, string> = {
  PORT: String(port),
  DATA_DIR: dataDir,
  TAXONOMY_DIR: taxonomy,
  LOG_LEVEL: 'warn',
  RATE_LIMIT_MAX: '1000000000',
  QUEUE_PREFIX: 'benchload',
};
// settings under study pass through to the service
for (const name of [
  'WORKER_NICE',
  'HEAP_GROWING_PERCENT',
  'WORKER_CONCURRENCY',
  'REQUEUE_INTERVAL_MS',
  'MAINTENANCE_INTERVAL_MS',
])
  if (process.env[name]) env[name] = process.env[name];

if (values.prepare) {
  const config = loadConfig(process.env);
  const log = createLogger(config, 'bench-load');
  const db = await openStorage(config, log);
  await importTaxonomy(db, config.TAXONOMY_DIR);
  await loadAnalyzer(await loadTaxonomy(db), config, log, { waitForSemantic: true });
  await db.close();
  process.exit(0);
}

/** A Node HTTP server that answers every request at once with a small JSON body, and prints its port. */
const BARE_SERVER = `require('node:http').createServer((q, r) => { r.setHeader('content-type', 'application/json'); r.end('{"status":"ok"}'); }).listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;

const processes: CliProcess[] = [];
const stops: (() => Promise<void>)[] = [];
if (values.postgres) {
  if (!postgresAvailable()) {
    console.log('bench:load --postgres needs initdb/pg_ctl (apt-get install -y postgresql)');
    process.exit(2);
  }
  const pg = await startPostgres();
  const redis = await startRedis();
  stops.push(
    () => pg.stop(),
    () => redis.stop(),
  );
  Object.assign(env, { DATABASE_URL: pg.url, REDIS_URL: redis.url });
}
// steady state, not start-up: the taxonomy imported and the skill labels' embeddings cached before the service
// starts, in a process of their own: the analyzer this loads would otherwise stay on this process's heap (some
// 260 MB, whose full collections could hold the requests this process sends while it measures)
{
  const t = performance.now();
  const prepared = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--prepare'], {
    env: { ...process.env, ...env },
    stdio: 'inherit',
  });
  const code = await new Promise<number | null>((resolve) => prepared.once('exit', resolve));
  if (code !== 0) throw new Error(`preparing the taxonomy and the label embeddings failed (exit ${code})`);
  console.log(`taxonomy imported and label embeddings cached in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
// as the package scripts run them: `npm start` with V8's default young generation (its analysis process gets a
// larger one), the API and worker processes beside a server with room for request and analysis garbage
if (values.postgres)
  processes.push(
    runCli(['api'], { ...env, NODE_OPTIONS: '--max-semi-space-size=64' }),
    runCli(['worker'], { ...env, NODE_OPTIONS: '--max-semi-space-size=64' }),
  );
else processes.push(runCli(['start'], env));

/** Peak RSS of a process and of each of its children, read before they exit. */
const rss = (pid: number | undefined) => [peakRssMiB(pid), ...analysisChildrenOf(pid).map(peakRssMiB)];
const json = async <T>(path: string, key: string, body?: unknown): Promise<T> => {
  const res = await fetch(`${base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
};
/** Whether the machine's CPUs were less than 10 % busy over the next second (from /proc/stat). */
const machineQuiet = async () => {
  const a = cpuTimes();
  await new Promise((r) => setTimeout(r, 1_000));
  return busyShare(a, cpuTimes()) < 0.1;
};
type Load = autocannon.Result & { responseMs: number[] };
/**
 * autocannon, keeping each response's own time as well. At a fixed rate autocannon sends each connection's
 * share of a second back to back and then waits for the next second, and it corrects for coordinated omission
 * as if requests were due every millisecond: one 30 ms stall adds about 30 made-up samples. Its percentiles are
 * printed as they are; the per-response ones beside them are the requests' own times.
 */
const load = (options: autocannon.Options) =>
  new Promise<Load>((resolve, reject) => {
    const responseMs: number[] = [];
    const instance = autocannon(options, (err, result) =>
      err ? reject(err as Error) : resolve({ ...result, responseMs }),
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => responseMs.push(ms));
  });
/**
 * Open-loop load, the other way to ask "p99 at 500 req/s": request i is due at i/rate seconds, whatever became of
 * the earlier ones, over a pool of keep-alive connections; its latency counts from when it was due, so a stall
 * costs every request that should have gone out meanwhile (no coordinated omission, no bursts).
 */
async function evenLoad(
  url: string,
  headers: Record<string, string>,
  body: (i: number) => string,
  rate: number,
  seconds: number,
) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const target = new URL(url);
  /** each request's latency by its place in the stream (none for a request that failed to connect) */
  const byIndex: number[] = [];
  let failed = 0;
  let sent = 0;
  const total = Math.round(rate * seconds);
  const start = performance.now();
  /** how late each request left this process (its own event loop busy, or no CPU for it): part of its latency, not the service's */
  const late: number[] = [];
  const send = (i: number, due: number) =>
    new Promise<void>((resolve) => {
      late.push(performance.now() - due);
      const payload = body(i);
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          agent,
          headers: { ...headers, 'content-length': Buffer.byteLength(payload) },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode! >= 300) failed++;
            byIndex[i] = performance.now() - due;
            resolve();
          });
        },
      );
      req.on('error', () => {
        failed++;
        resolve();
      });
      req.end(payload);
    });
  const inFlight: Promise<void>[] = [];
  while (sent < total) {
    const now = performance.now();
    for (; sent < total && start + (sent * 1_000) / rate <= now; sent++)
      inFlight.push(send(sent, start + (sent * 1_000) / rate));
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(inFlight);
  agent.destroy();
  const sorted = byIndex.filter(Number.isFinite).sort((a, b) => a - b);
  const q = (p: number) => (quantile(sorted, p) ?? 0).toFixed(1);
  late.sort((a, b) => a - b);
  const sentLate = `sent late by p99 ${(quantile(late, 0.99) ?? 0).toFixed(1)} ms, at most ${(late.at(-1) ?? 0).toFixed(1)} ms`;
  return {
    requests: total,
    seconds: (performance.now() - start) / 1_000,
    failed,
    p50: q(0.5),
    p99: q(0.99),
    max: q(1),
    slow: `${sentLate}; ${slowStretches(byIndex, rate)}`,
  };
}

/**
 * Runs of consecutive requests (by when they were due) slower than 20 ms, the longest first: at an even rate a
 * stall delays every request due while it lasts, so a single stall of 40 ms already puts 20 requests, 0.2 % of a
 * 20 s run, over the mark.
 */
function slowStretches(byIndex: number[], rate: number) {
  const stretches: { at: number; requests: number; worst: number }[] = [];
  let current: (typeof stretches)[number] | undefined;
  byIndex.forEach((ms, i) => {
    if (ms > 20) {
      current ??= { at: i / rate, requests: 0, worst: 0 };
      current.requests++;
      current.worst = Math.max(current.worst, ms);
    } else if (current) {
      stretches.push(current);
      current = undefined;
    }
  });
  if (current) stretches.push(current);
  const over = stretches.reduce((n, s) => n + s.requests, 0);
  const longest = stretches.sort((a, b) => b.requests - a.requests).slice(0, 3);
  return `${over} requests over 20 ms in ${stretches.length} stretches${longest.length ? `; the longest: ${longest.map((s) => `${s.requests} from ${s.at.toFixed(1)} s (worst ${s.worst.toFixed(0)} ms)`).join(', ')}` : ''}`;
}
/** The service's own metrics (GET /metrics; a scrape also starts the event-loop delay figures afresh), and the machine's CPU times. */
const scrape = async () => ({ metrics: parseMetrics(await (await fetch(`${base}/metrics`)).text()), cpu: cpuTimes() });
/** What the service saw between two scrapes (its answers' times, its event loop and GC, its database calls, its group commits), and the machine. */
const serviceSide = (from: Awaited<ReturnType<typeof scrape>>, to: Awaited<ReturnType<typeof scrape>>) => {
  const [before, after] = [from.metrics, to.metrics];
  const ms = (seconds: number | undefined) =>
    seconds === undefined ? '-' : seconds === Infinity ? '> 10 s' : `${+(seconds * 1_000).toFixed(1)} ms`;
  const answers = histogramDelta(before, after, 'http_request_duration_seconds', {
    route: '/v1/documents',
    method: 'POST',
  });
  const gc = histogramDelta(before, after, 'nodejs_gc_duration_seconds');
  const major = histogramDelta(before, after, 'nodejs_gc_duration_seconds', { kind: 'major' });
  const foreground = histogramDelta(before, after, 'radar_db_call_seconds', { work: 'foreground' });
  const background = histogramDelta(before, after, 'radar_db_call_seconds', { work: 'background' });
  const engineForeground = histogramDelta(before, after, 'radar_db_engine_seconds', { work: 'foreground' });
  const engineBackground = histogramDelta(before, after, 'radar_db_engine_seconds', { work: 'background' });
  const held = (name: string) => Math.max(0, (after.get(name) ?? 0) - EVENT_LOOP_PROBE_MS / 1_000);
  const inserts = histogramDelta(before, after, 'radar_ingest_statement_documents');
  const jobs = grew(before, after, 'radar_jobs_total', { outcome: 'completed' });
  console.log(
    `  ${'  as the service saw it'.padEnd(34)} ${answers.count} answers, ${((shareWithin(answers, 0.02) ?? 0) * 100).toFixed(2)} % within 20 ms, p99 ≤ ${ms(quantileBound(answers, 0.99))}; ` +
      `event loop held p99 ${ms(held('nodejs_eventloop_lag_p99_seconds'))}, max ${ms(held('nodejs_eventloop_lag_max_seconds'))}; ` +
      `GC ${gc.count} pauses, ${ms(gc.sum)} in all (${major.count} major, ${ms(major.sum)}); ` +
      `the machine's CPUs ${(busyShare(from.cpu, to.cpu) * 100).toFixed(0)} % busy, ${(stolenShare(from.cpu, to.cpu) * 100).toFixed(1)} % stolen by the hypervisor`,
  );
  console.log(
    `  ${''.padEnd(34)} database calls: ${foreground.count} foreground, p99 ≤ ${ms(quantileBound(foreground, 0.99))}; ${background.count} background, ` +
      `${ms(background.sum)} in all, p99 ≤ ${ms(quantileBound(background, 0.99))}; ${inserts.count} INSERTs of ${(inserts.sum / Math.max(1, inserts.count)).toFixed(1)} documents on average; ${jobs} jobs analysed`,
  );
  if (engineForeground.count > 0) {
    console.log(
      `  ${''.padEnd(34)} in the embedded engine's thread: foreground ${engineForeground.count} messages, p99 ≤ ${ms(quantileBound(engineForeground, 0.99))}, ${ms(engineForeground.sum)} in all; ` +
        `background ${engineBackground.count}, p99 ≤ ${ms(quantileBound(engineBackground, 0.99))}, ${ms(engineBackground.sum)} in all`,
    );
  }
};
const report = (name: string, r: Load) => {
  const non2xx = r.non2xx + r.errors + r.timeouts;
  const own = [...r.responseMs].sort((a, b) => a - b);
  const q = (p: number) => (quantile(own, p) ?? 0).toFixed(1);
  console.log(
    `  ${name.padEnd(34)} ${r.requests.total} requests in ${r.duration.toFixed(1)} s: ${r.requests.average.toFixed(0)} req/s; ` +
      `latency p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms (per response p50 ${q(0.5)}, p99 ${q(0.99)}); ` +
      `${non2xx} not 2xx (errors ${r.errors}, timeouts ${r.timeouts})`,
  );
};

try {
  const started = Date.now();
  for (;;) {
    if (processes.some((p) => p.child.exitCode !== null))
      throw new Error(`the service stopped:\n${processes.map((p) => p.output().slice(-2000)).join('\n')}`);
    const ready = await fetch(`${base}/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    if (Date.now() - started > 300_000) throw new Error('the service did not get ready in 5 minutes');
    await new Promise((r) => setTimeout(r, 500));
  }
  const admin = /^\s+(sdr_[0-9a-f]{12}_[\w-]{43})$/m.exec(processes[0]!.output())?.[1];
  if (!admin) throw new Error(`no first admin key in the output:\n${processes[0]!.output().slice(-2000)}`);
  await json('/v1/orgs', admin, { name: 'load' });
  const contributor = (await json<{ key: string }>('/v1/keys', admin, { org: 'load', role: 'contributor' })).key;
  const analyst = (await json<{ key: string }>('/v1/keys', admin, { org: 'load', role: 'analyst' })).key;
  // the service's own start-up (the analyzer, the encoder from the cache) is over when its first analysis is done
  const { id } = await json<{ id: string }>('/v1/documents', contributor, {
    kind: 'job_ad',
    text: 'Haemme hitsaajaa Lahteen.',
    language: 'fi',
  });
  while ((await json<{ status: string }>(`/v1/documents/${id}`, contributor)).status !== 'done')
    await new Promise((r) => setTimeout(r, 200));
  console.log(
    `service: ${values.postgres ? 'API and a worker process on PostgreSQL' : 'npm start (PGlite, private redis-server, worker in the process)'}, ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );

  // loading in the background (the encoder in the analysis process) is over when the machine is quiet
  const quietSince = Date.now();
  while (!(await machineQuiet()) && Date.now() - quietSince < 120_000);
  console.log(`machine quiet after ${((Date.now() - quietSince) / 1000).toFixed(1)} s more`);

  // the floors: the same load on a bare HTTP server and on a route that does nothing, to tell the service's
  // latency from the machine's and the tool's
  const bare = spawn(process.execPath, ['-e', BARE_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const barePort = await new Promise<number>((resolve) =>
    bare.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))),
  );
  const bareFloor = await load({
    url: `http://127.0.0.1:${barePort}/`,
    connections,
    overallRate: rate,
    duration: Math.min(10, seconds),
  });
  bare.kill();
  const floor = await load({ url: `${base}/health`, connections, overallRate: rate, duration: Math.min(10, seconds) });
  console.log(`\nfloors at ${rate} req/s, ${connections} connections`);
  report('bare Node HTTP server', bareFloor);
  report('GET /health', floor);

  const ads = syntheticAds(1_000, 11);
  let n = 0;
  const ingestLoad = (duration: number) =>
    load({
      url: `${base}/v1/documents`,
      method: 'POST',
      connections,
      overallRate: rate,
      duration,
      headers: { authorization: `Bearer ${contributor}`, 'content-type': 'application/json' },
      requests: [
        {
          setupRequest: (request) => {
            const i = n++;
            const ad = ads[i % ads.length]!;
            return {
              ...request,
              body: JSON.stringify({
                kind: 'job_ad',
                language: ad.lang,
                text: `${ad.text} (${i})`,
                externalId: `load-${i}`,
                date: '2026-11-01',
              }),
            };
          },
        },
      ],
    });
  const cold = warmup > 0 ? await ingestLoad(warmup) : undefined;
  const coldSent = n;
  const beforeIngest = await scrape();
  const ingest = await ingestLoad(seconds);
  const afterIngest = await scrape();
  console.log(`\ningest at ${rate} req/s, ${connections} connections, a worker analysing meanwhile`);
  if (cold) report(`first ${warmup} s (warm-up, not counted)`, cold);
  report(`POST /v1/documents, next ${seconds} s`, ingest);
  serviceSide(beforeIngest, afterIngest);
  const even = await evenLoad(
    `${base}/v1/documents`,
    { authorization: `Bearer ${contributor}`, 'content-type': 'application/json' },
    (i) => {
      const ad = ads[i % ads.length]!;
      return JSON.stringify({
        kind: 'job_ad',
        language: ad.lang,
        text: `${ad.text} (even ${i})`,
        externalId: `even-${i}`,
        date: '2026-11-01',
      });
    },
    rate,
    seconds,
  );
  console.log(
    `  ${'POST /v1/documents, even arrivals'.padEnd(34)} ${even.requests} requests in ${even.seconds.toFixed(1)} s, one due every ${(1_000 / rate).toFixed(1)} ms ` +
      `(open loop, timed from when due): latency p50 ${even.p50} ms, p99 ${even.p99} ms, max ${even.max} ms; ${even.failed} not 2xx`,
  );
  console.log(`  ${''.padEnd(34)} ${even.slow}`);
  serviceSide(afterIngest, await scrape());
  const stored = await json<{ total: number }>('/v1/documents?limit=1', contributor);
  const done = await json<{ total: number }>('/v1/documents?limit=1&status=done', contributor);
  // autocannon stops at the deadline without waiting for the answers in flight, and closes its connections: a
  // request it wrote last may be stored with its answer never read, or (when the service had not read it yet
  // and the close came as a reset) never reach the service at all. So every accepted document must be stored,
  // and at most the ones sent (the first document, the worker's warm-up, counted as both)
  const accepted = 1 + (cold?.['2xx'] ?? 0) + ingest['2xx'] + even.requests - even.failed;
  const sent = 1 + n + even.requests;
  console.log(
    `  accepted ${accepted}, stored ${stored.total}, sent ${sent} (with the warm-ups): ` +
      `${accepted <= stored.total && stored.total <= sent ? 'every accepted document stored' : 'DOCUMENTS LOST OR DOUBLED'} (${done.total} analysed so far)`,
  );
  if (stored.total < sent) {
    // which were not stored: autocannon's last requests before a stop, if the reading above is right
    const ids = new Set<string>();
    for (let offset = 0; offset < stored.total; offset += 200) {
      const page = await json<{ items: { externalId?: string }[] }>(
        `/v1/documents?limit=200&offset=${offset}`,
        contributor,
      );
      for (const item of page.items) if (item.externalId) ids.add(item.externalId);
    }
    const notStored = (prefix: string, count: number) =>
      Array.from({ length: count }, (_, i) => i).filter((i) => !ids.has(`${prefix}-${i}`));
    console.log(
      `  not stored: autocannon's requests ${notStored('load', n).join(', ')} of ${n} (the warm-up sent ${coldSent}); even stream: ${notStored('even', even.requests).length}`,
    );
  }

  const filters = [
    '',
    '&region=MK01',
    '&region=MK07&horizon=long',
    '&groupBy=skillGroup',
    '&groupBy=maakunta',
    '&horizon=short&kind=job_ad',
  ];
  let q = 0;
  const demand = await load({
    url: `${base}/v1/demand`,
    connections: 10,
    duration: Math.max(5, Math.round(seconds / 2)),
    headers: { authorization: `Bearer ${analyst}` },
    requests: [
      { setupRequest: (request) => ({ ...request, path: `/v1/demand?limit=20${filters[q++ % filters.length]}` }) },
    ],
  });
  console.log(
    `\ndemand as fast as answered, 10 connections, over the ${stored.total} documents (analysis still running)`,
  );
  report('GET /v1/demand', demand);
  console.log(
    `\npeak RSS: ${processes
      .map((p, i) => {
        const [own, ...children] = rss(p.child.pid);
        return `${values.postgres ? ['API', 'worker'][i] : 'service'} ${own} MiB${children.length ? ` (its analysis process ${children.join(', ')} MiB)` : ''}`;
      })
      .join(', ')}`,
  );
} finally {
  for (const p of processes) p.child.kill('SIGTERM');
  await Promise.all(processes.map((p) => p.exited));
  for (const stop of stops) await stop();
  rmSync(dataDir, { recursive: true, force: true });
}
