import { seededRandom } from '../base/random.js';
import { SPAN_KINDS, type SpanKind } from '../domain/analysis.js';

/**
 * A span tagger for English skill phrases: an averaged perceptron over BIO tags, one model per kind (skill,
 * knowledge), decoded left to right. Features are the word and its neighbours, their affixes and shapes,
 * compromise's parts of speech and whether an ESCO label covers the word. Trained by `skills-radar train-spans` on
 * SkillSpan; pure data in and out, so the same examples and seed give the same weights.
 */

/** A sentence as the tagger reads it: words, their parts of speech, and ESCO's cover of them (B, I or O). */
export interface TaggerInput {
  tokens: string[];
  pos: string[];
  chunks: string[];
  lexicon: string[];
}

export interface TaggerExample extends TaggerInput {
  tags: Record<SpanKind, string[]>;
}

/** Spans as [first word, last word + 1). */
export type WordSpan = [number, number];

const TAGS = ['O', 'B', 'I'] as const;
type Tag = (typeof TAGS)[number];

/** The weights file's format; a file of another (older) one is trained again. */
export const SPAN_TAGGER_FORMAT = 'span-tagger-2';

/** The weights file: per kind, the features and their three weights (O, B, I) flattened. */
export interface SpanTaggerFile {
  format: typeof SPAN_TAGGER_FORMAT;
  trainedOn: string;
  epochs: number;
  kinds: Record<SpanKind, { decoding: Decoding; features: string[]; weights: number[] }>;
}

/** A word's shape: Xxxx → Xx, CI/CD → X/X, 2021 → d; runs collapsed. */
function shapeOf(word: string): string {
  return word
    .replace(/\p{Lu}/gu, 'X')
    .replace(/\p{Ll}/gu, 'x')
    .replace(/\p{N}/gu, 'd')
    .replace(/(.)\1+/gu, '$1');
}

/** The features of word i that do not depend on the tags before it. */
function featuresOf(s: TaggerInput, lower: string[], i: number): string[] {
  const w = lower[i]!;
  const at = (k: number) => lower[i + k] ?? (i + k < 0 ? '<s>' : '</s>');
  const posAt = (k: number) => s.pos[i + k] ?? (i + k < 0 ? '<s>' : '</s>');
  const lexAt = (k: number) => s.lexicon[i + k] ?? 'O';
  const chunkAt = (k: number) => s.chunks[i + k] ?? (i + k < 0 ? '<s>' : '</s>');
  const features = [
    'b',
    `w=${w}`,
    `w-1=${at(-1)}`,
    `w+1=${at(1)}`,
    `w-2=${at(-2)}`,
    `w+2=${at(2)}`,
    `w-1w=${at(-1)}|${w}`,
    `ww+1=${w}|${at(1)}`,
    `s3=${w.slice(-3)}`,
    `s2=${w.slice(-2)}`,
    `p3=${w.slice(0, 3)}`,
    `sh=${shapeOf(s.tokens[i]!)}`,
    `p=${posAt(0)}`,
    `p-1=${posAt(-1)}`,
    `p+1=${posAt(1)}`,
    `p-2=${posAt(-2)}`,
    `p+2=${posAt(2)}`,
    `p-1p=${posAt(-1)}|${posAt(0)}`,
    `pp+1=${posAt(0)}|${posAt(1)}`,
    `p-1pp+1=${posAt(-1)}|${posAt(0)}|${posAt(1)}`,
    `first=${i === 0}`,
    `pw=${posAt(0)}|${at(1)}`,
    `W=${s.tokens[i]}`,
    `s4=${w.slice(-4)}`,
    `p4=${w.slice(0, 4)}`,
    `pl=${posAt(0)}|${lexAt(0)}`,
    `c=${chunkAt(0)}`,
    `c-1c=${chunkAt(-1)}|${chunkAt(0)}`,
    `cc+1=${chunkAt(0)}|${chunkAt(1)}`,
    `cp=${chunkAt(0)}|${posAt(0)}`,
  ];
  // each channel of the lexicon (ESCO's labels, the training spans) on its own and with its neighbours
  const here = lexAt(0).split('/');
  const before = lexAt(-1).split('/');
  const after = lexAt(1).split('/');
  here.forEach((l, c) => features.push(`l${c}=${l}`, `l${c}-1=${before[c] ?? 'O'}|${l}`, `l${c}+1=${after[c] ?? 'O'}`));
  return features;
}

