import { Type } from 'typebox';
import { Analysis, OccupationMention, SkillMention, SkillResult } from '../../domain/analysis.js';
import { Language } from '../../domain/language.js';

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

// The API's view of an analysis, from the domain's schemas: fields added since the first pipeline version are
// optional (analyses stored before them lack them); the places and each mention's label and part spans stay inside.
const {
  uri,
  start,
  end,
  sentenceIndex,
  method,
  score,
  rawScore,
  horizon,
  horizonSource,
  polarity,
  weight,
  counted,
  verified,
} = SkillMention.properties;
const MentionView = Type.Object({
  uri,
  start,
  end,
  sentenceIndex,
  method,
  score,
  rawScore: Type.Optional(rawScore),
  horizon,
  horizonSource: Type.Optional(horizonSource),
  polarity,
  weight,
  counted: Type.Optional(counted),
  verified,
});

const skill = SkillResult.properties;
const SkillView = Type.Object({
  uri: skill.uri,
  label: skill.label,
  score: skill.score,
  method: skill.method,
  methods: Type.Optional(skill.methods),
  spans: skill.spans,
  sentences: skill.sentences,
  mentions: skill.mentions,
  horizons: Type.Optional(skill.horizons),
  polarities: Type.Optional(skill.polarities),
  group: skill.group,
  skillType: Type.Optional(
    Type.Union([Type.Enum(['skill/competence', 'knowledge']), Type.Null()], {
      description: "ESCO's type: a skill or competence, or knowledge",
    }),
  ),
});

const analysis = Analysis.properties;
export const AnalysisView = Type.Object({
  language: analysis.language,
  languageSource: analysis.languageSource,
  languageConfidence: analysis.languageConfidence,
  pipelineVersion: analysis.pipelineVersion,
  taxonomyVersion: analysis.taxonomyVersion,
  encoder: analysis.encoder,
  sentences: analysis.sentences,
  skills: Type.Array(SkillView),
  mentions: Type.Optional(Type.Array(MentionView, { description: 'every occurrence of a skill, in text order' })),
  date: Type.Optional(analysis.date),
  cues: Type.Optional(analysis.cues),
  regions: Type.Optional(analysis.regions),
  placeProblems: Type.Optional(analysis.placeProblems),
  occupations: analysis.occupations,
  occupationMentions: Type.Optional(
    Type.Array(
      Type.Object({
        ...OccupationMention.properties,
        label: Type.Optional(Type.String({ description: 'the occupation’s ESCO preferred label' })),
      }),
      {
        description:
          "a job ad's own occupation first, then every occupation named in the text in text order, each with its demand signal",
      },
    ),
  ),
  places: Type.Optional(analysis.places),
  sectors: analysis.sectors,
  corrections: analysis.corrections,
  labelLanguage: Type.Optional(Type.Union([Language], { description: 'the language of the labels in this answer' })),
  minScore: Type.Optional(Type.Number({ description: 'only what scored at least this is shown' })),
});

/** How an analysis is shown: what is left out below a score, and the language of its labels. */
export const AnalysisViewQuery = Type.Object(
  {
    minScore: Type.Number({
      minimum: 0,
      maximum: 1,
      default: 0,
      description: 'leave out skills, occupations and their mentions that scored below this (calibrated probability)',
    }),
    language: Type.Optional(
      Type.Union([Language], {
        description: "the language of the skill, occupation, ISCO and sector labels; default the text's language",
      }),
    ),
  },
  { additionalProperties: false },
);
