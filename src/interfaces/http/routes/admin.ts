import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Role, type Principal } from '../../../domain/access.js';
import { AuthError, type KeyInfo } from '../../../storage/keys.repository.js';
import { ADMINS, OPERATORS, principalOf } from '../auth.js';
import type { AppDeps } from '../deps.js';
import { ErrorResponse } from '../schemas.js';

const OrgSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  keys: Type.Integer(),
});
const KeySchema = Type.Object({
  prefix: Type.String(),
  org: Type.String(),
  role: Role,
  label: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});
const keyJson = (k: KeyInfo) => ({
  prefix: k.prefix,
  org: k.org,
  role: k.role,
  label: k.label,
  createdAt: k.createdAt.toISOString(),
  revokedAt: k.revokedAt?.toISOString() ?? null,
});

const AuditQuery = Type.Object(
  {
    org: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: "operators: another organisation's reads" }),
    ),
    document: Type.Optional(Type.String({ format: 'uuid' })),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  },
  { additionalProperties: false },
);

const forbidden = (message: string) => ({ statusCode: 403, error: 'Forbidden', message });

/**
 * Organisations, API keys and the audit log: the same as `skills-radar orgs|keys`, while the service runs. An
 * admin key manages its own organisation only; an operator key creates organisations and manages any of them.
 */
export const adminRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { keys } = deps;
    const conflict = (err: unknown) => {
      if (err instanceof AuthError) return { statusCode: 400, error: 'Bad Request', message: err.message };
      throw err;
    };
    /** An admin acts on its own organisation only; an operator on any. */
    const mayActOn = (principal: Principal, org: string) => principal.role === 'operator' || org === principal.orgName;

    app.post(
      '/v1/orgs',
      {
        schema: {
          tags: ['admin'],
          summary: 'Create an organisation',
          body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
          response: { 201: OrgSchema, 400: ErrorResponse, 403: ErrorResponse },
        },
        config: { roles: OPERATORS },
      },
      async (request, reply) => {
        try {
          const org = await keys.createOrganisation(request.body.name);
          return reply.code(201).send({ ...org, createdAt: org.createdAt.toISOString() });
        } catch (err) {
          return reply.code(400).send(conflict(err));
        }
      },
    );

    app.get(
      '/v1/orgs',
      {
        schema: {
          tags: ['admin'],
          summary: 'The organisations (for an admin, its own)',
          response: { 200: Type.Object({ orgs: Type.Array(OrgSchema) }) },
        },
        config: { roles: ADMINS },
      },
      async (request) => {
        const principal = principalOf(request);
        const orgs = await keys.organisations(principal.role === 'operator' ? undefined : principal.orgId);
        return { orgs: orgs.map((o) => ({ ...o, createdAt: o.createdAt.toISOString() })) };
      },
    );

    app.post(
      '/v1/keys',
      {
        schema: {
          tags: ['admin'],
          summary: 'Create an API key for your organisation (operators: for any); the key is in this answer only',
          body: Type.Object(
            {
              org: Type.String({ minLength: 1, maxLength: 100 }),
              role: Role,
              label: Type.Optional(Type.String({ maxLength: 200 })),
            },
            { additionalProperties: false },
          ),
          response: {
            201: Type.Object({ key: Type.String(), info: KeySchema }),
            400: ErrorResponse,
            403: ErrorResponse,
          },
        },
        config: { roles: ADMINS },
      },
      async (request, reply) => {
        const { org, role, label } = request.body;
        const principal = principalOf(request);
        if (!mayActOn(principal, org))
          return reply.code(403).send(forbidden(`an admin key makes keys for its own organisation only`));
        if (role === 'operator' && principal.role !== 'operator')
          return reply.code(403).send(forbidden('only an operator key makes operator keys'));
        try {
          const { key, info } = await keys.createKey(org, role, label);
          return reply
            .code(201)
            .header('cache-control', 'no-store')
            .send({ key, info: keyJson(info) });
        } catch (err) {
          return reply.code(400).send(conflict(err));
        }
      },
    );

    app.get(
      '/v1/keys',
      {
        schema: {
          tags: ['admin'],
          summary: "Your organisation's API keys, prefixes only (operators: every organisation's, or ?org=)",
          querystring: Type.Object(
            { org: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ keys: Type.Array(KeySchema) }), 403: ErrorResponse },
        },
        config: { roles: ADMINS },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const org = request.query.org ?? (principal.role === 'operator' ? undefined : principal.orgName);
        if (org !== undefined && !mayActOn(principal, org))
          return reply.code(403).send(forbidden("an admin key lists its own organisation's keys only"));
        return { keys: (await keys.keys(org)).map(keyJson) };
      },
    );

    app.delete(
      '/v1/keys/:prefix',
      {
        schema: {
          tags: ['admin'],
          summary: "Revoke one of your organisation's API keys (operators: anyone's)",
          params: Type.Object({ prefix: Type.String({ pattern: '^[0-9a-f]{12}$' }) }),
          response: { 204: Type.Null(), 400: ErrorResponse, 404: ErrorResponse },
        },
        config: { roles: ADMINS },
      },
      async (request, reply) => {
        const { prefix } = request.params;
        const principal = principalOf(request);
        // another organisation's key is as unknown to an admin as a key that does not exist
        if (!(await keys.revoke(prefix, principal.role === 'operator' ? undefined : principal.orgId)))
          return reply.code(404).send({
            statusCode: 404,
            error: 'Not Found',
            message: `no key in force with prefix ${prefix}`,
            field: 'prefix',
          });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/v1/audit',
      {
        schema: {
          tags: ['admin'],
          summary: "Who read the texts of your organisation's documents, newest first",
          querystring: AuditQuery,
          response: {
            200: Type.Object({
              reads: Type.Array(
                Type.Object({
                  at: Type.String(),
                  org: Type.String(),
                  keyPrefix: Type.String(),
                  action: Type.String(),
                  document: Type.String(),
                  route: Type.String(),
                }),
              ),
            }),
            400: ErrorResponse,
            403: ErrorResponse,
            404: ErrorResponse,
          },
        },
        config: { roles: ADMINS },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { org, document, limit } = request.query;
        if (org !== undefined && !mayActOn(principal, org))
          return reply.code(403).send(forbidden("an admin key reads its own organisation's audit only"));
        const orgId =
          org === undefined ? principal.orgId : (await keys.organisations()).find((o) => o.name === org)?.id;
        if (!orgId)
          return reply.code(404).send({
            statusCode: 404,
            error: 'Not Found',
            message: `no organisation ${JSON.stringify(org)}`,
            field: 'org',
          });
        const reads = await keys.reads(orgId, document, limit);
        return {
          reads: reads.map(({ at, documentId, ...r }) => ({ ...r, at: at.toISOString(), document: documentId })),
        };
      },
    );
  };
