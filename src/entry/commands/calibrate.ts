import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PIPELINE_VERSION } from '../../analysis/analyzer.js';
import { loadAnalyzer } from '../../analysis/load-analyzer.js';
import type { Config } from '../../base/config.js';
import type { Logger } from '../../base/logger.js';
import { PROJECT_ROOT } from '../../base/paths.js';
import {
  fitCalibration,
  realisticPoints,
  sentenceSetPoints,
  skillLinkingFiles,
  skillLinkingPoints,
} from '../../interfaces/eval/calibrate.js';
import { readRealisticSet } from '../../interfaces/eval/realistic.js';
import { readTaxonomy } from '../../taxonomy/load.js';

/** `skills-radar calibrate`: fits the per-method score calibration (CALIBRATION_FILE) on the benchmarks. */
export async function calibrateCommand(config: Config, log: Logger, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'bench-dir': { type: 'string', default: join(PROJECT_ROOT, '..', 'shared', 'bench') },
      out: { type: 'string', default: config.CALIBRATION_FILE },
      'fi-set': { type: 'string', default: join(PROJECT_ROOT, 'test', 'fixtures', 'fi-skills', 'sentences.jsonl') },
      'realistic-dir': { type: 'string', default: join(PROJECT_ROOT, 'evaluation', 'realistic') },
    },
  });
  const files = skillLinkingFiles(resolve(values['bench-dir']));
  if (files.length === 0) {
    process.stderr.write(
      `calibrate: no esco-skill-linking/*_annotations.csv under ${values['bench-dir']} (give --bench-dir DIR)\n`,
    );
    return 2;
  }
  process.stderr.write(`reading the taxonomy from ${config.TAXONOMY_DIR}…\n`);
  const taxonomy = await readTaxonomy(config.TAXONOMY_DIR, { aliasFiles: config.ALIASES_FILES.split(','), log });
  const analyzer = await loadAnalyzer(taxonomy, config, log, { waitForSemantic: true });
  const fiSet = resolve(values['fi-set']);
  const realisticDir = resolve(values['realistic-dir']);
  const realisticFiles = existsSync(realisticDir)
    ? readdirSync(realisticDir)
        .filter((f) => f.endsWith('.jsonl'))
        .sort()
        .map((f) => join(realisticDir, f))
    : [];
  const sentences = await sentenceSetPoints(analyzer, fiSet, 'fi');
  const passages = existsSync(realisticDir) ? readRealisticSet(realisticDir, taxonomy.skills) : [];
  const points = [
    ...(await skillLinkingPoints(taxonomy.skills, analyzer, files)),
    ...sentences,
    // groups after the sentence set's, so that cross-validation folds keep each passage's candidates together
    ...realisticPoints(analyzer, passages, taxonomy.skills, sentences.length + 1),
  ];
  const fitted = fitCalibration(points, {
    files: [...files, fiSet, ...realisticFiles],
    pipeline: PIPELINE_VERSION,
    encoder: analyzer.semanticModel ? config.SEMANTIC_MODEL : null,
  });
  writeFileSync(resolve(values.out), JSON.stringify(fitted, null, 2) + '\n');
  for (const [method, q] of Object.entries(fitted.quality)) {
    const m = fitted.methods[method];
    process.stdout.write(
      `${method.padEnd(14)} ${m ? `a=${m.a.toFixed(3)} b=${m.b.toFixed(3)}  n=${m.n} positives=${m.positives}` : 'not used: no better than the raw scores'}  ` +
        `Brier ${q.brierRaw.toFixed(3)} → ${q.brierCalibrated.toFixed(3)}  ECE ${q.eceRaw.toFixed(3)} → ${q.eceCalibrated.toFixed(3)} (held-out folds)\n`,
    );
  }
  process.stdout.write(`wrote ${resolve(values.out)}\n`);
  return 0;
}
