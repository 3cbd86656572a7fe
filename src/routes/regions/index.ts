import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppDeps } from '../../app.js';
import { ANY_ROLE } from '../../auth/plugin.js';
import { ErrorResponse } from '../schemas.js';

const LEVELS = ['country', 'major_region', 'elinvoimakeskus', 'ely', 'maakunta', 'municipality'] as const;

const RegionsQuery = Type.Object(
  {
    level: Type.Optional(Type.Enum([...LEVELS], { description: 'one level; default every level but municipality' })),
    lang: Type.Enum(['fi', 'sv', 'en'], { default: 'fi', description: 'language of the names' }),
  },
  { additionalProperties: false },
);
type RegionsQuery = Static<typeof RegionsQuery>;

/** The TopoJSON of the 19 regions, read from the data directory like the classifications (see README "Data sources"). */
export const REGION_GEOMETRY = join('fi-geo', 'finland-regions-2020.topo.json');

export const regionRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    app.get(
      '/v1/regions',
      {
        schema: {
          tags: ['demand'],
          summary: 'Finnish regions at every level, for region filters',
          querystring: RegionsQuery,
          response: {
            200: Type.Object({
              regions: Type.Array(Type.Object({ code: Type.String(), level: Type.String(), name: Type.String(), parent: Type.Union([Type.String(), Type.Null()]) })),
            }),
            400: ErrorResponse,
          },
        },
        config: { roles: ANY_ROLE },
      },
      async (request) => {
        const q = request.query as RegionsQuery;
        const levels = q.level ? [q.level] : LEVELS.filter((l) => l !== 'municipality');
        const regions = await deps.db.query<{ code: string; level: string; name: string; parent: string | null }>(
          `SELECT code, level, COALESCE(name_${q.lang}, name_fi) AS name, parent_code AS parent FROM regions
           WHERE level = ANY($1::text[]) AND (valid_to IS NULL OR valid_to >= current_date)
           ORDER BY array_position($1::text[], level), name`,
          [levels],
        );
        return { regions };
      },
    );

    // the file changes only with the data directory: read once, on first use
    let geometry: string | undefined;
    app.get(
      '/v1/geo/regions',
      {
        schema: {
          tags: ['demand'],
          summary: "Map geometry of the 19 regions: TopoJSON with one GeometryCollection whose property maakunta is the two digits of MKnn",
          response: { 404: ErrorResponse },
        },
        config: { roles: ANY_ROLE },
      },
      async (_request, reply) => {
        const path = join(deps.config.TAXONOMY_DIR, REGION_GEOMETRY);
        if (geometry === undefined) {
          if (!existsSync(path)) {
            return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no region geometry: ${REGION_GEOMETRY} is not in TAXONOMY_DIR (see README "Data sources")` });
          }
          geometry = readFileSync(path, 'utf8');
        }
        return reply.type('application/json; charset=utf-8').header('cache-control', 'public, max-age=3600').send(geometry);
      },
    );
  };
