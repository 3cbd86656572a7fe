/** When an analysis must be done by (ms since the epoch); checked between its steps, so it stops itself. */
export interface AnalyzeOptions {
  deadline?: number | undefined;
}

/** An analysis stopped at its deadline. */
export class AnalysisTimeoutError extends Error {
  constructor() {
    super('the analysis ran past its time limit');
    this.name = 'AnalysisTimeoutError';
  }
}

export function checkDeadline(options: AnalyzeOptions | undefined): void {
  if (options?.deadline !== undefined && Date.now() > options.deadline) throw new AnalysisTimeoutError();
}
