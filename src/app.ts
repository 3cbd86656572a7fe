import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import rateLimit, { type RateLimitPluginOptions } from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { AnalysisService } from './pipeline/process.js';
import type { AnalyzeJobPayload } from './queue/analyze.queue.js';
import { redisOptions } from './queue/redis.js';
import { ATTRIBUTION } from './attribution.js';
import { collectProcessMetrics, httpDuration, registry, watchQueue } from './metrics.js';
import { KeysRepository } from './auth/keys.js';
import { isV1Route, requireKeys } from './auth/plugin.js';
import { adminRoutes } from './routes/admin/index.js';
import { batchRoutes } from './routes/batches/index.js';
import { demandRoutes } from './routes/demand/index.js';
import { analyzeRoutes } from './routes/analyze/index.js';
import { documentRoutes } from './routes/documents/index.js';
import { healthRoutes } from './routes/health/index.js';
import { regionRoutes } from './routes/regions/index.js';
import { webRoutes } from './routes/web/index.js';
import { STATEMENT_TIMEOUT, type Database } from './storage/database.js';
import { DocumentsRepository, nulPath } from './storage/documents.repository.js';

/** The analyzer is loaded in the background; the API serves /health and stores documents meanwhile. */
export interface AnalyzerHolder {
  current?: AnalysisService | undefined;
  error?: string | undefined;
}

export interface AppDeps {
  config: Config;
  db: Database;
  documents: DocumentsRepository;
  queue: Queue<AnalyzeJobPayload>;
  redisUrl: string;
  analyzer: AnalyzerHolder;
  log: Logger;
  /** organisations and API keys; buildApp makes one on `db` when not given */
  keys: KeysRepository;
}

function compilers() {
  const make = (coerceTypes: boolean) => {
    const ajv = new Ajv.default({ coerceTypes, useDefaults: true, removeAdditional: false, allErrors: false, strict: false });
    addFormats.default(ajv);
    return ajv;
  };
  // bodies are JSON and must have the right types; query strings and path parameters are text and are converted
  return { body: make(false), other: make(true) };
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 406: 'Not Acceptable', 408: 'Request Timeout', 415: 'Unsupported Media Type', 429: 'Too Many Requests' };

export { ATTRIBUTION } from './attribution.js';

/**
 * Where the per-key counts live. With a PostgreSQL server, several API processes may serve the same keys, so the
 * counts are kept in Redis, which they share; should Redis be away or hang (half a second), requests pass. Embedded
 * PGlite belongs to one process (the data directory is claimed), so that process is the only API and counts in
 * its own memory: no Redis round trip per request, and the limits hold while Redis is away.
 */
