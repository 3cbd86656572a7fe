/**
 * POST /v1/analyze on long English texts, as `npm start` serves it (its own analysis process, the sentence encoder
 * in ANALYZE_ENCODER_THREADS threads): p50/p99 per request, one request at a time, and the analysis processes'
 * peak RSS. The skill labels' embeddings are copied from DATA_DIR's cache when it has them (else computed first).
 *   npm run bench:analyze [-- --docs 10 --chars 20000]
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/base/paths.js';
import { runCli } from '../test/helpers/processes.js';
import { analysisChildrenOf, peakRssMiB, quantile } from './bench-stats.js';
import { syntheticAds } from './synthetic-ads.js';

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '10' },
    chars: { type: 'string', default: '20000' },
  },
});
const dataDir = mkdtempSync(join(tmpdir(), 'radar-analyze-'));
const cache = join(process.env.DATA_DIR ?? join(PROJECT_ROOT, 'data'), 'embeddings');
if (existsSync(cache)) cpSync(cache, join(dataDir, 'embeddings'), { recursive: true });
const port = 18_900 + Math.floor(Math.random() * 90);
const env: Record<string, string> = {
  PORT: String(port),
  DATA_DIR: dataDir,
  TAXONOMY_DIR: process.env.TAXONOMY_DIR ?? join(PROJECT_ROOT, '..', 'shared', 'data'),
  LOG_LEVEL: 'info',
  RATE_LIMIT_MAX: '1000000',
  QUEUE_PREFIX: 'benchanalyze',
};
for (const name of ['ENCODER_THREADS', 'ANALYZE_ENCODER_THREADS']) if (process.env[name]) env[name] = process.env[name];

const service = runCli(['start'], env);
try {
  await service.waitForOutput(/POST \/v1\/analyze has its own analysis process/, 600_000);
  const key = /keep it:\s+(\S+)/.exec(service.output())![1]!;
  const texts = syntheticAds(Number(values.docs) * 4, 23, Number(values.chars))
    .filter((a) => a.lang === 'en')
    .map((a) => a.text.slice(0, Number(values.chars)));
  const ask = async (text: string) => {
    const t = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}/v1/analyze`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text, language: 'en' }),
    });
    const body = (await res.json()) as { skills?: unknown[] };
    if (!res.ok) throw new Error(`/v1/analyze: ${res.status} ${JSON.stringify(body)}`);
    return { ms: performance.now() - t, skills: body.skills?.length ?? 0 };
  };
  await ask(texts[0]!); // the first request compiles the path
  const ms: number[] = [];
  let skills = 0;
  for (const text of texts) {
    const r = await ask(text);
    ms.push(r.ms);
    skills += r.skills;
  }
  ms.sort((a, b) => a - b);
  const mean = Math.round(texts.reduce((s, t) => s + t.length, 0) / texts.length);
  console.log(
    `POST /v1/analyze, ${texts.length} English texts of ${mean} characters, one at a time: p50 ${quantile(ms, 0.5)!.toFixed(0)} ms, p99 ${quantile(ms, 0.99)!.toFixed(0)} ms (${(skills / texts.length).toFixed(1)} skills each); ANALYZE_ENCODER_THREADS=${env.ANALYZE_ENCODER_THREADS ?? 'default'}`,
  );
  const children = analysisChildrenOf(service.child.pid);
  console.log(
    `analysis processes' peak RSS (queue, then POST /v1/analyze): ${children.map(peakRssMiB).join(', ')} MiB`,
  );
} finally {
  service.child.kill('SIGINT');
  await service.exited;
  rmSync(dataDir, { recursive: true, force: true });
}
