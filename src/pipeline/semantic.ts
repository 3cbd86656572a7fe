import { cachedEmbeddings } from '../embeddings/cache.js';
import { dot, type Embedder } from '../embeddings/embedder.js';
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

/**
 * Embedding similarity between each sentence and every ESCO skill's preferred label, in the languages the
 * encoder understands. The label matrix is computed once per taxonomy version and model and kept on disk.
 */
export class SemanticSkillMatcher {
  private constructor(
    readonly embedder: Embedder,
    private readonly uris: string[],
    private readonly vectors: Float32Array[],
  ) {}

  static async build(
    db: Queryable,
    embedder: Embedder,
    cacheDir: string,
    taxonomyKey: string,
    progress?: (done: number, total: number) => void,
  ): Promise<SemanticSkillMatcher> {
    const lang = embedder.languages[0] ?? 'en';
    const column = lang === 'fi' ? 'COALESCE(pref_fi, pref_en)' : lang === 'sv' ? 'COALESCE(pref_sv, pref_en)' : 'pref_en';
    const rows = await db.query<{ uri: string; label: string }>(`SELECT uri, ${column} AS label FROM esco_skills ORDER BY uri`);
    const vectors = await cachedEmbeddings(embedder, cacheDir, `skills-${taxonomyKey}`, rows.map((r) => r.label), progress);
    return new SemanticSkillMatcher(embedder, rows.map((r) => r.uri), vectors);
  }

  get size(): number {
    return this.uris.length;
  }

  understands(language: Language): boolean {
    return this.embedder.languages.includes(language);
  }

  async match(language: Language, sentences: Sentence[]): Promise<SemanticMatch[]> {
    if (!this.understands(language) || sentences.length === 0) return [];
    const embedded = await this.embedder.embed(sentences.map((s) => s.text));
    const out: SemanticMatch[] = [];
    const scores = new Float32Array(this.uris.length);
    embedded.forEach((v, si) => {
      for (let i = 0; i < this.vectors.length; i++) scores[i] = dot(v, this.vectors[i]!);
      for (const i of topK(scores, PER_SENTENCE)) {
        const cosine = scores[i]!;
        if (cosine < MIN_COSINE) continue;
        out.push({ uri: this.uris[i]!, sentenceIndex: sentences[si]!.index, cosine, score: Math.round(cosine * 0.9 * 1000) / 1000 });
      }
    });
    return out;
  }
}
