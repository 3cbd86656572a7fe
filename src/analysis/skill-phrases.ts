import { readFileSync } from 'node:fs';
import type { TaxonomyData } from '../domain/taxonomy.js';
import { englishWords, readEnglish, tagTokens } from './english-words.js';
import { SPAN_KINDS, type SpanKind } from '../domain/analysis.js';
import {
  PhraseLexicon,
  SpanTagger,
  spansOfTags,
  type SpanTaggerFile,
  type TaggerExample,
  type TaggerInput,
} from './span-tagger.js';
import type { Sentence } from './text.js';

/** A line of SkillSpan: words with BIO tags for skills and for knowledge. */
export interface SkillSpanLine {
  tokens: string[];
  tags_skill: string[];
  tags_knowledge: string[];
}

/** The weights file with the phrases of its training spans (the gazetteer the tagger reads as a feature). */
export interface SkillPhraseModel extends SpanTaggerFile {
  gazetteer: Record<SpanKind, string[]>;
  /** per kind, how often each gazetteer phrase is a span where the longest match finds it in training (0–1) */
  rates: Record<SpanKind, Record<string, number>>;
}

/** An English phrase the tagger marks as a skill or knowledge, with its offsets in the text. */
export interface TaggedPhrase {
  kind: SpanKind;
  sentenceIndex: number;
  start: number;
  end: number;
}

/** Folds of the training set: each is tagged with a gazetteer of the others' spans, as unseen text will be. */
const FOLDS = 5;

/** ESCO's English skill labels as the tagger's lexicons, by kind. */
export type EscoLexicons = Record<SpanKind, PhraseLexicon>;

/** ESCO's English skill labels by kind (parenthesised glosses taken off: "Java (computer programming)" → Java). */
export function escoLexicons(data: Pick<TaxonomyData, 'skills' | 'skillLabels'>): EscoLexicons {
  const knowledge = new Set(data.skills.filter((s) => s.type === 'knowledge').map((s) => s.uri));
  const labels = (k: boolean) =>
    data.skillLabels
      .filter((l) => l.lang === 'en' && knowledge.has(l.uri) === k)
      .map((l) => l.label.replace(/\s*\(.*?\)\s*/g, ' ').trim());
  return { skill: new PhraseLexicon(labels(false)), knowledge: new PhraseLexicon(labels(true)) };
}

/** SkillSpan's lines (one JSON object a line), or a clear reason why the file is not one. */
export function readSkillSpanLines(file: string): SkillSpanLine[] {
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .map((l, i) => {
      const line = JSON.parse(l) as Partial<SkillSpanLine>;
      const n = line.tokens?.length;
      if (!n || line.tags_skill?.length !== n || line.tags_knowledge?.length !== n)
        throw new Error(`${file}:${i + 1}: tokens, tags_skill and tags_knowledge of the same length expected`);
      return line as SkillSpanLine;
    });
}

/** The baseline: the longest match of the training spans' phrases, by kind. */
export function trainingLexicon(lines: SkillSpanLine[]): Record<SpanKind, PhraseLexicon> {
  const phrases = spanPhrases(lines);
  return { skill: new PhraseLexicon(phrases.skill), knowledge: new PhraseLexicon(phrases.knowledge) };
}

/** The phrases of training spans, by kind. */
function spanPhrases(lines: SkillSpanLine[]): Record<SpanKind, string[]> {
  const of = (key: 'tags_skill' | 'tags_knowledge') => [
    ...new Set(lines.flatMap((l) => spansOfTags(l[key]).map(([a, b]) => l.tokens.slice(a, b).join(' ')))),
  ];
  return { skill: of('tags_skill'), knowledge: of('tags_knowledge') };
}

type Lexicons = {
  esco: EscoLexicons;
  gazetteer: Record<SpanKind, PhraseLexicon>;
  rates: Record<SpanKind, Map<string, number>>;
};

const KEYS = { skill: 'tags_skill', knowledge: 'tags_knowledge' } as const;

/** How often each phrase is a span of the kind where the lexicon's longest match finds it in the lines. */
function phraseRates(lexicon: PhraseLexicon, lines: SkillSpanLine[], kind: SpanKind): Map<string, number> {
  const counts = new Map<string, [number, number]>();
  for (const l of lines) {
    const gold = new Set(spansOfTags(l[KEYS[kind]]).map(([a, b]) => `${a}:${b}`));
    for (const [a, b] of lexicon.spans(l.tokens)) {
      const phrase = PhraseLexicon.words(l.tokens.slice(a, b).join(' ')).join(' ');
      const c = counts.get(phrase) ?? [0, 0];
      c[0] += gold.has(`${a}:${b}`) ? 1 : 0;
      c[1] += 1;
      counts.set(phrase, c);
    }
  }
  return new Map([...counts].map(([p, [hit, all]]) => [p, hit / all]));
}

/**
 * Per word, the gazetteer's cover (B, I or O) and its phrase's rate as a letter: not covered, rarely, sometimes or
 * mostly a span; one longest match serves both.
 */
