/**
 * Throughput of the analysis pipeline on one core: documents/s, sentences/s, p50/p99 per document, peak RSS.
 * Uses the official data under TAXONOMY_DIR (default ../shared/data) when present, else the test fixture.
 *   npm run bench:pipeline [-- --docs 2000]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Analyzer } from '../src/pipeline/analyze.js';
import { PROJECT_ROOT } from '../src/paths.js';
import { openDatabase } from '../src/storage/database.js';
import { migrate } from '../src/storage/migrations.js';
import { importTaxonomy } from '../src/taxonomy/import.js';
import { syntheticAds } from './synthetic-ads.js';

const { values } = parseArgs({ options: { docs: { type: 'string', default: '2000' }, chars: { type: 'string', default: '2000' } } });
const n = Number(values.docs);
const full = process.env.TAXONOMY_DIR ?? join(PROJECT_ROOT, '..', 'shared', 'data');
const source = existsSync(full) ? full : join(PROJECT_ROOT, 'test', 'fixtures', 'taxonomy');

const db = await openDatabase({});
await migrate(db);
let t = performance.now();
await importTaxonomy(db, source);
const importMs = performance.now() - t;
t = performance.now();
const analyzer = await Analyzer.load(db);
const loadMs = performance.now() - t;
await db.close();

const ads = syntheticAds(n, 7, Number(values.chars));
// warm up caches and the JIT on other ads than the measured ones
for (const ad of syntheticAds(200, 99, Number(values.chars))) analyzer.analyze({ text: ad.text, language: ad.lang });

const times: number[] = [];
let sentences = 0;
let skills = 0;
let chars = 0;
const started = performance.now();
for (const ad of ads) {
  const s = performance.now();
  const a = analyzer.analyze({ text: ad.text });
  times.push(performance.now() - s);
  sentences += a.sentences.length;
  skills += a.skills.length;
  chars += ad.text.length;
}
const seconds = (performance.now() - started) / 1000;
times.sort((a, b) => a - b);
const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
const rssMiB = process.resourceUsage().maxRSS / 1024;

console.log(`taxonomy: ${source} (import ${(importMs / 1000).toFixed(1)} s, index ${(loadMs / 1000).toFixed(1)} s, ${analyzer.labelCount} labels)`);
console.log(`pipeline: lexical (language detection, segmentation, Voikko/stemming, ESCO label matching), 1 core`);
console.log(`documents: ${n} synthetic ads fi/sv/en, mean ${Math.round(chars / n)} characters, ${(sentences / n).toFixed(1)} sentences, ${(skills / n).toFixed(1)} skills each`);
console.log(`throughput: ${(n / seconds).toFixed(1)} documents/s, ${(sentences / seconds).toFixed(0)} sentences/s`);
console.log(`latency per document: p50 ${q(0.5).toFixed(2)} ms, p99 ${q(0.99).toFixed(2)} ms, max ${times[times.length - 1]!.toFixed(2)} ms`);
console.log(`peak RSS: ${rssMiB.toFixed(0)} MiB`);
