import { join } from 'node:path';
import type { Config } from '../base/config.js';
import type { Logger } from '../base/logger.js';
import type { TaxonomyData } from '../domain/taxonomy.js';
import { Analyzer } from './analyzer.js';
import { Calibrator } from './calibration.js';
import { createEmbedder } from './embeddings/index.js';
import { SemanticSkillMatcher } from './semantic.js';

/**
 * The analyzer over a taxonomy, with the score calibration, and the semantic matcher when SEMANTIC_MODEL is set.
 * The label embeddings come from the disk cache in a moment; on the very first start they are computed in the
 * background (minutes for the full ESCO) and attached when ready, and each analysis records in `encoder`
 * whether it had them.
 */
export async function loadAnalyzer(
  data: TaxonomyData,
  config: Pick<
    Config,
    'CALIBRATION_FILE' | 'COUNT_THRESHOLD' | 'SEMANTIC_MODEL' | 'MODELS_DIR' | 'DATA_DIR' | 'ENCODER_THREADS'
  >,
  log: Logger,
  options: { waitForSemantic?: boolean } = {},
): Promise<Analyzer> {
  const semanticModel = config.SEMANTIC_MODEL === 'none' ? null : config.SEMANTIC_MODEL;
  const analyzer = await Analyzer.create(data, {
    calibrator: Calibrator.load(config.CALIBRATION_FILE, semanticModel),
    countThreshold: config.COUNT_THRESHOLD,
  });
  if (!semanticModel || !data.version) return analyzer;
  const embedder = createEmbedder(semanticModel, config.MODELS_DIR, config.ENCODER_THREADS);
  if (!embedder) return analyzer;
  const started = Date.now();
  let lastLog = 0;
  const cacheDir = join(config.DATA_DIR, 'embeddings');
  const building = SemanticSkillMatcher.build(
    data.skills,
    embedder,
    cacheDir,
    `taxonomy-${data.version.contentHash}`,
    (done, total) => {
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        log.info({ done, total }, 'embedding skill labels (once per taxonomy version and model)');
      }
    },
  ).then((matcher) => {
    analyzer.attachSemantic(matcher);
    log.info(
      { model: matcher.embedder.id, labels: matcher.size, ms: Date.now() - started },
      'semantic skill matching ready',
    );
  });
  const settled = building.catch((err: unknown) =>
    log.error({ err }, 'semantic matching unavailable; continuing lexical only'),
  );
  if (options.waitForSemantic) await settled;
  else await Promise.race([settled, new Promise((r) => setTimeout(r, 15_000).unref())]);
  return analyzer;
}
