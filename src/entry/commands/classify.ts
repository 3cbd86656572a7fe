import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import type { Config } from '../../base/config.js';
import { classifyLocal } from '../../interfaces/batch/local.js';
import { RowError } from '../../interfaces/batch/records.js';
import { classifyRemote } from '../../interfaces/batch/remote.js';
import { throughputReporter } from '../progress.js';

/** Exit status of classify: 0 all rows done, 1 the run failed, 2 usage, 3 some rows failed, 130 interrupted. */
export async function classifyCommand(config: Config, args: string[]): Promise<number> {
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
    process.stderr.write(
      `classify: ${message}\nusage: skills-radar classify <file|-> [--out FILE] [--format jsonl|csv] [--text-field NAME] [--id-field NAME] [--server URL]\n`,
    );
    return 2;
  };
  const input = positionals[0];
  if (!input || positionals.length > 1) return usage('give one input file, or - for stdin');
  if (input !== '-' && !existsSync(input)) return usage(`no such file: ${input}`);
  if (values.format !== 'jsonl' && values.format !== 'csv') return usage('--format is jsonl or csv');
  const inputFormat = values['input-format'];
  if (inputFormat !== undefined && inputFormat !== 'jsonl' && inputFormat !== 'csv')
    return usage('--input-format is jsonl or csv');
  const apiKey = process.env.RADAR_API_KEY ?? '';
  if (values.server && !apiKey)
    return usage('--server needs a contributor API key of your organisation in RADAR_API_KEY');
  const workers = Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64)
    return usage('--workers is a whole number from 1 to 64');
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
          onLog: (line) => progress.log(line),
          onProgress: (p) =>
            progress.update({
              done: p.written + p.failed,
              failed: p.failed,
              resumed: p.resumed,
              bytesRead: p.bytesRead,
              size: p.size,
              elapsedMs: p.elapsedMs,
            }),
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
