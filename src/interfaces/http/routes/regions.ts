import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Objects, Topology } from 'topojson-specification';
import { Type } from 'typebox';
import { LANGUAGES } from '../../../domain/language.js';
import { GROUPING_LEVEL, REGION_LEVELS } from '../../../domain/region.js';
import { CRS, projectTopology, type Crs } from '../../../taxonomy/geometry.js';
import type { FastifyReply } from 'fastify';
import { GroupingError, MAX_MEMBERS, RegionGroupingsRepository } from '../../../storage/region-groupings.repository.js';
import { ANALYSTS, ANY_ROLE, principalOf } from '../auth.js';
import { sendError } from '../errors.js';
import type { AppDeps } from '../deps.js';
import { ErrorResponse } from '../schemas.js';

/** The levels from the top down, the order regions are listed in. */
const LEVELS = [...REGION_LEVELS].reverse();

const RegionsQuery = Type.Object(
  {
    level: Type.Optional(
      Type.Enum([...LEVELS, GROUPING_LEVEL], {
        description:
          'one level, or grouping (ESR+ areas and groupings users made); default every level but municipality',
      }),
    ),
    lang: Type.Enum([...LANGUAGES], { default: 'fi', description: 'language of the names' }),
  },
  { additionalProperties: false },
);

const GeometryQuery = Type.Object(
  {
    crs: Type.Enum([...CRS], {
      default: 'EPSG:4326',
      description:
        'EPSG:4326: longitude and latitude, as in the source; EPSG:3067: ETRS-TM35FIN plane coordinates in metres (draw with a planar, y-up projection)',
    }),
  },
  { additionalProperties: false },
);

/** The TopoJSON of the 19 regions, read from the data directory like the classifications (see README "Data sources"). */
export const REGION_GEOMETRY = join('fi-geo', 'finland-regions-2020.topo.json');

const Grouping = Type.Object({
  code: Type.String({ description: 'ESR1–ESR5 for the ESR+ areas, RGnnn for those users made' }),
  name: Type.String(),
  names: Type.Object({
    fi: Type.String(),
    sv: Type.Union([Type.String(), Type.Null()]),
    en: Type.Union([Type.String(), Type.Null()]),
  }),
  predefined: Type.Boolean({ description: 'comes with the service; only an operator removes it' }),
  orgId: Type.Union([Type.String(), Type.Null()], { description: 'the organisation that made it' }),
  members: Type.Array(Type.Object({ code: Type.String(), level: Type.String(), name: Type.String() })),
});

const NewGrouping = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S', description: 'its name in Finnish' }),
    nameSv: Type.Optional(Type.String({ maxLength: 100 })),
    nameEn: Type.Optional(Type.String({ maxLength: 100 })),
    members: Type.Array(Type.String({ maxLength: 100 }), {
      minItems: 1,
      maxItems: MAX_MEMBERS,
      description: 'regions at any level or municipalities: codes (KU109, MK05), municipality numbers (109) or names',
    }),
  },
  { additionalProperties: false, examples: [{ name: 'Hämeenlinnan seutu', members: ['109', 'Hattula', 'KU169'] }] },
);

/** A grouping's refusal in the error shape, naming the field at fault. */
function groupingError(err: unknown, reply: FastifyReply) {
  if (!(err instanceof GroupingError)) throw err;
  return sendError(reply, err.status, err.field ? `body.${err.field}: ${err.message}` : err.message, err.field);
}

