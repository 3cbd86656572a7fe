import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { rmSync, writeFileSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serialize } from 'node:v8';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { ensureTaxonomy, loadAnalyzer } from '../runtime.js';
import { openDatabase } from '../storage/database.js';
import { migrate } from '../storage/migrations.js';
import type { FromChild, ToChild } from '../../workers/classify.child.js';
import { formatOf, openInput, readRecords, type InputFormat } from './input.js';
import { RowError, toAd, type BatchAd, type FieldOptions } from './records.js';
import { runFiles } from './resume.js';
import { RecordingQueryable } from './snapshot.js';

export interface ClassifyOptions {
  /** a file (.jsonl, .ndjson, .csv, optionally .gz) or "-" for stdin */
  input: string;
  inputFormat?: InputFormat | undefined;
  /** results file; absent → stdout (not resumable) */
  out?: string | undefined;
  format: 'jsonl' | 'csv';
  /** rows that could not be classified, one JSON line each; default `<out>.errors.jsonl` */
  errors?: string | undefined;
  fields: Omit<FieldOptions, 'maxChars'>;
  /** analysis processes; default the number of cores */
  workers: number;
  chunkSize?: number;
  signal?: AbortSignal;
  onProgress?: (p: ClassifyProgress) => void;
}

export interface ClassifyProgress {
  /** rows read from the input so far (this run) */
  read: number;
  written: number;
  failed: number;
  /** already in the output file from an earlier run */
  resumed: number;
  inFlight: number;
  bytesRead: number;
  size: number | undefined;
  elapsedMs: number;
}

export interface ClassifySummary extends ClassifyProgress {
  interrupted: boolean;
  /** ads written per second once the analysis processes were ready */
  adsPerSecond: number;
  /** seconds to load the taxonomy and start the processes */
  loadSeconds: number;
  semantic: string | null;
  /** peak resident memory of this process and of each analysis process */
  maxRssMiB: { parent: number; children: number[] };
  /** CPU seconds of this process and of each analysis process while classifying (loading not included) */
  cpuSeconds: { parent: number; children: number[] };
  errorsFile: string;
  /** the summary for people */
  lines: string[];
}

interface ErrorRow {
  row: number;
  line?: number | undefined;
  id?: string | undefined;
  reason: string;
}

/**
 * Classifies a dump on this machine: the analyzer is loaded once here (the taxonomy from DATABASE_URL, else a
 * PGlite of its own under DATA_DIR), its queries' answers go to `workers` child processes, and chunks of ads are
 * spread over them. Input and output stream, at most two chunks per process are in flight, so memory does not
 * grow with the dump. Ads already in `out` are skipped (resume); an abort finishes the chunks in flight and
 * leaves complete lines.
 */