/** The features that join word i's tag to the one before it. */
function transitionsOf(s: TaggerInput, lower: string[], i: number, prev: Tag): string[] {
  return [`t-1=${prev}`, `t-1p=${prev}|${s.pos[i]}`, `t-1w=${prev}|${lower[i]}`];
}

/** The spans of a BIO sequence; an I without a B before it opens a span. */
export function spansOfTags(tags: readonly string[]): WordSpan[] {
  const spans: WordSpan[] = [];
  let open = -1;
  tags.forEach((t, i) => {
    if (t === 'B' || (t === 'I' && open < 0)) {
      if (open >= 0) spans.push([open, i]);
      open = i;
    } else if (t !== 'I' && open >= 0) {
      spans.push([open, i]);
      open = -1;
    }
  });
  if (open >= 0) spans.push([open, tags.length]);
  return spans;
}

/**
 * How a kind's tags are chosen: word by word, each seeing the tag chosen before it (skills: long phrases whose
 * continuation the previous tag decides), or the best sequence (Viterbi; knowledge: short noun phrases).
 */
export type Decoding = 'greedy' | 'viterbi';

/** The decoding per kind: on SkillSpan's dev split the greedy tagger is the better one for skills, Viterbi for knowledge. */
const DECODING: Record<SpanKind, Decoding> = { skill: 'greedy', knowledge: 'viterbi' };

/** An I with no span open starts one. */
const normalTags = (tags: readonly string[]): Tag[] =>
  tags.map((t, i) => (t === 'B' ? 'B' : t === 'I' ? (i > 0 && tags[i - 1] !== 'O' ? 'I' : 'B') : 'O'));

/** One kind's model: weights per feature for O, B and I. */
class Model {
  constructor(
    readonly decoding: Decoding,
    readonly weights: Map<string, Float64Array> = new Map(),
  ) {}

  scores(features: string[], out = [0, 0, 0]): number[] {
    for (const f of features) {
      const w = this.weights.get(f);
      if (!w) continue;
      out[0]! += w[0]!;
      out[1]! += w[1]!;
      out[2]! += w[2]!;
    }
    return out;
  }

  /** `own[i]`: word i's features that do not depend on the tags before it (shared by the kinds). */
  decode(s: TaggerInput, lower: string[], own: string[][]): Tag[] {
    return this.decoding === 'greedy' ? this.greedy(s, lower, own) : this.viterbi(s, lower, own);
  }

  /** The tag of each word in turn, given the one before it; I only continues a span. */
  private greedy(s: TaggerInput, lower: string[], own: string[][]): Tag[] {
    const tags: Tag[] = [];
    for (let i = 0; i < s.tokens.length; i++) {
      const prev = tags[i - 1] ?? 'O';
      const scores = this.scores(transitionsOf(s, lower, i, prev), this.scores(own[i]!));
      tags.push(TAGS[best(scores, prev)]!);
    }
    return tags;
  }

  /** The best tags of the whole sentence over the tag pairs; I only continues a span. */
  private viterbi(s: TaggerInput, lower: string[], features: string[][]): Tag[] {
    const n = s.tokens.length;
    const score: number[][] = [];
    const back: number[][] = [];
    for (let i = 0; i < n; i++) {
      const own = this.scores(features[i]!);
      score.push([-Infinity, -Infinity, -Infinity]);
      back.push([0, 0, 0]);
      for (let p = 0; p < (i === 0 ? 1 : 3); p++) {
        const prev = i === 0 ? 'O' : TAGS[p]!;
        const pair = this.scores(transitionsOf(s, lower, i, prev), [...own]);
        const base = i === 0 ? 0 : score[i - 1]![p]!;
        for (let t = prev === 'O' ? 1 : 2; t >= 0; t--) {
          if (base + pair[t]! > score[i]![t]!) {
            score[i]![t] = base + pair[t]!;
            back[i]![t] = p;
          }
        }
      }
    }
    const tags = new Array<Tag>(n);
    let t = n === 0 ? 0 : score[n - 1]!.indexOf(Math.max(...score[n - 1]!));
    for (let i = n - 1; i >= 0; i--) {
      tags[i] = TAGS[t]!;
      t = back[i]![t]!;
    }
    return tags;
  }
}

