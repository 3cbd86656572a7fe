import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { PROJECT_ROOT } from '../../paths.js';

/** The browser builds of the charting library (Vega-Lite on Vega, embedded with vega-embed), served as they ship. */
const VENDOR: Record<string, string> = Object.fromEntries(
  ['vega', 'vega-lite', 'vega-embed'].map((name) => [`${name}.min.js`, join(PROJECT_ROOT, 'node_modules', name, 'build', `${name}.min.js`)]),
);

/** The analyst page at `/`: static files that read only the public API. */
export const webRoutes: FastifyPluginAsync = async (app) => {
  await app.register(fastifyStatic, { root: join(PROJECT_ROOT, 'src', 'web'), prefix: '/', index: 'index.html', maxAge: 0 });
  app.get('/vendor/:file', { schema: { hide: true } }, async (request, reply) => {
    const path = VENDOR[(request.params as { file: string }).file];
    if (!path) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'no such file' });
    return reply.header('cache-control', 'public, max-age=86400').sendFile(path.slice(path.lastIndexOf('/') + 1), dirname(path));
  });
};
