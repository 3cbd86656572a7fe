import { Type, type Static } from 'typebox';
import { Month } from './demand.js';
import { Horizon } from './signal.js';

/** What an interpretation may be about: a skill, a skill group, an occupation or an ISCO-08 group. */
export const INTERPRETED_CONCEPTS = ['skill', 'skill_group', 'occupation', 'isco'] as const;

/** Who sees an interpretation: the author's organisation only, or every organisation of the network. */
export const INTERPRETATION_VISIBILITIES = ['organisation', 'network'] as const;

const Text = (maxLength: number, description: string) =>
  Type.String({ minLength: 1, maxLength, pattern: '\\S', description });

/** An interpretation as an analyst writes it beside a view: what it is about, and what they read there. */
export const NewInterpretation = Type.Object(
  {
    title: Text(200, 'a line saying what was read'),
    body: Text(10_000, 'the interpretation'),
    region: Type.Optional(
      Text(200, 'the region it is about: a code or name at any level, or a grouping (ESR2); none: the whole country'),
    ),
    conceptType: Type.Optional(Type.Enum([...INTERPRETED_CONCEPTS])),
    concept: Type.Optional(Text(300, 'the skill, skill group or occupation URI, or the ISCO-08 code')),
    horizon: Type.Optional(Horizon),
    from: Month('the first month of the period it reads'),
    to: Month('the last month of the period it reads'),
    visibility: Type.Enum([...INTERPRETATION_VISIBILITIES], {
      default: 'organisation',
      description: "organisation: your organisation's analysts only; network: every organisation",
    }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        title: 'Hitsaajien tarve kasvaa Päijät-Hämeessä',
        body: 'Konepajat kertoivat syksyn tapaamisissa, että ensi vuonna tarvitaan lisää hitsaajia; ilmoituksissa sama näkyy.',
        region: 'MK07',
        conceptType: 'occupation',
        concept: 'http://data.europa.eu/esco/occupation/7aedaa07-3884-4c5b-88f9-80997b2aa54b',
        horizon: 'short',
        from: '2026-09',
        to: '2026-11',
        visibility: 'network',
      },
    ],
  },
);
export type NewInterpretation = Static<typeof NewInterpretation>;

const Organisation = Type.String({ description: 'the name of the organisation' });

/** A reply to an interpretation. */
export const InterpretationReply = Type.Object({
  id: Type.String(),
  organisation: Organisation,
  body: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type InterpretationReply = Static<typeof InterpretationReply>;

/** An interpretation with the names of what it is about, its replies and the organisations that agree. */
export const Interpretation = Type.Object({
  id: Type.String(),
  organisation: Organisation,
  own: Type.Boolean({ description: "true when it is your organisation's" }),
  title: Type.String(),
  body: Type.String(),
  region: Type.Union([Type.Object({ code: Type.String(), level: Type.String(), name: Type.String() }), Type.Null()]),
  concept: Type.Union([
    Type.Object({ type: Type.Enum([...INTERPRETED_CONCEPTS]), code: Type.String(), label: Type.String() }),
    Type.Null(),
  ]),
  horizon: Type.Union([Horizon, Type.Null()]),
  from: Type.String({ description: 'YYYY-MM' }),
  to: Type.String({ description: 'YYYY-MM' }),
  visibility: Type.Enum([...INTERPRETATION_VISIBILITIES]),
  createdAt: Type.String({ format: 'date-time' }),
  replies: Type.Array(InterpretationReply),
  agreements: Type.Array(Type.Object({ organisation: Organisation, at: Type.String({ format: 'date-time' }) })),
  agreed: Type.Boolean({ description: 'true once an organisation other than the author’s agrees' }),
  agreedByYou: Type.Boolean({ description: 'true when your organisation agrees' }),
});
export type Interpretation = Static<typeof Interpretation>;
