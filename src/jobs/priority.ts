import { setPriority } from 'node:os';
import type { Config } from '../base/config.js';
import type { Logger } from '../base/logger.js';

/**
 * Lowers a process's CPU priority to WORKER_NICE (this process without `pid`): analysis is background work, and
 * on a shared machine the API's answers (and its ingest latency) get the CPU first. A refusal is only logged.
 */
export function lowerPriority(config: Pick<Config, 'WORKER_NICE'>, log: Logger, what: string, pid?: number): void {
  try {
    if (pid === undefined) setPriority(config.WORKER_NICE);
    else setPriority(pid, config.WORKER_NICE);
  } catch (err) {
    log.warn({ err, nice: config.WORKER_NICE }, `could not lower the ${what} priority`);
  }
}
