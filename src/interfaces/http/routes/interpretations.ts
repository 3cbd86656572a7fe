import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { Month, monthStart } from '../../../domain/demand.js';
import { Interpretation, INTERPRETED_CONCEPTS, NewInterpretation } from '../../../domain/interpretation.js';
import { LANGUAGES } from '../../../domain/language.js';
import { Horizon } from '../../../domain/signal.js';
import { DemandRepository, UnknownFilterError } from '../../../storage/demand.repository.js';
import { InterpretationsRepository } from '../../../storage/interpretations.repository.js';
import { ANALYSTS, principalOf } from '../auth.js';
import type { AppDeps } from '../deps.js';
import { sendError } from '../errors.js';
import { ErrorResponse, IdParams } from '../schemas.js';

const Lang = Type.Enum([...LANGUAGES], { default: 'fi', description: 'language of the region and concept names' });

const ListQuery = Type.Object(
  {
    region: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'a region or grouping: its interpretations and those of its parts',
      }),
    ),
    conceptType: Type.Optional(Type.Enum([...INTERPRETED_CONCEPTS])),
    concept: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    horizon: Type.Optional(Horizon),
    from: Type.Optional(Month('first month of the period')),
    to: Type.Optional(Month('last month of the period')),
    agreed: Type.Optional(Type.Boolean({ description: 'only those another organisation agrees with' })),
    lang: Lang,
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);

const LangQuery = Type.Object({ lang: Lang }, { additionalProperties: false });

const ReplyBody = Type.Object(
  { body: Type.String({ minLength: 1, maxLength: 10_000, pattern: '\\S' }) },
  { additionalProperties: false, examples: [{ body: 'Sama näkyy Kanta-Hämeessä: konepajat rekrytoivat jo nyt.' }] },
);

