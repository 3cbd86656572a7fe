import type { Logger } from '../logger.js';
import type { Queryable } from '../storage/database.js';
import type { Alias } from '../taxonomy/aliases.js';
import { activeTaxonomyVersion } from '../taxonomy/import.js';
import { detectLanguage, LANGUAGES, type Language } from './language.js';
import { LabelIndex, type LexicalMatch } from './lexicon.js';
import { OccupationClassifier, type OccupationResult } from './occupations.js';
import { SectorClassifier, type SectorResult } from './sectors.js';
import type { SemanticSkillMatcher } from './semantic.js';
import { Calibrator, combineEvidence, type Method } from './calibration.js';
import { normalizeText, segmentSentences } from './text.js';

/** Changes whenever the pipeline's output for the same input can change. Stored with every result. */
export const PIPELINE_VERSION = 'calibrated-3';

/** Lexical matches scoring below this (only loose compound-part or hyphen-part matches) are left out. */
const MIN_SCORE = 0.7;

export interface AnalysisInput {
  text: string;
  title?: string | undefined;
  language?: Language | undefined;
  /** the employer's sector as given: a TOL 2008 code or a name */
  employerSector?: string | undefined;
}

export interface Span {
  start: number;
  end: number;
}

export interface SkillMention {
  uri: string;
  /** calibrated: the probability that the skill is meant here */
  score: number;
  /** the method's own score: lexical match quality, or the encoder's cosine */
  rawScore: number;
  method: Method;
  start: number;
  end: number;
  spans: Span[];
  sentenceIndex: number;
  matchedLabel: string;
}

export interface SkillResult {
  uri: string;
  label: string;
  /** calibrated probability; evidence from different methods combined (noisy-OR of each method's best) */
  score: number;
  /** the method of the best single piece of evidence */
  method: Method;
  /** every method that found the skill */
  methods: Method[];
  spans: Span[];
  sentences: number[];
  mentions: number;
}

export interface Analysis {
  language: Language;
  languageSource: 'declared' | 'detected';
  languageConfidence: number;
  pipelineVersion: string;
  taxonomyVersion: number | null;
  sentences: { index: number; start: number; end: number }[];
  skills: SkillResult[];
  /** the sentence encoder behind `semantic` mentions, when one was used */
  encoder: string | null;
  /** ESCO occupations with ISCO-08, best first */
  occupations: OccupationResult[];
  /** TOL 2008 sections and divisions, best first */
  sectors: SectorResult[];
  /** every occurrence behind `skills`, as stored in the mentions table */
  mentions: SkillMention[];
}

export interface SkillLabels {
  en: string;
  fi: string | null;
  sv: string | null;
}

/** The loaded taxonomy lexicon and the steps of the pipeline; built once per process. */
export class Analyzer {
  private constructor(
    private readonly indexes: Map<Language, LabelIndex>,
    private readonly skillLabels: Map<string, SkillLabels>,
    readonly taxonomyVersion: number | null,
    private readonly occupations: OccupationClassifier,
    private readonly sectors: SectorClassifier,
    private readonly calibrator: Calibrator,
  ) {}

