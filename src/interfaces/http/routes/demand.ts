import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { normalizeText } from '../../../analysis/text.js';
import { DOCUMENT_KINDS } from '../../../domain/document.js';
import { Language, LANGUAGES } from '../../../domain/language.js';
import { Horizon, POLARITIES } from '../../../domain/signal.js';
import {
  addMonths,
  BUCKETS,
  CompareRow,
  DemandRow,
  DemandTotals,
  EmergingRow,
  GROUP_BYS,
  Month,
  monthStart,
  TimeseriesRow,
  type GroupBy,
} from '../../../domain/demand.js';
import {
  conceptOf,
  DemandRepository,
  UnknownFilterError,
  type DemandFilters,
  type Viewer,
} from '../../../storage/demand.repository.js';
import { CSV_LOCALES, csvDialect, csvDocument, type CsvLocale } from '../../csv.js';
import { ATTRIBUTION } from '../attribution.js';
import { ANALYSTS, principalOf } from '../auth.js';
import type { AppDeps } from '../deps.js';
import { ErrorResponse } from '../schemas.js';

/** A region as a filter names it: a code, a municipality number or a name in fi/sv/en. */
const RegionParam = (what: string) =>
  Type.String({
    minLength: 1,
    maxLength: 60,
    pattern: "^[\\p{L}\\p{N}][\\p{L}\\p{N} .'+-]*$",
    description: `${what}, a municipality number (398), a grouping (ESR2, RG001) or a name in Finnish, Swedish or English (Lahti, Päijät-Häme, ESR+ Itä-Suomi)`,
  });

const Filters = {
  concept: Type.Optional(
    Type.Enum(['skill', 'occupation'], {
      description:
        'what is counted: the skills texts ask for, or the occupations they name (a job ad names its own once). Default: occupations when grouping by occupation or ISCO group, else skills; concept=skill with an occupation grouping counts skills by the occupation of their document',
    }),
  ),
  region: Type.Optional(RegionParam('the region: a code at any level (KU398, MK07, EVK03, ELY05, FI1C, FI)')),
  horizon: Type.Optional(Horizon),
  kind: Type.Optional(Type.Enum([...DOCUMENT_KINDS])),
  language: Type.Optional(Language),
  polarity: Type.Enum([...POLARITIES, 'any'], { default: 'need', description: 'which mentions count; default need' }),
  from: Type.Optional(Month('first month')),
  to: Type.Optional(Month('last month')),
  sector: Type.Optional(
    Type.String({ pattern: '^([A-U]|\\d{2})$', description: 'TOL 2008 section letter or two-digit division' }),
  ),
  occupation: Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, description: 'ESCO occupation URI or ISCO-08 code (1–4 digits)' }),
  ),
  minScore: Type.Number({
    minimum: 0,
    maximum: 1,
    default: 0,
    description: 'only mentions at least this confident (calibrated score)',
  }),
  scope: Type.Enum(['all', 'own'], {
    default: 'all',
    description:
      "all: every organisation's documents: shared ones and your own exactly, other organisations' private ones only where at least k organisations contribute them, perturbed (the figure is marked `perturbed`); own: your organisation's only, exact",
  }),
  lang: Type.Enum([...LANGUAGES], { default: 'fi', description: 'language of the labels' }),
  format: Type.Optional(Type.Enum(['json', 'csv'], { description: 'csv, or send Accept: text/csv' })),
  locale: Type.Enum([...CSV_LOCALES], {
    default: 'en',
    description:
      'how CSV is written: en, RFC 4180 (comma, decimal point); fi and sv, as Excel in those locales opens it (UTF-8 BOM, semicolons, decimal comma)',
  }),
};

const GroupByParam = Type.Enum([...GROUP_BYS], { default: 'skill' });

const DemandQuery = Type.Object(
  {
    ...Filters,
    groupBy: GroupByParam,
    splitBy: Type.Optional(
      Type.Enum([...GROUP_BYS], {
        description:
          'one table per part of this grouping (say maakunta): rows carry `split`, shares are of their part, `limit` is per part',
      }),
    ),
    splitKeys: Type.Enum(['own', 'overall'], {
      default: 'own',
      description:
        'with splitBy: own gives each part its own `limit` largest groups; overall gives every part the same groups, the `limit` largest under the filters as a whole (the rows of a regions × groups table in one request)',
    }),
    keys: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 20_000,
        description: 'comma-separated keys: only these rows (shares stay shares of all demand)',
      }),
    ),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
    offset: Type.Integer({
      minimum: 0,
      maximum: 100_000,
      default: 0,
      description: 'groups to skip, the largest first (per part with splitBy): the next page starts at offset + limit',
    }),
  },
  { additionalProperties: false },
);
type DemandQuery = Static<typeof DemandQuery>;

