import { Type, type Static } from 'typebox';
import { Horizon, Polarity } from './signal.js';

/** What a person may do to the machine's reading of a document: drop a concept, add one, or change its signal. */
export const CORRECTION_ACTIONS = ['remove', 'add', 'change'] as const;

/** Which kind of concept a correction is about. */
export const CORRECTED_CONCEPTS = ['skill', 'occupation'] as const;

/**
 * One correction of a document's analysis, by the words it is about: a span of the document's text (character
 * offsets into the NFC-normalised text, end exclusive). A removal or change applies to the mentions of `uri` that
 * overlap the span; the empty span 0–0 names a job ad's own occupation. A corrected mention is verified and counted.
 */
export const Correction = Type.Object(
  {
    action: Type.Enum([...CORRECTION_ACTIONS]),
    concept: Type.Enum([...CORRECTED_CONCEPTS]),
    uri: Type.String({ minLength: 1, maxLength: 300, description: 'ESCO skill or occupation URI' }),
    start: Type.Integer({ minimum: 0 }),
    end: Type.Integer({ minimum: 0 }),
    horizon: Type.Optional(Horizon),
    polarity: Type.Optional(Polarity),
    weight: Type.Optional(
      Type.Number({ minimum: 0.01, maximum: 100_000, description: 'people needed, or vacancies behind a skill' }),
    ),
  },
  { additionalProperties: false },
);
export type Correction = Static<typeof Correction>;

/** A correction of each kind, for the API's examples. */
export const CORRECTION_EXAMPLES: Correction[] = [
  {
    action: 'add',
    concept: 'occupation',
    uri: 'http://data.europa.eu/esco/occupation/7aedaa07-3884-4c5b-88f9-80997b2aa54b',
    start: 56,
    end: 65,
    horizon: 'short',
    polarity: 'need',
  },
  {
    action: 'remove',
    concept: 'skill',
    uri: 'http://data.europa.eu/esco/skill/28cb374e-6261-4133-8371-f9a5470145da',
    start: 98,
    end: 110,
  },
];

/** A correction as the analysis applied it: whether it found (or, added, made) a mention. */
export const AppliedCorrection = Type.Intersect([
  Correction,
  Type.Object({
    applied: Type.Boolean({
      description: 'false when the mention it removes or changes is no longer found in the text (re-analysed since)',
    }),
  }),
]);
export type AppliedCorrection = Static<typeof AppliedCorrection>;

/** Whether a mention at `start`–`end` is what the correction is about: overlapping words, or both the document. */
export function correctionMeets(c: Pick<Correction, 'start' | 'end'>, start: number, end: number): boolean {
  if (c.start === c.end || start === end) return c.start === start && c.end === end;
  return start < c.end && c.start < end;
}

/** A correction as stored with its document: its id (to withdraw it) and when it was made. */
export const StoredCorrection = Type.Intersect([
  Correction,
  Type.Object({ id: Type.String(), createdAt: Type.String({ format: 'date-time' }) }),
]);
export type StoredCorrection = Static<typeof StoredCorrection>;

/** The correction itself, without what storing it added. */
export function correctionOf({ id: _id, createdAt: _at, ...c }: StoredCorrection): Correction {
  return c;
}
