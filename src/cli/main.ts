#!/usr/bin/env node
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UniversalSentenceEncoder } from '../embeddings/use.embedder.js';
import { fitCalibration, sentenceSetPoints, skillLinkingFiles, skillLinkingPoints } from '../eval/calibrate.js';
import { formatTable, runEval } from '../eval/run.js';
import { PIPELINE_VERSION } from '../pipeline/analyze.js';
import { PROJECT_ROOT } from '../paths.js';
import { openDatabase } from '../storage/database.js';
import { migrate } from '../storage/migrations.js';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { createLogger, type Logger } from '../logger.js';
import { closeOnSignals, startService } from '../server.js';
import { loadAnalyzer, openStorage } from '../runtime.js';
import { TaxonomyFileError } from '../taxonomy/csv.js';
import { importTaxonomy } from '../taxonomy/import.js';
import { runWorkerProcess } from '../../workers/analyze.worker.js';
import { progressReporter } from './progress.js';
import { RedisServerMissingError } from '../queue/redis.js';
import { VoikkoUnavailableError } from '../pipeline/voikko.js';

const USAGE = `skills-radar <command>

Commands:
  start                          API and a worker in one process (embedded PGlite and a private Redis by default)
  api                            the API only
  worker                         a worker process (needs DATABASE_URL and REDIS_URL shared with the API)
  migrate                        apply database migrations
  taxonomy import --from <dir>   import ESCO, ISCO-08, TOL 2008 and Finnish regions from the official files in <dir>
  eval [--bench-dir DIR] [--predictions DIR] [--json FILE] [--no-encoder] [--no-phrases]
                                 score the pipeline and a char n-gram TF-IDF baseline on the benchmarks in DIR
  calibrate [--bench-dir DIR] [--fi-set FILE] [--out FILE]
                                 fit the per-method score calibration on DIR's skill-linking files (CALIBRATION_FILE)

Configuration comes from the environment; see README.md.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const log = createLogger(config, command);
  switch (command) {
    case 'start':
    case 'api': {
      const service = await startService(config, log, { withWorker: command === 'start' });
      closeOnSignals(log, service.close);
      return -1;
    }
    case 'worker': {
      const close = await runWorkerProcess(config, log);
      closeOnSignals(log, close);
      return -1;
    }
    case 'migrate': {
      const db = await openStorage(config, log);
      await db.close();
      return 0;
    }
    case 'taxonomy':
      return taxonomyCommand(config, log, rest);
    case 'eval':
      return evalCommand(config, log, rest);
    case 'calibrate':
      return calibrateCommand(config, log, rest);
    default:
      process.stderr.write(`unknown command ${JSON.stringify(command)}\n\n${USAGE}\n`);
      return 2;
  }
}

async function taxonomyCommand(config: Config, log: Logger, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { from: { type: 'string' } }, allowPositionals: true });
  if (positionals[0] !== 'import') {
    process.stderr.write('usage: skills-radar taxonomy import --from <dir>\n');
    return 2;
  }
  const from = values.from ?? config.TAXONOMY_DIR;
  if (!from) {
    process.stderr.write('taxonomy import: give --from <dir> (or set TAXONOMY_DIR)\n');
    return 2;
  }
  const db = await openStorage(config, log);
  const progress = progressReporter();
  try {
    const result = await importTaxonomy(db, from, progress.update);
    progress.stop();
    const counts = Object.entries(result.counts).map(([t, n]) => `  ${t.padEnd(24)} ${n}`).join('\n');
    process.stdout.write(
      result.changed
        ? `Imported taxonomy version ${result.versionId} (ESCO ${result.escoVersion}) from ${from}:\n${counts}\n`
        : `Taxonomy version ${result.versionId} (ESCO ${result.escoVersion}) is already imported from the same data; nothing changed.\n`,
    );
    return 0;
  } catch (err) {
    progress.stop();
    if (err instanceof TaxonomyFileError) {
      process.stderr.write(`taxonomy import failed, the previous taxonomy is unchanged:\n  ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await db.close();
  }
}