  /** Loads every ESCO skill label of the active taxonomy, and the local aliases, into the three language indexes. */
  static async load(db: Queryable, options: { aliases?: Alias[]; log?: Logger; calibrator?: Calibrator } = {}): Promise<Analyzer> {
    const version = await activeTaxonomyVersion(db);
    const indexes = new Map(LANGUAGES.map((l) => [l, new LabelIndex(l)] as const));
    const labels = await db.query<{ concept_uri: string; lang: string; kind: 'pref' | 'alt' | 'hidden'; label: string }>(
      // hidden labels are ESCO's search aids (misspellings, loose associations): too noisy to match in text
      `SELECT concept_uri, lang, kind, label FROM esco_labels WHERE concept_type = 'skill' AND kind <> 'hidden'
       ORDER BY concept_uri, lang, kind, label`,
    );
    for (const l of labels) {
      const index = indexes.get(l.lang as Language);
      index?.add({ uri: l.concept_uri, lang: l.lang as Language, kind: l.kind, label: l.label });
    }
    const skills = await db.query<{ uri: string; pref_en: string; pref_fi: string | null; pref_sv: string | null }>(
      'SELECT uri, pref_en, pref_fi, pref_sv FROM esco_skills',
    );
    const skillLabels = new Map(skills.map((s) => [s.uri, { en: s.pref_en, fi: s.pref_fi, sv: s.pref_sv }]));
    for (const a of options.aliases ?? []) {
      if (!skillLabels.has(a.uri)) {
        options.log?.warn({ file: a.file, line: a.line, uri: a.uri }, 'alias names a skill not in the taxonomy; skipped');
        continue;
      }
      indexes.get(a.lang)!.add({ uri: a.uri, lang: a.lang, kind: 'alias', label: a.alias });
    }
    const [occupations, sectors] = [await OccupationClassifier.load(db), await SectorClassifier.load(db)];
    return new Analyzer(indexes, skillLabels, version?.id ?? null, occupations, sectors, options.calibrator ?? Calibrator.identity());
  }

  private semantic: SemanticSkillMatcher | undefined;

  /** Adds embedding-based candidates from now on (the label matrix may take a while to build on first start). */
  attachSemantic(matcher: SemanticSkillMatcher): void {
    this.semantic = matcher;
  }

  get semanticModel(): string | null {
    return this.semantic?.embedder.id ?? null;
  }

  /**
   * The lexical analysis plus, in the languages the encoder understands, skills close in meaning to a sentence
   * or to one of its phrases (method `semantic`, that sentence or phrase as span). Where the lexical matcher
   * found the same skill in the same sentence, the semantic evidence strengthens it instead of adding a mention.
   */
  async analyzeFull(input: AnalysisInput): Promise<Analysis> {
    const analysis = this.analyze(input);
    const semantic = this.semantic;
    if (!semantic || !semantic.understands(analysis.language)) return analysis;
    const text = normalizeText(input.text);
    const sentences = analysis.sentences.map((s) => ({ ...s, text: text.slice(s.start, s.end) }));
    const found = new Set(analysis.mentions.map((m) => `${m.uri} ${m.sentenceIndex}`));
    const evidence = new Map<string, SkillMention[]>();
    for (const m of await semantic.match(analysis.language, sentences)) {
      const mention: SkillMention = {
        uri: m.uri,
        score: this.calibrator.probability(analysis.language, 'semantic', m.cosine),
        rawScore: Math.round(m.cosine * 1000) / 1000,
        method: 'semantic',
        start: m.start,
        end: m.end,
        spans: [{ start: m.start, end: m.end }],
        sentenceIndex: m.sentenceIndex,
        matchedLabel: this.labelOf(m.uri, 'en'),
      };
      if (!found.has(`${m.uri} ${m.sentenceIndex}`)) analysis.mentions.push(mention);
      evidence.set(m.uri, [...(evidence.get(m.uri) ?? []), mention]);
    }
    for (const [uri, list] of evidence) {
      const at = analysis.skills.findIndex((k) => k.uri === uri);
      const lexical = analysis.mentions.filter((m) => m.uri === uri && m.method !== 'semantic');
      const added = list.filter((m) => !found.has(`${m.uri} ${m.sentenceIndex}`));
      const skill = this.skillOf(uri, [...lexical, ...list], analysis.language);
      // spans and sentences are those of the mentions kept; evidence folded into a lexical mention adds none
      const kept = [...lexical, ...added].sort((a, b) => a.start - b.start);
      skill.spans = kept.flatMap((m) => m.spans);
      skill.sentences = [...new Set(kept.map((m) => m.sentenceIndex))];
      skill.mentions = kept.length;
      if (at >= 0) analysis.skills[at] = skill;
      else analysis.skills.push(skill);
    }
    analysis.skills.sort((a, b) => b.score - a.score || a.spans[0]!.start - b.spans[0]!.start);
    analysis.mentions.sort((a, b) => a.start - b.start || a.uri.localeCompare(b.uri));
    analysis.encoder = semantic.embedder.id;
    return analysis;
  }