const TimeseriesQuery = Type.Object(
  {
    ...Filters,
    groupBy: GroupByParam,
    bucket: Type.Enum([...BUCKETS], { default: 'month' }),
    keys: Type.Optional(
      Type.String({ minLength: 1, description: 'comma-separated keys; default the largest `limit` groups' }),
    ),
    limit: Type.Integer({ minimum: 1, maximum: 50, default: 5 }),
  },
  { additionalProperties: false },
);

const EmergingQuery = Type.Object(
  {
    ...Filters,
    groupBy: GroupByParam,
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 20 }),
    minMentions: Type.Integer({
      minimum: 1,
      default: 3,
      description: 'leave out keys with fewer mentions in the current period',
    }),
  },
  { additionalProperties: false },
);

const CompareQuery = Type.Object(
  {
    ...Filters,
    region: RegionParam('the region to describe'),
    against: Type.Optional(RegionParam('another region; default the whole country')),
    groupBy: GroupByParam,
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
    minMentions: Type.Integer({
      minimum: 1,
      default: 1,
      description: 'leave out keys with fewer mentions in the region',
    }),
  },
  { additionalProperties: false },
);

const EvidenceQuery = Type.Object(
  {
    ...Filters,
    skill: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 300,
        description: 'ESCO skill URI; without it, with concept=occupation, the documents of `occupation`',
      }),
    ),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
  },
  { additionalProperties: false },
);

const EvidenceSentence = Type.Object({
  index: Type.Integer(),
  text: Type.String(),
  /** the skill's words in the sentence, offsets relative to `text` */
  spans: Type.Array(Type.Object({ start: Type.Integer(), end: Type.Integer() })),
  horizon: Type.String(),
  polarity: Type.String(),
});

const monthsBetween = (from: string, to: string) => {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return ty * 12 + tm - (fy * 12 + fm) + 1;
};

const keysOf = (keys: string | undefined) =>
  keys
    ?.split(',')
    .map((k) => k.trim())
    .filter(Boolean);

/** The filters alone, the part every demand query shares. */
function filtersOf(
  q: Pick<DemandQuery, keyof typeof Filters> & { groupBy?: GroupBy | undefined },
  viewer: Viewer,
): DemandFilters {
  return {
    concept: q.concept ?? conceptOf(q.groupBy),
    viewer,
    scope: q.scope,
    region: q.region,
    horizon: q.horizon,
    kind: q.kind,
    language: q.language,
    polarity: q.polarity,
    from: monthStart(q.from),
    to: monthStart(q.to),
    sector: q.sector,
    occupation: q.occupation,
    minScore: q.minScore,
  };
}

/** CSV with the attribution ESCO's licence asks for and the request's filters as comment lines above the table. */
export function toCsv<R>(
  columns: (keyof R & string)[],
  rows: R[],
  query: Record<string, unknown> & { locale?: CsvLocale },
): string {
  const filters = Object.entries(query)
    .filter(([k, v]) => v !== undefined && v !== '' && k !== 'format' && k !== 'locale')
    .map(([k, v]) => `${k}=${String(v)}`);
  return csvDocument(columns, rows, csvDialect(query.locale), [ATTRIBUTION, `filters: ${filters.join('; ')}`]);
}

function wantsCsv(request: FastifyRequest, format: string | undefined): boolean {
  if (format) return format === 'csv';
  return /\btext\/csv\b/.test(request.headers.accept ?? '');
}

/** CSV (flat columns) when asked for by `format` or Accept, else the JSON body. */
async function answer<T, R>(
  request: FastifyRequest,
  reply: FastifyReply,
  query: Record<string, unknown> & { format?: string | undefined; locale?: CsvLocale },
  csv: () => [(keyof R & string)[], R[]],
  json: () => T | Promise<T>,
): Promise<T | FastifyReply> {
  if (!wantsCsv(request, query.format)) return json();
  const [columns, rows] = csv();
  return reply.type('text/csv; charset=utf-8').send(toCsv(columns, rows, query));
}

