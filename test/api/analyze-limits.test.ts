import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/base/logger.js';
import { AnalysisProcess } from '../../src/jobs/analysis-process.js';
import { taxonomyParts } from '../../src/taxonomy/load.js';
import { startTestService, type TestService } from '../helpers/service.js';

/** A long English job ad: many sentences, each compared with every skill label by the encoder. */
const LONG_AD = Array.from(
  { length: 400 },
  (_, i) =>
    `In team ${i} you will design and maintain data pipelines, review code with colleagues and weld steel frames for our customers.`,
).join(' ');

describe('POST /v1/analyze with the sentence encoder, under load', () => {
  let s: TestService;
  let analysis: AnalysisProcess;
  beforeAll(async () => {
    s = await startTestService('pglite', 'analyze-limits', {
      SEMANTIC_MODEL: 'use-lite-en',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'radar-analyze-')),
      MAX_ANALYZE_CHARS: '60000',
      BODY_LIMIT_BYTES: '1048576',
      ANALYZE_TIMEOUT_MS: '8000',
      ANALYZE_PER_KEY: '2',
    });
    // as `npm start` runs it: the route's analyses in a process of their own
    const options = { aliasFiles: s.config.ALIASES_FILES.split(','), log: createLogger(s.config) };
    analysis = await AnalysisProcess.start(() => taxonomyParts(s.db, options), s.config, options.log);
    await analysis.semanticSettled;
    expect(analysis.semanticModel).toMatch(/^use-lite-en/);
    s.analyzer.interactive = analysis;
  }, 300_000);
  afterAll(async () => {
    await analysis?.close();
    await s?.close();
  });

  it('runs at most ANALYZE_PER_KEY of one key at once, stops long ones at the time limit and keeps answering others', async () => {
    const busy = await s.caller('busy', 'contributor');
    const other = await s.caller('other', 'analyst');
    const long = Array.from({ length: 24 }, () =>
      busy.inject({ method: 'POST', url: '/v1/analyze', payload: { text: LONG_AD, language: 'en' } }),
    );
    const short = other.inject({
      method: 'POST',
      url: '/v1/analyze',
      payload: { text: 'We need a welder who can weld steel frames.', language: 'en' },
    });
    const regions = other.inject({ method: 'GET', url: '/v1/regions' });
    const answers = await Promise.all(long);
    const codes = answers.map((a) => a.statusCode).sort();
    expect(codes).toEqual([...Array(2).fill(503), ...Array(22).fill(429)].sort());
    const stopped = answers.find((a) => a.statusCode === 503)!;
    expect(stopped.json<{ message: string }>().message).toMatch(/longer than 8 s.*POST \/v1\/documents/);
    const refused = answers.find((a) => a.statusCode === 429)!;
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json<{ message: string }>().message).toMatch(/at most 2 at a time per key/);
    expect((await short).statusCode).toBe(200);
    expect((await regions).statusCode).toBe(200);
    // the key is free again once its analyses have stopped
    const after = await busy.inject({
      method: 'POST',
      url: '/v1/analyze',
      payload: { text: 'Welding of steel frames.', language: 'en' },
    });
    expect(after.statusCode).toBe(200);
  });
});
