import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../helpers/context.js';
import { grew, parseMetrics, total } from '../helpers/metrics.js';
import { startTestService, waitFor, type TestService } from '../helpers/service.js';

const SECRET = 'Etsimme salaista hitsaajaa Kuopioon, MIG-hitsaus ja trukkikortti.';

describe.each(engines())('GET /metrics on %s', (engine) => {
  let s: TestService;

  beforeAll(async () => {
    s = await startTestService(engine, 'metrics');
  });
  afterAll(() => s.close());

  const scrape = async () => {
    // no key: open like /health
    const res = await s.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: '' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return { text: res.body, values: parseMetrics(res.body) };
  };

  it('counts requests by route pattern, the ingest statements, the database calls and the queued jobs; names no organisation, key or text', async () => {
    const before = (await scrape()).values;
    const { inject, key } = await s.caller('Metsäkonepaja Oy', 'contributor');
    for (let i = 0; i < 3; i++) {
      const res = await inject({
        method: 'POST',
        url: '/v1/documents',
        payload: { kind: 'job_ad', language: 'fi', text: `${SECRET} (${i})` },
      });
      expect(res.statusCode).toBe(202);
    }
    expect((await s.app.inject({ method: 'GET', url: '/no-such-path-4711' })).statusCode).toBe(404);
    // the jobs go to Redis just after the answers
    const { text, values: after } = await waitFor(
      async () => {
        const now = await scrape();
        return total(now.values, 'radar_queue_jobs', { state: 'waiting' }) >= 3 ? now : undefined;
      },
      10_000,
      'three waiting jobs',
    );
    const more = (name: string, labels: Record<string, string> = {}) => grew(before, after, name, labels);

    expect(
      more('http_request_duration_seconds_count', { method: 'POST', route: '/v1/documents', status_code: '202' }),
    ).toBe(3);
    expect(more('http_request_duration_seconds_count', { route: 'unmatched', status_code: '404' })).toBe(1);
    // a latency histogram: every answer is in the +Inf bucket, and its time in the sum
    expect(more('http_request_duration_seconds_bucket', { route: '/v1/documents', le: '+Inf' })).toBe(3);
    expect(more('http_request_duration_seconds_sum', { route: '/v1/documents' })).toBeGreaterThan(0);
    expect(more('radar_ingest_statement_documents_sum')).toBe(3);
    expect(more('radar_db_call_seconds_count', { engine, work: 'foreground' })).toBeGreaterThan(0);
    expect(total(after, 'radar_queue_jobs', { state: 'waiting' })).toBe(3);
    // Node's own: event-loop delay since the last scrape, heap, resident memory
    for (const name of [
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_heap_size_used_bytes',
      'process_resident_memory_bytes',
    ])
      expect(after.has(name), name).toBe(true);

    for (const secret of ['Metsäkonepaja', key, key.slice(0, 16), 'salaista', 'no-such-path-4711', s.orgId])
      expect(text).not.toContain(secret);
  });

  it("times the worker's jobs and its saves as background work", async () => {
    const before = (await scrape()).values;
    const worker = s.startWorker();
    await waitFor(
      async () =>
        grew(before, (await scrape()).values, 'radar_jobs_total', { outcome: 'completed' }) >= 3 ? true : undefined,
      30_000,
      'three jobs done',
    );
    const after = (await scrape()).values;
    const more = (name: string, labels: Record<string, string> = {}) => grew(before, after, name, labels);
    expect(more('radar_job_seconds_count')).toBeGreaterThanOrEqual(3);
    expect(more('radar_job_seconds_sum')).toBeGreaterThan(0);
    expect(more('radar_db_call_seconds_count', { engine, work: 'background' })).toBeGreaterThan(0);
    // only the embedded engine makes background work wait for a gap in the requests
    expect(more('radar_db_gate_wait_seconds_count', { work: 'background' }) > 0).toBe(engine === 'pglite');
    expect(total(after, 'radar_queue_jobs', { state: 'completed' })).toBeGreaterThanOrEqual(3);
    await worker.close();
  });
});

describe('METRICS=false', () => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService('pglite', 'nometrics', { METRICS: 'false' });
  });
  afterAll(() => s.close());

  it('serves no /metrics', async () => {
    expect((await s.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
  });
});
