import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import {
  CalendarEntry,
  KnowledgeSource,
  KnowledgeSourceChange,
  NewCalendarEntry,
  NewKnowledgeSource,
  ReceivedSource,
} from '../../../domain/catalogue.js';
import { LANGUAGES } from '../../../domain/language.js';
import { CatalogueError, CatalogueRepository, type Editor } from '../../../storage/catalogue.repository.js';
import { DemandRepository, UnknownFilterError } from '../../../storage/demand.repository.js';
import { ANALYSTS, ANY_ROLE, principalOf } from '../auth.js';
import type { AppDeps } from '../deps.js';
import { sendError } from '../errors.js';
import { ErrorResponse } from '../schemas.js';

const Lang = Type.Object(
  { lang: Type.Enum([...LANGUAGES], { default: 'fi', description: 'language of region names' }) },
  { additionalProperties: false },
);
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** A refusal in the error shape, naming the field at fault. */
function refusal(err: unknown, reply: FastifyReply) {
  if (err instanceof UnknownFilterError) err = new CatalogueError(400, err.field, err.message);
  if (!(err instanceof CatalogueError)) throw err;
  const where = err.field && err.status !== 404 ? `body.${err.field}: ` : '';
  return sendError(reply, err.status, `${where}${err.message}`, err.field);
}

/**
 * The regions' knowledge process around the data: which sources feed the platform (catalogued, and as the
 * documents show them) and when the region's knowledge products are due each year.
 */
export const catalogueRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const catalogue = new CatalogueRepository(deps.db);
    const regions = new DemandRepository(deps.db);
    const editor = (request: Parameters<typeof principalOf>[0]): Editor => {
      const p = principalOf(request);
      return { orgId: p.orgId, operator: p.role === 'operator' };
    };

    app.get(
      '/v1/sources',
      {
        schema: {
          tags: ['process'],
          summary: 'The sources feeding the platform: catalogued, and the documents it holds per organisation',
          response: {
            200: Type.Object({ sources: Type.Array(KnowledgeSource), received: Type.Array(ReceivedSource) }),
          },
        },
        config: { roles: ANY_ROLE },
      },
      async (request) => ({
        sources: await catalogue.sources(),
        received: await catalogue.received(principalOf(request).orgId),
      }),
    );

    app.post(
      '/v1/sources',
      {
        schema: {
          tags: ['process'],
          summary: 'Catalogue a source: its owner, rhythm and last update',
          body: NewKnowledgeSource,
          response: { 201: KnowledgeSource, 400: ErrorResponse, 409: ErrorResponse },
        },
        config: { roles: ANALYSTS },
      },
      async (request, reply) => {
        try {
          return reply.code(201).send(await catalogue.addSource(request.body, principalOf(request).orgId));
        } catch (err) {
          return refusal(err, reply);
        }
      },
    );

    app.patch(
      '/v1/sources/:id',
      {
        schema: {
          tags: ['process'],
          summary: 'Change a catalogued source, as its renewal (lastUpdate)',
          params: Id,
          body: KnowledgeSourceChange,
          response: { 200: KnowledgeSource, 400: ErrorResponse, 409: ErrorResponse },
        },
        config: { roles: ANALYSTS },
      },
      async (request, reply) => {
        try {
          return await catalogue.changeSource(request.params.id, request.body, editor(request));
        } catch (err) {
          return refusal(err, reply);
        }
      },
    );

    app.delete(
      '/v1/sources/:id',
      {
        schema: {
          tags: ['process'],
          summary: 'Remove a catalogued source',
          params: Id,
          response: { 204: Type.Null() },
        },
        config: { roles: ANALYSTS },
      },
      async (request, reply) => {
        try {
          await catalogue.removeSource(request.params.id, editor(request));
          return reply.code(204).send(null);
        } catch (err) {
          return refusal(err, reply);
        }
      },
    );

    app.get(
      '/v1/calendar',
      {
        schema: {
          tags: ['process'],
          summary: "The region's knowledge products due in a year, soonest first",
          querystring: Type.Object(
            {
              year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2999, description: 'default this year' })),
              ...Lang.properties,
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ year: Type.Integer(), entries: Type.Array(CalendarEntry) }) },
        },
        config: { roles: ANY_ROLE },
      },
      async (request) => {
        const year = request.query.year ?? new Date().getUTCFullYear();
        return { year, entries: await catalogue.calendar(year, request.query.lang) };
      },
    );

    app.post(
      '/v1/calendar',
      {
        schema: {
          tags: ['process'],
          summary: 'Add a knowledge product due every year (a barometer, a foresight review, a brief)',
          querystring: Lang,
          body: NewCalendarEntry,
          response: { 201: CalendarEntry, 400: ErrorResponse },
        },
        config: { roles: ANALYSTS },
      },
      async (request, reply) => {
        try {
          const region =
            request.body.region === undefined
              ? null
              : (await regions.resolveRegion(request.body.region, 'region')).code;
          const entry = await catalogue.addCalendarEntry(
            request.body,
            region,
            principalOf(request).orgId,
            request.query.lang,
          );
          return reply.code(201).send(entry);
        } catch (err) {
          return refusal(err, reply);
        }
      },
    );

    app.delete(
      '/v1/calendar/:id',
      {
        schema: { tags: ['process'], summary: 'Remove a calendar entry', params: Id, response: { 204: Type.Null() } },
        config: { roles: ANALYSTS },
      },
      async (request, reply) => {
        try {
          await catalogue.removeCalendarEntry(request.params.id, editor(request));
          return reply.code(204).send(null);
        } catch (err) {
          return refusal(err, reply);
        }
      },
    );
  };
