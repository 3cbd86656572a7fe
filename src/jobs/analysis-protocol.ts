import type { SemanticProgress } from '../analysis/load-analyzer.js';
import type { Config } from '../base/config.js';
import type { Analysis, AnalysisInput } from '../domain/analysis.js';
import type { TaxonomyPart } from '../domain/taxonomy.js';
import type { AnalysisRows } from '../storage/analysis-rows.js';

/** Messages from a service process to its analysis process (analysis-child.ts). */
export type ToAnalysisChild =
  /** the taxonomy, a field at a time (so that neither process holds it twice at once), then `init` */
  | { type: 'taxonomy'; part: TaxonomyPart }
  | { type: 'init'; config: Config }
  | { type: 'analyze'; id: number; input: AnalysisInput; as: 'analysis' | 'rows'; deadline?: number | undefined };

/** Messages from the analysis process back to its service process (analysis-process.ts). */
export type FromAnalysisChild =
  | { type: 'ready'; labelCount: number; taxonomyVersion: number | null; semanticModel: string | null }
  | { type: 'semantic'; semanticModel: string }
  | { type: 'semantic-progress'; progress: SemanticProgress }
  | { type: 'result'; id: number; analysis?: Analysis | AnalysisRows; error?: string; timedOut?: boolean }
  | { type: 'failed'; error: string };