/** The best of O, B and I by their scores (ties to the earlier); I only after a span's word. */
function best(scores: number[], prev: Tag): number {
  let top = 0;
  for (let t = 1; t < (prev === 'O' ? 2 : 3); t++) if (scores[t]! > scores[top]!) top = t;
  return top;
}

/**
 * Averaged perceptron training of one kind (Collins 2002), the averages kept lazily. Greedy: each word is
 * updated given the gold tag before it; Viterbi: the whole best sequence against the gold one.
 */
function trainKind(examples: TaggerExample[], kind: SpanKind, epochs: number, seed: number): Model {
  const model = new Model(DECODING[kind]);
  const totals = new Map<string, Float64Array>();
  const stamps = new Map<string, Float64Array>();
  let clock = 0;
  const update = (features: string[], tag: number, delta: number) => {
    for (const feature of features) {
      let w = model.weights.get(feature);
      if (!w) {
        w = new Float64Array(3);
        model.weights.set(feature, w);
        totals.set(feature, new Float64Array(3));
        stamps.set(feature, new Float64Array(3));
      }
      const total = totals.get(feature)!;
      const stamp = stamps.get(feature)!;
      total[tag]! += (clock - stamp[tag]!) * w[tag]!;
      stamp[tag] = clock;
      w[tag]! += delta;
    }
  };
  const lowered = examples.map((e) => e.tokens.map((t) => t.toLowerCase()));
  const golds = examples.map((e) => normalTags(e.tags[kind]));
  const order = examples.map((_, i) => i);
  const next = seededRandom(seed);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const k of order) {
      const [example, lower, gold] = [examples[k]!, lowered[k]!, golds[k]!];
      if (model.decoding === 'greedy') {
        for (let i = 0; i < gold.length; i++) {
          clock++;
          const features = [...featuresOf(example, lower, i), ...transitionsOf(example, lower, i, gold[i - 1] ?? 'O')];
          const guess = best(model.scores(features), gold[i - 1] ?? 'O');
          const truth = TAGS.indexOf(gold[i]!);
          if (guess === truth) continue;
          update(features, truth, 1);
          update(features, guess, -1);
        }
        continue;
      }
      clock++;
      const guess = model.decode(
        example,
        lower,
        example.tokens.map((_, i) => featuresOf(example, lower, i)),
      );
      for (let i = 0; i < gold.length; i++) {
        const [g, p, gPrev, pPrev] = [gold[i]!, guess[i]!, gold[i - 1] ?? 'O', guess[i - 1] ?? 'O'];
        if (g === p && gPrev === pPrev) continue;
        const [truth, wrong] = [TAGS.indexOf(g), TAGS.indexOf(p)];
        if (g !== p) {
          const features = featuresOf(example, lower, i);
          update(features, truth, 1);
          update(features, wrong, -1);
        }
        update(transitionsOf(example, lower, i, gPrev), truth, 1);
        update(transitionsOf(example, lower, i, pPrev), wrong, -1);
      }
    }
  }
  // the average of every weight over all steps
  for (const [feature, w] of model.weights) {
    const total = totals.get(feature)!;
    const stamp = stamps.get(feature)!;
    for (let t = 0; t < 3; t++) w[t] = (total[t]! + (clock - stamp[t]!) * w[t]!) / clock;
  }
  return model;
}

export class SpanTagger {
  private constructor(
    private readonly models: Record<SpanKind, Model>,
    readonly trainedOn: string,
  ) {}

  static train(examples: TaggerExample[], options: { epochs?: number; seed?: number; trainedOn: string }): SpanTagger {
    const epochs = options.epochs ?? 12;
    const seed = options.seed ?? 1;
    const models = {} as Record<SpanKind, Model>;
    for (const kind of SPAN_KINDS) models[kind] = trainKind(examples, kind, epochs, seed);
    return new SpanTagger(models, options.trainedOn);
  }

