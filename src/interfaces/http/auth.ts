import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal, Role } from '../../domain/access.js';
import type { KeysRepository } from '../../storage/keys.repository.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** the caller of a /v1 route, set before the handler runs */
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** the roles that may call the route; a /v1 route without it is for admins only */
    roles?: readonly Role[];
  }
}

export const ANY_ROLE: readonly Role[] = ['contributor', 'analyst', 'admin', 'operator'];
export const CONTRIBUTORS: readonly Role[] = ['contributor', 'admin', 'operator'];
export const ANALYSTS: readonly Role[] = ['analyst', 'admin', 'operator'];
export const ADMINS: readonly Role[] = ['admin', 'operator'];
export const OPERATORS: readonly Role[] = ['operator'];

/** Whether the request was routed to a /v1 route: by the route matched, not the URL as written, so that no spelling of a /v1 path gets past. */
export const isV1Route = (request: FastifyRequest) => request.routeOptions.url?.startsWith('/v1/') === true;

const unauthorized = (reply: FastifyReply, message: string) =>
  reply
    .code(401)
    .header('www-authenticate', 'Bearer realm="skills-radar"')
    .send({ statusCode: 401, error: 'Unauthorized', message });

/**
 * Every /v1 route needs `Authorization: Bearer <key>` (401 without or with a key that is unknown or revoked)
 * and one of the route's roles (403). Checked when the request arrives, before its body is read.
 */
export function requireKeys(app: FastifyInstance, keys: KeysRepository): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!isV1Route(request)) return;
    const header = request.headers.authorization;
    if (!header)
      return unauthorized(reply, 'an API key is needed: Authorization: Bearer <key> (skills-radar keys create)');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) return unauthorized(reply, 'the Authorization header must be "Bearer <key>"');
    const principal = await keys.verify(match[1]!);
    if (!principal) return unauthorized(reply, 'the API key is not valid (unknown, revoked or mistyped)');
    request.principal = principal;
    const roles = request.routeOptions.config.roles ?? ADMINS;
    if (!roles.includes(principal.role)) {
      return reply.code(403).send({
        statusCode: 403,
        error: 'Forbidden',
        message: `a ${principal.role} key may not use this route; it needs one of: ${roles.join(', ')}`,
      });
    }
  });
}

/** The caller of a /v1 route (the hook above has set it). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error(`no principal on ${request.method} ${request.url}`);
  return request.principal;
}
