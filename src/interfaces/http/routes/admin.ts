import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Role } from '../../../domain/access.js';
import { AuthError, type KeyInfo } from '../../../storage/keys.repository.js';
import { ADMINS, principalOf } from '../auth.js';
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
    document: Type.Optional(Type.String({ format: 'uuid' })),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  },
  { additionalProperties: false },
);

/** Organisations, API keys and the audit log, for admin keys: the same as `skills-radar orgs|keys`, while the service runs. */
export const adminRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { keys } = deps;
    const conflict = (err: unknown) => {
      if (err instanceof AuthError) return { statusCode: 400, error: 'Bad Request', message: err.message };
      throw err;
    };

    app.post(
      '/v1/orgs',
      {
        schema: {
          tags: ['admin'],
          summary: 'Create an organisation',
          body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
          response: { 201: OrgSchema, 400: ErrorResponse },
        },
        config: { roles: ADMINS },
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
          summary: 'The organisations',
          response: { 200: Type.Object({ orgs: Type.Array(OrgSchema) }) },
        },
        config: { roles: ADMINS },
      },
      async () => ({ orgs: (await keys.organisations()).map((o) => ({ ...o, createdAt: o.createdAt.toISOString() })) }),
    );

    app.post(
      '/v1/keys',
      {
        schema: {
          tags: ['admin'],
          summary: 'Create an API key for an organisation; the key is in this answer only',
          body: Type.Object(
            {
              org: Type.String({ minLength: 1, maxLength: 100 }),
              role: Role,
              label: Type.Optional(Type.String({ maxLength: 200 })),
            },
            { additionalProperties: false },
          ),
          response: { 201: Type.Object({ key: Type.String(), info: KeySchema }), 400: ErrorResponse },
        },
        config: { roles: ADMINS },
      },
      async (request, reply) => {
        const { org, role, label } = request.body;
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
          summary: 'The API keys (prefixes only)',
          querystring: Type.Object(
            { org: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ keys: Type.Array(KeySchema) }) },
        },
        config: { roles: ADMINS },
      },
      async (request) => ({ keys: (await keys.keys(request.query.org)).map(keyJson) }),
    );

    app.delete(
      '/v1/keys/:prefix',
      {
        schema: {
          tags: ['admin'],
          summary: 'Revoke an API key',
          params: Type.Object({ prefix: Type.String({ pattern: '^[0-9a-f]{12}$' }) }),
          response: { 204: Type.Null(), 400: ErrorResponse, 404: ErrorResponse },
        },
        config: { roles: ADMINS },
      },
      async (request, reply) => {
        const { prefix } = request.params;
        if (!(await keys.revoke(prefix)))
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
          },
        },
        config: { roles: ADMINS },
      },
      async (request) => {
        const reads = await keys.reads(principalOf(request).orgId, request.query.document, request.query.limit);
        return {
          reads: reads.map(({ at, documentId, ...r }) => ({ ...r, at: at.toISOString(), document: documentId })),
        };
      },
    );
  };
