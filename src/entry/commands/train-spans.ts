import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  escoLexicons,
  readSkillSpanLines,
  trainSkillPhrases,
  type SkillSpanLine,
} from '../../analysis/skill-phrases.js';
import { DEFAULT_SPAN_TAGGER_FILE, type Config } from '../../base/config.js';
import type { Logger } from '../../base/logger.js';
import { PROJECT_ROOT } from '../../base/paths.js';
import { readTaxonomy } from '../../taxonomy/load.js';

/**
 * `skills-radar train-spans`: trains the English skill-phrase tagger on SkillSpan's training split with ESCO's
 * English labels as a lexicon, and writes its weights (SPAN_TAGGER_FILE). The same data and seed give the same file.
 */
export async function trainSpansCommand(config: Config, log: Logger, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      train: { type: 'string', default: join(PROJECT_ROOT, '..', 'shared', 'bench', 'skill-spans', 'train.json') },
      out: { type: 'string', default: config.SPAN_TAGGER_FILE || DEFAULT_SPAN_TAGGER_FILE },
      epochs: { type: 'string', default: '12' },
      seed: { type: 'string', default: '1' },
    },
  });
  const train = resolve(values.train);
  if (!existsSync(train)) {
    process.stderr.write(`train-spans: no training file ${train} (give --train FILE)\n`);
    return 2;
  }
  const epochs = Number(values.epochs);
  const seed = Number(values.seed);
  if (!Number.isInteger(epochs) || epochs < 1 || !Number.isInteger(seed)) {
    process.stderr.write('train-spans: --epochs is a positive whole number, --seed a whole number\n');
    return 2;
  }
  let lines: SkillSpanLine[];
  try {
    lines = readSkillSpanLines(train);
  } catch (err) {
    process.stderr.write(`train-spans: ${(err as Error).message}\n`);
    return 1;
  }
  const started = Date.now();
  process.stderr.write(`reading the taxonomy from ${config.TAXONOMY_DIR}…\n`);
  const taxonomy = await readTaxonomy(config.TAXONOMY_DIR, { log });
  process.stderr.write(`training on ${lines.length} sentences, ${epochs} epochs…\n`);
  const model = trainSkillPhrases(lines, escoLexicons(taxonomy), {
    epochs,
    seed,
    trainedOn: train.split('/').slice(-2).join('/'),
  });
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify(model)}\n`);
  process.stdout.write(
    `Wrote ${values.out}: ${model.kinds.skill.features.length} skill and ${model.kinds.knowledge.features.length} knowledge features (${((Date.now() - started) / 1000).toFixed(0)} s).\n`,
  );
  return 0;
}