async function rateLimitStore(app: FastifyInstance, deps: AppDeps): Promise<Pick<RateLimitPluginOptions, 'redis' | 'nameSpace' | 'skipOnError'>> {
  if (deps.db.engine === 'pglite') return {};
  const limiter = new Redis(redisOptions(deps.redisUrl, { connectTimeout: 1_000, commandTimeout: 500, maxRetriesPerRequest: 1, enableOfflineQueue: false }));
  limiter.on('error', () => undefined);
  // commands fail at once while Redis is away (no offline queue), so wait for the first connection a little
  const waiting = new AbortController();
  await Promise.race([once(limiter, 'ready', { signal: waiting.signal }), sleep(2_000, undefined, { signal: waiting.signal })]).catch(() => undefined);
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
  }).withTypeProvider<TypeBoxTypeProvider>();

  const ajv = compilers();
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? ajv.body : ajv.other).compile(schema));
  // a NUL character anywhere in the input is refused before the route sees it: the database can store none
  app.addHook('preValidation', async (request, reply) => {
    for (const [part, value] of [['params', request.params], ['querystring', request.query], ['body', request.body]] as const) {
      const at = nulPath(value);
      if (at === undefined) continue;
      const field = at || undefined;
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: `${part}${field ? `.${field}` : ''} contains a NUL character (U+0000), which cannot be stored`, ...(field && { field }) });
    }
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      const first = error.validation[0];
      const part = error.validationContext ?? 'body';
      const path = first?.instancePath.replace(/^\//, '').replace(/\//g, '.') ?? '';
      const extra = first?.params as { missingProperty?: string; additionalProperty?: string; allowedValues?: unknown[] } | undefined;
      const field = extra?.missingProperty ?? extra?.additionalProperty ?? path;
      let message = `${part}${field ? `.${field}` : ''} ${first?.message ?? 'is invalid'}`;
      if (extra?.allowedValues) message += `: ${extra.allowedValues.join(', ')}`;
      if (extra?.additionalProperty) message = `${part}.${field} is not a known field`;
      if (first?.keyword === 'pattern' && first.params && (first.params as { pattern?: string }).pattern === '\\S') {
        message = `${part}.${field} must not be empty or blank`;
      }
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message, ...(field && { field }) });
    }
    const status = error.statusCode ?? 500;
    if (status === 413) {
      return reply.code(413).send({ statusCode: 413, error: 'Payload Too Large', message: `request body is larger than ${deps.config.BODY_LIMIT_BYTES} bytes` });
    }
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ statusCode: status, error: STATUS_TEXT[status] ?? 'Bad Request', message: error.message });
    }
    const code = (error as { code?: string }).code ?? '';
    const unavailable = (why: string, message: string) => {
      request.log.error({ err: error }, why);
      return reply.header('retry-after', '5').code(503).send({ statusCode: 503, error: 'Service Unavailable', message });
    };
    if (code === STATEMENT_TIMEOUT) {
      return unavailable('database statement timed out', `the database did not answer within ${deps.config.DB_STATEMENT_TIMEOUT_MS} ms; retry later, or narrow the filters`);
    }
    if (/^(ECONNREFUSED|ECONNRESET|57P0|08)/.test(code) || /Connection terminated|ECONNREFUSED/.test(error.message)) {
      return unavailable('database unavailable', 'the database is unavailable; retry later');
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ statusCode: 500, error: 'Internal Server Error', message: 'internal error' });
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
        { name: 'health', description: 'Liveness and readiness' },
        { name: 'admin', description: 'Organisations, API keys and the audit log (admin keys)' },
      ],
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'an API key from skills-radar keys create' } } },
      security: [{ apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  requireKeys(app, deps.keys);
  await app.register(rateLimit, {
    global: true,
    max: deps.config.RATE_LIMIT_MAX,
    timeWindow: deps.config.RATE_LIMIT_WINDOW_MS,
    ...(await rateLimitStore(app, deps)),
    keyGenerator: (request) => request.principal?.keyId ?? request.ip,
    allowList: (request) => !isV1Route(request),
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      error: 'Too Many Requests',
      message: `this key made more than ${context.max} requests to this route in ${context.after}; retry after ${context.after}`,
    }),
  });
  if (deps.config.METRICS) serveMetrics(app, deps);
  await app.register(healthRoutes(deps));
  await app.register(documentRoutes(deps));
  await app.register(analyzeRoutes(deps));
  await app.register(demandRoutes(deps));
  await app.register(batchRoutes(deps));
  await app.register(regionRoutes(deps));
  await app.register(adminRoutes(deps));
  await app.register(webRoutes);
  return app;
}

/**
 * GET /metrics in Prometheus's text format (src/metrics.ts), open like /health: it holds counts and timings
 * only. Every answer's time goes into http_request_duration_seconds under its route's pattern (paths that match
 * no route under one label, so that a scan of made-up paths cannot grow the series without end).
 */
function serveMetrics(app: FastifyInstance, deps: AppDeps): void {
  collectProcessMetrics();
  const unwatch = watchQueue(deps.queue);
  app.addHook('onClose', async () => {
    unwatch();
  });
  app.addHook('onResponse', async (request, reply) => {
    httpDuration.observe({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: reply.statusCode }, reply.elapsedTime / 1_000);
  });
  app.get(
    '/metrics',
    { schema: { tags: ['health'], summary: 'Operational metrics in Prometheus text format', produces: ['text/plain'], response: { 200: { type: 'string' } } } },
    async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  );
}