/** Interpretations of what the views show, written, discussed and agreed across organisations (issue 30). */
export const interpretationRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const interpretations = new InterpretationsRepository(deps.db);
    const demand = new DemandRepository(deps.db);
    const notFound = (reply: FastifyReply, id: string) =>
      sendError(reply, 404, `no interpretation ${id} that you may read`, 'id');

    /** Whether the concept exists in the taxonomy. */
    const known = async (type: string, code: string) => {
      const sql: Record<string, string> = {
        skill: 'SELECT 1 FROM esco_skills WHERE uri = $1',
        occupation: 'SELECT 1 FROM esco_occupations WHERE uri = $1',
        skill_group: 'SELECT 1 FROM esco_skill_groups WHERE uri = $1',
        isco: 'SELECT 1 FROM isco_groups WHERE code = $1',
      };
      return (await deps.db.query(sql[type]!, [code])).length > 0;
    };

    app.get(
      '/v1/interpretations',
      {
        schema: {
          tags: ['process'],
          summary: 'The interpretations beside a view: of a region and its parts, a concept, a horizon, a period',
          description: "Your organisation's and the network's, newest first, each with its replies and agreements.",
          querystring: ListQuery,
          response: { 200: Type.Object({ interpretations: Type.Array(Interpretation) }), 400: ErrorResponse },
        },
        config: { roles: ANALYSTS },
      },
      async (request, reply) => {
        const q = request.query;
        let region: string | undefined;
        try {
          region = q.region ? (await demand.resolveRegion(q.region, 'region')).code : undefined;
        } catch (err) {
          if (err instanceof UnknownFilterError) return sendError(reply, 400, err.message, err.field);
          throw err;
        }
        const list = await interpretations.list(principalOf(request).orgId, q.lang, {
          region,
          conceptType: q.conceptType,
          concept: q.concept,
          horizon: q.horizon,
          from: q.from && monthStart(q.from),
          to: q.to && monthStart(q.to),
          agreedOnly: q.agreed,
          limit: q.limit,
        });
        return { interpretations: list };
      },
    );

    app.post(
      '/v1/interpretations',
      {
        schema: {
          tags: ['process'],
          summary: 'Write an interpretation of what a view shows',
          querystring: LangQuery,
          body: NewInterpretation,
          response: { 201: Interpretation, 400: ErrorResponse },
        },
        config: { roles: ANALYSTS },
      },
      async (request, reply) => {
        const b = request.body;
        const principal = principalOf(request);
        let region: string | null = null;
        if (b.region !== undefined) {
          try {
            region = (await demand.resolveRegion(b.region, 'region')).code;
          } catch (err) {
            if (err instanceof UnknownFilterError) return sendError(reply, 400, err.message, err.field);
            throw err;
          }
        }
        if ((b.conceptType === undefined) !== (b.concept === undefined))
          return sendError(
            reply,
            400,
            'conceptType and concept go together: give both, or neither for an interpretation of the whole view',
            b.concept === undefined ? 'concept' : 'conceptType',
          );
        if (b.conceptType && b.concept && !(await known(b.conceptType, b.concept)))
          return sendError(reply, 400, `the taxonomy has no ${b.conceptType} ${b.concept}`, 'concept');
        if (monthStart(b.to) < monthStart(b.from))
          return sendError(reply, 400, `the period ends (${b.to}) before it starts (${b.from})`, 'to');
        const id = await interpretations.create(principal.orgId, principal.keyId, {
          ...b,
          region,
          from: monthStart(b.from),
          to: monthStart(b.to),
        });
        return reply.code(201).send((await interpretations.get(id, principal.orgId, request.query.lang))!);
      },
    );

    app.get(
      '/v1/interpretations/:id',
      {
        schema: {
          tags: ['process'],
          summary: 'One interpretation with its replies and agreements',
          params: IdParams,
          querystring: LangQuery,
          response: { 200: Interpretation, 400: ErrorResponse, 404: ErrorResponse },
        },
        config: { roles: ANALYSTS },
      },
      async (request, reply) => {
        const found = await interpretations.get(request.params.id, principalOf(request).orgId, request.query.lang);
        return found ?? notFound(reply, request.params.id);
      },
    );

    app.post(
      '/v1/interpretations/:id/replies',
      {
        schema: {
          tags: ['process'],
          summary: 'Reply to an interpretation',
          params: IdParams,
          querystring: LangQuery,
          body: ReplyBody,
          response: { 201: Interpretation, 400: ErrorResponse, 404: ErrorResponse },
        },
        config: { roles: ANALYSTS },
      },
      async (request, reply) => {
        const { id } = request.params;
        const principal = principalOf(request);
        if (!(await interpretations.reply(id, principal.orgId, principal.keyId, request.body.body)))
          return notFound(reply, id);
        return reply.code(201).send((await interpretations.get(id, principal.orgId, request.query.lang))!);
      },
    );

    for (const agree of [true, false]) {
      app.route({
        method: agree ? 'PUT' : 'DELETE',
        url: '/v1/interpretations/:id/agreement',
        schema: {
          tags: ['process'],
          summary: agree
            ? 'Mark that your organisation agrees with an interpretation'
            : "Withdraw your organisation's agreement",
          params: IdParams,
          querystring: LangQuery,
          response: { 200: Interpretation, 400: ErrorResponse, 404: ErrorResponse },
        },
        config: { roles: ANALYSTS },
        handler: async (request, reply) => {
          const { id } = request.params;
          const { orgId } = principalOf(request);
          if (!(await interpretations.agree(id, orgId, agree))) return notFound(reply, id);
          return (await interpretations.get(id, orgId, request.query.lang))!;
        },
      });
    }

    app.delete(
      '/v1/interpretations/:id',
      {
        schema: {
          tags: ['process'],
          summary: "Delete one of your organisation's interpretations with its replies",
          params: IdParams,
          response: { 204: Type.Null(), 400: ErrorResponse, 404: ErrorResponse },
        },
        config: { roles: ANALYSTS },
      },
      async (request, reply) => {
        const { id } = request.params;
        if (!(await interpretations.delete(id, principalOf(request).orgId))) return notFound(reply, id);
        return reply.code(204).send(null);
      },
    );
  };
