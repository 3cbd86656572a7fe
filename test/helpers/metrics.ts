/** Prometheus text format → value by series (`name{label="…",…}` as written), comments left out. */
export function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    out.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return out;
}

/** Sum of the series of `name` whose labels include every one of `labels` (a histogram's `_count`, say, over its other labels). */
export function total(metrics: Map<string, number>, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const [series, value] of metrics) {
    const brace = series.indexOf('{');
    if ((brace < 0 ? series : series.slice(0, brace)) !== name) continue;
    if (Object.entries(labels).every(([k, v]) => series.includes(`${k}="${v}"`))) sum += value;
  }
  return sum;
}

/** How much the series of `name` with `labels` (summed as in `total`) grew from one scrape to the next. */
export function grew(
  before: Map<string, number>,
  after: Map<string, number>,
  name: string,
  labels: Record<string, string> = {},
): number {
  return total(after, name, labels) - total(before, name, labels);
}

/** The change of a histogram between two scrapes: its count, sum and cumulative bucket counts (upper bound → count). */
export function histogramDelta(
  before: Map<string, number>,
  after: Map<string, number>,
  name: string,
  labels: Record<string, string> = {},
) {
  const part = (suffix: string, extra: Record<string, string> = {}) =>
    grew(before, after, name + suffix, { ...labels, ...extra });
  const bounds = new Set<string>();
  for (const series of after.keys()) {
    const le = series.startsWith(`${name}_bucket{`) ? /le="([^"]+)"/.exec(series)?.[1] : undefined;
    if (le !== undefined) bounds.add(le);
  }
  const buckets = [...bounds]
    .map((le) => ({ le: le === '+Inf' ? Infinity : Number(le), count: part('_bucket', { le }) }))
    .sort((a, b) => a.le - b.le);
  return { count: part('_count'), sum: part('_sum'), buckets };
}

/** The smallest bucket bound with at least a share `q` of the observations at or under it (a quantile, to the bucket). */
export function quantileBound(delta: ReturnType<typeof histogramDelta>, q: number): number | undefined {
  if (delta.count === 0) return undefined;
  return delta.buckets.find((b) => b.count >= q * delta.count)?.le;
}

/** The share of the observations at or under `le`, a bucket bound. */
export function shareWithin(delta: ReturnType<typeof histogramDelta>, le: number): number | undefined {
  if (delta.count === 0) return undefined;
  return (delta.buckets.find((b) => b.le === le)?.count ?? 0) / delta.count;
}
