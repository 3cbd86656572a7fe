import { STATUS_TEXT } from './errors.js';

/**
 * The generated OpenAPI document completed into a contract: every operation named (operationId) and its answers
 * documented — the JSON bodies as named schemas, CSV and NDJSON where the route sends them, and the errors any
 * /v1 route can give in the one error shape, with an example of each. The routes' own schemas stay the source;
 * this adds what Fastify's route schemas cannot say.
 */

type Json = Record<string, unknown>;
interface Operation extends Json {
  parameters?: { in: string; name: string; required?: boolean; schema?: Json }[];
  requestBody?: { content?: Record<string, { schema?: Json }> };
  responses?: Record<string, Json>;
  security?: unknown[];
  tags?: string[];
  operationId?: string;
}

export const ERROR_SCHEMA = 'ErrorResponse';

/** When each error status is sent, with a body as the service words it. */
const ERRORS: Record<string, { description: string; message: string; field?: string }> = {
  '400': {
    description: 'The request is invalid: the message names the field and what it must be',
    message: 'querystring.from must be first month: YYYY-MM (or a date in that month), years 1900–2999',
    field: 'from',
  },
  '401': {
    description: 'No API key, or one that is unknown or revoked',
    message: 'an API key is needed: Authorization: Bearer <key> (skills-radar keys create)',
  },
  '403': {
    description: "The key's role may not use this route",
    message: 'a contributor key may not use this route; it needs one of: analyst, admin, operator',
  },
  '404': {
    description: 'Nothing with this id is visible to the key',
    message: 'no document 0b9c3e52-8d1a-4f3e-9a57-2f1d6c0e4b11',
    field: 'id',
  },
  '409': {
    description: 'What the request would make exists already under that name',
    message: 'the name "Hämeenlinnan seutu" is taken by a region or another grouping',
    field: 'name',
  },
  '413': {
    description: 'The body or its text is longer than the limits',
    message: 'request body is larger than 1048576 bytes',
  },
  '415': {
    description: 'The body is not in a type this route reads',
    message: 'send the body as JSON with content-type: application/json',
    field: 'content-type',
  },
  '429': {
    description: 'Too many requests from this key to this route; wait for the time in Retry-After',
    message: 'this key made more than 600 requests to this route in 1 minute; retry after 1 minute',
  },
  '503': {
    description: 'The database or queue is away or slow, or the analyzer is still loading; retry after Retry-After',
    message: 'the database is unavailable; retry later',
  },
};

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

const pascal = (words: string[]) => words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');

/** `GET /v1/documents/{id}/results` → getDocumentResults-like names: the verb and the path's words. */
export function operationIdOf(method: string, path: string): string {
  const words = path
    .split('/')
    .filter((s) => s && s !== 'v1')
    .map((s) => (s.startsWith('{') ? `by-${s.slice(1, -1)}` : s))
    .flatMap((s) => s.split(/[^A-Za-z0-9]+/))
    .filter(Boolean);
  return method + pascal(words);
}

/** The statuses a route can answer with besides its own: what its path, its input and its being under /v1 allow. */
function errorStatuses(path: string, op: Operation): string[] {
  if (!path.startsWith('/v1/')) return [];
  const statuses = ['400', '401', '403', '429', '503'];
  if (path.includes('{')) statuses.push('404');
  if (op.requestBody) statuses.push('413', '415');
  return statuses;
}

const errorExample = (status: string) => {
  const { message, field } = ERRORS[status]!;
  return { statusCode: Number(status), error: STATUS_TEXT[Number(status)], message, ...(field && { field }) };
};

function errorResponse(status: string): Json {
  return {
    description: ERRORS[status]!.description,
    content: {
      'application/json': { schema: { $ref: `#/components/schemas/${ERROR_SCHEMA}` }, example: errorExample(status) },
    },
  };
}

/** A query parameter that can select CSV (`format=csv`) gives the route a CSV answer besides its JSON. */
const offersCsv = (op: Operation) =>
  op.parameters?.some(
    (p) => p.in === 'query' && p.name === 'format' && (p.schema?.['enum'] as string[] | undefined)?.includes('csv'),
  ) === true;

