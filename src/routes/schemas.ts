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

export const Span = Type.Object({ start: Type.Integer(), end: Type.Integer() });

export const SkillResult = Type.Object({
  uri: Type.String(),
  label: Type.String({ description: "ESCO preferred label in the document's language when ESCO has one" }),
  score: Type.Number({ description: 'calibrated probability that the skill is meant; evidence of several methods combined' }),
  method: Type.Enum(['lexical', 'alias', 'semantic'], { description: 'the method of the best single piece of evidence' }),
  methods: Type.Optional(Type.Array(Type.Enum(['lexical', 'alias', 'semantic']), { description: 'every method that found the skill (analyses since pipeline calibrated-3)' })),
  spans: Type.Array(Span, { description: 'character offsets in the text, end exclusive' }),
  sentences: Type.Array(Type.Integer()),
  mentions: Type.Integer(),
});

export const Language = Type.Enum(['fi', 'sv', 'en']);

export const AnalysisSchema = Type.Object({
  language: Language,
  languageSource: Type.Enum(['declared', 'detected']),
  languageConfidence: Type.Number(),
  pipelineVersion: Type.String(),
  taxonomyVersion: Type.Union([Type.Integer(), Type.Null()]),
  encoder: Type.Union([Type.String(), Type.Null()], { description: 'sentence encoder behind semantic matches, if one was used' }),
  sentences: Type.Array(Type.Object({ index: Type.Integer(), start: Type.Integer(), end: Type.Integer() })),
  skills: Type.Array(SkillResult),
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
