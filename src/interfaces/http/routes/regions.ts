import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Objects, Topology } from 'topojson-specification';
import { Type } from 'typebox';
import { LANGUAGES } from '../../../domain/language.js';
import { REGION_LEVELS } from '../../../domain/region.js';
import { CRS, projectTopology, type Crs } from '../../../taxonomy/geometry.js';
import { ANY_ROLE } from '../auth.js';
import type { AppDeps } from '../deps.js';
import { ErrorResponse } from '../schemas.js';

/** The levels from the top down, the order regions are listed in. */
const LEVELS = [...REGION_LEVELS].reverse();

const RegionsQuery = Type.Object(
  {
    level: Type.Optional(Type.Enum([...LEVELS], { description: 'one level; default every level but municipality' })),
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

export const regionRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
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
        return { regions };
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
