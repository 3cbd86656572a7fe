import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import rateLimit, { type RateLimitPluginOptions } from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { redisOptions } from '../../jobs/redis.js';
import { nulPath } from '../../storage/documents.repository.js';
import { KeysRepository } from '../../storage/keys.repository.js';
import { AddressLimit } from './address-limit.js';
import { ATTRIBUTION } from './attribution.js';
import { isV1Route, requireKeys } from './auth.js';
import type { AppDeps } from './deps.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { guardJsonBodies } from './json-body.js';
import { completeSpec } from './openapi.js';
import { adminRoutes } from './routes/admin.js';
import { analyzeRoutes } from './routes/analyze.js';
import { batchRoutes, UPLOAD_TYPES } from './routes/batches.js';
import { catalogueRoutes } from './routes/catalogue.js';
import { conceptRoutes } from './routes/concepts.js';
import { correctionRoutes } from './routes/corrections.js';
import { demandRoutes } from './routes/demand.js';
import { documentRoutes } from './routes/documents.js';
import { healthRoutes } from './routes/health.js';
import { interpretationRoutes } from './routes/interpretations.js';
import { metricsRoutes } from './routes/metrics.js';
import { regionRoutes } from './routes/regions.js';
import { statisticsRoutes } from './routes/statistics.js';
import { webRoutes } from './routes/web.js';

function compilers() {
  const make = (coerceTypes: boolean) => {
    const ajv = new Ajv.default({
      coerceTypes,
      useDefaults: true,
      removeAdditional: false,
      allErrors: false,
      strict: false,
      // errors carry their schema, whose description says what form a value takes
      verbose: true,
    });
    addFormats.default(ajv);
    return ajv;
  };
  // bodies are JSON and must have the right types; query strings and path parameters are text and are converted
  return { body: make(false), other: make(true) };
}

/**
 * Where the per-key counts live. With a PostgreSQL server, several API processes may serve the same keys, so the
 * counts are kept in Redis, which they share; should Redis be away or hang (half a second), requests pass. Embedded
 * PGlite belongs to one process (the data directory is claimed), so that process is the only API and counts in
 * its own memory: no Redis round trip per request, and the limits hold while Redis is away.
 */
async function rateLimitStore(
  app: FastifyInstance,
  deps: AppDeps,
): Promise<Pick<RateLimitPluginOptions, 'redis' | 'nameSpace' | 'skipOnError'>> {
  if (deps.db.engine === 'pglite') return {};
  const limiter = new Redis(
    redisOptions(deps.redisUrl, {
      connectTimeout: 1_000,
      commandTimeout: 500,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
    }),
  );
  limiter.on('error', () => undefined);
  // commands fail at once while Redis is away (no offline queue), so wait for the first connection a little
  const waiting = new AbortController();
  await Promise.race([
    once(limiter, 'ready', { signal: waiting.signal }),
    sleep(2_000, undefined, { signal: waiting.signal }),
  ]).catch(() => undefined);
  waiting.abort();
  app.addHook('onClose', async () => {
    limiter.disconnect();
  });
  return { redis: limiter, nameSpace: `${deps.config.QUEUE_PREFIX}:rate:`, skipOnError: true };
}