export interface SpecOptions {
  /** paths served without an API key */
  isOpen: (path: string) => boolean;
  /** routes that read their body as a stream (no body schema): the media types they take */
  uploads: Record<string, string[]>;
}

/** Complete `spec` (an OpenAPI 3 document as @fastify/swagger makes it) in place and return it. */
export function completeSpec<T extends Json>(spec: T, options: SpecOptions): T {
  const paths = (spec['paths'] ?? {}) as Record<string, Record<string, Operation>>;
  const components = ((spec['components'] as Json | undefined) ?? {}) as Json;
  const schemas = ((components['schemas'] as Json | undefined) ?? {}) as Json;
  schemas[ERROR_SCHEMA] = {
    type: 'object',
    description: 'Every error, whatever the route: the status, its name, what to change, and the field at fault',
    required: ['statusCode', 'error', 'message'],
    properties: {
      statusCode: { type: 'integer' },
      error: { type: 'string' },
      message: { type: 'string', description: 'what was wrong and how to send it right' },
      field: { type: 'string', description: 'the request field at fault' },
    },
  };
  const tags = new Set(((spec['tags'] as { name: string }[] | undefined) ?? []).map((t) => t.name));
  const undeclared = new Set<string>();

  for (const [path, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const id = operationIdOf(method, path);
      op.operationId ??= id;
      for (const tag of op.tags ?? []) if (!tags.has(tag)) undeclared.add(tag);
      if (options.isOpen(path)) op.security = [];
      const upload = method === 'post' ? options.uploads[path] : undefined;
      if (upload && !op.requestBody) {
        op.requestBody = {
          required: true,
          content: Object.fromEntries(upload.map((type) => [type, { schema: { type: 'string', format: 'binary' } }])),
        } as Operation['requestBody'];
      }
      // a parameter with a default may be left out: the service fills it in
      for (const p of op.parameters ?? [])
        if (p.in !== 'path' && p.schema?.['default'] !== undefined) p.required = false;
      for (const media of Object.values(op.requestBody?.content ?? {})) {
        const required = media.schema?.['required'];
        const props = media.schema?.['properties'] as Record<string, Json> | undefined;
        if (Array.isArray(required) && props) {
          const left = required.filter((name: string) => props[name]?.['default'] === undefined);
          if (left.length) media.schema!['required'] = left;
          else delete media.schema!['required'];
        }
      }
      const responses = (op.responses ??= {});
      for (const [status, response] of Object.entries(responses)) {
        const content = response['content'] as Record<string, { schema?: Json }> | undefined;
        const json = content?.['application/json'] as { schema?: Json; example?: unknown } | undefined;
        if (!json?.schema || '$ref' in json.schema) continue;
        if (status.startsWith('4') || (status.startsWith('5') && path.startsWith('/v1/'))) {
          json.schema = { $ref: `#/components/schemas/${ERROR_SCHEMA}` };
          // the route's own error answers get the same words and example as the ones added below
          if (ERRORS[status]) {
            if (response['description'] === 'Default Response') response['description'] = ERRORS[status].description;
            json.example ??= errorExample(status);
          }
        } else if (json.schema['type'] === 'object' || json.schema['allOf']) {
          // the route's JSON body as a named schema, for generated clients' types
          const name = `${pascal([id])}${status === '200' || status === '201' || status === '202' ? '' : status}Response`;
          schemas[name] = json.schema;
          json.schema = { $ref: `#/components/schemas/${name}` };
        }
      }
      const ok = responses['200'] as { content?: Record<string, Json> } | undefined;
      if (ok?.content && offersCsv(op) && !ok.content['text/csv']) {
        ok.content['text/csv'] = {
          schema: {
            type: 'string',
            description: 'a comment line with the attribution, a header line, one row per line',
          },
        };
      }
      for (const status of errorStatuses(path, op)) responses[status] ??= errorResponse(status);
    }
  }
  if (undeclared.size) throw new Error(`OpenAPI tags used but not declared: ${[...undeclared].join(', ')}`);
  components['schemas'] = schemas;
  spec['components' as keyof T] = components as T[keyof T];
  return spec;
}
