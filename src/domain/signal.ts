import { Type, type Static } from 'typebox';

/** When demand applies: now (under about 6 months), within 1–2 years, or in 3–10 years. */
export const HORIZONS = ['current', 'short', 'long'] as const;
export const Horizon = Type.Enum([...HORIZONS], {
  description: 'current: now (< ~6 months); short: 1–2 years; long: 3–10 years',
});
export type Horizon = Static<typeof Horizon>;

/** Whether a sentence states a need (shortage, hiring), a surplus, or only mentions a skill or occupation. */
export const POLARITIES = ['need', 'surplus', 'mention'] as const;
export const Polarity = Type.Enum([...POLARITIES]);
export type Polarity = Static<typeof Polarity>;

/** A word or phrase of a sentence that says when, whether, or how many. */
export const Cue = Type.Object({
  start: Type.Integer(),
  end: Type.Integer(),
  text: Type.String(),
  horizon: Type.Optional(Horizon),
  polarity: Type.Optional(Polarity),
  count: Type.Optional(Type.Number({ description: 'vacancies: "3 hitsaajaa", "kaksi lähihoitajaa", "two welders"' })),
});
export type Cue = Static<typeof Cue>;
