#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VoikkoUnavailableError } from '../analysis/voikko.js';
import { ConfigError, loadConfig, type Config } from '../base/config.js';
import { createLogger } from '../base/logger.js';
import { PROJECT_ROOT } from '../base/paths.js';
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
import { statisticsCommand } from './commands/statistics.js';
import { trainSpansCommand } from './commands/train-spans.js';
import { taxonomyCommand } from './commands/taxonomy.js';
import { closeOnSignals, startService } from './service.js';
import { runWorkerProcess } from './worker.js';

/** Each command: how it is called and what it does, for the overview and for `<command> --help`. */
const COMMANDS: { name: string; usage: string; about: string }[] = [
  {
    name: 'start',
    usage: 'start',
    about: 'API and a worker in one process (embedded PGlite and a private Redis by default)',
  },
  { name: 'api', usage: 'api', about: 'the API only' },
  {
    name: 'worker',
    usage: 'worker',
    about: 'a worker process (needs DATABASE_URL and REDIS_URL shared with the API)',
  },
  { name: 'migrate', usage: 'migrate', about: 'apply database migrations' },
  {
    name: 'orgs',
    usage: 'orgs create <name> | orgs list',
    about: 'organisations: each owns its documents and keys',
  },
  {
    name: 'keys',
    usage:
      'keys create --org <name> --role contributor|analyst|admin|operator [--label TEXT]\n       keys list [--org <name>] | keys revoke <prefix>',
    about: 'API keys: a new key is printed once (only its hash is stored)',
  },
  {
    name: 'taxonomy',
    usage: 'taxonomy import --from <dir>',
    about: 'import ESCO, ISCO-08, TOL 2008 and Finnish regions from the official files in <dir>',
  },
  {
    name: 'statistics',
    usage:
      'statistics import <file>…\n       statistics download [--from YYYY-MM] [--regions maakunnat|all|CODE,…] [--table URL]',
    about:
      "import Statistics Finland's employment service statistics (table 12ti: vacancies and jobseekers by\noccupation, region and month) from PxWeb CSV or JSON-stat2 files, or download them from its PxWeb API",
  },
  {
    name: 'eval',
    usage:
      'eval [--bench-dir DIR] [--predictions DIR] [--json FILE] [--no-encoder] [--no-phrases]\n       [--realistic-dir DIR] [--split test|dev]',
    about:
      "score the pipeline and a char n-gram TF-IDF baseline on the benchmarks in DIR\nand on the project's realistic Finnish and Swedish set (its test half by default)",
  },
  {
    name: 'calibrate',
    usage: 'calibrate [--bench-dir DIR] [--fi-set FILE] [--realistic-dir DIR] [--out FILE]',
    about: "fit the per-method score calibration on DIR's skill-linking files (CALIBRATION_FILE)",
  },
  {
    name: 'train-spans',
    usage: 'train-spans [--train FILE] [--out FILE] [--epochs N] [--seed N]',
    about: "train the English skill-phrase tagger on SkillSpan's training split (SPAN_TAGGER_FILE)",
  },
  {
    name: 'classify',
    usage:
      'classify <file|-> [--out FILE] [--format jsonl|csv] [--text-field NAME] [--id-field NAME] [--errors FILE]\n       [--input-format jsonl|csv] [--workers N] [--lexical-only] [--server URL]',
    about:
      'classify a dump of job ads (JSON Lines or CSV, .gz too), here or through a running service\n' +
      'Here it runs on all cores; with --server the service does the work (key in RADAR_API_KEY).\n' +
      'Results are written in input order; rerun with the same --out to resume (a finished output\n' +
      'ends at once). Exit status: 0 all rows done, 3 some rows failed (see the errors file), 2 usage,\n' +
      '130 interrupted.',
  },
];

const USAGE = `usage: skills-radar <command> [--help]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.about.split('\n')[0]}`).join('\n')}

skills-radar <command> --help tells more; skills-radar --version prints the version.
Configuration comes from the environment; see README.md.`;

const helpOf = (c: (typeof COMMANDS)[number]) =>
  `usage: skills-radar ${c.usage}\n\n${c.about}\n\nConfiguration comes from the environment; see README.md.`;

const version = () =>
  (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-V' || command === 'version') {
    process.stdout.write(`skills-radar ${version()}\n`);
    return 0;
  }
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    const asked = COMMANDS.find((c) => c.name === rest[0]);
    process.stdout.write(`${asked ? helpOf(asked) : USAGE}\n`);
    return command ? 0 : 2;
  }
  const known = COMMANDS.find((c) => c.name === command);
  if (known && (rest.includes('--help') || rest.includes('-h'))) {
    process.stdout.write(`${helpOf(known)}\n`);
    return 0;
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
    case 'statistics':
      return statisticsCommand(config, log, rest);
    case 'eval':
      return evalCommand(config, log, rest);
    case 'calibrate':
      return calibrateCommand(config, log, rest);
    case 'train-spans':
      return trainSpansCommand(config, log, rest);
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