/** 400 naming the parameter for filters the schema cannot judge: from after to, unknown codes. */
async function guarded<T>(
  reply: FastifyReply,
  q: {
    from?: string | undefined;
    to?: string | undefined;
    concept?: string | undefined;
    groupBy?: GroupBy | undefined;
    splitBy?: GroupBy | undefined;
  },
  run: () => Promise<T>,
): Promise<T | FastifyReply> {
  const bySkill = [q.groupBy, q.splitBy].find((g) => g === 'skill' || g === 'skillGroup');
  if (q.concept === 'occupation' && bySkill) {
    return reply.code(400).send({
      statusCode: 400,
      error: 'Bad Request',
      message: `querystring.concept=occupation counts occupations, which have no ${bySkill}: group by occupation or an ISCO level, or leave concept out`,
      field: 'concept',
    });
  }
  if (q.from && q.to && monthStart(q.from)! > monthStart(q.to)!) {
    return reply.code(400).send({
      statusCode: 400,
      error: 'Bad Request',
      message: `querystring.from (${q.from}) is after querystring.to (${q.to})`,
      field: 'from',
    });
  }
  try {
    return await run();
  } catch (err) {
    if (err instanceof UnknownFilterError)
      return reply.code(400).send({
        statusCode: 400,
        error: 'Bad Request',
        message: `querystring.${err.field}: ${err.message}`,
        field: err.field,
      });
    throw err;
  }
}

