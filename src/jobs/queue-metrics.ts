import type { Queue } from 'bullmq';
import { Gauge } from 'prom-client';
import { registry } from '../base/metrics.js';

/** The queues whose job counts are read at each scrape (the API's); removed again when its app closes. */
const queues = new Set<Queue>();

const JOB_STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed'] as const;

new Gauge({
  name: 'radar_queue_jobs',
  help: 'Jobs in the analysis queue by state, read from Redis at each scrape (absent while Redis does not answer)',
  labelNames: ['state'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    for (const queue of queues) {
      const counts = await queue.getJobCounts(...JOB_STATES).catch(() => undefined);
      if (!counts) continue;
      for (const state of JOB_STATES) this.inc({ state }, counts[state] ?? 0);
    }
  },
});

/** Reports `queue`'s job counts at each scrape until the returned function is called. */
export function watchQueue(queue: Queue): () => void {
  queues.add(queue);
  return () => queues.delete(queue);
}
