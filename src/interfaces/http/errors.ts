import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../base/config.js';
import { STATEMENT_TIMEOUT } from '../../storage/database.js';

/** The name of each error status the service answers with, as its error bodies and the OpenAPI examples give it. */
export const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/** A refusal in the error shape: the status, its name, what to change and the field at fault. */
export function sendError(reply: FastifyReply, status: number, message: string, field?: string) {
  return reply
    .code(status)
    .send({ statusCode: status, error: STATUS_TEXT[status] ?? 'Bad Request', message, ...(field && { field }) });
}

/** 503 with Retry-After: the analysis cannot be run yet (the taxonomy is loading). */
export function sendAnalyzerLoading(reply: FastifyReply) {
  return reply.header('retry-after', '5').code(503).send({
    statusCode: 503,
    error: 'Service Unavailable',
    message: 'the taxonomy is still loading',
  });
}

/** How to write a value of each string format the schemas use. */
const FORMAT_HINTS: Record<string, string> = {
  date: 'YYYY-MM-DD, for example 2026-01-31',
  'date-time': 'ISO 8601, for example 2026-01-31T09:30:00Z',
  uuid: 'a UUID such as 0b9c3e52-8d1a-4f3e-9a57-2f1d6c0e4b11',
};

/**
 * Every error as one JSON shape: a validation failure says which field and why (400), the client's other errors
 * keep their status, a database that times out or is away is a 503 with Retry-After, anything else a bare 500.
 */
export function errorHandler(config: Pick<Config, 'BODY_LIMIT_BYTES' | 'DB_STATEMENT_TIMEOUT_MS'>) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error.validation) {
      const first = error.validation[0];
      const part = error.validationContext ?? 'body';
      const path = first?.instancePath.replace(/^\//, '').replace(/\//g, '.') ?? '';
      const extra = first?.params as
        { missingProperty?: string; additionalProperty?: string; allowedValues?: unknown[] } | undefined;
      const field = extra?.missingProperty ?? extra?.additionalProperty ?? path;
      let message = `${part}${field ? `.${field}` : ''} ${first?.message ?? 'is invalid'}`;
      if (extra?.allowedValues) message += `: ${extra.allowedValues.join(', ')}`;
      const format =
        first?.keyword === 'format' ? FORMAT_HINTS[(first.params as { format?: string }).format ?? ''] : undefined;
      if (format) message += ` (${format})`;
      if (extra?.additionalProperty) message = `${part}.${field} is not a known field`;
      if (first?.keyword === 'pattern' && first.params && (first.params as { pattern?: string }).pattern === '\\S') {
        message = `${part}.${field} must not be empty or blank`;
      } else if (first?.keyword === 'pattern' || first?.keyword === 'format') {
        // the schema's own words for the form (validators run verbose), not the regular expression
        const described = (first as { parentSchema?: { description?: string } }).parentSchema?.description;
        if (described) message = `${part}.${field} must be ${described}`;
      }
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message, ...(field && { field }) });
    }
    const status = error.statusCode ?? 500;
    if (status === 413) {
      return reply.code(413).send({
        statusCode: 413,
        error: 'Payload Too Large',
        message: `request body is larger than ${config.BODY_LIMIT_BYTES} bytes`,
      });
    }
    if (status === 415) {
      const type = request.headers['content-type'];
      return reply.code(415).send({
        statusCode: 415,
        error: 'Unsupported Media Type',
        message: `send the body as JSON with content-type: application/json${type ? ` (it was ${type})` : ''}`,
        field: 'content-type',
      });
    }
    if (status >= 400 && status < 500) {
      return reply.code(status).send({
        statusCode: status,
        error: STATUS_TEXT[status] ?? 'Bad Request',
        message: error.message,
        ...fieldOf(error),
      });
    }
    const code = (error as { code?: string }).code ?? '';
    const unavailable = (why: string, message: string) => {
      request.log.error({ err: error }, why);
      return reply
        .header('retry-after', '5')
        .code(503)
        .send({ statusCode: 503, error: 'Service Unavailable', message });
    };
    if (code === STATEMENT_TIMEOUT) {
      return unavailable(
        'database statement timed out',
        `the database did not answer within ${config.DB_STATEMENT_TIMEOUT_MS} ms; retry later, or narrow the filters`,
      );
    }
    if (/^(ECONNREFUSED|ECONNRESET|57P0|08)/.test(code) || /Connection terminated|ECONNREFUSED/.test(error.message)) {
      return unavailable('database unavailable', 'the database is unavailable; retry later');
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ statusCode: 500, error: 'Internal Server Error', message: 'internal error' });
  };
}

/** The request field an error names, when it names one (a refused correction, a refused document). */
function fieldOf(error: unknown): { field?: string } {
  const field = (error as { field?: unknown }).field;
  return typeof field === 'string' && field ? { field } : {};
}

/** An unknown route in the error shape, pointing to the list of routes. */
export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  return reply.code(404).send({
    statusCode: 404,
    error: 'Not Found',
    message: `there is no route ${request.method} ${request.url.split('?')[0]}; the routes are listed at /docs`,
  });
}
