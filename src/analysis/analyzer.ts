import { compareCodeUnits } from '../base/compare.js';
import { DEFAULT_COUNT_THRESHOLD } from '../base/config.js';
import { checkDeadline, type AnalyzeOptions } from './deadline.js';
import type {
  Analysis,
  AnalysisInput,
  MentionMethod,
  OccupationMention,
  OccupationResult,
  SkillMention,
  SkillPhrase,
  SkillResult,
} from '../domain/analysis.js';
import { LANGUAGES, type Language } from '../domain/language.js';
import type { DocumentRegion, Place, PlaceProblem } from '../domain/region.js';
import { HORIZONS, POLARITIES, type Cue } from '../domain/signal.js';
import { LANGUAGE_GROUP_URIS, type TaxonomyData } from '../domain/taxonomy.js';
import type { Correction } from '../domain/correction.js';
import { Calibrator, combineEvidence } from './calibration.js';
import { applyCorrections } from './corrections.js';
import { detectLanguage, loadLanguageDetector } from './language.js';
import { isAboutLanguage } from './language-skills.js';
import {
  CompoundSplitter,
  HIRING_VERBS,
  coordinationVariants,
  LabelIndex,
  prepareSentence,
  withCompounds,
  type LexicalMatch,
} from './lexicon.js';
import { morphologyFor, type Morphology } from './morphology.js';
import { OccupationClassifier } from './occupations.js';
import { PlaceResolver } from './places.js';
import { SectorClassifier } from './sectors.js';
import type { SemanticSkillMatcher } from './semantic.js';
import type { SkillPhraseFinder } from './skill-phrases.js';
import {
  clauseBreaks,
  CueFinder,
  doneByFirm,
  isAutomated,
  isParty,
  offersBenefits,
  countAt,
  signalAt,
  type SentenceSignals,
  type SignalDefaults,
} from './signals.js';
import { normalizeText, segmentSentences, type Sentence } from './text.js';
import { objectEquivalents, verbEquivalents } from './label-equivalents.js';

/** Changes whenever the pipeline's output for the same input can change. Stored with every result. */
export const PIPELINE_VERSION = 'wording-29';
/** Sentences the span tagger reads between yields to other analyses. */
const PHRASE_BATCH = 40;

/** Words for people that head no occupation label but count vacancies ("3 henkilöä", "two new employees"). */
const PERSON_WORDS: Record<Language, string[]> = {
  fi: ['henkilö', 'henki', 'työntekijä', 'osaaja', 'tekijä', 'ammattilainen', 'asiantuntija', 'harjoittelija'],
  sv: ['person', 'medarbetar', 'anställd', 'yrkesperson', 'expert', 'praktikant'],
  en: ['person', 'peopl', 'employe', 'worker', 'staff', 'profession', 'expert', 'intern'],
};

/** Heads of a compound that name a group of staff or a department (Finnish lemmas, Swedish words). */
const STAFF_HEADS: Record<Language, RegExp | undefined> = {
  fi: /\p{L}(?:henkilöstö|henkilökunta|osasto)$/u,
  sv: /\p{L}(?:personal|avdelning)(?:en|ens|ar|arna|s)?$/u,
  en: undefined,
};

/** Swedish occupation heads too generic to name the occupation of a compound ("lagerchaufför" is no car driver). */
const GENERIC_SWEDISH_HEADS = new Set(
  'förare chaufför arbetare assistent biträde montör tekniker operatör skötare ledare chef handläggare sekreterare konsult specialist expert rådgivare medarbetare'.split(
    ' ',
  ),
);

/** ESCO's concepts of the labour market itself, by their English preferred label. */
const LABOUR_MARKET_CONCEPTS = new Set(['labour market', 'job market offers']);

/** Finnish words for a unit of an organisation, whose genitive modifier names the unit ("sisätautien osasto"). */
const UNIT_HEADS = new Set(['osasto', 'yksikkö', 'klinikka', 'poliklinikka']);