export const demandRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const repo = new DemandRepository(deps.db);
    const viewerOf = (request: FastifyRequest): Viewer => ({
      orgId: principalOf(request).orgId,
      k: deps.config.DEMAND_MIN_CELL,
    });

    app.get(
      '/v1/demand',
      {
        schema: {
          tags: ['demand'],
          summary: 'Skill demand grouped by skill, skill group, occupation, ISCO level, sector or region level',
          description: `Counts the mentions of analysed documents under the filters. CSV with format=csv or Accept: text/csv. ${ATTRIBUTION}`,
          querystring: DemandQuery,
          response: {
            200: Type.Object({
              groupBy: Type.String(),
              splitBy: Type.Optional(Type.String()),
              totals: DemandTotals,
              rows: Type.Array(DemandRow),
              attribution: Type.String(),
            }),
            400: ErrorResponse,
          },
        },
        config: { roles: ANALYSTS },
      },
      async (request, reply) => {
        const q = request.query;
        return guarded(reply, q, async () => {
          if (q.splitBy === q.groupBy)
            return reply.code(400).send({
              statusCode: 400,
              error: 'Bad Request',
              message: 'querystring.splitBy must differ from groupBy',
              field: 'splitBy',
            });
          if (q.splitKeys === 'overall' && !q.splitBy)
            return reply.code(400).send({
              statusCode: 400,
              error: 'Bad Request',
              message: 'querystring.splitKeys=overall needs splitBy',
              field: 'splitKeys',
            });
          const filters = filtersOf(q, viewerOf(request));
          const rows = await repo.demand(q.groupBy, filters, {
            lang: q.lang,
            limit: q.limit,
            offset: q.offset,
            splitBy: q.splitBy,
            keys: keysOf(q.keys),
            sameKeys: q.splitKeys === 'overall',
          });
          return answer(
            request,
            reply,
            q,
            () => [
              [
                ...(q.splitBy ? (['split', 'splitLabel'] as const) : []),
                'key',
                'label',
                'documents',
                'mentions',
                'demand',
                'share',
                'perturbed',
              ],
              rows,
            ],
            async () => ({
              groupBy: q.groupBy,
              ...(q.splitBy ? { splitBy: q.splitBy } : {}),
              totals: await repo.totals(filters),
              rows,
              attribution: ATTRIBUTION,
            }),
          );
        });
      },
    );

    app.get(
      '/v1/demand/emerging',
      {
        schema: {
          tags: ['demand'],
          summary: 'Keys whose share of mentions grew most against the previous period, with a significance measure',
          description:
            'The current period is from–to (default: the three months up to the latest month with data); the previous period is as long and ends just before it. Rows are ranked by a two-proportion z-test on the mention counts.',
          querystring: EmergingQuery,
          response: {
            200: Type.Object({
              groupBy: Type.String(),
              current: Type.Object({ from: Type.String(), to: Type.String() }),
              previous: Type.Object({ from: Type.String(), to: Type.String() }),
              rows: Type.Array(EmergingRow),
              attribution: Type.String(),
            }),
            400: ErrorResponse,
          },
        },
        config: { roles: ANALYSTS },
      },
      async (request, reply) => {
        const q = request.query;
        return guarded(reply, q, async () => {
          const filters = { ...filtersOf(q, viewerOf(request)), from: undefined, to: undefined };
          const to =
            monthStart(q.to) ?? (await repo.latestMonth(filters)) ?? `${new Date().toISOString().slice(0, 7)}-01`;
          const from = monthStart(q.from) ?? addMonths(to, -2);
          const length = monthsBetween(from, to);
          const current = { from, to };
          const previous = { from: addMonths(from, -length), to: addMonths(from, -1) };
          const rows = await repo.emerging(q.groupBy, filters, current, previous, {
            lang: q.lang,
            limit: q.limit,
            minMentions: q.minMentions,
          });
          const flat = () =>
            rows.map((r) => ({
              key: r.key,
              label: r.label,
              mentions: r.current.mentions,
              share: r.current.share,
              previous_mentions: r.previous.mentions,
              previous_share: r.previous.share,
              growth: r.growth,
              z: r.z,
              p_value: r.pValue,
            }));
          return answer(
            request,
            reply,
            q,
            () => [
              ['key', 'label', 'mentions', 'share', 'previous_mentions', 'previous_share', 'growth', 'z', 'p_value'],
              flat(),
            ],
            () => ({ groupBy: q.groupBy, current, previous, rows, attribution: ATTRIBUTION }),
          );
        });
      },
    );

    app.get(
      '/v1/demand/compare',
      {
        schema: {
          tags: ['demand'],
          summary: 'A region against the whole country or another region: location quotients',
          description:
            "lq = the key's share of demand in the region / its share in the comparison; above 1 the region asks for it more.",
          querystring: CompareQuery,
          response: {
            200: Type.Object({
              groupBy: Type.String(),
              region: Type.String(),
              against: Type.String(),
              rows: Type.Array(CompareRow),
              attribution: Type.String(),
            }),
            400: ErrorResponse,
          },
        },
        config: { roles: ANALYSTS },
      },
      async (request, reply) => {
        const q = request.query;
        return guarded(reply, q, async () => {
          const region = (await repo.resolveRegion(q.region, 'region')).code;
          const against = q.against === undefined ? 'FI' : (await repo.resolveRegion(q.against, 'against')).code;
          const filters = { ...filtersOf(q, viewerOf(request)), region: undefined };
          const rows = await repo.compare(q.groupBy, filters, region, against === 'FI' ? undefined : against, {
            lang: q.lang,
            limit: q.limit,
            minMentions: q.minMentions,
          });
          const flat = () =>
            rows.map((r) => ({
              key: r.key,
              label: r.label,
              mentions: r.region.mentions,
              demand: r.region.demand,
              share: r.region.share,
              against_mentions: r.against.mentions,
              against_demand: r.against.demand,
              against_share: r.against.share,
              lq: r.lq ?? '',
            }));
          return answer(
            request,
            reply,
            q,
            () => [
              [
                'key',
                'label',
                'mentions',
                'demand',
                'share',
                'against_mentions',
                'against_demand',
                'against_share',
                'lq',
              ],
              flat(),
            ],
            () => ({ groupBy: q.groupBy, region, against, rows, attribution: ATTRIBUTION }),
          );
        });
      },
    );

    app.get(
      '/v1/demand/timeseries',
      {
        schema: {
          tags: ['demand'],
          summary: 'Demand per month, quarter or year for chosen keys (default: the largest groups)',
          querystring: TimeseriesQuery,
          response: {
            200: Type.Object({
              groupBy: Type.String(),
              bucket: Type.String(),
              rows: Type.Array(TimeseriesRow),
              attribution: Type.String(),
            }),
            400: ErrorResponse,
          },
        },
        config: { roles: ANALYSTS },
      },
      async (request, reply) => {
        const q = request.query;
        return guarded(reply, q, async () => {
          const rows = await repo.timeseries(q.groupBy, q.bucket, filtersOf(q, viewerOf(request)), {
            lang: q.lang,
            keys: keysOf(q.keys),
            limit: q.limit,
          });
          return answer(
            request,
            reply,
            q,
            () => [['bucket', 'key', 'label', 'documents', 'mentions', 'demand', 'perturbed', 'partial'], rows],
            () => ({ groupBy: q.groupBy, bucket: q.bucket, rows, attribution: ATTRIBUTION }),
          );
        });
      },
    );

    app.get(
      '/v1/demand/documents',
      {
        schema: {
          tags: ['demand'],
          summary: "The documents and sentences behind one skill's or occupation's demand (drill-down)",
          description:
            'The documents whose mentions of `skill` (or, with concept=occupation, of `occupation`: an ESCO URI or an ISCO-08 code) count under the filters, newest first, each with the sentences that mention it and where: ' +
            "your organisation's documents and shared ones only (so `total` can be below the demand's document count). A job ad's own occupation counts without a sentence. Each read is written to the audit log.",
          querystring: EvidenceQuery,
          response: {
            200: Type.Object({
              skill: Type.Optional(Type.Object({ uri: Type.String(), label: Type.String() })),
              occupation: Type.Optional(Type.Object({ key: Type.String(), label: Type.String() })),
              total: Type.Integer(),
              documents: Type.Array(
                Type.Object({
                  id: Type.String(),
                  kind: Type.String(),
                  title: Type.Union([Type.String(), Type.Null()]),
                  date: Type.Union([Type.String(), Type.Null()]),
                  language: Type.Union([Type.String(), Type.Null()]),
                  region: Type.Union([Type.String(), Type.Null()]),
                  mentions: Type.Integer({
                    description: 'mentions of the skill (or occupation) that count under the filters',
                  }),
                  sentences: Type.Array(EvidenceSentence),
                }),
              ),
              attribution: Type.String(),
            }),
            400: ErrorResponse,
          },
        },
        config: { roles: ANALYSTS },
      },
      async (request, reply) => {
        const q = request.query;
        return guarded(reply, q, async () => {
          const bad = (field: string, message: string) =>
            reply
              .code(400)
              .send({ statusCode: 400, error: 'Bad Request', message: `querystring.${field}: ${message}`, field });
          const occupational = q.concept === 'occupation';
          if (occupational && (q.skill !== undefined || q.occupation === undefined))
            return bad(
              'occupation',
              'with concept=occupation, give the occupation (ESCO URI or ISCO-08 code), not a skill',
            );
          if (!occupational && q.skill === undefined)
            return bad('skill', 'required: the ESCO skill URI (or concept=occupation with an occupation)');
          const key = occupational ? q.occupation! : q.skill!;
          const isco = /^\d{1,4}$/.test(key);
          const label = (
            await repo.labels(
              occupational ? (isco ? (`isco${key.length}` as GroupBy) : 'occupation') : 'skill',
              [key],
              q.lang,
            )
          ).get(key);
          if (label === undefined)
            return occupational
              ? bad(
                  'occupation',
                  `unknown occupation ${JSON.stringify(key)} (an ESCO occupation URI or an ISCO-08 code)`,
                )
              : bad('skill', `unknown ESCO skill ${JSON.stringify(key)}`);
          const principal = principalOf(request);
          const found = await repo.documentsOf(
            occupational ? undefined : key,
            filtersOf(q, viewerOf(request)),
            { limit: q.limit, offset: q.offset },
            principal.orgId,
          );
          const ids = found.documents.map((d) => d.id);
          await deps.keys.audit(principal, 'read_sentences', ids, '/v1/demand/documents');
          const [docs, analyses] = await Promise.all([deps.documents.getMany(ids), deps.documents.analysesOf(ids)]);
          const counted = new Map(found.documents.map((d) => [d.id, d.mentions]));
          const documents = docs.map((doc) => {
            const analysis = analyses.get(doc.id);
            // offsets refer to the normalised text the analysis read
            const text = normalizeText(doc.text);
            const sentences = new Map<number, Static<typeof EvidenceSentence>>();
            const named = occupational
              ? (analysis?.occupationMentions ?? []).filter((m) => (isco ? m.isco.startsWith(key) : m.uri === key))
              : (analysis?.mentions ?? []).filter((m) => m.uri === key);
            for (const m of named) {
              if (!m.counted) continue;
              const s = analysis!.sentences[m.sentenceIndex];
              if (!s) continue;
              let entry = sentences.get(s.index);
              if (!entry)
                sentences.set(
                  s.index,
                  (entry = {
                    index: s.index,
                    text: text.slice(s.start, s.end),
                    spans: [],
                    horizon: m.horizon,
                    polarity: m.polarity,
                  }),
                );
              entry.spans.push({ start: Math.max(0, m.start - s.start), end: Math.min(s.end, m.end) - s.start });
            }
            return {
              id: doc.id,
              kind: doc.kind,
              title: doc.title ?? null,
              date: doc.date ?? null,
              language: analysis?.language ?? doc.language ?? null,
              region: doc.region ?? null,
              mentions: counted.get(doc.id) ?? 0,
              sentences: [...sentences.values()].sort((a, b) => a.index - b.index),
            };
          });
          return {
            ...(occupational ? { occupation: { key, label } } : { skill: { uri: key, label } }),
            total: found.total,
            documents,
            attribution: ATTRIBUTION,
          };
        });
      },
    );
  };
