/** RP@K: the share of the gold set found in the top K, out of at most K (Decorte et al. 2022). */
export function rPrecisionAt(ranking: string[], gold: Set<string>, k: number): number {
  if (gold.size === 0) return 0;
  let hits = 0;
  for (const item of ranking.slice(0, k)) if (gold.has(item)) hits++;
  return hits / Math.min(k, gold.size);
}

/** Reciprocal rank of the first relevant item (0 when none is ranked). */
export function reciprocalRank(ranking: string[], gold: Set<string>): number {
  const i = ranking.findIndex((item) => gold.has(item));
  return i < 0 ? 0 : 1 / (i + 1);
}

/** Average precision over all relevant items; relevant items not ranked count as misses. */
export function averagePrecision(ranking: string[], gold: Set<string>): number {
  if (gold.size === 0) return 0;
  let hits = 0;
  let sum = 0;
  ranking.forEach((item, i) => {
    if (gold.has(item)) {
      hits++;
      sum += hits / (i + 1);
    }
  });
  return sum / gold.size;
}

export type SpanSet = Set<string>;

/** Precision, recall and F1 of predicted against gold item sets (one pair per example), micro-averaged. */
export function microF1(
  predicted: Set<string>[],
  gold: Set<string>[],
): { precision: number; recall: number; f1: number } {
  let tp = 0;
  let np = 0;
  let ng = 0;
  predicted.forEach((p, i) => {
    const g = gold[i] ?? new Set<string>();
    np += p.size;
    ng += g.size;
    for (const item of p) if (g.has(item)) tp++;
  });
  const precision = np === 0 ? 0 : tp / np;
  const recall = ng === 0 ? 0 : tp / ng;
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
}

/** Strict span F1 (exact boundaries), micro-averaged. */
export function spanF1(
  predicted: [number, number][][],
  gold: [number, number][][],
): { precision: number; recall: number; f1: number } {
  const asSet = (spans: [number, number][]) => new Set(spans.map(([a, b]) => `${a}:${b}`));
  return microF1(
    predicted.map(asSet),
    predicted.map((_, i) => asSet(gold[i] ?? [])),
  );
}

export function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
