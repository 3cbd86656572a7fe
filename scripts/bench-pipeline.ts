/**
 * Throughput of the analysis pipeline on one core: documents/s, sentences/s, p50/p99 per document, peak RSS;
 * lexical only (all three languages) and lexical + semantic (English, where the encoder applies), and the bare
 * encoder's sentences/s on the same sentences (the ratio is the headline); English with and without the span
 * tagger's phrases when its weights are there (SPAN_TAGGER_FILE, default models/span-tagger.json). Uses the official data under
 * TAXONOMY_DIR (default ../shared/data) when present, else the test fixture.
 *   npm run bench:pipeline [-- --docs 2000 --semantic-docs 100 --chars 2000 --encoder-threads 2 --no-semantic]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { UniversalSentenceEncoder } from '../src/analysis/embeddings/use.embedder.js';
import { Analyzer } from '../src/analysis/analyzer.js';
import { loadPhraseFinder } from '../src/analysis/load-analyzer.js';
import { SemanticSkillMatcher } from '../src/analysis/semantic.js';
import { segmentSentences } from '../src/analysis/text.js';
import { DEFAULT_SPAN_TAGGER_FILE } from '../src/base/config.js';
import { PROJECT_ROOT } from '../src/base/paths.js';
import { openDatabase } from '../src/storage/database.js';
import { migrate } from '../src/storage/migrate.js';
import { importTaxonomy } from '../src/taxonomy/import.js';
import { loadTaxonomy } from '../src/taxonomy/load.js';
import { syntheticAds } from './synthetic-ads.js';
import { quantile } from './bench-stats.js';

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '2000' },
    'semantic-docs': { type: 'string', default: '100' },
    chars: { type: 'string', default: '2000' },
    'no-semantic': { type: 'boolean', default: false },
    'encoder-threads': { type: 'string', default: process.env.ENCODER_THREADS ?? '2' },
  },
});
const chars = Number(values.chars);
const full = process.env.TAXONOMY_DIR ?? join(PROJECT_ROOT, '..', 'shared', 'data');
const source = existsSync(full) ? full : join(PROJECT_ROOT, 'test', 'fixtures', 'taxonomy');
const cacheDir = join(process.env.DATA_DIR ?? join(PROJECT_ROOT, 'data'), 'embeddings');

const db = await openDatabase({});
await migrate(db);
let t = performance.now();
await importTaxonomy(db, source);
const importMs = performance.now() - t;
// the taxonomy value is let go once the analyzer is built, as in the service's analysis process
const taggerFile = process.env.SPAN_TAGGER_FILE || DEFAULT_SPAN_TAGGER_FILE;
const { analyzer, skills, phraseFinder, taxonomyKey, readMs, indexMs } = await (async () => {
  let started = performance.now();
  const taxonomy = await loadTaxonomy(db);
  const readMs = performance.now() - started;
  started = performance.now();
  const analyzer = await Analyzer.create(taxonomy);
  const indexMs = performance.now() - started;
  return {
    analyzer,
    skills: taxonomy.skills,
    phraseFinder: loadPhraseFinder(taggerFile, taxonomy),
    taxonomyKey: `taxonomy-${taxonomy.version!.contentHash}`,
    readMs,
    indexMs,
  };
})();
console.log(
  `taxonomy: ${source} (import ${(importMs / 1000).toFixed(1)} s, read ${(readMs / 1000).toFixed(1)} s, index ${(indexMs / 1000).toFixed(1)} s, ${analyzer.labelCount} labels)`,
);

interface Run {
  docs: number;
  sentences: number;
  seconds: number;
  times: number[];
}

function report(name: string, r: Run): void {
  const sorted = [...r.times].sort((a, b) => a - b);
  console.log(
    `${name}: ${(r.docs / r.seconds).toFixed(1)} documents/s, ${(r.sentences / r.seconds).toFixed(0)} sentences/s, ` +
      `p50 ${quantile(sorted, 0.5)!.toFixed(2)} ms, p99 ${quantile(sorted, 0.99)!.toFixed(2)} ms per document (${r.docs} documents)`,
  );
}

async function measure(ads: { lang: string; text: string }[], run: (text: string) => Promise<number>): Promise<Run> {
  const times: number[] = [];
  let sentences = 0;
  const started = performance.now();
  for (const ad of ads) {
    const s = performance.now();
    sentences += await run(ad.text);
    times.push(performance.now() - s);
  }
  return { docs: ads.length, sentences, seconds: (performance.now() - started) / 1000, times };
}

// lexical only, fi/sv/en mix
const ads = syntheticAds(Number(values.docs), 7, chars);
for (const ad of syntheticAds(200, 99, chars)) analyzer.analyze({ text: ad.text });
console.log(
  `documents: synthetic ads fi/sv/en, mean ${Math.round(ads.reduce((s, a) => s + a.text.length, 0) / ads.length)} characters`,
);
report('lexical (1 core)', await measure(ads, async (text) => analyzer.analyze({ text }).sentences.length));

// English with the span tagger's phrases (skills-radar train-spans), against the same documents without
const englishAds = syntheticAds(Number(values.docs), 13, chars).filter((a) => a.lang === 'en');
if (phraseFinder) {
  const without = await measure(
    englishAds,
    async (text) => analyzer.analyze({ text, language: 'en' }).sentences.length,
  );
  analyzer.attachPhrases(phraseFinder);
  for (const ad of englishAds.slice(0, 20)) await analyzer.analyzeFull({ text: ad.text, language: 'en' });
  const withPhrases = await measure(
    englishAds,
    async (text) => (await analyzer.analyzeFull({ text, language: 'en' })).sentences.length,
  );
  report('lexical, English documents (1 core)', without);
  report('lexical + span tagger, English documents (1 core)', withPhrases);
} else console.log(`span tagger: no ${taggerFile} (npm run train:spans); English with phrases not measured`);

if (!values['no-semantic']) {
  const encoder = new UniversalSentenceEncoder(Number(values['encoder-threads']));
  t = performance.now();
  const matcher = await SemanticSkillMatcher.build(skills, encoder, cacheDir, taxonomyKey, (d, n) => {
    if (d % 1024 === 0 || d === n) process.stderr.write(`  embedding skill labels ${d}/${n}\n`);
  });
  console.log(
    `semantic: ${encoder.id} in ${encoder.threads} thread(s), ${matcher.size} label vectors ready in ${((performance.now() - t) / 1000).toFixed(1)} s (disk cache ${cacheDir})`,
  );
  analyzer.attachSemantic(matcher);
  const english = syntheticAds(Number(values['semantic-docs']) * 4, 11, chars).filter((a) => a.lang === 'en');
  await analyzer.analyzeFull({ text: english[0]!.text, language: 'en' });
  const lexicalEn = await measure(english, async (text) => analyzer.analyze({ text, language: 'en' }).sentences.length);
  report('lexical, English documents', lexicalEn);
  const semantic = await measure(
    english,
    async (text) => (await analyzer.analyzeFull({ text, language: 'en' })).sentences.length,
  );
  report('lexical + semantic, English documents', semantic);
  // the bare encoder on the same sentences, batched per document as the pipeline does
  const bare = await measure(english, async (text) => {
    const sentences = segmentSentences(text, 'en').map((s) => s.text);
    await encoder.embed(sentences);
    return sentences.length;
  });
  report('bare encoder, same sentences', bare);
  const ratio = semantic.sentences / semantic.seconds / (bare.sentences / bare.seconds);
  console.log(`headline: pipeline throughput = ${(ratio * 100).toFixed(0)} % of the bare encoder's (target ≥ 80 %)`);
}
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
await db.close();