/** Whether a Finnish match ends in a genitive that names the unit after it ("sisätautien vuodeosastolle"). */
function namesUnit(m: Morphology, text: string, end: number): boolean {
  if (m.language !== 'fi') return false;
  const next = /^ ([\p{L}-]+)/u.exec(text.slice(end))?.[1];
  const last = /[\p{L}\p{N}-]+$/u.exec(text.slice(0, end))?.[0];
  if (!next || !last || m.openCompound(last, next).length === 0) return false;
  return [...m.keys(next)].some(([k, w]) => w >= 0.8 && UNIT_HEADS.has(k));
}

/** Whether the word ending at `end` is a Finnish genitive followed by a noun it modifies ("lääkärin määräys"). */
function possessor(m: Morphology, text: string, end: number): boolean {
  if (m.language !== 'fi') return false;
  const last = /[\p{L}\p{N}-]+$/u.exec(text.slice(0, end))?.[0];
  const next = /^ (\p{Ll}[\p{L}-]*)/u.exec(text.slice(end))?.[1];
  return !!last && !!next && m.isGenitive(last) && !m.isStopword(next) && !m.isVerb(next);
}

/** Whether the last word of a match is a compound naming staff or a department ("vårdpersonal"). */
function namesStaff(m: Morphology, matched: string): boolean {
  const heads = STAFF_HEADS[m.language];
  const word = /[\p{L}\p{N}-]+$/u.exec(matched)?.[0]?.toLowerCase();
  if (!heads || !word) return false;
  if (m.language === 'sv') return heads.test(word);
  return [...m.keys(word)].some(([k, w]) => w >= 0.9 && heads.test(k));
}

