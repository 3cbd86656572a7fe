import { Type } from 'typebox';

export const ErrorResponse = Type.Object(
  {
    statusCode: Type.Integer(),
    error: Type.String(),
    message: Type.String(),
    field: Type.Optional(Type.String({ description: 'the request field at fault' })),
  },
  { $id: 'ErrorResponse' },
);

/** A document's or batch's id in the path. */
export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const Span = Type.Object({ start: Type.Integer(), end: Type.Integer() });

export const Horizon = Type.Enum(['current', 'short', 'long'], { description: 'current: now (< ~6 months); short: 1–2 years; long: 3–10 years' });
export const Polarity = Type.Enum(['need', 'surplus', 'mention']);
const RegionLevel = Type.Enum(['municipality', 'maakunta', 'ely', 'elinvoimakeskus', 'major_region', 'country']);

export const SkillResult = Type.Object({
  uri: Type.String(),
  label: Type.String({ description: "ESCO preferred label in the document's language when ESCO has one" }),
  score: Type.Number({ description: 'calibrated probability that the skill is meant; evidence of several methods combined' }),
  method: Type.Enum(['lexical', 'alias', 'semantic'], { description: 'the method of the best single piece of evidence' }),
  methods: Type.Optional(Type.Array(Type.Enum(['lexical', 'alias', 'semantic']), { description: 'every method that found the skill (analyses since pipeline calibrated-3)' })),
  spans: Type.Array(Span, { description: 'character offsets in the text, end exclusive' }),
  sentences: Type.Array(Type.Integer()),
  mentions: Type.Integer(),
  horizons: Type.Optional(Type.Array(Horizon)),
  polarities: Type.Optional(Type.Array(Polarity)),
  group: Type.Optional(Type.String({ description: 'nearest ESCO skill group' })),
});

export const Language = Type.Enum(['fi', 'sv', 'en']);
export const MentionSchema = Type.Object({
  uri: Type.String(),
  start: Type.Integer(),
  end: Type.Integer(),
  sentenceIndex: Type.Integer(),
  method: Type.Enum(['lexical', 'alias', 'semantic']),
  score: Type.Number(),
  rawScore: Type.Optional(Type.Number()),
  horizon: Horizon,
  horizonSource: Type.Optional(Type.Enum(['metadata', 'cue', 'default'])),
  polarity: Polarity,
  weight: Type.Number({ description: 'vacancies behind the mention; 1 when none is given' }),
});

export const AnalysisSchema = Type.Object({
  language: Language,
  languageSource: Type.Enum(['declared', 'detected']),
  languageConfidence: Type.Number(),
  pipelineVersion: Type.String(),
  taxonomyVersion: Type.Union([Type.Integer(), Type.Null()]),
  encoder: Type.Union([Type.String(), Type.Null()], { description: 'sentence encoder behind semantic matches, if one was used' }),
  sentences: Type.Array(Type.Object({ index: Type.Integer(), start: Type.Integer(), end: Type.Integer() })),
  skills: Type.Array(SkillResult),
  mentions: Type.Optional(Type.Array(MentionSchema, { description: 'every occurrence of a skill, in text order' })),
  date: Type.Optional(Type.String({ description: 'the date horizons were resolved against' })),
  cues: Type.Optional(
    Type.Array(
      Type.Object({
        sentenceIndex: Type.Integer(),
        start: Type.Integer(),
        end: Type.Integer(),
        text: Type.String(),
        horizon: Type.Optional(Horizon),
        polarity: Type.Optional(Polarity),
        count: Type.Optional(Type.Integer()),
      }),
      { description: 'words of time, need/surplus and vacancy counts the signals rest on' },
    ),
  ),
  regions: Type.Optional(
    Type.Array(
      Type.Object({ code: Type.String(), name: Type.String(), level: RegionLevel, primary: Type.Boolean(), source: Type.Enum(['metadata', 'text']) }),
      { description: 'each place resolved with its roll-up; demand is counted in the primary place' },
    ),
  ),
  placeProblems: Type.Optional(
    Type.Array(
      Type.Object({
        text: Type.String(),
        source: Type.Enum(['metadata', 'text']),
        reason: Type.Enum(['unknown', 'ambiguous']),
        candidates: Type.Optional(Type.Array(Type.String())),
        start: Type.Optional(Type.Integer()),
        end: Type.Optional(Type.Integer()),
      }),
      { description: 'places that could not be resolved: reported, not guessed' },
    ),
  ),
  occupations: Type.Array(
    Type.Object({
      uri: Type.String(),
      label: Type.String(),
      isco: Type.Object({
        code: Type.String({ description: 'ISCO-08 unit group, 4 digits' }),
        label: Type.String(),
        levels: Type.Array(Type.Object({ code: Type.String(), level: Type.Integer(), label: Type.String() }), { description: 'major group to unit group' }),
      }),
      score: Type.Number(),
      evidence: Type.Array(Type.String()),
    }),
  ),
  sectors: Type.Array(
    Type.Object({
      code: Type.String({ description: 'TOL 2008 code: section letter or division digits (group/class when the employer gave one)' }),
      label: Type.String(),
      level: Type.Integer({ description: '1 section, 2 division, 3 group, 4 class' }),
      score: Type.Number(),
      source: Type.Enum(['employer', 'text']),
    }),
  ),
});
