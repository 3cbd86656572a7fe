import type { Language } from './language.js';
import { morphologyFor, type Morphology } from './morphology.js';
import { tokenize, type Sentence, type Token } from './text.js';

export interface LabelEntry {
  uri: string;
  lang: Language;
  kind: 'pref' | 'alt' | 'hidden' | 'alias';
  label: string;
}

interface IndexedLabel {
  uri: string;
  kind: LabelEntry['kind'];
  label: string;
  /** per content word: the keys any of which satisfies it */
  words: string[][];
  /** light verbs were left out of `words` */
  lightDropped: boolean;
  /** the light verbs left out, needed after all when the one remaining word is common among labels */
  lightWords: string[][];
}

export interface LexicalMatch {
  uri: string;
  label: string;
  kind: LabelEntry['kind'];
  score: number;
  method: 'lexical' | 'alias';
  sentenceIndex: number;
  /** exact character spans of the matched words (runs of adjacent words merged) */
  spans: { start: number; end: number }[];
  start: number;
  end: number;
}

/** A word found in more labels than this is too common to stand for a skill on its own. */
const COMMON_WORD_LABELS = 8;

/** A one-word alternative label whose word occurs in more concepts' labels than this is not used alone. */
const AMBIGUOUS_SYNONYM = 15;

const KIND_SCORE = { pref: 0.95, alias: 0.92, alt: 0.9, hidden: 0.8 } as const;

/**
 * The label's own keys of a word: its lemmas (or stem). Not the verb behind a derived noun, nor compound parts:
 * the text's side adds those, so "tuotteiden myynti" meets "myydä tuotteita" while "yritys" (company) does not
 * meet "yrittäjyys" through their common verb.
 */
function labelWordKeys(m: Morphology, word: string): string[] {
  // a capitalised word in a Swedish or English label is a name: match it as written
  if (m.language !== 'fi' && /^\p{Lu}/u.test(word) && word.length > 2) return [`=${word.toLowerCase()}`];
  const keys = m.keys(word);
  const best = Math.max(...keys.values());
  return [...keys].filter(([, w]) => w >= best - 1e-9).map(([k]) => k);
}

/**
 * An index of taxonomy labels in one language, normalised as the text is (Voikko lemmas for Finnish, stems
 * for Swedish and English); word order is free within a window, as Finnish needs.
 */
export class LabelIndex {
  private readonly labels: IndexedLabel[] = [];
  /** key → ids of labels whose rarest content word has that key */
  private readonly byKey = new Map<string, number[]>();
  private indexed = false;
  /** key → how many distinct concepts have a label with that key (labels arrive grouped by concept) */
  private readonly conceptsByKey = new Map<string, { last: string; count: number }>();
  readonly morphology: Morphology;

  constructor(readonly language: Language) {
    this.morphology = morphologyFor(language);
  }

  get size(): number {
    return this.labels.length;
  }

