import { Type, type Static } from 'typebox';
import { AppliedCorrection, Correction } from './correction.js';
import { DocumentKind } from './document.js';
import { Language } from './language.js';
import { DocumentRegion, Place, PlaceProblem } from './region.js';
import { Cue, Horizon, Polarity } from './signal.js';

/** What the pipeline is given: a document's text and the metadata the analysis uses. */
export const AnalysisInput = Type.Object({
  text: Type.String(),
  title: Type.Optional(Type.String()),
  language: Type.Optional(Language),
  employerSector: Type.Optional(
    Type.String({ description: "the employer's sector as given: a TOL 2008 code or a name" }),
  ),
  kind: Type.Optional(DocumentKind),
  date: Type.Optional(
    Type.String({
      description: 'publication or meeting date (YYYY-MM-DD): horizons like "ensi vuonna" are resolved against it',
    }),
  ),
  region: Type.Optional(Type.String({ description: 'region as given: code, name or postal code' })),
  vacancies: Type.Optional(Type.Number()),
  horizon: Type.Optional(Horizon),
  corrections: Type.Optional(
    Type.Array(Correction, { description: "a person's corrections, applied over the machine's reading" }),
  ),
});
export type AnalysisInput = Static<typeof AnalysisInput>;

/** Character offsets into the NFC-normalised text (UTF-16 code units), end exclusive. */
export const Span = Type.Object({ start: Type.Integer(), end: Type.Integer() });
export type Span = Static<typeof Span>;

/** How a skill was found; each kind of evidence has its own raw score and its own calibration. */
export const METHODS = ['lexical', 'alias', 'semantic'] as const;
export const Method = Type.Enum([...METHODS]);
export type Method = Static<typeof Method>;

/** How a mention came to be: one of the methods, or added by a person (a correction). */
export const MENTION_METHODS = [...METHODS, 'manual'] as const;
export const MentionMethod = Type.Enum([...MENTION_METHODS]);
export type MentionMethod = Static<typeof MentionMethod>;

/** Whether a person confirmed, added or changed the mention (a correction): it then counts whatever its score. */
const Verified = Type.Optional(Type.Boolean({ description: 'true when a correction confirmed, added or changed it' }));

/** Whether a mention reaches the demand aggregates: its probability is at least the count threshold. */
const Counted = Type.Boolean({
  description: 'probably right (score at or above the count threshold): counted as demand; otherwise a candidate only',
});

/** Where a mention is in the text and what its sentence says of it: the fields every kind of mention has. */
const MentionPlace = {
  start: Type.Integer(),
  end: Type.Integer(),
  spans: Type.Array(Span),
  sentenceIndex: Type.Integer(),
  matchedLabel: Type.String(),
  horizon: Horizon,
  horizonSource: Type.Enum(['metadata', 'cue', 'default', 'correction']),
  polarity: Polarity,
};

/** One occurrence of a skill in a sentence, with its demand signal. */
export const SkillMention = Type.Object({
  uri: Type.String(),
  score: Type.Number({ description: 'calibrated: the probability that the skill is meant here' }),
  rawScore: Type.Number({ description: "the method's own score: lexical match quality, or the encoder's cosine" }),
  method: MentionMethod,
  ...MentionPlace,
  weight: Type.Number({ description: 'vacancies behind the mention; 1 when none is given' }),
  counted: Counted,
  verified: Verified,
});
export type SkillMention = Static<typeof SkillMention>;

/**
 * One occurrence of an occupation in a sentence, with its demand signal: "ensi vuonna tarvitaan viisi hitsaajaa"
 * is a need for five welders in one to two years; "Vi har för många lagerarbetare" a surplus.
 */
export const OccupationMention = Type.Object({
  uri: Type.String(),
  isco: Type.String({ description: 'ISCO-08 unit group, 4 digits (fewer when the text names only a broader group)' }),
  score: Type.Number({ description: 'calibrated: the probability that the occupation is meant here' }),
  rawScore: Type.Number({ description: 'lexical match quality' }),
  method: Type.Enum(['lexical', 'alias', 'classifier', 'manual']),
  ...MentionPlace,
  weight: Type.Number({ description: 'people needed (or in surplus): a count next to the name, else 1' }),
  source: Type.Enum(['text', 'document'], {
    description: "text: named in a sentence; document: a job ad's own occupation (its title first), once per ad",
  }),
  counted: Counted,
  verified: Verified,
});
export type OccupationMention = Static<typeof OccupationMention>;

/** A skill of a document: every occurrence's evidence combined. */
export const SkillResult = Type.Object({
  uri: Type.String(),
  label: Type.String({ description: "ESCO preferred label in the document's language when ESCO has one" }),
  score: Type.Number({
    description: 'calibrated probability that the skill is meant; evidence of several methods combined',
  }),
  method: Type.Enum([...MENTION_METHODS], { description: 'the method of the best single piece of evidence' }),
  methods: Type.Array(MentionMethod, {
    description: 'every method that found the skill (analyses since pipeline calibrated-3)',
  }),
  spans: Type.Array(Span, { description: 'character offsets in the text, end exclusive' }),
  sentences: Type.Array(Type.Integer()),
  mentions: Type.Integer(),
  horizons: Type.Array(Horizon),
  polarities: Type.Array(Polarity),
  group: Type.Optional(Type.String({ description: 'nearest ESCO skill group' })),
});
export type SkillResult = Static<typeof SkillResult>;

