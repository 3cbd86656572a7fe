import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analysis/analyzer.js';
import {
  escoLexicons,
  readSkillSpanLines,
  SkillPhraseFinder,
  trainSkillPhrases,
} from '../../src/analysis/skill-phrases.js';
import { PhraseLexicon, spansOfTags } from '../../src/analysis/span-tagger.js';
import { PROJECT_ROOT } from '../../src/base/paths.js';
import { loadAnalyzer } from '../../src/analysis/load-analyzer.js';
import { createLogger } from '../../src/base/logger.js';
import { FIXTURE_TAXONOMY, fixtureTaxonomy, testConfig } from '../helpers/context.js';
import { runCli } from '../helpers/processes.js';

const TINY = join(PROJECT_ROOT, 'test', 'fixtures', 'skill-spans', 'train.json');

/** Issue 32: the span tagger trained on a tiny SkillSpan-format fixture, with the fixture taxonomy (no ../shared). */
describe('the English skill-phrase tagger', () => {
  it('matches known phrases longest first, plurals alike', () => {
    const lexicon = new PhraseLexicon(['CI pipeline', 'pipeline', 'Java']);
    expect(lexicon.spans(['maintain', 'CI', 'pipelines', 'in', 'Java.'])).toEqual([
      [1, 3],
      [4, 5],
    ]);
  });

  it('trains to the same weights from the same lines and seed, and learns its training sentences', async () => {
    const taxonomy = await fixtureTaxonomy();
    const lines = readSkillSpanLines(TINY);
    const esco = escoLexicons(taxonomy);
    const first = trainSkillPhrases(lines, esco, { epochs: 8, seed: 3, trainedOn: 'tiny' });
    const second = trainSkillPhrases(lines, esco, { epochs: 8, seed: 3, trainedOn: 'tiny' });
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(first.kinds.skill.decoding).toBe('greedy');
    expect(first.kinds.knowledge.decoding).toBe('viterbi');
    const finder = SkillPhraseFinder.fromModel(first, esco);
    const tagged = lines.map((l) => finder.tagTokens(l.tokens));
    const right = lines.filter((l, i) =>
      (['skill', 'knowledge'] as const).every(
        (k) => JSON.stringify(tagged[i]![k]) === JSON.stringify(spansOfTags(l[`tags_${k}`])),
      ),
    );
    expect(right.length).toBeGreaterThanOrEqual(10);
  });

  it('marks phrases in an analysis; one no ESCO label matches stays an unlinked candidate', async () => {
    const taxonomy = await fixtureTaxonomy();
    const esco = escoLexicons(taxonomy);
    const model = trainSkillPhrases(readSkillSpanLines(TINY), esco, { epochs: 8, seed: 1, trainedOn: 'tiny' });
    const analyzer = await Analyzer.create(taxonomy);
    const text = 'Strong knowledge of Kubernetes and Docker. Write clean code and review pull requests.';
    expect((await analyzer.analyzeFull({ text, language: 'en' })).phrases).toBeUndefined();
    analyzer.attachPhrases(SkillPhraseFinder.fromModel(model, esco));
    const analysis = await analyzer.analyzeFull({ text, language: 'en' });
    const phrases = analysis.phrases!.map((p) => ({
      kind: p.kind,
      text: text.slice(p.start, p.end),
      linked: p.linked,
    }));
    expect(phrases).toContainEqual({ kind: 'knowledge', text: 'Kubernetes', linked: [] });
    expect(phrases.some((p) => p.kind === 'skill' && p.text.startsWith('Write clean code'))).toBe(true);
    for (const p of analysis.phrases!)
      expect(p.linked).toEqual(
        [...new Set(analysis.mentions.filter((m) => m.start < p.end && p.start < m.end).map((m) => m.uri))].sort(),
      );
    // Finnish text gets no phrases: the tagger reads English
    expect(
      (await analyzer.analyzeFull({ text: 'Osaat hitsata ja lukea piirustuksia.', language: 'fi' })).phrases,
    ).toBeUndefined();
  });

  it('is trained by its command and loaded once per process from SPAN_TAGGER_FILE, when the file is there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radar-spans-'));
    try {
      const out = join(dir, 'span-tagger.json');
      const env = { TAXONOMY_DIR: FIXTURE_TAXONOMY, DATA_DIR: join(dir, 'data'), SEMANTIC_MODEL: 'none' };
      const run = runCli(['train-spans', '--train', TINY, '--out', out, '--epochs', '4'], env);
      expect(await run.exited, run.output()).toBe(0);
      expect(run.output()).toMatch(/Wrote .*span-tagger\.json: \d+ skill and \d+ knowledge features/);
      const taxonomy = await fixtureTaxonomy();
      const log = createLogger(testConfig());
      const withFile = await loadAnalyzer(taxonomy, testConfig({ SPAN_TAGGER_FILE: out }), log);
      expect(withFile.tagsPhrases).toBe(true);
      const without = await loadAnalyzer(taxonomy, testConfig({ SPAN_TAGGER_FILE: join(dir, 'none.json') }), log);
      expect(without.tagsPhrases).toBe(false);
      // weights of an older format are not read as if they were current: trained again, meanwhile unused
      const older = join(dir, 'older.json');
      writeFileSync(older, JSON.stringify({ ...JSON.parse(readFileSync(out, 'utf8')), format: 'span-tagger-1' }));
      const stale = await loadAnalyzer(taxonomy, testConfig({ SPAN_TAGGER_FILE: older }), log);
      expect(stale.tagsPhrases).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
