import type { Config } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import type { Analysis, AnalysisInput } from '../src/pipeline/analyze.js';
import { PendingReplies } from '../src/pipeline/pending.js';
import { loadAnalyzer } from '../src/runtime.js';
import type { AnalysisRows } from '../src/storage/analysis-rows.js';
import type { Queryable } from '../src/storage/database.js';

/** Messages between a service process and its analysis process (src/pipeline/process.ts). */
export type ToAnalysisChild =
  | { type: 'init'; config: Config }
  | { type: 'rows'; id: number; rows?: unknown[]; error?: string }
  | { type: 'analyze'; id: number; input: AnalysisInput; as: 'analysis' | 'rows' };
export type FromAnalysisChild =
  | { type: 'query'; id: number; sql: string; params?: unknown[] }
  | { type: 'ready'; labelCount: number; taxonomyVersion: number | null; semanticModel: string | null }
  | { type: 'semantic'; semanticModel: string }
  | { type: 'result'; id: number; analysis?: Analysis | AnalysisRows; error?: string }
  | { type: 'failed'; error: string };

/** Runs the parent's read-only queries through it: the analysis process opens no database of its own. */
class ParentQueryable implements Queryable {
  private readonly pending = new PendingReplies<unknown[]>();

  constructor(private readonly send: (m: FromAnalysisChild) => void) {}

  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
    const { id, reply } = this.pending.open();
    this.send({ type: 'query', id, sql, ...(params && { params }) });
    return reply as Promise<T[]>;
  }

  answer(m: Extract<ToAnalysisChild, { type: 'rows' }>): void {
    this.pending.settle(m.id, m.error, m.rows ?? []);
  }
}

/**
 * The analysis process of a service: loads the analyzer (taxonomy through the parent's queries, the encoder from
 * the embedding cache) and analyses the texts it is sent, so that the CPU-bound work never holds the event loop
 * that answers HTTP requests. Exits when the parent goes.
 */
export function runAnalysisChild(): void {
  const send = (m: FromAnalysisChild) => process.send?.(m);
  const db = new ParentQueryable(send);
  let analyzer: Awaited<ReturnType<typeof loadAnalyzer>> | undefined;
  process.on('disconnect', () => process.exit(0));
  process.on('SIGINT', () => undefined); // the parent decides when to stop
  process.on('message', (message: ToAnalysisChild) => {
    if (message.type === 'rows') return db.answer(message);
    if (message.type === 'init') {
      const log = createLogger(message.config, 'analysis');
      void loadAnalyzer(db, message.config, log).then(
        (loaded) => {
          analyzer = loaded;
          send({ type: 'ready', labelCount: loaded.labelCount, taxonomyVersion: loaded.taxonomyVersion, semanticModel: loaded.semanticModel });
          // the label embeddings may still be computing (first start): say when semantic matching is attached
          if (loaded.semanticModel === null) void loaded.semanticReady.then((semanticModel) => send({ type: 'semantic', semanticModel }));
        },
        (err: unknown) => send({ type: 'failed', error: (err as Error).stack ?? String(err) }),
      );
      return;
    }
    const { id, input, as } = message;
    if (!analyzer) return send({ type: 'result', id, error: 'the analyzer is not loaded yet' });
    (as === 'rows' ? analyzer.analyzeForSave(input) : analyzer.analyzeFull(input)).then(
      (analysis) => send({ type: 'result', id, analysis }),
      (err: unknown) => send({ type: 'result', id, error: (err as Error).message }),
    );
  });
}
