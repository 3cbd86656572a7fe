import { Type, type Static } from 'typebox';

/** A month of the demand's time, as filters and interpretations name it. */
export const Month = (description: string) =>
  Type.String({
    pattern: '^(19|2\\d)\\d{2}-(0[1-9]|1[0-2])(-\\d{2})?$',
    description: `${description}: YYYY-MM (or a date in that month), years 1900–2999`,
  });

/** The first day of the month of YYYY-MM or YYYY-MM-DD. */
export function monthStart(v: string): string;
export function monthStart(v: string | undefined): string | undefined;
export function monthStart(v: string | undefined): string | undefined {
  return v === undefined ? undefined : `${v.slice(0, 7)}-01`;
}

/** YYYY-MM-01 moved by `months`. */
export function addMonths(month: string, months: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}

/** What demand can be grouped by (and split by). */
export const GROUP_BYS = [
  'skill',
  'skillGroup',
  'occupation',
  'isco1',
  'isco2',
  'isco3',
  'isco4',
  'sector',
  'sectorSection',
  'municipality',
  'maakunta',
  'area',
  'majorRegion',
  'horizon',
  'polarity',
  'kind',
  'language',
] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/** The periods of a time series. */
export const BUCKETS = ['month', 'quarter', 'year'] as const;
export type Bucket = (typeof BUCKETS)[number];

/** Set on a figure that counts other organisations' private documents: those parts are perturbed (docs/privacy.md). */
const Perturbed = Type.Optional(
  Type.Literal(true, {
    description:
      'the figures include private documents of at least k other organisations, perturbed slightly (the cell key method): read them as approximate',
  }),
);

/** One group of a demand answer. */
export const DemandRow = Type.Object({
  split: Type.Optional(Type.String({ description: 'with splitBy: the part the row belongs to' })),
  splitLabel: Type.Optional(Type.String()),
  key: Type.String(),
  label: Type.String(),
  documents: Type.Integer(),
  mentions: Type.Integer(),
  demand: Type.Number({ description: "weighted demand: the sum of the mentions' weights (vacancies)" }),
  share: Type.Number({ description: 'share of all demand under the same filters (or split part)' }),
  perturbed: Perturbed,
});
export type DemandRow = Static<typeof DemandRow>;

/** All demand under the filters. */
export const DemandTotals = Type.Object({
  documents: Type.Integer(),
  mentions: Type.Integer(),
  demand: Type.Number(),
  perturbed: Perturbed,
});
export type DemandTotals = Static<typeof DemandTotals>;

/** One group in one period of a time series. */
export const TimeseriesRow = Type.Object({
  bucket: Type.String({ description: 'the first day of the period' }),
  key: Type.String(),
  label: Type.String(),
  documents: Type.Integer(),
  mentions: Type.Integer(),
  demand: Type.Number(),
  perturbed: Perturbed,
  partial: Type.Optional(
    Type.Literal(true, { description: 'the period has not ended yet (it holds today): its figures are still growing' }),
  ),
});
export type TimeseriesRow = Static<typeof TimeseriesRow>;

/** A group's figures in one period or place. */
export const Counts = Type.Object({
  documents: Type.Integer(),
  mentions: Type.Integer(),
  demand: Type.Number(),
  share: Type.Number(),
});
export type Counts = Static<typeof Counts>;

/** A group whose share of the mentions grew from the previous period to the current one. */
export const EmergingRow = Type.Object({
  key: Type.String(),
  label: Type.String(),
  current: Counts,
  previous: Counts,
  growth: Type.Number({ description: 'share of mentions now minus share before' }),
  z: Type.Number({ description: 'two-proportion z statistic of the growth' }),
  pValue: Type.Number({ description: 'its one-sided p-value' }),
});
export type EmergingRow = Static<typeof EmergingRow>;

/** A group in a region against the same group in the comparison. */
export const CompareRow = Type.Object({
  key: Type.String(),
  label: Type.String(),
  region: Counts,
  against: Counts,
  lq: Type.Union([Type.Number(), Type.Null()], {
    description: 'location quotient: share here / share there; null when the comparison has none of it',
  }),
});
export type CompareRow = Static<typeof CompareRow>;
