import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { dbCall, dbEngine, dbGateWait, type DbWork } from '../base/metrics.js';
import type { Reply, Request, ThreadData } from './pglite-thread.js';

/** Something SQL can be sent to: the database itself or an open transaction. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** A statement with its parameters. */
export interface Statement {
  sql: string;
  params?: unknown[] | undefined;
}

/** One PostgreSQL dialect over two engines: a PostgreSQL server (pg) or embedded PGlite. */
export interface Database extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Runs the statements one after the other in one transaction and gives each one's rows. Embedded PGlite gets
   * the whole transaction in one message to its thread: the engine is held for the statements' own time, not
   * also for a round trip to this thread (busy with requests) between each of them.
   */
  batch(statements: Statement[], options?: TransactionOptions): Promise<Record<string, unknown>[][]>;
  /**
   * Whether requests' statements are running or ran a moment ago (embedded PGlite), so that background work
   * should hold the engine only briefly at a time. A server runs transactions side by side: never busy.
   */
  busy(): boolean;
  /** Runs a script of several statements without parameters. */
  exec(sql: string): Promise<void>;
  /**
   * Runs a maintenance script (VACUUM, ANALYZE: statements that may not run in a transaction) as work no
   * request waits for. Embedded PGlite holds every request while it runs, so it first waits until the requests'
   * statements have been quiet for `IDLE_MS`, or at most `maxWaitMs`; a server runs it at once. Aborting
   * `signal` gives up the wait (the promise rejects), not a statement under way.
   */
  maintain(sql: string, maxWaitMs: number, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

export interface TransactionOptions {
  /**
   * Work no request waits for (a worker saving an analysis). Embedded PGlite runs one statement at a time, so
   * such a transaction first waits for a quiet moment in the requests' queries (see ForegroundGate); a
   * PostgreSQL server runs it at once, beside the requests.
   */
  background?: boolean;
}

export interface DatabaseOptions {
  /** postgres:// URL of a server; when absent, PGlite is used. */
  url?: string | undefined;
  /** PGlite data directory; absent → in memory. */
  dataDir?: string | undefined;
  poolSize?: number;
  /**
   * PostgreSQL server only: longest time a statement may run (lock waits included) before the server cancels it
   * (error 57014); 0 or absent: no limit. Migrations and taxonomy imports lift it for their own transactions.
   */
  statementTimeoutMs?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) return openPostgres(options.url, options.poolSize ?? 10, options.statementTimeoutMs ?? 0);
  return openPglite(options.dataDir);
}

/** A PGlite directory is open in another live process: two at once would corrupt it. */
export class DatabaseInUseError extends Error {}

/** First statement of a transaction that may run long (a migration, a taxonomy import): no statement timeout in it. */
export const NO_STATEMENT_TIMEOUT = 'SET LOCAL statement_timeout = 0';

/** PostgreSQL's error code for a statement cancelled by statement_timeout. */
export const STATEMENT_TIMEOUT = '57014';

/** Claims a PGlite directory for this process (a pid file); returns the release. A dead owner's claim is taken over. */
function claimDirectory(dataDir: string): () => void {
  const lock = join(dataDir, 'skills-radar.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => rmSync(lock, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(lock, 'utf8'));
      let alive = owner > 0 && owner !== process.pid;
      try {
        if (alive) process.kill(owner, 0);
      } catch {
        alive = false;
      }
      if (alive) {
        throw new DatabaseInUseError(
          `the embedded database in ${dataDir} is open in process ${owner} (a running service?). Stop it first, or use the API with an admin key (POST /v1/orgs, POST /v1/keys).`,
        );
      }
      rmSync(lock, { force: true });
    }
  }
  throw new DatabaseInUseError(`could not claim ${dataDir}`);
}

/** Least time between two starts of the embedded engine's thread after it died. */
const ENGINE_RESTART_MS = 5_000;

/** The engine thread behind a PGlite Database (tests stop it to see the restart). */
export const engineThreads = new WeakMap<Database, { stop(): Promise<void> }>();

