import type { Logger } from '../logger.js';
import { analysisRows, type AnalysisRows } from '../storage/analysis-rows.js';
import type { Queryable } from '../storage/database.js';
import type { Alias } from '../taxonomy/aliases.js';
import { activeTaxonomyVersion } from '../taxonomy/import.js';
import { detectLanguage, LANGUAGES, loadLanguageDetector, type Language } from './language.js';
import { LabelIndex, prepareSentence, type LexicalMatch } from './lexicon.js';
import { OccupationClassifier, type OccupationResult } from './occupations.js';
import { SectorClassifier, type SectorResult } from './sectors.js';
import type { SemanticSkillMatcher } from './semantic.js';
import { Calibrator, combineEvidence, type Method } from './calibration.js';
import { compareCodeUnits, normalizeText, segmentSentences, type Sentence } from './text.js';
import { PlaceResolver, type Place, type PlaceProblem, type RegionRef } from './places.js';
import { CueFinder, HORIZONS, POLARITIES, signalAt, type Cue, type Horizon, type Polarity, type Signal, type SignalDefaults } from './signals.js';
import { morphologyFor } from './morphology.js';

/** Changes whenever the pipeline's output for the same input can change. Stored with every result. */
export const PIPELINE_VERSION = 'calibrated-3';

/** Words for people that head no occupation label but count vacancies ("3 henkilöä", "two new employees"). */
const PERSON_WORDS: Record<Language, string[]> = {
  fi: ['henkilö', 'henki', 'työntekijä', 'osaaja', 'tekijä', 'ammattilainen', 'asiantuntija', 'harjoittelija'],
  sv: ['person', 'medarbetar', 'anställd', 'yrkesperson', 'expert', 'praktikant'],
  en: ['person', 'peopl', 'employe', 'worker', 'staff', 'profession', 'expert', 'intern'],
};

/** Each skill's nearest skill group, walking up the skills pillar (a skill's broader skills first, then theirs). */
async function nearestGroups(db: Queryable): Promise<Map<string, string>> {
  const groups = new Set((await db.query<{ uri: string }>('SELECT uri FROM esco_skill_groups')).map((r) => r.uri));
  const broader = new Map<string, string[]>();
  for (const r of await db.query<{ uri: string; broader_uri: string }>('SELECT uri, broader_uri FROM esco_skill_broader ORDER BY uri, broader_uri')) {
    broader.set(r.uri, [...(broader.get(r.uri) ?? []), r.broader_uri]);
  }
  const nearest = new Map<string, string>();
  for (const uri of broader.keys()) {
    if (groups.has(uri)) continue;
    let level = [uri];
    const seen = new Set(level);
    for (let depth = 0; depth < 8 && level.length > 0 && !nearest.has(uri); depth++) {
      const up = level.flatMap((u) => broader.get(u) ?? []).filter((u) => !seen.has(u));
      const group = up.find((u) => groups.has(u));
      if (group) nearest.set(uri, group);
      up.forEach((u) => seen.add(u));
      level = up;
    }
  }
  return nearest;
}

/** The cues of each sentence, in text order. */
function cuesBySentence(cues: (Cue & { sentenceIndex: number })[]): Map<number, Cue[]> {
  const map = new Map<number, Cue[]>();
  for (const c of cues) map.set(c.sentenceIndex, [...(map.get(c.sentenceIndex) ?? []), c]);
  return map;
}

/** Lexical matches scoring below this (only loose compound-part or hyphen-part matches) are left out. */
const MIN_SCORE = 0.7;

export interface AnalysisInput {
  text: string;
  title?: string | undefined;
  language?: Language | undefined;
  /** the employer's sector as given: a TOL 2008 code or a name */
  employerSector?: string | undefined;
  kind?: DocumentKind | undefined;
  /** publication or meeting date (YYYY-MM-DD): horizons like "ensi vuonna" are resolved against it */
  date?: string | undefined;
  /** region as given: code, name or postal code */
  region?: string | undefined;
  vacancies?: number | undefined;
  /** the horizon the sender declares for the whole document */
  horizon?: Horizon | undefined;
}

export type DocumentKind = 'job_ad' | 'meeting_note' | 'survey_answer' | 'report';

