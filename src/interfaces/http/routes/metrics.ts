import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { collectProcessMetrics, httpDuration, registry } from '../../../base/metrics.js';
import { watchQueue } from '../../../jobs/queue-metrics.js';

/**
 * GET /metrics in Prometheus's text format (src/metrics.ts), open like /health: it holds counts and timings
 * only. Every answer's time goes into http_request_duration_seconds under its route's pattern (paths that match
 * no route under one label, so that a scan of made-up paths cannot grow the series without end).
 */
export function metricsRoutes(app: FastifyInstance, queue: Queue): void {
  collectProcessMetrics();
  const unwatch = watchQueue(queue);
  app.addHook('onClose', async () => {
    unwatch();
  });
  app.addHook('onResponse', async (request, reply) => {
    httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: reply.statusCode },
      reply.elapsedTime / 1_000,
    );
  });
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['health'],
        summary: 'Operational metrics in Prometheus text format',
        produces: ['text/plain'],
        response: { 200: { type: 'string' } },
      },
    },
    async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  );
}