/** The API as a Fastify instance, not listening (tests use inject). */
export async function buildApp(input: Omit<AppDeps, 'keys'> & { keys?: KeysRepository }): Promise<FastifyInstance> {
  const deps: AppDeps = { ...input, keys: input.keys ?? new KeysRepository(input.db, input.config.AUTH_CACHE_MS) };
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: deps.config.BODY_LIMIT_BYTES,
    requestTimeout: deps.config.REQUEST_TIMEOUT_MS,
    // a body that stops arriving holds a connection (and an upload's work) only this long
    connectionTimeout: deps.config.IDLE_TIMEOUT_MS,
  }).withTypeProvider<TypeBoxTypeProvider>();

  guardJsonBodies(app);
  const ajv = compilers();
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? ajv.body : ajv.other).compile(schema));
  // a NUL character anywhere in the input is refused before the route sees it: the database can store none
  app.addHook('preValidation', async (request, reply) => {
    for (const [part, value] of [
      ['params', request.params],
      ['querystring', request.query],
      ['body', request.body],
    ] as const) {
      const at = nulPath(value);
      if (at === undefined) continue;
      const field = at || undefined;
      return reply.code(400).send({
        statusCode: 400,
        error: 'Bad Request',
        message: `${part}${field ? `.${field}` : ''} contains a NUL character (U+0000), which cannot be stored`,
        ...(field && { field }),
      });
    }
  });

  app.setErrorHandler(errorHandler(deps.config));
  app.setNotFoundHandler(notFoundHandler);
  // every answer: no content sniffing, no framing, no referrer to other sites
  app.addHook('onSend', async (_request, reply) => {
    reply
      .header('x-content-type-options', 'nosniff')
      .header('x-frame-options', 'DENY')
      .header('referrer-policy', 'no-referrer');
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Skills Demand Radar API',
        version: '1',
        description: `Skill-demand signals from Finnish, Swedish and English job ads and employer-meeting notes. ${ATTRIBUTION}`,
      },
      tags: [
        { name: 'documents', description: 'Store documents and read their analyses' },
        { name: 'analysis', description: 'Synchronous analysis of short texts' },
        { name: 'demand', description: 'Aggregated skill demand by region, horizon, occupation, sector and time' },
        { name: 'concepts', description: 'ESCO skills and occupations looked up by label, URI or code' },
        {
          name: 'process',
          description: "The regions' knowledge process: the sources feeding the platform and the calendar of products",
        },
        { name: 'batches', description: 'Classification of whole dumps of job ads (NDJSON or CSV)' },
        { name: 'health', description: 'Liveness, readiness and metrics (no API key)' },
        { name: 'admin', description: 'Organisations, API keys and the audit log (admin keys)' },
      ],
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'an API key from skills-radar keys create' },
        },
      },
      security: [{ apiKey: [] }],
    },
    transformObject: (document) =>
      'openapiObject' in document
        ? completeSpec(document.openapiObject as Record<string, unknown>, {
            isOpen: (path) => !path.startsWith('/v1/'),
            uploads: { '/v1/batches': Object.keys(UPLOAD_TYPES) },
          })
        : document.swaggerObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  requireKeys(app, deps.keys, new AddressLimit(deps.config.AUTH_FAILURES_MAX, deps.config.RATE_LIMIT_WINDOW_MS));
  await app.register(rateLimit, {
    global: true,
    max: deps.config.RATE_LIMIT_MAX,
    timeWindow: deps.config.RATE_LIMIT_WINDOW_MS,
    ...(await rateLimitStore(app, deps)),
    // per key and route, as documented (one store serves every route)
    keyGenerator: (request) =>
      `${request.principal?.keyId ?? request.ip} ${request.method} ${request.routeOptions.url ?? ''}`,
    allowList: (request) => !isV1Route(request),
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      error: 'Too Many Requests',
      message: `this key made more than ${context.max} requests to this route in ${context.after}; retry after ${context.after}`,
    }),
  });
  if (deps.config.METRICS) metricsRoutes(app, deps.queue);
  await app.register(healthRoutes(deps));
  await app.register(documentRoutes(deps));
  await app.register(correctionRoutes(deps));
  await app.register(analyzeRoutes(deps));
  await app.register(demandRoutes(deps));
  await app.register(batchRoutes(deps));
  await app.register(regionRoutes(deps));
  await app.register(conceptRoutes(deps));
  await app.register(catalogueRoutes(deps));
  await app.register(interpretationRoutes(deps));
  await app.register(statisticsRoutes(deps));
  await app.register(adminRoutes(deps));
  await app.register(webRoutes);
  return app;
}