/** Each skill's nearest skill group, walking up the skills pillar (a skill's broader skills first, then theirs). */
function nearestGroups(data: Pick<TaxonomyData, 'skillGroups' | 'skillBroader'>): Map<string, string> {
  const groups = new Set(data.skillGroups);
  const broader = new Map<string, string[]>();
  for (const r of data.skillBroader) broader.set(r.uri, [...(broader.get(r.uri) ?? []), r.broader]);
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

/** The cues of each sentence, in text order, and where its clauses break. */
function signalsBySentence(
  cues: (Cue & { sentenceIndex: number })[],
  text: string,
  sentences: { index: number; start: number; end: number }[],
  language: Language,
): Map<number, SentenceSignals> {
  const map = new Map<number, SentenceSignals>();
  for (const s of sentences) map.set(s.index, { cues: [], breaks: clauseBreaks(text, s, language) });
  for (const c of cues) map.get(c.sentenceIndex)?.cues.push(c);
  return map;
}

/** Where a lexical match is, as a mention gives it. */
const whereIn = (m: LexicalMatch) => ({
  start: m.start,
  end: m.end,
  spans: m.spans,
  sentenceIndex: m.sentenceIndex,
  matchedLabel: m.label,
});

/** A job ad unless declared otherwise: one states a need, and names its own occupation. */
const isJobAd = (input: AnalysisInput) => input.kind === undefined || input.kind === 'job_ad';

/** Whether the words of match `k` include every word of match `m`. */
const covers = (k: LexicalMatch, m: LexicalMatch) =>
  m.spans.every((s) => k.spans.some((t) => t.start <= s.start && s.end <= t.end));

/** Whether k reaches over words besides m's: "logistiikan suunnittelijoita" names planners, not logistics. */
const wider = (k: LexicalMatch, m: LexicalMatch) => k.start < m.start || k.end > m.end;

/** How much lower a longer label's match may score and still name the phrase a shorter label's words are part of. */
const LONGER_LABEL_MARGIN = 0.1;

/** Lexical matches scoring below this (only loose compound-part or hyphen-part matches) are left out. */
const MIN_SCORE = 0.7;

type SkillNames = TaxonomyData['skills'][number]['names'];

/** The loaded taxonomy lexicon and the steps of the pipeline; built once per process. */
export class Analyzer {
  private constructor(
    private readonly indexes: Map<Language, LabelIndex>,
    private readonly skillLabels: Map<string, SkillNames>,
    readonly taxonomyVersion: number | null,
    private readonly occupations: OccupationClassifier,
    private readonly sectors: SectorClassifier,
    private readonly calibrator: Calibrator,
    private readonly places: PlaceResolver,
    private readonly cueFinders: Map<Language, CueFinder>,
    private readonly groups: Map<string, string>,
    /** mentions at or above this probability count as demand; the rest stay candidates */
    readonly countThreshold: number,
    /** the skills that are languages (LANGUAGE_GROUP_URIS) */
    private readonly languageSkills: Set<string>,
    /** closed compounds split at the labels' words, where the morphology does not (Swedish): for skills at any
     * label's word, for occupations at an occupation name's head */
    private readonly compounds: Map<Language, { skills: CompoundSplitter; occupations: CompoundSplitter }>,
  ) {}

  /** The skill labels in the three language indexes with the local aliases, and the other steps, from the taxonomy. */
  static async create(
    data: TaxonomyData,
    options: { calibrator?: Calibrator; countThreshold?: number } = {},
  ): Promise<Analyzer> {
    await loadLanguageDetector();
    const indexes = new Map(LANGUAGES.map((l) => [l, new LabelIndex(l)] as const));
    // the labour market is what notes and news of labour demand are about, not a skill they ask for ("40 lediga
    // jobb", "työmarkkinoilla on pulaa"); English keeps the benchmarks' reading
    const subject = new Set(data.skills.filter((s) => LABOUR_MARKET_CONCEPTS.has(s.names.en)).map((s) => s.uri));
    for (const l of data.skillLabels)
      if (l.lang === 'en' || !subject.has(l.uri))
        indexes.get(l.lang)!.add({ uri: l.uri, lang: l.lang, kind: l.kind, label: l.label });
    const skillLabels = new Map(data.skills.map((s) => [s.uri, s.names]));
    // a Finnish or Swedish label also with its verb's equivalents ("ersätta däck" as "byta däck"), a little lower
    for (const language of ['fi', 'sv'] as const) {
      const index = indexes.get(language)!;
      const equivalents = verbEquivalents(data.skills, language, index.morphology);
      const objects = objectEquivalents(data.skills, language, index.morphology);
      for (const l of data.skillLabels) {
        if (l.lang !== language || l.kind !== 'pref') continue;
        const [first, ...rest] = l.label.split(' ');
        for (const verb of equivalents.get(first!.toLowerCase()) ?? [])
          index.add({ uri: l.uri, lang: language, kind: 'hidden', label: [verb, ...rest].join(' ') });
        // and with the other ways ESCO words its object ("reparera rörsystem" as "reparera avloppssystem")
        for (const object of objects.get(l.uri) ?? [])
          index.add({ uri: l.uri, lang: language, kind: 'hidden', label: `${first} ${object}` });
        // and with one part of a coordinated compound ("asentaa sähkölaitteita")
        for (const label of coordinationVariants(index.morphology, l.label))
          index.add({ uri: l.uri, lang: language, kind: 'hidden', label });
      }
    }
    for (const a of data.aliases) {
      if (skillLabels.has(a.uri)) indexes.get(a.lang)!.add({ uri: a.uri, lang: a.lang, kind: 'alias', label: a.alias });
    }
    // vacancy counts: a number before a word that heads an ESCO occupation label ("3 hitsaajaa") or names people
    const heads = new Map(LANGUAGES.map((l) => [l, new Set(PERSON_WORDS[l])] as const));
    const seen = new Set<string>();
    const occupationUris = new Set(data.occupations.map((o) => o.uri));
    const knowledge = new Set(data.skills.filter((s) => s.type === 'knowledge').map((s) => s.uri));
    const occupationNames = [
      ...data.occupationLabels,
      ...data.aliases.filter((a) => occupationUris.has(a.uri)).map((a) => ({ lang: a.lang, label: a.alias })),
    ];
    for (const { lang, label } of occupationNames) {
      if (seen.has(`${lang} ${label}`)) continue;
      seen.add(`${lang} ${label}`);
      // the head before a qualifier ("palomies, meriympäristö" counts firefighters, not environments)
      const words = label
        .split(',')[0]!
        .replace(/\(.*?\)/g, ' ')
        .trim()
        .split(/[\s/]+/);
      const head = words[words.length - 1];
      if (head) for (const [k, w] of morphologyFor(lang).keys(head)) if (w >= 1) heads.get(lang)!.add(k);
    }
    const cueFinders = new Map(
      LANGUAGES.map((l) => {
        const set = heads.get(l)!;
        return [
          l,
          new CueFinder(l, morphologyFor(l), (keys, loosely) =>
            [...keys].some(([k, w]) => w >= (loosely ? 0.7 : 1) && set.has(k)),
          ),
        ] as const;
      }),
    );
    return new Analyzer(
      indexes,
      skillLabels,
      data.version?.id ?? null,
      OccupationClassifier.fromData(data),
      SectorClassifier.fromData(data),
      options.calibrator ?? Calibrator.identity(),
      PlaceResolver.fromData(data),
      cueFinders,
      nearestGroups(data),
      options.countThreshold ?? DEFAULT_COUNT_THRESHOLD,
      new Set(data.skillBroader.filter((b) => LANGUAGE_GROUP_URIS.includes(b.broader)).map((b) => b.uri)),
      new Map([
        [
          'sv',
          {
            skills: new CompoundSplitter(
              morphologyFor('sv'),
              [
                ...data.skillLabels.filter((l) => l.lang === 'sv').map((l) => l.label),
                ...data.occupationLabels.filter((l) => l.lang === 'sv').map((l) => l.label),
                ...data.aliases.filter((a) => a.lang === 'sv').map((a) => a.alias),
              ],
              data.skillLabels.filter((l) => l.lang === 'sv' && !knowledge.has(l.uri)).map((l) => l.label),
            ),
            occupations: new CompoundSplitter(
              morphologyFor('sv'),
              occupationNames
                .filter((n) => n.lang === 'sv')
                .map((n) => n.label.split(',')[0]!.trim().split(/\s+/).at(-1)!.toLowerCase())
                .filter((head) => !GENERIC_SWEDISH_HEADS.has(head)),
            ),
          },
        ],
      ]),
    );
  }

  private phraseFinder: SkillPhraseFinder | undefined;

  /** Marks English skill and knowledge phrases with the trained span tagger from now on. */
  attachPhrases(finder: SkillPhraseFinder): void {
    this.phraseFinder = finder;
  }

  get tagsPhrases(): boolean {
    return this.phraseFinder !== undefined;
  }

  /**
   * Marks the tagger's phrases in an English analysis, some sentences at a time: a long text yields to other
   * analyses in between and stops at its deadline.
   */
  private async markPhrases(
    analysis: Analysis,
    text: string,
    sentences: Sentence[],
    options?: AnalyzeOptions,
  ): Promise<void> {
    if (!this.phraseFinder || analysis.language !== 'en') return;
    const phrases: SkillPhrase[] = [];
    for (let i = 0; i < sentences.length; i += PHRASE_BATCH) {
      checkDeadline(options);
      for (const p of this.phraseFinder.find(text, sentences.slice(i, i + PHRASE_BATCH)))
        phrases.push({ ...p, linked: [] });
      if (i + PHRASE_BATCH < sentences.length) await new Promise((resolve) => setImmediate(resolve));
    }
    analysis.phrases = linkPhrases(phrases, analysis.mentions);
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

  /**
   * The lexical analysis plus, in the languages the encoder understands, skills close in meaning to a sentence
   * or to one of its phrases (method `semantic`, that sentence or phrase as span). Where the lexical matcher
   * found the same skill in the same sentence, the semantic evidence strengthens it instead of adding a mention.
   */
  async analyzeFull(input: AnalysisInput, options?: AnalyzeOptions): Promise<Analysis> {
    const analysis = await this.machineReading(input, options);
    return input.corrections?.length ? this.corrected(analysis, input, input.corrections) : analysis;
  }

  /** The analysis with a person's corrections over it (corrections.ts). */
  private corrected(analysis: Analysis, input: AnalysisInput, corrections: Correction[]): Analysis {
    const text = normalizeText(input.text);
    const cues = signalsBySentence(analysis.cues, text, analysis.sentences, analysis.language);
    const defaults = this.signalDefaults(input, analysis.cues);
    return applyCorrections(analysis, corrections, {
      text,
      signalAt: (sentenceIndex, start) => signalAt(cues.get(sentenceIndex), start, defaults),
      skillOf: (uri, mentions) => this.skillOf(uri, mentions, analysis.language),
      iscoOf: (uri) => this.occupations.unitGroupOf(uri),
    });
  }

  /** analyzeFull before corrections. */
  private async machineReading(input: AnalysisInput, options?: AnalyzeOptions): Promise<Analysis> {
    const analysis = this.analyze(input);
    const text = normalizeText(input.text);
    const sentences = analysis.sentences.map((s) => ({ ...s, text: text.slice(s.start, s.end) }));
    await this.markPhrases(analysis, text, sentences, options);
    const semantic = this.semantic;
    if (!semantic || !semantic.understands(analysis.language)) return analysis;
    checkDeadline(options);
    const found = new Set(analysis.mentions.map((m) => `${m.uri} ${m.sentenceIndex}`));
    const cues = signalsBySentence(analysis.cues, text, analysis.sentences, analysis.language);
    const defaults = this.signalDefaults(input, analysis.cues);
    const evidence = new Map<string, SkillMention[]>();
    for (const m of await semantic.match(analysis.language, sentences, options)) {
      const score = this.calibrator.probability(analysis.language, 'semantic', m.cosine);
      const mention: SkillMention = {
        uri: m.uri,
        score,
        rawScore: Math.round(m.cosine * 1000) / 1000,
        method: 'semantic',
        start: m.start,
        end: m.end,
        spans: [{ start: m.start, end: m.end }],
        sentenceIndex: m.sentenceIndex,
        matchedLabel: this.labelOf(m.uri, 'en'),
        ...signalAt(cues.get(m.sentenceIndex), m.start, defaults),
        counted: this.counts(score),
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
    if (analysis.phrases) analysis.phrases = linkPhrases(analysis.phrases, analysis.mentions);
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
  private skillOf(
    uri: string,
    list: Pick<SkillMention, 'score' | 'method' | 'spans' | 'sentenceIndex' | 'horizon' | 'polarity'>[],
    language: Language,
  ): SkillResult {
    const bestByMethod = new Map<MentionMethod, number>();
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

  /** Whether the skill's label in the language opens with a verb of hiring ("rekrytoida työntekijöitä"). */
  private opensWithHiring(uri: string, language: Language): boolean {
    const label = this.skillLabels.get(uri)?.[language];
    return label !== undefined && label !== null && HIRING_VERBS.has(label.split(/\s+/u)[0]!.toLowerCase());
  }

  /** Whether a mention of this probability counts as demand. */
  private counts(score: number): boolean {
    return score >= this.countThreshold;
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
    // skills also in the parts of closed compounds the morphology does not split; occupations by a head that names
    // one ("sjukhusstädare"), not a generic one ("-förare", "-arbetare": a broader occupation than the one meant)
    const compounds = this.compounds.get(language);
    const forSkills = compounds ? prepared.map((p) => withCompounds(p, compounds.skills)) : prepared;
    const forOccupations = compounds ? prepared.map((p) => withCompounds(p, compounds.occupations)) : prepared;
    const raw: LexicalMatch[] = [];
    sentences.forEach((sentence, i) => {
      for (const m of index.match(text, sentence, forSkills[i])) if (m.score >= MIN_SCORE) raw.push(m);
    });

    // one occurrence per skill and place: the best-scoring label wins, overlapping occurrences merge; one phrase
    // names one concept, so a match whose words a better one covers adds nothing ("welding" in "welding
    // techniques"), nor one whose words name an occupation at least as well ("lagerarbetare" is a person, not
    // "utföra lagerarbete"; not in English, whose stems join "cooking" and "cook"); a language skill needs a
    // sentence about languages, not a country's name
    const occupationMatches = this.occupations.matchText(language, text, sentences, forOccupations);
    // "kyberturvallisuuden asiantuntija": an expert in a skill, whose skill is the need
    const people = new Set(PERSON_WORDS[language]);
    const namesPeople = (o: LexicalMatch) =>
      [...index.morphology.keys(/[\p{L}\p{N}-]+$/u.exec(text.slice(o.start, o.end))?.[0] ?? '')].some(
        ([k, w]) => w >= 0.9 && people.has(k),
      );
    const named = this.occupations.mentions(occupationMatches);
    raw.sort((a, b) => b.score - a.score || a.start - b.start || compareCodeUnits(a.uri, b.uri));
    // and a longer label over the same words names the phrase, when it is nearly as good a match: "digital
    // marknadsföring" is digital marketing, not marketing management as well; "utfodring av djuren" is feeding
    // animals, not animal nutrition too (Finnish and Swedish: in English it costs the HOUSE benchmark, whose
    // annotators link the shorter label too)
    const superseded = new Set<LexicalMatch>();
    if (language !== 'en') {
      const bySentenceRaw = new Map<number, LexicalMatch[]>();
      for (const m of raw) {
        const list = bySentenceRaw.get(m.sentenceIndex);
        if (list) list.push(m);
        else bySentenceRaw.set(m.sentenceIndex, [m]);
      }
      for (const m of raw)
        if (
          bySentenceRaw
            .get(m.sentenceIndex)!
            .some(
              (k) =>
                k.uri !== m.uri &&
                k.score >= m.score - LONGER_LABEL_MARGIN &&
                covers(k, m) &&
                (k.words?.length ?? 0) > (m.words?.length ?? 0),
            )
        )
          superseded.add(m);
    }
    /** Whether m holds k's one word but met it by a part only: none of the word's own lemmas is m's label's. */
    const readsPartOf = (m: LexicalMatch, k: LexicalMatch) => {
      if (k.spans.length !== 1 || !m.spans.some((s) => s.start === k.start && s.end === k.end)) return false;
      const word = text.slice(k.start, k.end);
      if (/\s/u.test(word)) return false;
      const own = [...index.morphology.keys(word)].filter(([, w]) => w >= 1).map(([key]) => key);
      const labelKeys = new Set(m.words?.flat() ?? []);
      return own.length > 0 && !own.some((key) => labelKeys.has(key));
    };
    const kept = new Map<string, LexicalMatch[]>();
    const chosen: LexicalMatch[] = [];
    for (const m of raw) {
      if (superseded.has(m)) continue;
      const list = kept.get(m.uri) ?? [];
      if (list.some((k) => k.start < m.end && m.start < k.end)) continue;
      if (chosen.some((k) => k.sentenceIndex === m.sentenceIndex && covers(k, m))) continue;
      // a compound a better label names whole is not its head: "ajanvaraus" is administering appointments, so
      // "huolehdit ... ajanvarauksesta" is no "huolehtia varauksista" as well
      if (language !== 'en' && chosen.some((k) => k.sentenceIndex === m.sentenceIndex && readsPartOf(m, k))) continue;
      if (
        language !== 'en' &&
        named.some(
          (o) =>
            o.sentenceIndex === m.sentenceIndex &&
            covers(o, m) &&
            (o.score >= m.score || (wider(o, m) && !namesPeople(o))),
        )
      )
        continue;
      if (this.languageSkills.has(m.uri) && !isAboutLanguage(language, text, sentences[m.sentenceIndex]!, m)) continue;
      // a skill word that only modifies a word for staff or a department names them, not a skill asked for
      // ("asiakaspalveluhenkilöstöä on riittävästi", "vårdpersonalen", "myyntiosasto")
      if (namesStaff(index.morphology, text.slice(m.start, m.end)) || namesUnit(index.morphology, text, m.end))
        continue;
      // the firm that hires or the person quoted names no skill: "Gården i Närpes söker" is no "sköta gården"
      if (isParty(text, sentences[m.sentenceIndex]!, m.start, m.end, language)) continue;
      // nor the work machines take over: "mjölkningen automatiseras", "hitsaus on robotisoitu"
      if (isAutomated(text, sentences[m.sentenceIndex]!, m.end, language)) continue;
      // nor what the firm does itself: "yritys kouluttaa uudet työntekijät itse"
      if (doneByFirm(text, sentences[m.sentenceIndex]!, m.start, language)) continue;
      // nor does what it offers (Finnish and Swedish: English benchmark sentences link skills in any clause)
      if (language !== 'en' && offersBenefits(text, sentences[m.sentenceIndex]!, language)) continue;
      chosen.push(m);
      list.push(m);
      kept.set(m.uri, list);
    }
    const date = input.date ?? new Date().toISOString().slice(0, 10);
    const finder = this.cueFinders.get(language)!;
    const cues = sentences.flatMap((s) =>
      finder.find(text, s, Number(date.slice(0, 4))).map((c) => ({ ...c, sentenceIndex: s.index })),
    );
    const defaults = this.signalDefaults(input, cues);
    const bySentence = signalsBySentence(cues, text, sentences, language);
    const mentions: SkillMention[] = [];
    const skills: SkillResult[] = [];
    // outside a job ad, recruiting that only its own word calls a need is the hiring itself ("Rekrytoinnit
    // alkavat"), not a skill asked for ("kunskaper i rekrytering krävs")
    const hiringOnly = (m: LexicalMatch) =>
      !isJobAd(input) &&
      language !== 'en' &&
      this.opensWithHiring(m.uri, language) &&
      !cues.some(
        (c) => c.sentenceIndex === m.sentenceIndex && c.polarity === 'need' && (c.end <= m.start || c.start >= m.end),
      );
    for (const [uri, found] of kept) {
      const list = found.filter((m) => !hiringOnly(m)).sort((a, b) => a.start - b.start);
      if (list.length === 0) continue;
      for (const m of list) {
        const signal = signalAt(bySentence.get(m.sentenceIndex), m.start, defaults);
        const score = this.calibrator.probability(language, m.method, m.score);
        mentions.push({
          uri,
          score,
          rawScore: m.score,
          method: m.method,
          ...whereIn(m),
          ...signal,
          counted: this.counts(score),
        });
      }
      skills.push(this.skillOf(uri, mentions.slice(mentions.length - list.length), language));
    }
    skills.sort((a, b) => b.score - a.score || a.spans[0]!.start - b.spans[0]!.start);
    // occupations weigh the skills by match quality, which the raw lexical score is
    const quality = [...kept].map(([uri, list]) => ({ uri, score: Math.max(...list.map((m) => m.score)) }));
    const occupations = this.occupations.classify(language, {
      text,
      sentences,
      prepared,
      matches: occupationMatches,
      title: input.title,
      skills: quality,
    });
    const occupationMentions = this.occupationMentionsOf(input, language, named, occupations, {
      bySentence,
      defaults,
      isParty: (m) => isParty(text, sentences[m.sentenceIndex]!, m.start, m.end, language),
      isPossessor: (m) => possessor(index.morphology, text, m.end),
    });
    // the likeliest occupations only: a distant second ("kuljettaja, sairaankuljetus") would mislead
    const englishHints = occupations
      .filter((o) => o.score >= 0.4 && o.score >= 0.85 * occupations[0]!.score)
      .slice(0, 2)
      .map((o) => this.occupations.englishProfile(o.uri))
      .filter((p): p is string => p !== undefined);
    const sectors = this.sectors.classify(language, {
      text,
      title: input.title,
      employerSector: input.employerSector,
      englishHints,
    });
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
      occupationMentions,
      sectors,
      mentions,
      date,
      cues,
      ...this.regionsOf(input, text, sentences, language, date),
    };
  }

  /**
   * The occupations named in the sentences (`OccupationClassifier.mentions`), each with its signal. A name in
   * running text is a need or a surplus only where its sentence says so ("pulaa on hitsaajista"); without a cue it
   * is a mention, even in a job ad, whose text names colleagues and customers too ("työskentelet sairaanhoitajien
   * kanssa"). A job ad adds its own occupation once, as a need for its vacancies, and its text's names of that
   * occupation or of another of its ISCO-08 unit group are folded into it.
   */
  private occupationMentionsOf(
    input: AnalysisInput,
    language: Language,
    named: (LexicalMatch & { isco: string })[],
    occupations: OccupationResult[],
    signals: {
      bySentence: Map<number, SentenceSignals>;
      defaults: SignalDefaults;
      /** whether a name is a party to the text (a speaker, the hiring firm): named, but no demand */
      isParty: (m: LexicalMatch) => boolean;
      /** whether a name is a Finnish genitive that only says whose the next noun is ("lääkärin määräys") */
      isPossessor: (m: LexicalMatch) => boolean;
    },
  ): OccupationMention[] {
    const own = isJobAd(input) ? occupations[0] : undefined;
    // the ad's own occupation is as sure as the best of the classification and its name in the text
    const ownScore =
      own &&
      Math.max(
        own.score,
        ...named.filter((m) => m.uri === own.uri).map((m) => this.calibrator.occupationProbability(language, m.score)),
      );
    const ownCounted = ownScore !== undefined && this.counts(ownScore);
    const inText = { ...signals.defaults, polarity: 'mention' as const };
    const mentions: OccupationMention[] = named.map((m) => {
      const score = this.calibrator.occupationProbability(language, m.score);
      const party = signals.isParty(m);
      const signal = signalAt(signals.bySentence.get(m.sentenceIndex), m.start, inText);
      // a Finnish genitive before a noun only says whose: "lääkärin määräyksen mukaan" names no doctor in demand
      const whose = signal.polarity === 'mention' && signals.isPossessor(m);
      return {
        uri: m.uri,
        isco: m.isco,
        score,
        rawScore: m.score,
        method: m.method,
        ...whereIn(m),
        ...signal,
        ...(party && { polarity: 'mention' as const }),
        source: 'text',
        // the ad's own occupation, or another of its unit group ("Keittiöapulainen" classified as a dishwasher),
        // is counted once, as the ad's
        counted:
          this.counts(score) && m.uri !== own?.uri && !(ownCounted && m.isco === own?.isco.code) && !party && !whose,
      };
    });
    // one count before a list counts the list: "noin 20 kokkia ja tarjoilijaa" is twenty in all, not forty
    const sharing = new Map<string, OccupationMention[]>();
    named.forEach((m, i) => {
      const cue = countAt(signals.bySentence.get(m.sentenceIndex), m.start);
      if (cue === undefined) return;
      const key = `${m.sentenceIndex}:${cue}`;
      const list = sharing.get(key);
      if (list) list.push(mentions[i]!);
      else sharing.set(key, [mentions[i]!]);
    });
    for (const list of sharing.values())
      if (list.length > 1) for (const m of list) m.weight = Math.round((m.weight / list.length) * 10) / 10;
    if (own) {
      mentions.unshift({
        uri: own.uri,
        isco: own.isco.code,
        score: ownScore!,
        rawScore: own.score,
        method: 'classifier',
        start: 0,
        end: 0,
        spans: [],
        sentenceIndex: -1,
        matchedLabel: own.label,
        horizon: signals.defaults.horizon ?? 'current',
        horizonSource: signals.defaults.horizon ? 'metadata' : 'default',
        polarity: 'need',
        weight: signals.defaults.weight,
        source: 'document',
        counted: ownCounted,
      });
    }
    return mentions;
  }

  /**
   * Defaults for mentions without cues of their own: the declared horizon; a job ad states a need, other texts a
   * mention; the weight is the vacancies of the metadata, or for a job ad the largest count in its text.
   */
  private signalDefaults(input: AnalysisInput, cues: Cue[]): SignalDefaults {
    const jobAd = isJobAd(input);
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
  private regionsOf(
    input: AnalysisInput,
    text: string,
    sentences: Sentence[],
    language: Language,
    date: string,
  ): Pick<Analysis, 'regions' | 'places' | 'placeProblems'> {
    const places: Place[] = [];
    const placeProblems: PlaceProblem[] = [];
    const add = (p: Place | PlaceProblem) => ('code' in p ? places.push(p) : placeProblems.push(p));
    if (input.region) add(this.places.resolveMetadata(input.region));
    for (const s of sentences) for (const p of this.places.findInText(text, s, language)) add(p);
    const counts = new Map<string, number>();
    for (const p of places) if (p.source === 'text') counts.set(p.code, (counts.get(p.code) ?? 0) + 1);
    const fromText = places
      .filter((p) => p.source === 'text')
      .sort((a, b) => counts.get(b.code)! - counts.get(a.code)! || a.start! - b.start!);
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

/** Each phrase with the skills whose mentions lie on its words. */
function linkPhrases(phrases: SkillPhrase[], mentions: SkillMention[]): SkillPhrase[] {
  return phrases.map((p) => ({
    ...p,
    linked: [
      ...new Set(mentions.filter((m) => m.spans.some((s) => s.start < p.end && p.start < s.end)).map((m) => m.uri)),
    ].sort(compareCodeUnits),
  }));
}
