import { AnalysisTimeoutError } from '../analysis/deadline.js';
import { loadAnalyzer } from '../analysis/load-analyzer.js';
import { createLogger } from '../base/logger.js';
import { assembleTaxonomy, type TaxonomyPart } from '../domain/taxonomy.js';
import type { FromAnalysisChild, ToAnalysisChild } from './analysis-protocol.js';
import { InProcessAnalysis } from './analysis-service.js';

/**
 * The analysis process of a service: builds the analyzer from the taxonomy its parent sends (no database here)
 * and the encoder from the embedding cache, and analyses the texts it is sent, so that the CPU-bound work never
 * holds the event loop that answers HTTP requests. Exits when the parent goes.
 */
export function runAnalysisChild(): void {
  const send = (m: FromAnalysisChild) => process.send?.(m);
  let service: InProcessAnalysis | undefined;
  let parts: TaxonomyPart[] = [];
  process.on('disconnect', () => process.exit(0));
  process.on('SIGINT', () => undefined); // the parent decides when to stop
  process.on('message', (message: ToAnalysisChild) => {
    if (message.type === 'taxonomy') {
      parts.push(message.part);
      return;
    }
    if (message.type === 'init') {
      const log = createLogger(message.config, 'analysis');
      const taxonomy = assembleTaxonomy(parts);
      parts = [];
      let lastProgress = 0;
      void taxonomy
        .then((data) =>
          loadAnalyzer(data, message.config, log, {
            // told to the parent every second at most, for /ready
            onSemanticProgress: (progress) => {
              if (Date.now() - lastProgress < 1_000 && progress.done < progress.total) return;
              lastProgress = Date.now();
              send({ type: 'semantic-progress', progress });
            },
          }),
        )
        .then(
          (analyzer) => {
            service = new InProcessAnalysis(analyzer);
            send({
              type: 'ready',
              labelCount: analyzer.labelCount,
              taxonomyVersion: analyzer.taxonomyVersion,
              semanticModel: analyzer.semanticModel,
            });
            // the label embeddings may still be computing (first start): say when semantic matching is attached
            if (analyzer.semanticModel === null)
              void analyzer.semanticReady.then((semanticModel) => send({ type: 'semantic', semanticModel }));
          },
          (err: unknown) => send({ type: 'failed', error: (err as Error).stack ?? String(err) }),
        );
      return;
    }
    const { id, input, as, deadline } = message;
    if (!service) return send({ type: 'result', id, error: 'the analyzer is not loaded yet' });
    (as === 'rows' ? service.analyzeForSave(input) : service.analyzeFull(input, { deadline })).then(
      (analysis) => send({ type: 'result', id, analysis }),
      (err: unknown) =>
        send({ type: 'result', id, error: (err as Error).message, timedOut: err instanceof AnalysisTimeoutError }),
    );
  });
}
