import type { Analyzer } from '../analysis/analyzer.js';
import type { AnalyzeOptions } from '../analysis/deadline.js';
import type { SemanticProgress } from '../analysis/load-analyzer.js';
import type { Analysis, AnalysisInput } from '../domain/analysis.js';
import { analysisRows, type AnalysisRows } from '../storage/analysis-rows.js';

/** What the API and the job processor need of the analysis: the in-process analyzer, or an analysis process. */
export interface AnalysisService {
  /** With a deadline, the analysis stops with AnalysisTimeoutError once it is past. */
  analyzeFull(input: AnalysisInput, options?: AnalyzeOptions): Promise<Analysis>;
  /** The analysis as the rows its save writes (the worker's job; analysis-rows.ts says why). */
  analyzeForSave(input: AnalysisInput): Promise<AnalysisRows>;
  readonly labelCount: number;
  readonly taxonomyVersion: number | null;
  readonly semanticModel: string | null;
  /** while the label embeddings are computed (first start), how far they are */
  readonly semanticProgress?: SemanticProgress | undefined;
}

/** The analyzer of this process as an AnalysisService. */
export class InProcessAnalysis implements AnalysisService {
  constructor(readonly analyzer: Analyzer) {}

  analyzeFull(input: AnalysisInput, options?: AnalyzeOptions): Promise<Analysis> {
    return this.analyzer.analyzeFull(input, options);
  }

  async analyzeForSave(input: AnalysisInput): Promise<AnalysisRows> {
    return analysisRows(await this.analyzer.analyzeFull(input));
  }

  get labelCount(): number {
    return this.analyzer.labelCount;
  }

  get taxonomyVersion(): number | null {
    return this.analyzer.taxonomyVersion;
  }

  get semanticModel(): string | null {
    return this.analyzer.semanticModel;
  }
}
