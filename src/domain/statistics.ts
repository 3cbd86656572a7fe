import { Type, type Static } from 'typebox';

/**
 * One figure of the employment service statistics: at the end of a month, in a region (a code of the service's
 * regions; FI the whole country), for an ISCO-08 group ('' all occupations), the open vacancies and the
 * unemployed jobseekers (null where the release has none).
 */
export interface OccupationStatistic {
  /** the first day of the month */
  month: string;
  region: string;
  isco: string;
  vacancies: number | null;
  jobseekers: number | null;
}

/** An occupation group's statistics in a region: the latest month of the period, and the change in a year. */
export const OccupationStatisticRow = Type.Object({
  key: Type.String({ description: 'the ISCO-08 code at the level asked for: the key of /v1/demand?groupBy=isco…' }),
  label: Type.String(),
  month: Type.String({ description: 'the latest month of the period with figures, YYYY-MM' }),
  vacancies: Type.Union([Type.Number(), Type.Null()]),
  jobseekers: Type.Union([Type.Number(), Type.Null()]),
  ratio: Type.Union([Type.Number(), Type.Null()], {
    description: 'open vacancies per unemployed jobseeker; null without jobseekers',
  }),
  vacanciesChange: Type.Union([Type.Number(), Type.Null()], {
    description: 'the change from the same month a year earlier, as a share (0.25: a quarter more)',
  }),
  jobseekersChange: Type.Union([Type.Number(), Type.Null()]),
});
export type OccupationStatisticRow = Static<typeof OccupationStatisticRow>;