async function openPglite(dataDir: string | undefined): Promise<Database> {
  let release = () => {};
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    release = claimDirectory(dataDir);
  }
  let engine = await EngineThread.start(dataDir).catch((err: unknown) => {
    release();
    throw err;
  });
  let closed = false;
  let restarting: Promise<EngineThread> | undefined;
  let lastStart = -Infinity;
  /**
   * The engine to call. A thread that died (a crash in PGlite's WebAssembly, say) is started again on the same
   * directory, as a server's supervisor would restart it: PostgreSQL's recovery runs on open, and until then and
   * between attempts (at most one every ENGINE_RESTART_MS) calls fail as unavailable (503 with Retry-After). An
   * in-memory engine is not restarted: it would come back empty.
   */
  const current = (): EngineThread | Promise<EngineThread> => {
    if (!engine.exited || !dataDir || closed) return restarting ?? engine;
    if (!restarting && performance.now() - lastStart >= ENGINE_RESTART_MS) {
      lastStart = performance.now();
      restarting = EngineThread.start(dataDir).then(
        (started) => {
          engine = started;
          restarting = undefined;
          return started;
        },
        (err: unknown) => {
          restarting = undefined;
          throw Object.assign(err as Error, { code: '08006' });
        },
      );
    }
    return restarting ?? engine;
  };
  const call = async (request: DistributiveOmit<Request, 'id'>, work: DbWork, on?: EngineThread) =>
    (on ?? (await current())).call(request, work);
  // a save's transactions are short (a few ms each): they go in after 1 ms without a request's statement, and
  // under a stream that never pauses, one every 0.1 s
  const gate = new ForegroundGate(1, 100);
  const inTransaction = async <T>(fn: (tx: Queryable) => Promise<T>, work: DbWork): Promise<T> => {
    // the whole transaction on one engine: should it die meanwhile, the rest fails rather than going to the next
    const on = await current();
    const tx = (await call({ op: 'begin' }, work, on)) as number;
    let result: T;
    try {
      result = await fn({
        query: async <R>(sql: string, params?: unknown[]) =>
          (await call({ op: 'query', sql, params, tx }, work, on)) as R[],
      });
    } catch (err) {
      await call({ op: 'rollback', tx }, work, on).catch(() => undefined);
      throw err;
    }
    await call({ op: 'commit', tx }, work, on);
    return result;
  };
  // each runs its call with the work it is for, which labels its metrics
  type Run<T> = (work: DbWork) => Promise<T>;
  const foreground = <T>(run: Run<T>) => gate.foreground(() => timed('pglite', 'foreground', () => run('foreground')));
  const background = <T>(
    run: Run<T>,
    work: DbWork = 'background',
    wait?: Parameters<ForegroundGate['background']>[1],
  ) => {
    const queued = performance.now();
    return gate.background(() => {
      dbGateWait.observe({ work }, (performance.now() - queued) / 1_000);
      return timed('pglite', work, () => run(work));
    }, wait);
  };
  const db: Database = {
    engine: 'pglite',
    query: (sql, params) => foreground(async (work) => (await call({ op: 'query', sql, params }, work)) as never[]),
    transaction: (fn, options) =>
      options?.background
        ? background((work) => inTransaction(fn, work))
        : foreground((work) => inTransaction(fn, work)),
    batch: (statements, options) => {
      const run = async (work: DbWork) =>
        (await call({ op: 'batch', statements }, work)) as Record<string, unknown>[][];
      return options?.background ? background(run) : foreground(run);
    },
    exec: (sql) => foreground(async (work) => void (await call({ op: 'exec', sql }, work))),
    maintain: (sql, maxWaitMs, signal) =>
      background(async (work) => void (await call({ op: 'exec', sql }, work)), 'maintenance', {
        quietMs: IDLE_MS,
        maxWaitMs,
        signal,
      }),
    busy: () => gate.busy(),
    close: async () => {
      closed = true;
      try {
        if (restarting) await restarting.catch(() => undefined);
        await engine.close();
      } finally {
        release();
      }
    },
  };
  engineThreads.set(db, { stop: () => engine.stop() });
  return db;
}

