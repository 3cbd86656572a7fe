import { cachedEmbeddings } from '../embeddings/cache.js';
import type { Embedder } from '../embeddings/embedder.js';
import type { Queryable } from '../storage/database.js';
import { topK } from './char-tfidf.js';
import type { Language } from './language.js';
import type { Sentence } from './text.js';

export interface SemanticMatch {
  uri: string;
  sentenceIndex: number;
  cosine: number;
  score: number;
}

/** Sentence–label cosine below this is not evidence of a skill. */
const MIN_COSINE = 0.55;
/** Candidates per sentence. */
const PER_SENTENCE = 2;
/** Clusters of label vectors, and how many of the nearest a sentence searches exhaustively. */
const CLUSTERS = 256;
const PROBES = 16;

/** Dot product of `v` with the row of `m` starting at `offset`, four lanes at a time (dims divisible by 4 or not). */
function dotAt(v: Float32Array, m: Float32Array, offset: number, dims: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let d = 0;
  for (; d + 3 < dims; d += 4) {
    s0 += v[d]! * m[offset + d]!;
    s1 += v[d + 1]! * m[offset + d + 1]!;
    s2 += v[d + 2]! * m[offset + d + 2]!;
    s3 += v[d + 3]! * m[offset + d + 3]!;
  }
  for (; d < dims; d++) s0 += v[d]! * m[offset + d]!;
  return s0 + s1 + s2 + s3;
}

/**
 * An inverted-file index over unit vectors: k-means clusters (spherical, deterministic seeding), each sentence
 * searched exhaustively in its nearest clusters only. Exact for small label sets (fewer labels than clusters × 4).
 */
class ClusteredVectors {
  private readonly matrix: Float32Array;
  private readonly centroids: Float32Array;
  private readonly members: Int32Array[];

  constructor(
    vectors: Float32Array[],
    readonly dims: number,
  ) {
    const n = vectors.length;
    this.matrix = new Float32Array(n * dims);
    vectors.forEach((v, i) => this.matrix.set(v, i * dims));
    const k = n >= CLUSTERS * 4 ? CLUSTERS : 1;
    this.centroids = new Float32Array(k * dims);
    for (let c = 0; c < k; c++) this.centroids.set(this.matrix.subarray(Math.floor((c * n) / k) * dims, (Math.floor((c * n) / k) + 1) * dims), c * dims);
    let assignment: Int32Array = new Int32Array(n);
    for (let iter = 0; iter < (k > 1 ? 6 : 0); iter++) {
      assignment = this.assign(k);
      const sums = new Float32Array(k * dims);
      for (let i = 0; i < n; i++) {
        const c = assignment[i]!;
        for (let d = 0; d < dims; d++) sums[c * dims + d]! += this.matrix[i * dims + d]!;
      }
      for (let c = 0; c < k; c++) {
        let len = 0;
        for (let d = 0; d < dims; d++) len += sums[c * dims + d]! ** 2;
        len = Math.sqrt(len);
        if (len > 0) for (let d = 0; d < dims; d++) this.centroids[c * dims + d] = sums[c * dims + d]! / len;
      }
    }
    if (k > 1) assignment = this.assign(k);
    const lists: number[][] = Array.from({ length: k }, () => []);
    for (let i = 0; i < n; i++) lists[assignment[i]!]!.push(i);
    this.members = lists.map((l) => Int32Array.from(l));
  }

  private assign(k: number): Int32Array {
    const n = this.matrix.length / this.dims;
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = -Infinity;
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let d = 0, a = i * this.dims, b = c * this.dims; d < this.dims; d++) s += this.matrix[a + d]! * this.centroids[b + d]!;
        if (s > best) {
          best = s;
          out[i] = c;
        }
      }
    }
    return out;
  }

  /** The `limit` rows most similar to `v`, with their cosine. */
  search(v: Float32Array, limit: number): { index: number; score: number }[] {
    const k = this.members.length;
    const dims = this.dims;
    const centroidScores = new Float32Array(k);
    for (let c = 0; c < k; c++) centroidScores[c] = dotAt(v, this.centroids, c * dims, dims);
    // the best `limit` so far, kept sorted in two small typed arrays (no allocation in the loop)
    const bestIndex = new Int32Array(limit).fill(-1);
    const bestScore = new Float32Array(limit).fill(-Infinity);
    const matrix = this.matrix;
    for (const c of k > 1 ? topK(centroidScores, Math.min(PROBES, k)) : [0]) {
      const members = this.members[c]!;
      for (let m = 0; m < members.length; m++) {
        const i = members[m]!;
        const s = dotAt(v, matrix, i * dims, dims);
        if (s <= bestScore[limit - 1]!) continue;
        let j = limit - 1;
        while (j > 0 && bestScore[j - 1]! < s) {
          bestScore[j] = bestScore[j - 1]!;
          bestIndex[j] = bestIndex[j - 1]!;
          j--;
        }
        bestScore[j] = s;
        bestIndex[j] = i;
      }
    }
    const best: { index: number; score: number }[] = [];
    for (let j = 0; j < limit; j++) if (bestIndex[j]! >= 0) best.push({ index: bestIndex[j]!, score: bestScore[j]! });
    return best;
  }
}

/**
 * Embedding similarity between each sentence and every ESCO skill's preferred label, in the languages the
 * encoder understands. The label matrix is computed once per taxonomy version and model and kept on disk.
 */
export class SemanticSkillMatcher {
  private constructor(
    readonly embedder: Embedder,
    private readonly uris: string[],
    /** per language the encoder understands: the skills' preferred labels in that language */
    private readonly indexes: Map<Language, ClusteredVectors>,
  ) {}

  static async build(
    db: Queryable,
    embedder: Embedder,
    cacheDir: string,
    taxonomyKey: string,
    progress?: (done: number, total: number) => void,
  ): Promise<SemanticSkillMatcher> {
    const rows = await db.query<{ uri: string; en: string; fi: string | null; sv: string | null }>(
      'SELECT uri, pref_en AS en, pref_fi AS fi, pref_sv AS sv FROM esco_skills ORDER BY uri',
    );
    const indexes = new Map<Language, ClusteredVectors>();
    for (const lang of embedder.languages.filter((l): l is Language => l === 'fi' || l === 'sv' || l === 'en')) {
      const labels = rows.map((r) => r[lang] ?? r.en);
      const vectors = await cachedEmbeddings(embedder, cacheDir, `skills-${lang}-${taxonomyKey}`, labels, progress);
      indexes.set(lang, new ClusteredVectors(vectors, embedder.dims));
    }
    return new SemanticSkillMatcher(embedder, rows.map((r) => r.uri), indexes);
  }

  get size(): number {
    return this.uris.length;
  }

  understands(language: Language): boolean {
    return this.indexes.has(language);
  }

  async match(language: Language, sentences: Sentence[]): Promise<SemanticMatch[]> {
    const index = this.indexes.get(language);
    if (!index || sentences.length === 0) return [];
    // a heading or a one-word line says too little to be compared with a skill description
    sentences = sentences.filter((s) => s.text.split(/\s+/).length >= 3);
    if (sentences.length === 0) return [];
    const embedded = await this.embedder.embed(sentences.map((s) => s.text));
    const out: SemanticMatch[] = [];
    embedded.forEach((v, si) => {
      for (const { index: row, score: cosine } of index.search(v, PER_SENTENCE)) {
        if (cosine < MIN_COSINE) continue;
        out.push({ uri: this.uris[row]!, sentenceIndex: sentences[si]!.index, cosine, score: Math.round(cosine * 0.9 * 1000) / 1000 });
      }
    });
    return out;
  }
}
