import type { SemanticProgress } from '../analysis/load-analyzer.js';
import { fork, type ChildProcess } from 'node:child_process';
import { AnalysisTimeoutError, type AnalyzeOptions } from '../analysis/deadline.js';
import type { Config } from '../base/config.js';
import type { Logger } from '../base/logger.js';
import type { Analysis, AnalysisInput } from '../domain/analysis.js';
import type { TaxonomyPart } from '../domain/taxonomy.js';
import type { AnalysisRows } from '../storage/analysis-rows.js';
import type { FromAnalysisChild, ToAnalysisChild } from './analysis-protocol.js';
import type { AnalysisService } from './analysis-service.js';
import { PendingReplies } from './pending-replies.js';
import { lowerPriority } from './priority.js';
import { cliEntry } from './process-entry.js';

/** What the analysis process answers an `analyze` message with, by its `as`. */
interface Answers {
  analysis: Analysis;
  rows: AnalysisRows;
}

export class AnalysisProcessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnalysisProcessError';
  }
}

/**
 * The analyzer in a child process of its own (analysis-child.ts), sent the taxonomy as data when it starts; texts
 * go over IPC and analyses come back. The CPU-bound analysis then never holds the event loop that answers HTTP
 * requests, and the taxonomy index lives outside this process's heap. If the child dies, the analyses in flight
 * fail (a job is retried by BullMQ) and the next one starts a new child.
 */
export class AnalysisProcess implements AnalysisService {
  private child: ChildProcess | undefined;
  private starting: Promise<void> | undefined;
  private readonly pending = new PendingReplies<Answers[keyof Answers]>();
  private state = { labelCount: 0, taxonomyVersion: null as number | null, semanticModel: null as string | null };
  private closed = false;
  private semanticSettle!: () => void;
  /** Resolves once the first child has its encoder attached, or has none to attach (SEMANTIC_MODEL none). */
  readonly semanticSettled = new Promise<void>((resolve) => (this.semanticSettle = resolve));

  private constructor(
    private readonly taxonomy: () => AsyncIterable<TaxonomyPart>,
    private readonly config: Config,
    private readonly log: Logger,
  ) {}

  /** Starts the child and resolves once its analyzer is loaded; `taxonomy` is read again for each child started. */
  static async start(
    taxonomy: () => AsyncIterable<TaxonomyPart>,
    config: Config,
    log: Logger,
  ): Promise<AnalysisProcess> {
    const p = new AnalysisProcess(taxonomy, config, log);
    await p.ensure();
    return p;
  }

  get labelCount(): number {
    return this.state.labelCount;
  }

  get taxonomyVersion(): number | null {
    return this.state.taxonomyVersion;
  }

  get semanticModel(): string | null {
    return this.state.semanticModel;
  }

  /** how far the label embeddings are, until semantic matching is attached */
  semanticProgress: SemanticProgress | undefined;

  analyzeFull(input: AnalysisInput, options?: AnalyzeOptions): Promise<Analysis> {
    return this.ask(input, 'analysis', options?.deadline);
  }

  /** The rows of the analysis's save, made in the child: this process never holds the analysis itself. */
  analyzeForSave(input: AnalysisInput): Promise<AnalysisRows> {
    return this.ask(input, 'rows');
  }

  /** Sends `input` to the child, which answers with what `as` names. */
  private async ask<K extends keyof Answers>(input: AnalysisInput, as: K, deadline?: number): Promise<Answers[K]> {
    await this.ensure();
    const { id, reply } = this.pending.open();
    this.send({ type: 'analyze', id, input, as, deadline });
    return (await reply) as Answers[K];
  }

  /** Stops the child; analyses in flight fail. */
  async close(): Promise<void> {
    this.closed = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.disconnect();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  private send(m: ToAnalysisChild): void {
    this.child?.send(m);
  }

  private ensure(): Promise<void> {
    if (this.closed) return Promise.reject(new AnalysisProcessError('the analysis process is closed'));
    this.starting ??= this.spawn().catch((err: unknown) => {
      this.starting = undefined;
      throw err;
    });
    return this.starting;
  }

  /** The taxonomy to the child a part at a time, each sent (out of this process's hands) before the next is read. */
  private async sendTaxonomy(child: ChildProcess): Promise<void> {
    for await (const part of this.taxonomy()) {
      if (!child.connected) return;
      await new Promise<void>((resolve, reject) =>
        child.send({ type: 'taxonomy', part } satisfies ToAnalysisChild, (err) => (err ? reject(err) : resolve())),
      );
    }
  }

  private spawn(): Promise<void> {
    const entry = cliEntry();
    const child = fork(entry.path, ['__analysis-child'], {
      execArgv: [...entry.execArgv, '--max-semi-space-size=64'],
      env: process.env,
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child = child;
    if (child.pid !== undefined) lowerPriority(this.config, this.log, 'analysis process', child.pid);
    return new Promise<void>((resolve, reject) => {
      child.on('message', (m: FromAnalysisChild) => {
        switch (m.type) {
          case 'ready':
            this.state = {
              labelCount: m.labelCount,
              taxonomyVersion: m.taxonomyVersion,
              semanticModel: m.semanticModel,
            };
            if (m.semanticModel !== null || this.config.SEMANTIC_MODEL === 'none') this.semanticSettle();
            resolve();
            break;
          case 'semantic-progress':
            this.semanticProgress = m.progress;
            break;
          case 'semantic':
            this.state.semanticModel = m.semanticModel;
            this.semanticProgress = undefined;
            this.semanticSettle();
            this.log.info({ model: m.semanticModel }, 'semantic skill matching ready in the analysis process');
            break;
          case 'result':
            if (m.timedOut) this.pending.fail(m.id, new AnalysisTimeoutError());
            else this.pending.settle(m.id, m.error ?? (m.analysis ? undefined : 'no analysis'), m.analysis!);
            break;
          case 'failed':
            reject(new AnalysisProcessError(`loading the analyzer failed: ${m.error}`));
            child.kill();
            break;
        }
      });
      child.once('exit', (code, signal) => {
        if (this.child === child) {
          this.child = undefined;
          this.starting = undefined;
        }
        const err = new AnalysisProcessError(`the analysis process exited (${signal ?? code})`);
        reject(err);
        this.pending.rejectAll(err);
        if (!this.closed)
          this.log.warn({ code, signal }, 'the analysis process exited; the next analysis starts a new one');
      });
      this.sendTaxonomy(child).then(
        () => child.connected && child.send({ type: 'init', config: this.config } satisfies ToAnalysisChild),
        (err: unknown) => {
          reject(new AnalysisProcessError(`reading the taxonomy failed: ${(err as Error).message}`));
          child.kill();
        },
      );
    });
  }
}
