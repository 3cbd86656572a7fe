import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal, Role } from '../../domain/access.js';
import type { KeysRepository } from '../../storage/keys.repository.js';
import type { AddressLimit } from './address-limit.js';

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
export function requireKeys(app: FastifyInstance, keys: KeysRepository, addresses: AddressLimit): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!isV1Route(request)) return;
    const header = request.headers.authorization;
    const presented = header ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
    // an address that keeps coming without a valid key waits, unless it brings a key already known to be valid
    const wait = presented && keys.knownValid(presented) ? 0 : addresses.blockedFor(request.ip);
    if (wait > 0) {
      return reply
        .code(429)
        .header('retry-after', String(wait))
        .send({
          statusCode: 429,
          error: 'Too Many Requests',
          message: `too many requests without a valid API key from this address; retry after ${wait} s`,
        });
    }
    const refuse = (message: string) => {
      addresses.fail(request.ip);
      return unauthorized(reply, message);
    };
    if (!header) return refuse('an API key is needed: Authorization: Bearer <key> (skills-radar keys create)');
    if (!presented) return refuse('the Authorization header must be "Bearer <key>"');
    const principal = await keys.verify(presented);
    if (!principal) return refuse('the API key is not valid (unknown, revoked or mistyped)');
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
