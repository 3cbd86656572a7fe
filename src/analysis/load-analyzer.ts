import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../base/config.js';
import type { Logger } from '../base/logger.js';
import type { TaxonomyData } from '../domain/taxonomy.js';
import { Analyzer } from './analyzer.js';
import { Calibrator } from './calibration.js';
import { createEmbedder } from './embeddings/index.js';
import { SemanticSkillMatcher } from './semantic.js';
import { SPAN_TAGGER_FORMAT } from './span-tagger.js';
import { escoLexicons, SkillPhraseFinder, type SkillPhraseModel } from './skill-phrases.js';

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
    | 'CALIBRATION_FILE'
    | 'COUNT_THRESHOLD'
    | 'SEMANTIC_MODEL'
    | 'MODELS_DIR'
    | 'DATA_DIR'
    | 'ENCODER_THREADS'
    | 'SPAN_TAGGER_FILE'
  >,
  log: Logger,
  options: {
    waitForSemantic?: boolean;
    /** while the label embeddings are computed (first start): how far, and about how long is left */
    onSemanticProgress?: (progress: SemanticProgress) => void;
  } = {},
): Promise<Analyzer> {
  const semanticModel = config.SEMANTIC_MODEL === 'none' ? null : config.SEMANTIC_MODEL;
  const analyzer = await Analyzer.create(data, {
    calibrator: Calibrator.load(config.CALIBRATION_FILE, semanticModel),
    countThreshold: config.COUNT_THRESHOLD,
  });
  const phrases = loadPhraseFinder(config.SPAN_TAGGER_FILE, data, log);
  if (phrases) analyzer.attachPhrases(phrases);
  if (!semanticModel || !data.version) return analyzer;
  const embedder = createEmbedder(semanticModel, config.MODELS_DIR, config.ENCODER_THREADS);
  if (!embedder) return analyzer;
  const started = Date.now();
  let lastLog = 0;
  let computing!: () => void;
  const computingStarted = new Promise<void>((resolve) => (computing = resolve));
  const cacheDir = join(config.DATA_DIR, 'embeddings');
  const building = SemanticSkillMatcher.build(
    data.skills,
    embedder,
    cacheDir,
    `taxonomy-${data.version.contentHash}`,
    (done, total) => {
      computing();
      const seconds = (Date.now() - started) / 1000;
      const etaSeconds = done > 0 ? Math.round((seconds / done) * (total - done)) : null;
      options.onSemanticProgress?.({ done, total, etaSeconds });
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        log.info(
          { done, total, etaSeconds },
          `embedding skill labels (once per taxonomy version and model)${etaSeconds === null ? '' : `, about ${formatSeconds(etaSeconds)} left`}; documents are analysed lexically meanwhile`,
        );
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
  // embeddings from the cache come in a moment and are waited for; computed ones are not: lexical analysis starts
  if (options.waitForSemantic) await settled;
  else await Promise.race([settled, computingStarted, new Promise((r) => setTimeout(r, 15_000).unref())]);
  return analyzer;
}

/** Whether a span tagger's weights file exists in the format this version reads. */
export function currentPhraseModel(file: string): boolean {
  if (!file || !existsSync(file)) return false;
  return (JSON.parse(readFileSync(file, 'utf8')) as { format?: unknown }).format === SPAN_TAGGER_FORMAT;
}

/**
 * The English skill-phrase tagger from its weights file, when it has been trained (skills-radar train-spans); a
 * file of an older format is left unused, with a warning to train it again.
 */
export function loadPhraseFinder(
  file: string,
  data: Pick<TaxonomyData, 'skills' | 'skillLabels'>,
  log?: Logger,
): SkillPhraseFinder | undefined {
  if (!file || !existsSync(file)) return undefined;
  const model = JSON.parse(readFileSync(file, 'utf8')) as SkillPhraseModel;
  if (model.format !== SPAN_TAGGER_FORMAT) {
    log?.warn({ file, format: model.format }, 'span tagger weights of an older format: run npm run train:spans');
    return undefined;
  }
  return SkillPhraseFinder.fromModel(model, escoLexicons(data));
}

/** How far the label embeddings are: labels embedded, of all, and the seconds left at the rate so far. */
export interface SemanticProgress {
  done: number;
  total: number;
  etaSeconds: number | null;
}

/** "40 s", "3 min", "1 h 5 min". */
export function formatSeconds(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