export interface DocumentRegion extends RegionRef {
  /** the place the document's demand is counted in (and its roll-up), or another place it names */
  primary: boolean;
  source: 'metadata' | 'text';
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
  horizon: Horizon;
  horizonSource: Signal['horizonSource'];
  polarity: Polarity;
  /** vacancies behind the mention (metadata or a count in the text), 1 when none is given */
  weight: number;
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
  horizons: Horizon[];
  polarities: Polarity[];
  /** the nearest ESCO skill group above the skill in the skills pillar */
  group?: string;
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
  /** the date horizons were resolved against: the document's, else the day of analysis */
  date: string;
  /** cues of time, need/surplus and vacancies, by sentence */
  cues: (Cue & { sentenceIndex: number })[];
  /** every place resolved, with its roll-up; the primary place first */
  regions: DocumentRegion[];
  /** where the places were found */
  places: Place[];
  /** places that could not be resolved (unknown or ambiguous): reported, not guessed */
  placeProblems: PlaceProblem[];
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
    private readonly places: PlaceResolver,
    private readonly cueFinders: Map<Language, CueFinder>,
    private readonly groups: Map<string, string>,
  ) {}

  /** Loads every ESCO skill label of the active taxonomy, and the local aliases, into the three language indexes. */
  static async load(db: Queryable, options: { aliases?: Alias[]; log?: Logger; calibrator?: Calibrator } = {}): Promise<Analyzer> {
    await loadLanguageDetector();
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
    // vacancy counts: a number before a word that heads an ESCO occupation label ("3 hitsaajaa") or names people
    const heads = new Map(LANGUAGES.map((l) => [l, new Set(PERSON_WORDS[l])] as const));
    for (const r of await db.query<{ lang: Language; label: string }>(
      `SELECT DISTINCT lang, label FROM esco_labels WHERE concept_type = 'occupation' AND kind <> 'hidden' AND lang IN ('fi', 'sv', 'en')`,
    )) {
      const words = r.label.replace(/\(.*?\)/g, ' ').trim().split(/[\s/]+/);
      const head = words[words.length - 1];
      if (head) for (const [k, w] of morphologyFor(r.lang).keys(head)) if (w >= 1) heads.get(r.lang)!.add(k);
    }
    const cueFinders = new Map(
      LANGUAGES.map((l) => {
        const set = heads.get(l)!;
        return [l, new CueFinder(l, morphologyFor(l), (keys) => [...keys].some(([k, w]) => w >= 0.7 && set.has(k)))] as const;
      }),
    );
    const places = await PlaceResolver.load(db);
    return new Analyzer(indexes, skillLabels, version?.id ?? null, occupations, sectors, options.calibrator ?? Calibrator.identity(), places, cueFinders, await nearestGroups(db));
  }

  private semantic: SemanticSkillMatcher | undefined;
  private semanticAttached!: (model: string) => void;
  /** The encoder's id once semantic matching is attached (pending while it is not, or never). */
  readonly semanticReady = new Promise<string>((resolve) => (this.semanticAttached = resolve));

  /** Adds embedding-based candidates from now on (the label matrix may take a while to build on first start). */
  attachSemantic(matcher: SemanticSkillMatcher): void {
    this.semantic = matcher;
    this.semanticAttached(matcher.embedder.id);
  }

  get semanticModel(): string | null {
    return this.semantic?.embedder.id ?? null;
  }

  /** analyzeFull, as the rows its save writes (the worker's job; analysis-rows.ts says why). */
  async analyzeForSave(input: AnalysisInput): Promise<AnalysisRows> {
    return analysisRows(await this.analyzeFull(input));
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
    const cues = cuesBySentence(analysis.cues);
    const defaults = this.signalDefaults(input, analysis.cues);
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
        ...signalAt(cues.get(m.sentenceIndex) ?? [], m.start, defaults),
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
    analysis.mentions.sort((a, b) => a.start - b.start || compareCodeUnits(a.uri, b.uri));
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
  private skillOf(uri: string, list: Pick<SkillMention, 'score' | 'method' | 'spans' | 'sentenceIndex' | 'horizon' | 'polarity'>[], language: Language): SkillResult {
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
      ...(this.groups.has(uri) && { group: this.groups.get(uri)! }),
      horizons: HORIZONS.filter((h) => list.some((m) => m.horizon === h)),
      polarities: POLARITIES.filter((p) => list.some((m) => m.polarity === p)),
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
    const prepared = sentences.map((s) => prepareSentence(index.morphology, s));
    const raw: LexicalMatch[] = [];
    sentences.forEach((sentence, i) => {
      for (const m of index.match(text, sentence, prepared[i])) if (m.score >= MIN_SCORE) raw.push(m);
    });

    // one occurrence per skill and place: the best-scoring label wins, overlapping occurrences merge
    raw.sort((a, b) => b.score - a.score || a.start - b.start || compareCodeUnits(a.uri, b.uri));
    const kept = new Map<string, LexicalMatch[]>();
    for (const m of raw) {
      const list = kept.get(m.uri) ?? [];
      if (list.some((k) => k.start < m.end && m.start < k.end)) continue;
      list.push(m);
      kept.set(m.uri, list);
    }
    const date = input.date ?? new Date().toISOString().slice(0, 10);
    const finder = this.cueFinders.get(language)!;
    const cues = sentences.flatMap((s) => finder.find(text, s, Number(date.slice(0, 4))).map((c) => ({ ...c, sentenceIndex: s.index })));
    const defaults = this.signalDefaults(input, cues);
    const bySentence = cuesBySentence(cues);
    const mentions: SkillMention[] = [];
    const skills: SkillResult[] = [];
    for (const [uri, list] of kept) {
      list.sort((a, b) => a.start - b.start);
      for (const m of list) {
        const signal = signalAt(bySentence.get(m.sentenceIndex) ?? [], m.start, defaults);
        mentions.push({ uri, score: this.calibrator.probability(language, m.method, m.score), rawScore: m.score, method: m.method, start: m.start, end: m.end, spans: m.spans, sentenceIndex: m.sentenceIndex, matchedLabel: m.label, ...signal });
      }
      skills.push(this.skillOf(uri, mentions.slice(mentions.length - list.length), language));
    }
    skills.sort((a, b) => b.score - a.score || a.spans[0]!.start - b.spans[0]!.start);
    // occupations weigh the skills by match quality, which the raw lexical score is
    const quality = [...kept].map(([uri, list]) => ({ uri, score: Math.max(...list.map((m) => m.score)) }));
    const occupations = this.occupations.classify(language, { text, sentences, prepared, title: input.title, skills: quality });
    const englishHints = occupations
      .filter((o) => o.score >= 0.4)
      .slice(0, 2)
      .map((o) => this.occupations.englishProfile(o.uri))
      .filter((p): p is string => p !== undefined);
    const sectors = this.sectors.classify(language, { text, title: input.title, employerSector: input.employerSector, englishHints });
    mentions.sort((a, b) => a.start - b.start || compareCodeUnits(a.uri, b.uri));
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
      date,
      cues,
      ...this.regionsOf(input, text, sentences, language, date),
    };
  }

  /**
   * Defaults for mentions without cues of their own: the declared horizon; a job ad states a need, other texts a
   * mention; the weight is the vacancies of the metadata, or for a job ad the largest count in its text.
   */
  private signalDefaults(input: AnalysisInput, cues: Cue[]): SignalDefaults {
    const jobAd = input.kind === undefined || input.kind === 'job_ad';
    const counted = cues.filter((c) => c.count !== undefined).map((c) => c.count!);
    return {
      horizon: input.horizon,
      polarity: jobAd ? 'need' : 'mention',
      weight: input.vacancies ?? (jobAd && counted.length > 0 ? Math.max(...counted) : 1),
    };
  }

  /**
   * The places of the document: the metadata region when it resolves, and the places named in the text. The
   * primary place (metadata, else the place the text names most often, the first on a tie) comes first with its
   * roll-up; demand is counted there.
   */
  private regionsOf(input: AnalysisInput, text: string, sentences: Sentence[], language: Language, date: string): Pick<Analysis, 'regions' | 'places' | 'placeProblems'> {
    const places: Place[] = [];
    const placeProblems: PlaceProblem[] = [];
    const add = (p: Place | PlaceProblem) => ('code' in p ? places.push(p) : placeProblems.push(p));
    if (input.region) add(this.places.resolveMetadata(input.region));
    for (const s of sentences) for (const p of this.places.findInText(text, s, language)) add(p);
    const counts = new Map<string, number>();
    for (const p of places) if (p.source === 'text') counts.set(p.code, (counts.get(p.code) ?? 0) + 1);
    const fromText = places.filter((p) => p.source === 'text').sort((a, b) => counts.get(b.code)! - counts.get(a.code)! || a.start! - b.start!);
    const ordered = [...places.filter((p) => p.source === 'metadata'), ...fromText];
    const regions: DocumentRegion[] = [];
    for (const [i, p] of ordered.entries()) {
      for (const r of this.places.rollUp(p.code, date, language)) {
        if (regions.some((x) => x.code === r.code)) continue;
        regions.push({ ...r, primary: i === 0, source: p.source });
      }
    }
    return { regions, places, placeProblems };
  }
}