  get labelCount(): number {
    let n = 0;
    for (const index of this.indexes.values()) n += index.size;
    return n;
  }

  /**
   * A skill of the result from its occurrences (in text order): each method's best calibrated score combined,
   * the method of the best single one, every span.
   */
  private skillOf(uri: string, list: Pick<SkillMention, 'score' | 'method' | 'spans' | 'sentenceIndex'>[], language: Language): SkillResult {
    const bestByMethod = new Map<Method, number>();
    for (const m of list) bestByMethod.set(m.method, Math.max(bestByMethod.get(m.method) ?? 0, m.score));
    return {
      uri,
      label: this.labelOf(uri, language),
      score: combineEvidence([...bestByMethod.values()]),
      method: list.reduce((best, m) => (m.score > best.score ? m : best)).method,
      methods: [...bestByMethod.keys()].sort(),
      spans: list.flatMap((m) => m.spans),
      sentences: [...new Set(list.map((m) => m.sentenceIndex))],
      mentions: list.length,
    };
  }

  labelOf(uri: string, language: Language): string {
    const l = this.skillLabels.get(uri);
    if (!l) return uri;
    return l[language] ?? l.en;
  }

  analyze(input: AnalysisInput): Analysis {
    const text = normalizeText(input.text);
    const guess = input.language
      ? { language: input.language, confidence: 1, source: 'declared' as const }
      : { ...detectLanguage(text), source: 'detected' as const };
    const language = guess.language;
    const sentences = segmentSentences(text, language);
    const index = this.indexes.get(language)!;
    const raw: LexicalMatch[] = [];
    for (const sentence of sentences) {
      for (const m of index.match(text, sentence)) if (m.score >= MIN_SCORE) raw.push(m);
    }

    // one occurrence per skill and place: the best-scoring label wins, overlapping occurrences merge
    raw.sort((a, b) => b.score - a.score || a.start - b.start || a.uri.localeCompare(b.uri));
    const kept = new Map<string, LexicalMatch[]>();
    for (const m of raw) {
      const list = kept.get(m.uri) ?? [];
      if (list.some((k) => k.start < m.end && m.start < k.end)) continue;
      list.push(m);
      kept.set(m.uri, list);
    }
    const mentions: SkillMention[] = [];
    const skills: SkillResult[] = [];
    for (const [uri, list] of kept) {
      list.sort((a, b) => a.start - b.start);
      for (const m of list) {
        mentions.push({ uri, score: this.calibrator.probability(language, m.method, m.score), rawScore: m.score, method: m.method, start: m.start, end: m.end, spans: m.spans, sentenceIndex: m.sentenceIndex, matchedLabel: m.label });
      }
      skills.push(this.skillOf(uri, mentions.slice(mentions.length - list.length), language));
    }
    skills.sort((a, b) => b.score - a.score || a.spans[0]!.start - b.spans[0]!.start);
    // occupations weigh the skills by match quality, which the raw lexical score is
    const quality = [...kept].map(([uri, list]) => ({ uri, score: Math.max(...list.map((m) => m.score)) }));
    const occupations = this.occupations.classify(language, { text, sentences, title: input.title, skills: quality });
    const englishHints = occupations
      .filter((o) => o.score >= 0.4)
      .slice(0, 2)
      .map((o) => this.occupations.englishProfile(o.uri))
      .filter((p): p is string => p !== undefined);
    const sectors = this.sectors.classify(language, { text, title: input.title, employerSector: input.employerSector, englishHints });
    mentions.sort((a, b) => a.start - b.start || a.uri.localeCompare(b.uri));
    return {
      language,
      languageSource: guess.source,
      languageConfidence: Math.round(guess.confidence * 1000) / 1000,
      pipelineVersion: PIPELINE_VERSION,
      encoder: null,
      taxonomyVersion: this.taxonomyVersion,
      sentences: sentences.map(({ index, start, end }) => ({ index, start, end })),
      skills,
      occupations,
      sectors,
      mentions,
    };
  }
}
