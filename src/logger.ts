import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger };

/** One structured logger per process; document text is never logged. */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, name = 'radar'): Logger {
  return pino({ name, level: config.LOG_LEVEL });
}