async function evalCommand(config: Config, log: Logger, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'bench-dir': { type: 'string', default: join(PROJECT_ROOT, '..', 'shared', 'bench') },
      predictions: { type: 'string' },
      json: { type: 'string' },
      'no-encoder': { type: 'boolean', default: false },
      'no-phrases': { type: 'boolean', default: false },
    },
  });
  const benchDir = resolve(values['bench-dir']);
  if (!existsSync(benchDir)) {
    process.stderr.write(`eval: no benchmark directory ${benchDir} (give --bench-dir DIR)\n`);
    return 2;
  }
  const started = Date.now();
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const db = await openDatabase({});
  try {
    await migrate(db);
    say(`importing the taxonomy from ${config.TAXONOMY_DIR} into an in-memory database…`);
    await importTaxonomy(db, config.TAXONOMY_DIR);
    const analyzer = await loadAnalyzer(db, config, log);
    const embedder = values['no-encoder'] ? null : new UniversalSentenceEncoder();
    const rows = await runEval({
      benchDir,
      db,
      analyzer,
      embedder,
      cacheDir: join(config.DATA_DIR, 'embeddings'),
      predictionsDir: values.predictions ? resolve(values.predictions) : undefined,
      phrases: !values['no-phrases'],
      log: say,
    });
    process.stdout.write(`${formatTable(rows)}\n`);
    process.stdout.write(
      `\nproject: ${embedder ? `${embedder.id} cosine + ` : ''}character 3–5-gram TF-IDF + lexical (Voikko/stems, ESCO synonyms); baseline: character 3–5-gram TF-IDF. ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
    );
    if (values.json) {
      writeFileSync(resolve(values.json), JSON.stringify({ benchDir, encoder: embedder?.id ?? null, results: rows }, null, 2) + '\n');
    }
    return 0;
  } finally {
    await db.close();
  }
}

async function calibrateCommand(config: Config, log: Logger, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'bench-dir': { type: 'string', default: join(PROJECT_ROOT, '..', 'shared', 'bench') },
      out: { type: 'string', default: config.CALIBRATION_FILE },
      'fi-set': { type: 'string', default: join(PROJECT_ROOT, 'test', 'fixtures', 'fi-skills', 'sentences.jsonl') },
    },
  });
  const files = skillLinkingFiles(resolve(values['bench-dir']));
  if (files.length === 0) {
    process.stderr.write(`calibrate: no esco-skill-linking/*_annotations.csv under ${values['bench-dir']} (give --bench-dir DIR)\n`);
    return 2;
  }
  const db = await openDatabase({});
  try {
    await migrate(db);
    process.stderr.write(`importing the taxonomy from ${config.TAXONOMY_DIR} into an in-memory database…\n`);
    await importTaxonomy(db, config.TAXONOMY_DIR);
    const analyzer = await loadAnalyzer(db, config, log, { waitForSemantic: true });
    const fiSet = resolve(values['fi-set']);
    const points = [...(await skillLinkingPoints(db, analyzer, files)), ...(await sentenceSetPoints(analyzer, fiSet, 'fi'))];
    const fitted = fitCalibration(points, { files: [...files, fiSet], pipeline: PIPELINE_VERSION, encoder: analyzer.semanticModel ? config.SEMANTIC_MODEL : null });
    writeFileSync(resolve(values.out), JSON.stringify(fitted, null, 2) + '\n');
    for (const [method, m] of Object.entries(fitted.methods)) {
      const q = fitted.quality[method]!;
      process.stdout.write(
        `${method.padEnd(12)} a=${m.a.toFixed(3)} b=${m.b.toFixed(3)}  n=${m.n} positives=${m.positives}  ` +
          `Brier ${q.brierRaw.toFixed(3)} → ${q.brierCalibrated.toFixed(3)}  ECE ${q.eceRaw.toFixed(3)} → ${q.eceCalibrated.toFixed(3)} (held-out folds)\n`,
      );
    }
    process.stdout.write(`wrote ${resolve(values.out)}\n`);
    return 0;
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2))
  .then((code) => {
    if (code >= 0) process.exit(code);
  })
  .catch((err: unknown) => {
    // known operational problems get their message alone; anything else its stack
    const known = err instanceof RedisServerMissingError || err instanceof VoikkoUnavailableError || err instanceof TaxonomyFileError;
    process.stderr.write(`${err instanceof Error ? (known ? err.message : (err.stack ?? err.message)) : String(err)}\n`);
    process.exit(1);
  });