  add(entry: LabelEntry): void {
    const m = this.morphology;
    // a parenthesised qualifier tells concepts apart ("Python (tietokoneohjelmointi)"); texts rarely repeat it
    const text = entry.label.replace(/\s*\([^)]*\)\s*/g, ' ').trim() || entry.label;
    const all = tokenize(text);
    const tokens = all.filter((t) => !m.isStopword(t.text.toLowerCase()));
    if (tokens.length === 0) return;
    // words of the label left out as function words ("uusia koneita"): needed after all when the rest is common
    const dropped = all.filter((t) => !tokens.includes(t) && t.text.length >= 3);
    let content = tokens.filter((t) => !m.isLightVerb(t.text.toLowerCase()));
    let lightDropped = content.length < tokens.length;
    if (content.length === 0) {
      content = tokens;
      lightDropped = false;
    }
    // one short word alone ("C", "R", "IT") is too ambiguous for lexical matching
    if (content.length === 1 && content[0]!.text.length < 3 && !/[+#]/.test(content[0]!.text)) return;
    const words = content.map((t) => labelWordKeys(m, t.text));
    if (words.some((w) => w.length === 0)) return;
    const lightWords = [...(lightDropped ? tokens.filter((t) => !content.includes(t)) : []), ...dropped].map((t) => labelWordKeys(m, t.text));
    if (dropped.length > 0 && !lightDropped && content.length === 1) lightDropped = true;
    this.labels.push({ uri: entry.uri, kind: entry.kind, label: entry.label, words, lightDropped, lightWords });
    this.indexed = false;
    const seen = new Set<string>();
    for (const key of words.flat()) {
      if (seen.has(key)) continue;
      seen.add(key);
      const df = this.conceptsByKey.get(key);
      if (!df) this.conceptsByKey.set(key, { last: entry.uri, count: 1 });
      else if (df.last !== entry.uri) {
        df.last = entry.uri;
        df.count++;
      }
    }
  }

  /**
   * Every content word must occur, so a label is found through its rarest word alone: a sentence then only
   * brings up the few labels whose rarest word it contains.
   */
  private buildIndex(): void {
    this.byKey.clear();
    this.labels.forEach((label, id) => {
      let rarest = label.words[0]!;
      let cost = Infinity;
      for (const word of label.words) {
        const c = word.reduce((sum, k) => sum + (this.conceptsByKey.get(k)?.count ?? 0), 0);
        if (c < cost) {
          cost = c;
          rarest = word;
        }
      }
      for (const key of new Set(rarest)) {
        let list = this.byKey.get(key);
        if (!list) this.byKey.set(key, (list = []));
        list.push(id);
      }
    });
    this.indexed = true;
  }

  /** Labels whose every content word occurs in the sentence, close together. */
  match(text: string, sentence: Sentence): LexicalMatch[] {
    if (!this.indexed) this.buildIndex();
    const m = this.morphology;
    const tokens: Token[] = tokenize(sentence.text, sentence.start);
    const tokenKeys = tokens.map((t) => (m.isStopword(t.text.toLowerCase()) ? new Map<string, number>() : m.keys(t.text)));
    const candidates = new Set<number>();
    for (const keys of tokenKeys) for (const key of keys.keys()) for (const id of this.byKey.get(key) ?? []) candidates.add(id);

    const matches: LexicalMatch[] = [];
    for (const id of candidates) {
      let label = this.labels[id]!;
      // a one-word synonym that many other concepts' labels share ("equipment", "design") names none of them
      if (label.kind !== 'pref' && label.words.length === 1 && this.frequency(label.words[0]!) > AMBIGUOUS_SYNONYM) continue;
      if (label.lightDropped && label.words.length === 1 && this.frequency(label.words[0]!) > COMMON_WORD_LABELS) {
        // "suorittaa tehtävänsä" must not match every "tehtävä": a common word needs its verb too
        label = { ...label, words: [...label.lightWords, ...label.words], lightDropped: false };
      }
      const found = this.place(label, tokenKeys);
      if (!found) continue;
      const positions = [...new Set(found.positions)].sort((a, b) => a - b);
      const first = positions[0]!;
      const last = positions[positions.length - 1]!;
      // adjacent = nothing but function words between the matched words ("drive a forklift")
      const onlyStopwordsBetween = (from: number, to: number) => {
        for (let p = from + 1; p < to; p++) if (!m.isStopword(tokens[p]!.text.toLowerCase())) return false;
        return /^[^.;:!?\n]*$/.test(text.slice(tokens[from]!.end, tokens[to]!.start));
      };
      let contiguous = true;
      for (let i = 1; i < positions.length; i++) if (!onlyStopwordsBetween(positions[i - 1]!, positions[i]!)) contiguous = false;
      const weight = found.weights.reduce((a, b) => a + b, 0) / found.weights.length;
      const score =
        KIND_SCORE[label.kind] * weight * (contiguous ? 1 : 0.92) * (label.lightDropped ? 0.97 : 1);
      const spans: { start: number; end: number }[] = [];
      let previous = -1;
      for (const p of positions) {
        const t = tokens[p]!;
        const span = spans[spans.length - 1];
        if (span && previous >= 0 && onlyStopwordsBetween(previous, p)) span.end = t.end;
        else spans.push({ start: t.start, end: t.end });
        previous = p;
      }
      matches.push({
        uri: label.uri,
        label: label.label,
        kind: label.kind,
        score: Math.round(score * 1000) / 1000,
        method: label.kind === 'alias' ? 'alias' : 'lexical',
        sentenceIndex: sentence.index,
        spans,
        start: tokens[first]!.start,
        end: tokens[last]!.end,
      });
    }
    return matches;
  }

  /** In how many concepts' labels the rarest key of a word occurs. */
  private frequency(keys: string[]): number {
    return Math.min(...keys.map((k) => this.conceptsByKey.get(k)?.count ?? 0));
  }

  /** Finds, for each content word, the best token within a window; undefined when a word is missing. */
  private place(label: IndexedLabel, tokenKeys: Map<string, number>[]): { positions: number[]; weights: number[] } | undefined {
    const n = label.words.length;
    const window = n === 1 ? 1 : n * 2 + 1;
    let best: { positions: number[]; weights: number[]; total: number } | undefined;
    // anchor on each occurrence of the first word; take the best occurrence of the others within the window
    for (let anchor = 0; anchor < tokenKeys.length; anchor++) {
      const w0 = weightOf(label.words[0]!, tokenKeys[anchor]!);
      if (w0 === 0) continue;
      const positions = [anchor];
      const weights = [w0];
      let ok = true;
      for (let i = 1; i < n && ok; i++) {
        let bestPos = -1;
        let bestW = 0;
        const lo = Math.max(0, anchor - window + 1);
        const hi = Math.min(tokenKeys.length - 1, anchor + window - 1);
        for (let p = lo; p <= hi; p++) {
          if (positions.includes(p)) continue;
          const w = weightOf(label.words[i]!, tokenKeys[p]!);
          if (w > bestW || (w === bestW && w > 0 && Math.abs(p - anchor) < Math.abs(bestPos - anchor))) {
            bestW = w;
            bestPos = p;
          }
        }
        if (bestPos < 0) ok = false;
        else {
          positions.push(bestPos);
          weights.push(bestW);
        }
      }
      if (!ok) continue;
      const span = Math.max(...positions) - Math.min(...positions) + 1;
      if (span > window) continue;
      const total = weights.reduce((a, b) => a + b, 0);
      if (!best || total > best.total) best = { positions, weights, total };
    }
    return best;
  }
}

function weightOf(keys: string[], tokenKeys: Map<string, number>): number {
  let w = 0;
  for (const k of keys) {
    const v = tokenKeys.get(k);
    if (v !== undefined && v > w) w = v;
  }
  return w;
}
