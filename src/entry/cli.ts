#!/usr/bin/env node
import { VoikkoUnavailableError } from '../analysis/voikko.js';
import { ConfigError, loadConfig, type Config } from '../base/config.js';
import { createLogger } from '../base/logger.js';
import { runClassifyChild } from '../interfaces/batch/classify-child.js';
import { runAnalysisChild } from '../jobs/analysis-child.js';
import { RedisServerMissingError } from '../jobs/redis.js';
import { DatabaseInUseError } from '../storage/database.js';
import { openStorage } from '../storage/open.js';
import { TaxonomyFileError } from '../taxonomy/csv.js';
import { calibrateCommand } from './commands/calibrate.js';
import { classifyCommand } from './commands/classify.js';
import { evalCommand } from './commands/eval.js';
import { orgsCommand } from './commands/orgs.js';
import { taxonomyCommand } from './commands/taxonomy.js';
import { closeOnSignals, startService } from './service.js';
import { runWorkerProcess } from './worker.js';

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
       [--realistic-dir DIR] [--split test|dev]
                                 score the pipeline and a char n-gram TF-IDF baseline on the benchmarks in DIR
                                 and on the project's realistic Finnish and Swedish set (its test half by default)
  calibrate [--bench-dir DIR] [--fi-set FILE] [--realistic-dir DIR] [--out FILE]
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

main(process.argv.slice(2))
  .then((code) => {
    if (code >= 0) process.exit(code);
  })
  .catch((err: unknown) => {
    // known operational problems get their message alone; anything else its stack
    const known =
      err instanceof RedisServerMissingError ||
      err instanceof VoikkoUnavailableError ||
      err instanceof TaxonomyFileError ||
      err instanceof DatabaseInUseError;
    process.stderr.write(
      `${err instanceof Error ? (known ? err.message : (err.stack ?? err.message)) : String(err)}\n`,
    );
    process.exit(1);
  });
