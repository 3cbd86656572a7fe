/** A sentence encoder: texts in, L2-normalised vectors out. The model is configuration, loaded once per process. */
export interface Embedder {
  /** identifies the model and its version in cache keys */
  readonly id: string;
  readonly dims: number;
  /** the languages the model understands */
  readonly languages: readonly string[];
  /** texts worth handing to `embed` at once to keep all of the model's threads busy (default: any) */
  readonly parallelism?: number;
  embed(texts: string[]): Promise<Float32Array[]>;
}

export function normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  const len = Math.sqrt(s) || 1;
  for (let i = 0; i < v.length; i++) v[i] = v[i]! / len;
  return v;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Embeds in batches, reporting progress. Between batches it yields to the event loop: an encoder in the calling
 * thread resolves in microtasks, and a long list would otherwise hold back every message (a document to analyse).
 */
export async function embedAll(
  embedder: Embedder,
  texts: string[],
  batch = 64,
  progress?: (done: number, total: number) => void,
): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += batch) {
    out.push(...(await embedder.embed(texts.slice(i, i + batch))));
    progress?.(Math.min(i + batch, texts.length), texts.length);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}
