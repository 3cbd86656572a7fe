import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv from 'ajv';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../helpers/service.js';

interface Operation {
  operationId?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: { in: string; name: string; required?: boolean; schema?: { default?: unknown } }[];
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}
interface Spec {
  openapi: string;
  tags: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object> };
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

describe('the OpenAPI contract', () => {
  let s: TestService;
  let spec: Spec;

  beforeAll(async () => {
    s = await startTestService('pglite', 'openapi');
    spec = (await s.app.inject({ method: 'GET', url: '/docs/json' })).json<Spec>();
  });
  afterAll(() => s.close());

  const operations = () =>
    Object.entries(spec.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method]! })),
    );

  it('is a valid OpenAPI 3 document whose references all resolve', async () => {
    expect(spec.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(spec) as never)).resolves.toBeTruthy();
  });

  it('names every operation and documents its answers, errors included, with named schemas', () => {
    const ids = new Set<string>();
    const declared = new Set(spec.tags.map((t) => t.name));
    for (const { path, method, op } of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(op.operationId, where).toBeTruthy();
      expect(ids.has(op.operationId!), `${where}: operationId is unique`).toBe(false);
      ids.add(op.operationId!);
      for (const tag of op.tags ?? []) expect(declared.has(tag), `${where}: tag ${tag} declared`).toBe(true);
      const statuses = Object.keys(op.responses);
      expect(
        statuses.some((x) => x.startsWith('2')),
        `${where}: a 2xx answer`,
      ).toBe(true);
      for (const p of op.parameters ?? [])
        if (p.schema?.default !== undefined) expect(p.required, `${where}: ${p.name} has a default`).toBe(false);
      for (const [status, response] of Object.entries(op.responses)) {
        const json = response.content?.['application/json']?.schema;
        if (!json) continue;
        expect(json.$ref, `${where} ${status}: a named schema`).toMatch(/^#\/components\/schemas\//);
        if (/^[45]/.test(status) && path.startsWith('/v1/'))
          expect(json.$ref, `${where} ${status}`).toBe('#/components/schemas/ErrorResponse');
      }
      if (!path.startsWith('/v1/')) {
        expect(op.security, `${where}: open`).toEqual([]);
        continue;
      }
      expect(op.security, `${where}: needs a key`).toBeUndefined();
      const needed = ['400', '401', '403', '429', '503'];
      if (path.includes('{')) needed.push('404');
      if (op.requestBody) needed.push('413', '415');
      expect(statuses, where).toEqual(expect.arrayContaining(needed));
    }
    expect(Object.keys(spec.components.schemas)).toEqual(
      expect.arrayContaining(['ErrorResponse', 'PostAnalyzeResponse', 'GetDemandResponse']),
    );
  });

  it('gives realistic examples of the main requests and answers', () => {
    const submit = spec.paths['/v1/documents']!.post!;
    expect(JSON.stringify(submit.requestBody)).toMatch(/hitsaajaa/);
    const accepted = JSON.stringify(submit.responses['202']) + JSON.stringify(spec.components.schemas);
    expect(accepted).toMatch(/"status":"queued"/);
    expect(JSON.stringify(spec.paths['/v1/analyze']!.post!.requestBody)).toMatch(/MIG-hitsauksen/);
    expect(JSON.stringify(spec.paths['/v1/demand']!.get!.responses['400'])).toMatch(/YYYY-MM/);
  });

  it('declares the CSV and NDJSON answers and the upload types', () => {
    expect(Object.keys(spec.paths['/v1/demand']!.get!.responses['200']!.content!)).toEqual(
      expect.arrayContaining(['application/json', 'text/csv']),
    );
    expect(Object.keys(spec.paths['/v1/batches/{id}/results']!.get!.responses['200']!.content!)).toEqual(
      expect.arrayContaining(['application/x-ndjson', 'text/csv']),
    );
    expect(Object.keys(spec.paths['/v1/batches']!.post!.requestBody!.content)).toEqual(
      expect.arrayContaining(['application/x-ndjson', 'text/csv']),
    );
  });

  it('answers every error in the one documented shape, saying how to fix the request', async () => {
    const validate = new Ajv.default({ strict: false }).compile(spec.components.schemas['ErrorResponse']!);
    const cases: [InjectOptions, number, RegExp][] = [
      [{ method: 'GET', url: '/v1/no-such-route' }, 404, /no route GET \/v1\/no-such-route.*\/docs/],
      [
        { method: 'POST', url: '/v1/analyze', payload: 'hitsaus', headers: { 'content-type': 'text/plain' } },
        415,
        /content-type: application\/json/,
      ],
      [
        {
          method: 'POST',
          url: '/v1/analyze',
          payload: '{"text": "hitsaus",}',
          headers: { 'content-type': 'application/json' },
        },
        400,
        /not valid JSON: .*position \d+/,
      ],
      [{ method: 'GET', url: '/v1/demand?from=1.1.2026' }, 400, /from must be .*YYYY-MM/],
      [{ method: 'GET', url: '/v1/documents/not-an-id' }, 400, /UUID/],
      [{ method: 'GET', url: '/v1/demand', headers: { authorization: '' } }, 401, /Bearer <key>/],
    ];
    for (const [request, status, message] of cases) {
      const res = await s.app.inject(request);
      const where = `${request.method} ${request.url}`;
      expect(res.statusCode, where).toBe(status);
      const body = res.json<{ statusCode: number; message: string }>();
      expect(validate(body), `${where}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(body.statusCode).toBe(status);
      expect(body.message, where).toMatch(message);
    }
  });
});