/** The PGlite engine's thread (pglite-thread.ts), and the calls awaiting its answers. */
class EngineThread {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (err: Error) => void; work?: DbWork }
  >();
  private failure: Error | undefined;
  /** the thread has ended (its engine is gone; another may be started on the directory) */
  exited = false;

  private constructor(private readonly thread: Worker) {
    thread.on('message', (reply: Reply) => {
      const call = this.pending.get(reply.id);
      if (!call) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) thread.unref();
      if (call.work && reply.ms !== undefined) dbEngine.observe({ work: call.work }, reply.ms / 1_000);
      if (reply.ok) call.resolve(reply.result);
      else call.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }, reply.error.fields));
    });
    const lost = (err: Error) => {
      this.failure ??= err;
      for (const call of this.pending.values()) call.reject(this.failure);
      this.pending.clear();
    };
    // PostgreSQL's connection_failure: requests get 503 with Retry-After, as when a server goes away
    thread.on('error', (err) => lost(Object.assign(err, { code: '08006' })));
    thread.on('exit', (code) => {
      this.exited = true;
      lost(Object.assign(new Error(`the embedded database's thread exited (code ${code})`), { code: '08006' }));
    });
  }

  static async start(dataDir: string | undefined): Promise<EngineThread> {
    const here = import.meta.url;
    const workerData: ThreadData = { dataDir };
    // the built service runs the .js beside this file; from the sources (tests, tsx) the thread loads tsx first
    const thread = here.endsWith('.ts')
      ? new Worker(
          `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./pglite-thread.ts', here).href)}); })`,
          { eval: true, workerData },
        )
      : new Worker(new URL('./pglite-thread.js', here), { workerData });
    const engine = new EngineThread(thread);
    // message 0: the engine is open (or the thread failed, and the call rejects)
    await new Promise((resolve, reject) => {
      engine.pending.set(0, { resolve, reject });
    }).catch(async (err: unknown) => {
      await thread.terminate();
      throw err;
    });
    return engine;
  }

  call(request: DistributiveOmit<Request, 'id'>, work?: DbWork): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    // a call in flight keeps the process alive; an idle engine does not
    if (this.pending.size === 0) this.thread.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, ...(work && { work }) });
      this.thread.postMessage({ ...request, id });
    });
  }

  /** Ends the thread as a crash would: no close, calls in flight fail. */
  async stop(): Promise<void> {
    await this.thread.terminate();
  }

  async close(): Promise<void> {
    if (this.exited) return;
    try {
      await this.call({ op: 'close' });
    } finally {
      this.failure ??= Object.assign(new Error('the embedded database is closed'), { code: '08003' });
      await this.thread.terminate();
    }
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Runs a database call, timing it into radar_db_call_seconds. */
async function timed<T>(engine: Database['engine'], work: DbWork, run: () => Promise<T>): Promise<T> {
  const end = dbCall.startTimer({ engine, work });
  try {
    return await run();
  } finally {
    end();
  }
}

/** How long the requests' statements must have been quiet before maintenance goes into the embedded engine. */
export const IDLE_MS = 1_000;

/**
 * Lets background transactions into a single-threaded engine only in the gaps between foreground work.
 *
 * PGlite runs one statement at a time (in its own thread, pglite-thread.ts), and a transaction holds the engine
 * until it commits. A worker's save (a series of transactions of a few ms each, DocumentsRepository.saveAnalysis)
 * started in the middle of a burst of submissions would hold every one of them for that long. So a background
 * transaction waits until no foreground statement is running or waiting and none has ended for `quietMs`, or
 * until it has waited `maxWaitMs` (work that never finds a gap still goes on, at one transaction per wait). They
 * are let in one at a time, each after the last has finished, so a foreground statement arriving in between goes
 * first. A background task may ask for a longer quiet (and a longer wait) of its own: those who ask less are not
 * held behind it.
 */
export class ForegroundGate {
  private active = 0;
  private lastEnd = 0;
  private backgroundRunning = 0;
  private readonly waiting: { go: () => void; quietMs: number }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly quietMs = 5,
    private readonly maxWaitMs = 500,
  ) {}

  /** Whether foreground work is running, or ended less than `withinMs` ago. */
  busy(withinMs = 50): boolean {
    return this.active > 0 || performance.now() - this.lastEnd < withinMs;
  }

  async foreground<T>(run: () => Promise<T>): Promise<T> {
    this.active++;
    try {
      return await run();
    } finally {
      this.active--;
      this.lastEnd = performance.now();
      this.schedule();
    }
  }

  async background<T>(
    run: () => Promise<T>,
    wait?: { quietMs: number; maxWaitMs: number; signal?: AbortSignal | undefined },
  ): Promise<T> {
    await new Promise<void>((resolve, reject) => {
      let done = false;
      const leave = () => {
        done = true;
        clearTimeout(overdue);
        wait?.signal?.removeEventListener('abort', abort);
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
      };
      const go = () => {
        if (done) return;
        leave();
        this.backgroundRunning++;
        resolve();
      };
      const abort = () => {
        if (done) return;
        leave();
        reject(wait!.signal!.reason as Error);
      };
      const waiter = { go, quietMs: wait?.quietMs ?? this.quietMs };
      // overdue: it goes now, beside whatever else runs
      const overdue = setTimeout(go, wait?.maxWaitMs ?? this.maxWaitMs);
      this.waiting.push(waiter);
      if (wait?.signal?.aborted) return abort();
      wait?.signal?.addEventListener('abort', abort);
      this.schedule();
    });
    try {
      return await run();
    } finally {
      this.backgroundRunning--;
      this.schedule();
    }
  }

  /** Lets the first waiter in whose quiet has come, checking again when the next one's could have. */
  private schedule(): void {
    if (this.waiting.length === 0 || this.backgroundRunning > 0 || this.active > 0) return;
    const quietFor = performance.now() - this.lastEnd;
    const ready = this.waiting.find((w) => quietFor >= w.quietMs);
    if (ready) {
      ready.go();
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(
      () => this.schedule(),
      Math.ceil(Math.min(...this.waiting.map((w) => w.quietMs)) - quietFor),
    );
  }
}

async function openPostgres(url: string, max: number, statementTimeoutMs: number): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 5_000,
    ...(statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs } : {}),
  });
  // A client that loses its server must not crash the process: an idle one is reported to the pool, a busy one
  // to itself (its query fails with the same error, and the caller answers 503).
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const client = await pool.connect();
  client.release();
  const query = async <T>(runner: pg.Pool | pg.PoolClient, sql: string, params?: unknown[]) =>
    (await runner.query(sql, params)).rows as T[];
  const work = (options?: TransactionOptions): DbWork => (options?.background ? 'background' : 'foreground');
  const db: Database = {
    engine: 'postgres',
    query: (sql, params) => timed('postgres', 'foreground', () => query(pool, sql, params)),
    // a server runs transactions side by side: background ones need not wait for gaps
    transaction: (fn, options) =>
      timed('postgres', work(options), async () => {
        const tx = await pool.connect();
        try {
          await tx.query('BEGIN');
          const result = await fn({ query: (sql, params) => query(tx, sql, params) });
          await tx.query('COMMIT');
          return result;
        } catch (err) {
          await tx.query('ROLLBACK').catch(() => undefined);
          throw err;
        } finally {
          tx.release();
        }
      }),
    batch: (statements, options) =>
      db.transaction(async (tx) => {
        const out: Record<string, unknown>[][] = [];
        for (const { sql, params } of statements) out.push(await tx.query(sql, params));
        return out;
      }, options),
    exec: (sql) => timed('postgres', 'foreground', async () => void (await pool.query(sql))),
    maintain: async (sql, _maxWaitMs, signal) => {
      signal?.throwIfAborted();
      await timed('postgres', 'maintenance', () => pool.query(sql));
    },
    busy: () => false,
    close: () => pool.end(),
  };
  return db;
}
