import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Config } from '../../base/config.js';
import { cliEntry } from '../../jobs/process-entry.js';
import type { FromChild, ToChild } from './classify-protocol.js';
import { RowError, type BatchAd } from './records.js';

/**
 * An analysis allocates many short-lived objects: with 64 MiB semi-spaces (16 by default) the young generation
 * holds a whole chunk's garbage, so far less is promoted and the old generation stays small (docs/benchmarks.md).
 */
const CHILD_V8_FLAGS = ['--max-semi-space-size=64', '--max-old-space-size=768'];

/** Where the analysis processes' log lines go: stderr, or a progress bar that keeps below them. */
export type LogSink = (line: string) => void;
const toStderr: LogSink = (line) => void process.stderr.write(`${line}\n`);

/** Hands each line the process writes to stderr to `log`. */
function forwardLines(proc: ChildProcess, log: LogSink): void {
  if (!proc.stderr) return;
  createInterface({ input: proc.stderr, crlfDelay: Infinity }).on('line', log);
}

/**
 * Writes the snapshot in a process of its own (a classify child told to): the taxonomy database and the
 * analyzer it builds are gone when it exits, so this process stays small however long the run.
 */
export async function snapshotInChild(config: Config, file: string, log: LogSink = toStderr): Promise<string | null> {
  const entry = cliEntry();
  const proc = fork(entry.path, ['__classify-child'], {
    execArgv: entry.execArgv,
    env: process.env,
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  forwardLines(proc, log);
  let answer: FromChild | undefined;
  proc.on('message', (m: FromChild) => (answer = m));
  const exited = once(proc, 'exit');
  proc.send({ type: 'snapshot', snapshotFile: file, config } satisfies ToChild);
  const [code, signal] = (await exited) as [number | null, string | null];
  if (answer?.type === 'snapshot-written') return answer.semantic;
  if (answer?.type === 'snapshot-failed')
    throw answer.usage ? new RowError(answer.error) : new Error(`loading the taxonomy failed: ${answer.error}`);
  throw new Error(`the taxonomy snapshot process exited (${signal ?? code})`);
}

type Results = Extract<FromChild, { type: 'results' }>['results'];

/** Child processes, each given at most two chunks at a time. */
export class ChildPool {
  private readonly children: {
    proc: ChildProcess;
    inFlight: number;
    waiting: Map<number, { resolve: (r: Results) => void; reject: (e: Error) => void }>;
  }[] = [];
  private nextChunk = 0;
  private freed: (() => void) | undefined;
  private failure: Error | undefined;

  get inFlight(): number {
    return this.children.reduce((n, c) => n + c.inFlight, 0);
  }

  async start(
    n: number,
    snapshotFile: string,
    format: 'jsonl' | 'csv',
    config: Config,
    log: LogSink = toStderr,
  ): Promise<void> {
    const entry = cliEntry();
    // the analysis processes say only what matters, unless LOG_LEVEL asks for more
    const childConfig = { ...config, LOG_LEVEL: process.env.LOG_LEVEL ? config.LOG_LEVEL : 'warn' } as Config;
    await Promise.all(
      Array.from({ length: n }, async () => {
        const proc = fork(entry.path, ['__classify-child'], {
          execArgv: [...entry.execArgv, ...CHILD_V8_FLAGS],
          env: process.env,
          serialization: 'advanced',
          stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        });
        forwardLines(proc, log);
        const child = {
          proc,
          inFlight: 0,
          waiting: new Map<number, { resolve: (r: Results) => void; reject: (e: Error) => void }>(),
        };
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
          proc.on(
            'message',
            (m: FromChild) => m.type === 'stopped' && resolve({ maxRssMiB: m.maxRssMiB, cpuSeconds: m.cpuSeconds }),
          );
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
