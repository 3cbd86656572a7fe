import { loadAnalyzer } from '../../analysis/load-analyzer.js';
import { loadConfig } from '../../base/config.js';
import { createLogger } from '../../base/logger.js';
import type { FromChild, ToChild } from './classify-protocol.js';
import { csvRow, toResult } from './output.js';
import { RowError } from './records.js';
import { readSnapshot, writeSnapshot } from './taxonomy-snapshot.js';

/**
 * One analysis process of a local classify run: builds the analyzer from the taxonomy file the run wrote (no
 * database here) and the encoder from the embedding cache, then analyses the chunks it is sent. Told to, it
 * writes that taxonomy file instead.
 */
export function runClassifyChild(): void {
  const send = (m: FromChild) => process.send?.(m);
  let config = loadConfig();
  let log = createLogger(config, 'classify-child', 2);
  let analyzer: Awaited<ReturnType<typeof loadAnalyzer>> | undefined;
  let format: 'jsonl' | 'csv' = 'jsonl';
  let readyCpu: NodeJS.CpuUsage | undefined;
  let queue = Promise.resolve();
  process.on('disconnect', () => process.exit(0));
  // Ctrl-C reaches the whole process group: the parent decides, finishing the chunks in flight first
  process.on('SIGINT', () => undefined);
  process.on('message', (message: ToChild) => {
    queue = queue.then(async () => {
      try {
        if (message.type === 'snapshot') {
          // a process of its own, so that the parent of the run never holds the taxonomy database and analyzer
          try {
            const semantic = await writeSnapshot(
              message.config,
              createLogger(message.config, 'classify-snapshot', 2),
              message.snapshotFile,
            );
            await new Promise((resolve) =>
              process.send?.({ type: 'snapshot-written', semantic } satisfies FromChild, resolve),
            );
          } catch (err) {
            const reply: FromChild = {
              type: 'snapshot-failed',
              error: (err as Error).message,
              usage: err instanceof RowError,
            };
            await new Promise((resolve) => process.send?.(reply, resolve));
          }
          process.disconnect?.();
        } else if (message.type === 'init') {
          format = message.format;
          config = message.config;
          log = createLogger(config, 'classify-child', 2);
          analyzer = await loadAnalyzer(readSnapshot(message.snapshotFile), config, log, { waitForSemantic: true });
          readyCpu = process.cpuUsage();
          send({ type: 'ready', semantic: analyzer.semanticModel });
        } else if (message.type === 'work') {
          const results = [];
          for (const ad of message.ads) {
            try {
              const analysis = await analyzer!.analyzeFull({
                ...ad,
                date: ad.date ?? new Date().toISOString().slice(0, 10),
              });
              const result = toResult(ad, analysis);
              // bytes, not a string: in the parent they stay outside the JS heap until written
              results.push({
                id: ad.id,
                row: ad.row,
                output: Buffer.from(format === 'csv' ? csvRow(result) : `${JSON.stringify(result)}\n`),
              });
            } catch (err) {
              results.push({ id: ad.id, row: ad.row, error: `analysis failed: ${(err as Error).message}` });
            }
          }
          send({ type: 'results', chunk: message.chunk, results });
        } else {
          const cpu = process.cpuUsage(readyCpu);
          send({
            type: 'stopped',
            maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
            cpuSeconds: (cpu.user + cpu.system) / 1e6,
          });
          process.disconnect?.();
        }
      } catch (err) {
        send({ type: 'failed', error: (err as Error).stack ?? String(err) });
      }
    });
  });
}