export const regionRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const groupings = new RegionGroupingsRepository(deps.db);
    app.get(
      '/v1/regions',
      {
        schema: {
          tags: ['demand'],
          summary: 'Finnish regions at every level, for region filters',
          querystring: RegionsQuery,
          response: {
            200: Type.Object({
              regions: Type.Array(
                Type.Object({
                  code: Type.String(),
                  level: Type.String(),
                  name: Type.String(),
                  parent: Type.Union([Type.String(), Type.Null()]),
                }),
              ),
            }),
            400: ErrorResponse,
          },
        },
        config: { roles: ANY_ROLE },
      },
      async (request) => {
        const q = request.query;
        const levels = q.level ? [q.level] : LEVELS.filter((l) => l !== 'municipality');
        const regions = await deps.db.query<{ code: string; level: string; name: string; parent: string | null }>(
          `SELECT code, level, COALESCE(name_${q.lang}, name_fi) AS name, parent_code AS parent FROM regions
           WHERE level = ANY($1::text[]) AND (valid_to IS NULL OR valid_to >= current_date)
           ORDER BY array_position($1::text[], level), name`,
          [levels],
        );
        if (q.level === undefined || q.level === GROUPING_LEVEL)
          for (const g of await groupings.list(q.lang))
            regions.push({ code: g.code, level: GROUPING_LEVEL, name: g.name, parent: null });
        return { regions };
      },
    );

    app.get(
      '/v1/regions/groupings',
      {
        schema: {
          tags: ['demand'],
          summary: 'Groupings of regions: the ESR+ areas and those users made, with their members',
          description:
            'A grouping is a region wherever the demand routes take one (region=ESR2, region=RG001 or its name).',
          querystring: Type.Object(
            { lang: Type.Enum([...LANGUAGES], { default: 'fi', description: 'language of the names' }) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ groupings: Type.Array(Grouping) }), 400: ErrorResponse },
        },
        config: { roles: ANY_ROLE },
      },
      async (request) => ({ groupings: await groupings.list(request.query.lang) }),
    );

    app.post(
      '/v1/regions/groupings',
      {
        schema: {
          tags: ['demand'],
          summary: 'Make a grouping of regions or municipalities, for the demand routes and the page',
          body: NewGrouping,
          querystring: Type.Object(
            { lang: Type.Enum([...LANGUAGES], { default: 'fi', description: 'language of the names answered' }) },
            { additionalProperties: false },
          ),
          response: { 201: Grouping, 400: ErrorResponse, 409: ErrorResponse },
        },
        config: { roles: ANALYSTS },
      },
      async (request, reply) => {
        try {
          const made = await groupings.create(request.body, principalOf(request).orgId, request.query.lang);
          return reply.code(201).send(made);
        } catch (err) {
          return groupingError(err, reply);
        }
      },
    );

    app.delete(
      '/v1/regions/groupings/:code',
      {
        schema: {
          tags: ['demand'],
          summary: 'Remove a grouping: its organisation or an operator',
          params: Type.Object({ code: Type.String({ maxLength: 20, description: 'the grouping code (RG001)' }) }),
          response: { 204: Type.Null(), 403: ErrorResponse, 404: ErrorResponse },
        },
        config: { roles: ANALYSTS },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        try {
          await groupings.remove(request.params.code, {
            orgId: principal.orgId,
            operator: principal.role === 'operator',
          });
          return reply.code(204).send(null);
        } catch (err) {
          return groupingError(err, reply);
        }
      },
    );

    // the file changes only with the data directory: read (and projected) once per system, on first use
    const geometry = new Map<Crs, string>();
    app.get(
      '/v1/geo/regions',
      {
        schema: {
          tags: ['demand'],
          summary:
            'Map geometry of the 19 regions: TopoJSON with one GeometryCollection whose property maakunta is the two digits of MKnn',
          querystring: GeometryQuery,
          // sent as the file's (or the projection's) JSON text
          response: {
            200: Type.Unsafe<string>({ type: 'object', description: 'TopoJSON topology' }),
            400: ErrorResponse,
            404: ErrorResponse,
          },
        },
        config: { roles: ANY_ROLE },
      },
      async (request, reply) => {
        const { crs } = request.query;
        let body = geometry.get(crs);
        if (body === undefined) {
          const path = join(deps.config.TAXONOMY_DIR, REGION_GEOMETRY);
          if (!existsSync(path)) {
            return reply.code(404).send({
              statusCode: 404,
              error: 'Not Found',
              message: `no region geometry: ${REGION_GEOMETRY} is not in TAXONOMY_DIR (see README "Data sources")`,
            });
          }
          const source = readFileSync(path, 'utf8');
          body =
            crs === 'EPSG:4326'
              ? source
              : JSON.stringify(projectTopology(JSON.parse(source) as Topology<Objects<Record<string, unknown>>>, crs));
          geometry.set(crs, body);
        }
        return reply.type('application/json; charset=utf-8').header('cache-control', 'public, max-age=3600').send(body);
      },
    );
  };
