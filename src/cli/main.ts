#!/usr/bin/env node
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UniversalSentenceEncoder } from '../embeddings/use.embedder.js';
import { fitCalibration, sentenceSetPoints, skillLinkingFiles, skillLinkingPoints } from '../eval/calibrate.js';
import { formatTable, runEval } from '../eval/run.js';
import { PIPELINE_VERSION } from '../pipeline/analyze.js';
import { PROJECT_ROOT } from '../paths.js';
import { DatabaseInUseError, openDatabase } from '../storage/database.js';
import { migrate } from '../storage/migrations.js';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { createLogger, type Logger } from '../logger.js';
import { closeOnSignals, startService } from '../server.js';
import { loadAnalyzer, openStorage } from '../runtime.js';
import { TaxonomyFileError } from '../taxonomy/csv.js';
import { importTaxonomy } from '../taxonomy/import.js';
import { runWorkerProcess } from '../../workers/analyze.worker.js';
import { progressReporter, throughputReporter } from './progress.js';
import { orgsCommand } from './orgs.js';
import { RedisServerMissingError } from '../queue/redis.js';
import { VoikkoUnavailableError } from '../pipeline/voikko.js';
import { classifyLocal } from '../batch/local.js';
import { RowError } from '../batch/records.js';
import { classifyRemote } from '../batch/remote.js';
import { runAnalysisChild } from '../../workers/analysis.child.js';
import { runClassifyChild } from '../../workers/classify.child.js';
import { availableParallelism } from 'node:os';

const USAGE = `skills-radar <command>

Commands:
  start                          API and a worker in one process (embedded PGlite and a private Redis by default)
  api                            the API only
  worker                         a worker process (needs DATABASE_URL and REDIS_URL shared with the API)
  migrate                        apply database migrations
  orgs create <name> | orgs list organisations: each owns its documents and keys
  keys create --org <name> --role contributor|analyst|admin [--label TEXT]
                                 a new API key, printed once (only its hash is stored)
  keys list [--org <name>] | keys revoke <prefix>
  taxonomy import --from <dir>   import ESCO, ISCO-08, TOL 2008 and Finnish regions from the official files in <dir>
  eval [--bench-dir DIR] [--predictions DIR] [--json FILE] [--no-encoder] [--no-phrases]
                                 score the pipeline and a char n-gram TF-IDF baseline on the benchmarks in DIR
  calibrate [--bench-dir DIR] [--fi-set FILE] [--out FILE]
                                 fit the per-method score calibration on DIR's skill-linking files (CALIBRATION_FILE)
  classify <file|-> [--out FILE] [--format jsonl|csv] [--text-field NAME] [--id-field NAME] [--errors FILE]
           [--input-format jsonl|csv] [--workers N] [--lexical-only] [--server URL]
                                 classify a dump of job ads (JSON Lines or CSV, .gz too): on all cores here, or
                                 through a running service with --server (key in RADAR_API_KEY); rerun with
                                 the same --out to resume

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
    case 'orgs':
    case 'keys':
      return orgsCommand(config, log, command, rest);
    case 'taxonomy':
      return taxonomyCommand(config, log, rest);
    case 'eval':
      return evalCommand(config, log, rest);
    case 'calibrate':
      return calibrateCommand(config, log, rest);
    case 'classify':
      return classifyCommand(config, rest);
    case '__classify-child':
      runClassifyChild();
      return -1;
    case '__analysis-child':
      runAnalysisChild();
      return -1;
    default:
      process.stderr.write(`unknown command ${JSON.stringify(command)}\n\n${USAGE}\n`);
      return 2;
  }
}

/** Exit status of classify: 0 all rows done, 1 the run failed, 2 usage, 3 some rows failed, 130 interrupted. */
async function classifyCommand(config: Config, args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        format: { type: 'string', default: 'jsonl' },
        'input-format': { type: 'string' },
        'text-field': { type: 'string' },
        'id-field': { type: 'string' },
        errors: { type: 'string' },
        workers: { type: 'string', default: String(availableParallelism()) },
        'lexical-only': { type: 'boolean', default: false },
        server: { type: 'string' },
      },
    });
  } catch (err) {
    process.stderr.write(`classify: ${(err as Error).message}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const usage = (message: string) => {
    process.stderr.write(`classify: ${message}\nusage: skills-radar classify <file|-> [--out FILE] [--format jsonl|csv] [--text-field NAME] [--id-field NAME] [--server URL]\n`);
    return 2;
  };
  const input = positionals[0];
  if (!input || positionals.length > 1) return usage('give one input file, or - for stdin');
  if (input !== '-' && !existsSync(input)) return usage(`no such file: ${input}`);
  if (values.format !== 'jsonl' && values.format !== 'csv') return usage('--format is jsonl or csv');
  const inputFormat = values['input-format'];
  if (inputFormat !== undefined && inputFormat !== 'jsonl' && inputFormat !== 'csv') return usage('--input-format is jsonl or csv');
  const apiKey = process.env.RADAR_API_KEY ?? '';
  if (values.server && !apiKey) return usage('--server needs a contributor API key of your organisation in RADAR_API_KEY');
  const workers = Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) return usage('--workers is a whole number from 1 to 64');
  const progress = throughputReporter('classify');
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nclassify: stopping after the ads in progress (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const common = {
    input,
    inputFormat,
    out: values.out,
    format: values.format,
    errors: values.errors,
    fields: { textField: values['text-field'], idField: values['id-field'] },
    signal: controller.signal,
  } as const;
  try {
    const summary = values.server
      ? await classifyRemote(values.server, { ...common, apiKey, onProgress: (p) => progress.update(p) })
      : await classifyLocal(values['lexical-only'] ? { ...config, SEMANTIC_MODEL: 'none' } : config, {
          ...common,
          workers,
          onProgress: (p) => progress.update({ done: p.written + p.failed, failed: p.failed, resumed: p.resumed, bytesRead: p.bytesRead, size: p.size, elapsedMs: p.elapsedMs }),
        });
    progress.stop();
    process.stderr.write(`${summary.lines.join('\n')}\n`);
    return summary.interrupted ? 130 : summary.failed > 0 ? 3 : 0;
  } catch (err) {
    progress.stop();
    if (err instanceof RowError) {
      process.stderr.write(`classify: ${err.message}\n`);
      return 2;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
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
    const known = err instanceof RedisServerMissingError || err instanceof VoikkoUnavailableError || err instanceof TaxonomyFileError || err instanceof DatabaseInUseError;
    process.stderr.write(`${err instanceof Error ? (known ? err.message : (err.stack ?? err.message)) : String(err)}\n`);
    process.exit(1);
  });
