import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { PROJECT_ROOT } from '../../../base/paths.js';
import { chartsBundle } from '../charts-bundle.js';

const PAGE_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // charts set style attributes on the elements they draw
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The analyst page at `/`: static files that read only the public API, and its chart bundle. */
export const webRoutes: FastifyPluginAsync = async (app) => {
  // the page runs only its own scripts, talks only to this server and is never framed
  app.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', PAGE_POLICY);
  });
  await app.register(fastifyStatic, {
    root: join(PROJECT_ROOT, 'src', 'interfaces', 'web'),
    prefix: '/',
    index: 'index.html',
    maxAge: 0,
  });
  app.get('/vendor/charts.js', { schema: { hide: true } }, async (request, reply) => {
    const bundle = await chartsBundle();
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .header('etag', bundle.etag);
    if (request.headers['if-none-match'] === bundle.etag) return reply.code(304).send();
    return reply.send(bundle.code);
  });
};
