import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { PROJECT_ROOT } from '../../../base/paths.js';
import { chartsBundle } from '../charts-bundle.js';

/** The analyst page at `/`: static files that read only the public API, and its chart bundle. */
export const webRoutes: FastifyPluginAsync = async (app) => {
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
