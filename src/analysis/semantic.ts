import type { Language } from '../domain/language.js';
import type { TaxonomyData } from '../domain/taxonomy.js';
import { checkDeadline, type AnalyzeOptions } from './deadline.js';
import { cachedEmbeddings } from './embeddings/cache.js';
import type { Embedder } from './embeddings/embedder.js';
import { NearestVectors } from './nearest.js';
import { splitPhrases, type Sentence } from './text.js';

export interface SemanticMatch {
  uri: string;
  sentenceIndex: number;
  /** the sentence, or the phrase of it, the skill was found in */
  start: number;
  end: number;
  level: 'sentence' | 'phrase';
  cosine: number;
}

/** Sentence–label cosine below this is not evidence of a skill. */
const MIN_COSINE = 0.55;
/** A shorter sentence is close enough to a phrase to be embedded whole; a longer one is split when it divides. */
const PHRASE_MIN_WORDS = 8;

/** The phrases a sentence is compared by: those of a long sentence that divides into two or more, else none. */
export function phrasesOf(sentence: Sentence): Sentence[] {
  if (sentence.text.split(/\s+/).length < PHRASE_MIN_WORDS) return [];
  const phrases = splitPhrases(sentence);
  return phrases.length >= 2 ? phrases : [];
}
/** Units embedded at a time when the analysis has a deadline. */
const DEADLINE_BATCH = 32;
/** Candidates per sentence or phrase. */
const PER_SENTENCE = 2;

/**
 * Embedding similarity between each sentence and every ESCO skill's preferred label, in the languages the
 * encoder understands. The label matrix is computed once per taxonomy version and model and kept on disk.
 */
export class SemanticSkillMatcher {
  private constructor(
    readonly embedder: Embedder,
    private readonly uris: string[],
    /** per language the encoder understands: the skills' preferred labels in that language */
    private readonly indexes: Map<Language, NearestVectors>,
  ) {}

  static async build(
    skills: TaxonomyData['skills'],
    embedder: Embedder,
    cacheDir: string,
    taxonomyKey: string,
    progress?: (done: number, total: number) => void,
  ): Promise<SemanticSkillMatcher> {
    const indexes = new Map<Language, NearestVectors>();
    for (const lang of embedder.languages.filter((l): l is Language => l === 'fi' || l === 'sv' || l === 'en')) {
      const labels = skills.map((s) => s.names[lang] ?? s.names.en);
      const vectors = await cachedEmbeddings(embedder, cacheDir, `skills-${lang}-${taxonomyKey}`, labels, progress);
      indexes.set(lang, await NearestVectors.create(vectors, embedder.dims, PER_SENTENCE));
    }
    return new SemanticSkillMatcher(
      embedder,
      skills.map((s) => s.uri),
      indexes,
    );
  }

  get size(): number {
    return this.uris.length;
  }

  understands(language: Language): boolean {
    return this.indexes.has(language);
  }

  /**
   * Skills close in meaning to a sentence or to one of its phrases. A long sentence that divides into phrases
   * (list items, clauses) is compared phrase by phrase, where one skill is not diluted by the others; any other
   * sentence as a whole. Each character goes through the encoder once. Per skill and sentence the closest unit wins.
   */
  async match(language: Language, sentences: Sentence[], options?: AnalyzeOptions): Promise<SemanticMatch[]> {
    const index = this.indexes.get(language);
    if (!index || sentences.length === 0) return [];
    const units: { sentence: Sentence; unit: Sentence; level: 'sentence' | 'phrase' }[] = [];
    for (const sentence of sentences) {
      // a heading or a one- or two-word line says too little to be compared with a skill description
      if (sentence.text.split(/\s+/).length < 3) continue;
      const phrases = phrasesOf(sentence);
      if (phrases.length > 0) for (const unit of phrases) units.push({ sentence, unit, level: 'phrase' });
      else units.push({ sentence, unit: sentence, level: 'sentence' });
    }
    if (units.length === 0) return [];
    // with a deadline, a batch at a time, so that a long text stops soon after its time is up
    const texts = units.map((u) => u.unit.text);
    const vectors: Float32Array[] = [];
    const step =
      options?.deadline === undefined ? texts.length : Math.max(DEADLINE_BATCH, this.embedder.parallelism ?? 0);
    for (let i = 0; i < texts.length; i += step) {
      checkDeadline(options);
      vectors.push(...(await this.embedder.embed(texts.slice(i, i + step))));
      // let other requests' batches in between (the encoder may not yield on its own)
      if (step < texts.length) await new Promise((resolve) => setImmediate(resolve));
    }
    checkDeadline(options);
    const neighbours = await index.search(vectors);
    const best = new Map<string, SemanticMatch>();
    for (const [i, q] of units.entries()) {
      for (const { index: row, score: cosine } of neighbours[i]!) {
        if (cosine < MIN_COSINE) continue;
        const uri = this.uris[row]!;
        const key = `${uri} ${q.sentence.index}`;
        if ((best.get(key)?.cosine ?? -1) >= cosine) continue;
        best.set(key, {
          uri,
          sentenceIndex: q.sentence.index,
          start: q.unit.start,
          end: q.unit.end,
          level: q.level,
          cosine,
        });
      }
    }
    return [...best.values()].sort((a, b) => a.start - b.start || b.cosine - a.cosine);
  }
}