export async function classifyLocal(config: Config, options: ClassifyOptions): Promise<ClassifySummary> {
  const started = Date.now();
  const format = options.inputFormat ?? formatOf(options.input);
  if (!format) throw new RowError(`cannot tell the format of ${options.input}: name it .jsonl/.ndjson/.csv (or .gz), or pass --input-format`);
  const { errorsFile, written, reported, openOutput, openErrors } = await runFiles(options);
  const out = openOutput();
  const errors = openErrors();
  const snapshotFile = join(tmpdir(), `radar-classify-${process.pid}-${Date.now()}.snapshot`);
  const semantic = await snapshotInChild(config, snapshotFile);
  const pool = new ChildPool();
  const progress: ClassifyProgress = { read: 0, written: 0, failed: 0, resumed: 0, inFlight: 0, bytesRead: 0, size: undefined, elapsedMs: 0 };
  const input = openInput(options.input);
  progress.size = input.size;
  let interrupted = false;
  let children: { maxRssMiB: number; cpuSeconds: number }[] = [];
  let classifyCpu = process.cpuUsage();
  let loadSeconds = 0;
  let classifyStarted = Date.now();
  const report = () => {
    progress.bytesRead = input.bytesRead();
    progress.inFlight = pool.inFlight;
    progress.elapsedMs = Date.now() - classifyStarted;
    options.onProgress?.({ ...progress });
  };
  const fail = (e: ErrorRow) => {
    progress.failed++;
    if (!reported.has(e.row)) errors.write(`${JSON.stringify(e)}\n`);
  };
  try {
    await pool.start(options.workers, snapshotFile, options.format, config);
    rmSync(snapshotFile, { force: true });
    loadSeconds = (Date.now() - started) / 1000;
    classifyStarted = Date.now();
    classifyCpu = process.cpuUsage();
    const timer = setInterval(report, 500);
    const seen = new Set<string>();
    const chunkSize = options.chunkSize ?? 20;
    let chunk: BatchAd[] = [];
    const pending = new Set<Promise<void>>();
    const dispatch = async (ads: BatchAd[]) => {
      await pool.slot();
      if (out.writableNeedDrain) await once(out, 'drain');
      const p = pool.run(ads).then((results) => {
        // the lines come as bytes (outside the JS heap) and are written as they are, corked into one system call
        out.cork();
        for (const r of results) {
          if (r.output !== undefined) {
            out.write(r.output);
            progress.written++;
          } else fail({ row: r.row, id: r.id, reason: r.error ?? 'unknown' });
        }
        process.nextTick(() => out.uncork());
      });
      pending.add(p);
      void p.finally(() => pending.delete(p));
    };
    try {
      for await (const item of readRecords(input.stream, format)) {
        if (options.signal?.aborted) {
          interrupted = true;
          break;
        }
        progress.read++;
        if (item.error !== undefined) {
          fail({ row: item.row, line: item.line, reason: item.error });
          continue;
        }
        let ad: BatchAd;
        try {
          ad = toAd(item.record, item.row, { ...options.fields, maxChars: config.MAX_TEXT_CHARS });
        } catch (err) {
          if (!(err instanceof RowError)) throw err;
          fail({ row: item.row, line: item.line, reason: err.message });
          continue;
        }
        if (seen.has(ad.id)) {
          fail({ row: item.row, line: item.line, id: ad.id, reason: `duplicate id ${JSON.stringify(ad.id)} (an earlier row has it)` });
          continue;
        }
        seen.add(ad.id);
        if (written.has(ad.id)) {
          progress.resumed++;
          continue;
        }
        chunk.push(ad);
        if (chunk.length >= chunkSize) {
          await dispatch(chunk);
          chunk = [];
        }
      }
      if (chunk.length > 0 && !interrupted) await dispatch(chunk);
    } finally {
      input.stream.destroy();
      await Promise.all(pending);
      clearInterval(timer);
    }
  } finally {
    children = await pool.stop();
    rmSync(snapshotFile, { force: true });
    await new Promise<void>((resolve) => errors.end(resolve));
    if (out !== process.stdout) await new Promise<void>((resolve) => (out as WriteStream).end(resolve));
    report();
  }
  const seconds = (Date.now() - classifyStarted) / 1000;
  const adsPerSecond = progress.written / Math.max(seconds, 1e-3);
  const maxRssMiB = { parent: Math.round(process.resourceUsage().maxRSS / 1024), children: children.map((c) => c.maxRssMiB) };
  const cpu = process.cpuUsage(classifyCpu);
  const cpuSeconds = { parent: (cpu.user + cpu.system) / 1e6, children: children.map((c) => c.cpuSeconds) };
  return {
    ...progress,
    interrupted,
    adsPerSecond,
    loadSeconds,
    semantic,
    maxRssMiB,
    cpuSeconds,
    errorsFile,
    lines: [
      `${interrupted ? 'interrupted: ' : ''}${progress.written} ads classified in ${seconds.toFixed(1)} s (${adsPerSecond.toFixed(1)} ads/s, ${options.workers} processes, ${semantic ? `lexical + ${semantic}` : 'lexical only'}; loading took ${loadSeconds.toFixed(1)} s)` +
        `${progress.resumed ? `; ${progress.resumed} already in ${options.out}` : ''}`,
      progress.failed > 0 ? `${progress.failed} rows failed: see ${errorsFile}` : 'no row failed',
      `peak RSS: ${maxRssMiB.parent} MiB here, ${maxRssMiB.children.join(' + ')} MiB in the analysis processes`,
    ],
  };
}

/** Loads the analyzer once, recording the answers of its queries, and writes them for the child processes. */
export async function writeSnapshot(config: Config, log: Logger, file: string): Promise<string | null> {
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: join(config.DATA_DIR, 'pglite-classify') });
  try {
    await migrate(db);
    await ensureTaxonomy(db, config, log);
    const recorder = new RecordingQueryable(db);
    // builds the label embeddings into the cache once, so that the children only read them
    const analyzer = await loadAnalyzer(recorder, config, log, { waitForSemantic: true });
    if (analyzer.taxonomyVersion === null) throw new RowError(`no taxonomy: TAXONOMY_DIR ${config.TAXONOMY_DIR} has none to import (see README "Data sources")`);
    writeFileSync(file, serialize(recorder.snapshot()));
    return analyzer.semanticModel;
  } finally {
    await db.close();
  }
}

/**
 * An analysis allocates many short-lived objects: with 64 MiB semi-spaces (16 by default) the young generation
 * holds a whole chunk's garbage, so far less is promoted and the old generation stays small. Measured with
 * `npm run bench:batch`: about 1.3–1.6 × the ads/s per process, and half the peak RSS of a process.
 */
const CHILD_V8_FLAGS = ['--max-semi-space-size=64', '--max-old-space-size=768'];

/**
 * Writes the snapshot in a process of its own (a classify child told to): the taxonomy database and the
 * analyzer it builds are gone when it exits, so this process stays small however long the run.
 */
