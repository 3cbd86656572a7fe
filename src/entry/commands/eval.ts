import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UniversalSentenceEncoder } from '../../analysis/embeddings/use.embedder.js';
import { currentPhraseModel, loadAnalyzer, loadPhraseFinder } from '../../analysis/load-analyzer.js';
import { escoLexicons, readSkillSpanLines, trainSkillPhrases } from '../../analysis/skill-phrases.js';
import { DEFAULT_SPAN_TAGGER_FILE, type Config } from '../../base/config.js';
import type { Logger } from '../../base/logger.js';
import { PROJECT_ROOT } from '../../base/paths.js';
import { readRealisticSet, scoreRealistic } from '../../interfaces/eval/realistic.js';
import { formatTable, runEval } from '../../interfaces/eval/run.js';
import { readTaxonomy } from '../../taxonomy/load.js';

/** `skills-radar eval`: the pipeline and a baseline on the benchmarks, from the taxonomy files (no database). */
export async function evalCommand(config: Config, log: Logger, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'bench-dir': { type: 'string', default: join(PROJECT_ROOT, '..', 'shared', 'bench') },
      predictions: { type: 'string' },
      json: { type: 'string' },
      'no-encoder': { type: 'boolean', default: false },
      'no-phrases': { type: 'boolean', default: false },
      'realistic-dir': { type: 'string', default: join(PROJECT_ROOT, 'evaluation', 'realistic') },
      split: { type: 'string', default: 'test' },
    },
  });
  const benchDir = resolve(values['bench-dir']);
  const split = values.split;
  if (split !== 'dev' && split !== 'test') {
    process.stderr.write(`eval: --split is dev or test, not ${JSON.stringify(split)}\n`);
    return 2;
  }
  if (!existsSync(benchDir)) {
    process.stderr.write(`eval: no benchmark directory ${benchDir} (give --bench-dir DIR)\n`);
    return 2;
  }
  const started = Date.now();
  const say = (line: string) => process.stderr.write(`${line}\n`);
  say(`reading the taxonomy from ${config.TAXONOMY_DIR}…`);
  const taxonomy = await readTaxonomy(config.TAXONOMY_DIR, { aliasFiles: config.ALIASES_FILES.split(','), log });
  const trainFile = join(benchDir, 'skill-spans', 'train.json');
  const taggerFile = config.SPAN_TAGGER_FILE || DEFAULT_SPAN_TAGGER_FILE;
  if (!currentPhraseModel(taggerFile) && existsSync(trainFile)) {
    say(`training the span tagger on ${trainFile} (once; skills-radar train-spans)…`);
    const model = trainSkillPhrases(readSkillSpanLines(trainFile), escoLexicons(taxonomy), {
      trainedOn: 'skill-spans/train.json',
    });
    mkdirSync(dirname(taggerFile), { recursive: true });
    writeFileSync(taggerFile, `${JSON.stringify(model)}\n`);
  }
  const analyzer = await loadAnalyzer(taxonomy, config, log);
  const embedder = values['no-encoder'] ? null : new UniversalSentenceEncoder(config.ENCODER_THREADS);
  const rows = await runEval({
    benchDir,
    skills: taxonomy.skills,
    analyzer,
    embedder,
    cacheDir: join(config.DATA_DIR, 'embeddings'),
    predictionsDir: values.predictions ? resolve(values.predictions) : undefined,
    phrases: !values['no-phrases'],
    phraseFinder: loadPhraseFinder(taggerFile, taxonomy),
    log: say,
  });
  const realisticDir = resolve(values['realistic-dir']);
  if (existsSync(realisticDir))
    rows.push(...scoreRealistic(analyzer, taxonomy, readRealisticSet(realisticDir, taxonomy.skills), split));
  else say(`no realistic set at ${realisticDir}: skipped`);
  process.stdout.write(`${formatTable(rows)}\n`);
  process.stdout.write(
    `\nproject: ${embedder ? `${embedder.id} cosine + ` : ''}character 3–5-gram TF-IDF + lexical (Voikko/stems, ESCO synonyms); baseline: character 3–5-gram TF-IDF. ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
  );
  if (values.json) {
    writeFileSync(
      resolve(values.json),
      JSON.stringify({ benchDir, encoder: embedder?.id ?? null, results: rows }, null, 2) + '\n',
    );
  }
  return 0;
}
