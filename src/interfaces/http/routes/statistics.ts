import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Month, monthStart } from '../../../domain/demand.js';
import { LANGUAGES } from '../../../domain/language.js';
import { GROUPING_LEVEL } from '../../../domain/region.js';
import { OccupationStatisticRow } from '../../../domain/statistics.js';
import { DemandRepository, UnknownFilterError } from '../../../storage/demand.repository.js';
import { StatisticsRepository } from '../../../storage/statistics.repository.js';
import { ANALYSTS } from '../auth.js';
import type { AppDeps } from '../deps.js';
import { sendError } from '../errors.js';
import { ErrorResponse } from '../schemas.js';

/** The licence line the statistics are published under. */
export const STATISTICS_SOURCE =
  'Source: Statistics Finland, employment service statistics (StatFin, tyonv), CC BY 4.0; the Ministry of Economic Affairs and Employment';

const Query = Type.Object(
  {
    level: Type.Integer({ minimum: 1, maximum: 4, default: 4, description: 'ISCO-08 level: 1–4 digits' }),
    region: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'a region at any level or a grouping; default FI' }),
    ),
    occupation: Type.Optional(Type.String({ pattern: '^\\d{1,4}$', description: 'only this ISCO-08 group' })),
    from: Type.Optional(Month('first month')),
    to: Type.Optional(Month('last month: the answer is of the latest month from–to with figures')),
    lang: Type.Enum([...LANGUAGES], { default: 'fi' }),
  },
  { additionalProperties: false },
);

/** Official statistics of vacancies and jobseekers by occupation and region (issue 31). */
export const statisticsRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const statistics = new StatisticsRepository(deps.db);
    const demand = new DemandRepository(deps.db);

    app.get(
      '/v1/statistics/occupations',
      {
        schema: {
          tags: ['demand'],
          summary: 'Open vacancies and unemployed jobseekers per occupation group and region (official statistics)',
          description: `The employment service statistics imported (skills-radar statistics import): at the end of the latest month from–to with figures, per ISCO-08 group at \`level\`, with vacancies per jobseeker and the change from a year earlier. The keys are those of /v1/demand?groupBy=isco1…isco4, so the two join. ${STATISTICS_SOURCE}.`,
          querystring: Query,
          response: {
            200: Type.Object({
              region: Type.String(),
              month: Type.Union([Type.String(), Type.Null()], { description: 'YYYY-MM; null when none has figures' }),
              rows: Type.Array(OccupationStatisticRow),
              releases: Type.Array(
                Type.Object({
                  file: Type.String(),
                  title: Type.Union([Type.String(), Type.Null()]),
                  firstMonth: Type.Union([Type.String(), Type.Null()]),
                  lastMonth: Type.Union([Type.String(), Type.Null()]),
                  importedAt: Type.String(),
                }),
              ),
              source: Type.String(),
            }),
            400: ErrorResponse,
          },
        },
        config: { roles: ANALYSTS },
      },
      async (request, reply) => {
        const q = request.query;
        let region: { code: string; level: string };
        try {
          region = await demand.resolveRegion(q.region ?? 'FI', 'region');
        } catch (err) {
          if (err instanceof UnknownFilterError) return sendError(reply, 400, err.message, err.field);
          throw err;
        }
        if (q.from && q.to && monthStart(q.to)! < monthStart(q.from)!)
          return sendError(reply, 400, `to (${q.to}) is before from (${q.from})`, 'to');
        const parts = await statistics.partsOf(region.code, region.level === GROUPING_LEVEL);
        const found = await statistics.occupations(parts, {
          level: q.level,
          from: monthStart(q.from),
          to: monthStart(q.to),
          lang: q.lang,
          isco: q.occupation,
        });
        return {
          region: region.code,
          month: found?.month ?? null,
          rows: found?.rows ?? [],
          releases: await statistics.releases(),
          source: STATISTICS_SOURCE,
        };
      },
    );

    app.get(
      '/v1/statistics/regions',
      {
        schema: {
          tags: ['demand'],
          summary: "One occupation group's vacancies and jobseekers in each of the 19 regions (maakunnat)",
          description: `For a map of where an occupation is scarce: per maakunta, its figures of the latest month from–to with figures (its own, else its municipalities'), with vacancies per jobseeker. ${STATISTICS_SOURCE}.`,
          querystring: Type.Object(
            {
              occupation: Type.String({ pattern: '^\\d{1,4}$', description: 'an ISCO-08 group, 1–4 digits' }),
              from: Type.Optional(Month('first month')),
              to: Type.Optional(Month('last month')),
              lang: Type.Enum([...LANGUAGES], { default: 'fi' }),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              occupation: Type.String(),
              rows: Type.Array(
                Type.Object({
                  key: Type.String({ description: 'the maakunta code: the key of /v1/demand?groupBy=maakunta' }),
                  label: Type.String(),
                  month: Type.Union([Type.String(), Type.Null()]),
                  vacancies: Type.Union([Type.Number(), Type.Null()]),
                  jobseekers: Type.Union([Type.Number(), Type.Null()]),
                  ratio: Type.Union([Type.Number(), Type.Null()]),
                }),
              ),
              source: Type.String(),
            }),
            400: ErrorResponse,
          },
        },
        config: { roles: ANALYSTS },
      },
      async (request, reply) => {
        const q = request.query;
        if (q.from && q.to && monthStart(q.to)! < monthStart(q.from)!)
          return sendError(reply, 400, `to (${q.to}) is before from (${q.from})`, 'to');
        const maakunnat = await deps.db.query<{ code: string; name: string }>(
          `SELECT code, COALESCE(name_${q.lang}, name_fi) AS name FROM regions
            WHERE level = 'maakunta' AND valid_to IS NULL ORDER BY code`,
        );
        const rows = [];
        for (const m of maakunnat) {
          const found = await statistics.occupations(await statistics.partsOf(m.code, false), {
            level: q.occupation.length,
            from: monthStart(q.from),
            to: monthStart(q.to),
            lang: q.lang,
            isco: q.occupation,
          });
          const row = found?.rows[0];
          rows.push({
            key: m.code,
            label: m.name,
            month: row ? found.month : null,
            vacancies: row?.vacancies ?? null,
            jobseekers: row?.jobseekers ?? null,
            ratio: row?.ratio ?? null,
          });
        }
        return { occupation: q.occupation, rows, source: STATISTICS_SOURCE };
      },
    );
  };