export const IscoLevel = Type.Object({ code: Type.String(), level: Type.Integer(), label: Type.String() });
export type IscoLevel = Static<typeof IscoLevel>;

/** An ESCO occupation of a document with its ISCO-08 groups. */
export const OccupationResult = Type.Object({
  uri: Type.String(),
  label: Type.String(),
  isco: Type.Object({
    code: Type.String({ description: 'ISCO-08 unit group, 4 digits' }),
    label: Type.String(),
    levels: Type.Array(IscoLevel, { description: 'major group to unit group' }),
  }),
  score: Type.Number(),
  evidence: Type.Array(Type.Enum(['title', 'text', 'skills']), {
    description: 'a label in the title, a label in the text, the skills found',
  }),
});
export type OccupationResult = Static<typeof OccupationResult>;

/** A TOL 2008 sector of a document. */
export const SectorResult = Type.Object({
  code: Type.String({
    description: 'TOL 2008 code: section letter or division digits (group/class when the employer gave one)',
  }),
  label: Type.String(),
  level: Type.Integer({ description: '1 section, 2 division, 3 group, 4 class' }),
  score: Type.Number(),
  source: Type.Enum(['employer', 'text']),
});
export type SectorResult = Static<typeof SectorResult>;

/** The kinds of phrase the English span tagger marks: SkillSpan's skills (doing) and knowledge (knowing). */
export const SPAN_KINDS = ['skill', 'knowledge'] as const;
export type SpanKind = (typeof SPAN_KINDS)[number];

/** An English phrase the span tagger marks as a skill or knowledge, and the skills found on its words. */
export const SkillPhrase = Type.Object({
  kind: Type.Enum([...SPAN_KINDS]),
  sentenceIndex: Type.Integer(),
  start: Type.Integer(),
  end: Type.Integer(),
  linked: Type.Array(Type.String(), {
    description: 'URIs of the skills found on these words; empty: an unlinked skill candidate, counted nowhere',
  }),
});
export type SkillPhrase = Static<typeof SkillPhrase>;

/** Everything the pipeline reads from one document. */
export const Analysis = Type.Object({
  language: Language,
  languageSource: Type.Enum(['declared', 'detected']),
  languageConfidence: Type.Number(),
  pipelineVersion: Type.String(),
  taxonomyVersion: Type.Union([Type.Integer(), Type.Null()]),
  encoder: Type.Union([Type.String(), Type.Null()], {
    description: 'sentence encoder behind semantic matches, if one was used',
  }),
  sentences: Type.Array(Type.Object({ index: Type.Integer(), start: Type.Integer(), end: Type.Integer() })),
  skills: Type.Array(SkillResult),
  mentions: Type.Array(SkillMention, { description: 'every occurrence of a skill, in text order' }),
  date: Type.String({
    description: "the date horizons were resolved against: the document's, else the day of analysis",
  }),
  cues: Type.Array(Type.Object({ sentenceIndex: Type.Integer(), ...Cue.properties }), {
    description: 'words of time, need/surplus and vacancy counts the signals rest on',
  }),
  regions: Type.Array(DocumentRegion, {
    description: 'each place resolved with its roll-up; demand is counted in the primary place',
  }),
  places: Type.Array(Place, { description: 'where the places were found' }),
  placeProblems: Type.Array(PlaceProblem, { description: 'places that could not be resolved: reported, not guessed' }),
  occupations: Type.Array(OccupationResult, { description: 'ESCO occupations with ISCO-08, best first' }),
  occupationMentions: Type.Array(OccupationMention, {
    description:
      "a job ad's own occupation first, then every occupation named in the text in text order, each with its demand signal (analyses since pipeline occupations-4)",
  }),
  sectors: Type.Array(SectorResult, { description: 'TOL 2008 sections and divisions, best first' }),
  corrections: Type.Optional(
    Type.Array(AppliedCorrection, { description: "the corrections applied over the machine's reading, in order" }),
  ),
  phrases: Type.Optional(
    Type.Array(SkillPhrase, {
      description:
        'English, with a trained span tagger (skills-radar train-spans): the skill and knowledge phrases it marks',
    }),
  ),
});
export type Analysis = Static<typeof Analysis>;

/** A mention as the mentions table keeps it: where, how, how sure, and its demand signal. */
export const StoredMention = Type.Pick(SkillMention, [
  'uri',
  'start',
  'end',
  'sentenceIndex',
  'method',
  'score',
  'horizon',
  'polarity',
  'weight',
  'counted',
  'verified',
]);
export type StoredMention = Static<typeof StoredMention>;

/** An analysis as read back from storage: its mentions are those of the mentions table. */
export type StoredAnalysis = Omit<Analysis, 'mentions'> & { mentions: StoredMention[] };