  /** The skill and knowledge spans of a sentence. */
  tag(s: TaggerInput): Record<SpanKind, WordSpan[]> {
    const lower = s.tokens.map((t) => t.toLowerCase());
    const out = {} as Record<SpanKind, WordSpan[]>;
    const own = s.tokens.map((_, i) => featuresOf(s, lower, i));
    for (const kind of SPAN_KINDS) out[kind] = spansOfTags(this.models[kind].decode(s, lower, own));
    return out;
  }

  /** The weights with three decimals, features whose weights all round to nothing left out. */
  toFile(epochs: number): SpanTaggerFile {
    const kinds = {} as SpanTaggerFile['kinds'];
    for (const kind of SPAN_KINDS) {
      const features: string[] = [];
      const weights: number[] = [];
      for (const [feature, w] of [...this.models[kind].weights].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const rounded = [...w].map((x) => Math.round(x * 1000) / 1000);
        if (rounded.every((x) => x === 0)) continue;
        features.push(feature);
        weights.push(...rounded);
      }
      kinds[kind] = { decoding: this.models[kind].decoding, features, weights };
    }
    return { format: SPAN_TAGGER_FORMAT, trainedOn: this.trainedOn, epochs, kinds };
  }

  static fromFile(file: SpanTaggerFile): SpanTagger {
    if (file.format !== SPAN_TAGGER_FORMAT)
      throw new Error(`not a span tagger's weights of format ${SPAN_TAGGER_FORMAT} (${String(file.format)})`);
    const models = {} as Record<SpanKind, Model>;
    for (const kind of SPAN_KINDS) {
      const { features, weights } = file.kinds[kind];
      const map = new Map<string, Float64Array>();
      features.forEach((f, i) => map.set(f, Float64Array.from(weights.slice(i * 3, i * 3 + 3))));
      models[kind] = new Model(file.kinds[kind].decoding, map);
    }
    return new SpanTagger(models, file.trainedOn);
  }
}

/** Longest matches of known phrases in a sentence's words, as B/I/O per word. */
export class PhraseLexicon {
  private readonly phrases = new Set<string>();
  /** per first word, the lengths of the phrases it begins, longest first */
  private readonly lengths = new Map<string, number[]>();

  constructor(phrases: Iterable<string>) {
    for (const p of phrases) {
      const words = PhraseLexicon.words(p);
      if (words.length === 0) continue;
      this.phrases.add(words.join(' '));
      const list = this.lengths.get(words[0]!) ?? [];
      if (!list.includes(words.length)) list.push(words.length);
      this.lengths.set(words[0]!, list);
    }
    for (const list of this.lengths.values()) list.sort((a, b) => b - a);
  }

  /** Lower case, a final plural s taken off, so "CI pipelines" meets "CI pipeline". */
  static words(text: string): string[] {
    return text
      .toLowerCase()
      .split(/\s+/)
      .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}+#]+$/gu, ''))
      .filter(Boolean)
      .map((w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w));
  }

  /** The phrases found, as spans of the words (longest first, not overlapping). */
  spans(tokens: string[]): WordSpan[] {
    const words = tokens.map((t) => PhraseLexicon.words(t)[0] ?? '');
    const spans: WordSpan[] = [];
    for (let i = 0; i < words.length;) {
      const n = (this.lengths.get(words[i]!) ?? []).find(
        (n) =>
          i + n <= words.length &&
          !words.slice(i, i + n).includes('') &&
          this.phrases.has(words.slice(i, i + n).join(' ')),
      );
      if (n) {
        spans.push([i, i + n]);
        i += n;
      } else i++;
    }
    return spans;
  }

  /** B/I/O per word. */
  tags(tokens: string[]): string[] {
    const tags = tokens.map(() => 'O');
    for (const [s, e] of this.spans(tokens)) for (let i = s; i < e; i++) tags[i] = i === s ? 'B' : 'I';
    return tags;
  }
}