function gazetteerCover(
  lexicon: PhraseLexicon,
  rates: Map<string, number>,
  tokens: string[],
): { tags: string[]; rates: string[] } {
  const tags = tokens.map(() => 'O');
  const letters = tokens.map(() => '-');
  for (const [a, b] of lexicon.spans(tokens)) {
    const r = rates.get(PhraseLexicon.words(tokens.slice(a, b).join(' ')).join(' ')) ?? 0;
    for (let i = a; i < b; i++) {
      tags[i] = i === a ? 'B' : 'I';
      letters[i] = r >= 0.5 ? 'h' : r >= 0.2 ? 'm' : 'l';
    }
  }
  return { tags, rates: letters };
}

/** What the tagger reads of a sentence's words: the words, their tags, ESCO's and the gazetteer's cover. */
function inputOf(tokens: string[], tags: { pos: string[]; chunks: string[] }, lexicons: Lexicons): TaggerInput {
  const esco = SPAN_KINDS.map((k) => lexicons.esco[k].tags(tokens));
  const [skill, knowledge] = SPAN_KINDS.map((k) => gazetteerCover(lexicons.gazetteer[k], lexicons.rates[k], tokens));
  const lexicon = tokens.map((_, i) => {
    const escoTag = esco[0]![i] !== 'O' ? `s${esco[0]![i]}` : esco[1]![i] !== 'O' ? `k${esco[1]![i]}` : 'O';
    return `${escoTag}/${skill!.tags[i]}${knowledge!.tags[i]}/${skill!.rates[i]}${knowledge!.rates[i]}`;
  });
  return { tokens, ...tags, lexicon };
}

/** Trains the tagger on SkillSpan lines; the same lines, taxonomy and seed give the same weights. */
export function trainSkillPhrases(
  lines: SkillSpanLine[],
  esco: EscoLexicons,
  options: { epochs?: number; seed?: number; trainedOn: string },
): SkillPhraseModel {
  const folds = Array.from({ length: FOLDS }, (_, f) => {
    const rest = lines.filter((_, j) => j % FOLDS !== f);
    const others = spanPhrases(rest);
    const gazetteer = { skill: new PhraseLexicon(others.skill), knowledge: new PhraseLexicon(others.knowledge) };
    const rates = {
      skill: phraseRates(gazetteer.skill, rest, 'skill'),
      knowledge: phraseRates(gazetteer.knowledge, rest, 'knowledge'),
    };
    return { esco, gazetteer, rates };
  });
  const examples: TaggerExample[] = lines.map((l, i) => ({
    ...inputOf(l.tokens, tagTokens(l.tokens), folds[i % FOLDS]!),
    tags: { skill: l.tags_skill, knowledge: l.tags_knowledge },
  }));
  const epochs = options.epochs ?? 12;
  const tagger = SpanTagger.train(examples, { ...options, epochs });
  const phrases = spanPhrases(lines);
  const rates = {} as Record<SpanKind, Record<string, number>>;
  for (const kind of SPAN_KINDS)
    rates[kind] = Object.fromEntries(phraseRates(new PhraseLexicon(phrases[kind]), lines, kind));
  return { ...tagger.toFile(epochs), gazetteer: phrases, rates };
}

/** The trained tagger with its lexicons: finds skill and knowledge phrases in English sentences. */
export class SkillPhraseFinder {
  private constructor(
    private readonly tagger: SpanTagger,
    private readonly lexicons: Lexicons,
  ) {}

  static fromModel(model: SkillPhraseModel, esco: EscoLexicons): SkillPhraseFinder {
    const gazetteer = {
      skill: new PhraseLexicon(model.gazetteer.skill),
      knowledge: new PhraseLexicon(model.gazetteer.knowledge),
    };
    const rates = {
      skill: new Map(Object.entries(model.rates.skill)),
      knowledge: new Map(Object.entries(model.rates.knowledge)),
    };
    return new SkillPhraseFinder(SpanTagger.fromFile(model), { esco, gazetteer, rates });
  }

  /** Spans of words already cut (SkillSpan's tokens). */
  tagTokens(tokens: string[]): Record<SpanKind, [number, number][]> {
    return this.tagger.tag(inputOf(tokens, tagTokens(tokens), this.lexicons));
  }

  /** The phrases of sentences of a text, with offsets in the text (compromise reads their stretch at once). */
  find(text: string, sentences: Sentence[]): TaggedPhrase[] {
    const phrases: TaggedPhrase[] = [];
    if (sentences.length === 0) return phrases;
    const base = sentences[0]!.start;
    const terms = readEnglish(text.slice(base, sentences.at(-1)!.end));
    for (const sentence of sentences) {
      const words = englishWords(sentence.text, { terms, offset: sentence.start - base });
      if (words.length === 0) continue;
      const tokens = words.map((w) => w.text);
      const spans = this.tagger.tag(
        inputOf(tokens, { pos: words.map((w) => w.pos), chunks: words.map((w) => w.chunk) }, this.lexicons),
      );
      for (const kind of SPAN_KINDS)
        for (const [a, b] of spans[kind])
          phrases.push({
            kind,
            sentenceIndex: sentence.index,
            start: sentence.start + words[a]!.start,
            end: sentence.start + words[b - 1]!.end,
          });
    }
    return phrases.sort((x, y) => x.start - y.start);
  }
}