async function snapshotInChild(config: Config, file: string): Promise<string | null> {
  const entry = cliEntry();
  const proc = fork(entry.path, ['__classify-child'], { execArgv: entry.execArgv, env: process.env, serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  let answer: FromChild | undefined;
  proc.on('message', (m: FromChild) => (answer = m));
  const exited = once(proc, 'exit');
  proc.send({ type: 'snapshot', snapshotFile: file, config } satisfies ToChild);
  const [code, signal] = (await exited) as [number | null, string | null];
  if (answer?.type === 'snapshot-written') return answer.semantic;
  if (answer?.type === 'snapshot-failed') throw answer.usage ? new RowError(answer.error) : new Error(`loading the taxonomy failed: ${answer.error}`);
  throw new Error(`the taxonomy snapshot process exited (${signal ?? code})`);
}

/** The entry of the CLI, which runs a classify child when given `__classify-child` (and an analysis child when given `__analysis-child`). */
export function cliEntry(): { path: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const ext = extname(here);
  return { path: join(dirname(here), '..', 'cli', `main${ext}`), execArgv: ext === '.ts' ? ['--import', 'tsx'] : [] };
}

type Results = Extract<FromChild, { type: 'results' }>['results'];

/** Child processes, each given at most two chunks at a time. */
class ChildPool {
  private readonly children: { proc: ChildProcess; inFlight: number; waiting: Map<number, { resolve: (r: Results) => void; reject: (e: Error) => void }> }[] = [];
  private nextChunk = 0;
  private freed: (() => void) | undefined;
  private failure: Error | undefined;

  get inFlight(): number {
    return this.children.reduce((n, c) => n + c.inFlight, 0);
  }

  async start(n: number, snapshotFile: string, format: 'jsonl' | 'csv', config: Config): Promise<void> {
    const entry = cliEntry();
    // the analysis processes say only what matters, unless LOG_LEVEL asks for more
    const childConfig = { ...config, LOG_LEVEL: process.env.LOG_LEVEL ? config.LOG_LEVEL : 'warn' } as Config;
    await Promise.all(
      Array.from({ length: n }, async () => {
        const proc = fork(entry.path, ['__classify-child'], {
          execArgv: [...entry.execArgv, ...CHILD_V8_FLAGS],
          env: process.env,
          serialization: 'advanced',
          stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        });
        const child = { proc, inFlight: 0, waiting: new Map<number, { resolve: (r: Results) => void; reject: (e: Error) => void }>() };
        this.children.push(child);
        const ready = new Promise<void>((resolve, reject) => {
          proc.on('message', (m: FromChild) => {
            if (m.type === 'ready') resolve();
            else if (m.type === 'failed') {
              this.failure = new Error(`an analysis process failed: ${m.error}`);
              reject(this.failure);
            } else if (m.type === 'results') {
              child.inFlight--;
              child.waiting.get(m.chunk)?.resolve(m.results);
              child.waiting.delete(m.chunk);
              this.freed?.();
            }
          });
          proc.on('exit', (code, signal) => {
            if (child.waiting.size > 0 || !this.stopping) {
              this.failure ??= new Error(`an analysis process exited (${signal ?? code})`);
              reject(this.failure);
              for (const w of child.waiting.values()) w.reject(this.failure);
              child.waiting.clear();
              this.freed?.();
            }
          });
        });
        proc.send({ type: 'init', snapshotFile, format, config: childConfig } satisfies ToChild);
        await ready;
      }),
    );
  }

  private stopping = false;

  /** Resolves when a process has room for another chunk. */
  async slot(): Promise<void> {
    while (!this.children.some((c) => c.inFlight < 2)) {
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => (this.freed = resolve));
    }
    if (this.failure) throw this.failure;
  }

  run(ads: BatchAd[]): Promise<Results> {
    const child = this.children.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
    const chunk = this.nextChunk++;
    child.inFlight++;
    return new Promise((resolve, reject) => {
      child.waiting.set(chunk, { resolve, reject });
      child.proc.send({ type: 'work', chunk, ads } satisfies ToChild);
    });
  }

  /** Stops the processes and returns the peak memory and CPU time each reported. */
  async stop(): Promise<{ maxRssMiB: number; cpuSeconds: number }[]> {
    this.stopping = true;
    return Promise.all(
      this.children.map(async ({ proc }) => {
        const none = { maxRssMiB: 0, cpuSeconds: 0 };
        if (proc.exitCode !== null || !proc.connected) return none;
        const stopped = new Promise<{ maxRssMiB: number; cpuSeconds: number }>((resolve) => {
          proc.on('message', (m: FromChild) => m.type === 'stopped' && resolve({ maxRssMiB: m.maxRssMiB, cpuSeconds: m.cpuSeconds }));
          proc.on('exit', () => resolve(none));
        });
        proc.send({ type: 'stop' } satisfies ToChild);
        const rss = await stopped;
        if (proc.exitCode === null) await once(proc, 'exit');
        return rss;
      }),
    );
  }
}

