import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger };

/** One structured logger per process, to stdout (or `fd`, e.g. 2 when stdout carries results); document text is never logged. */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, name = 'radar', fd = 1): Logger {
  return fd === 1
    ? pino({ name, level: config.LOG_LEVEL })
    : pino({ name, level: config.LOG_LEVEL }, pino.destination(fd));
}
