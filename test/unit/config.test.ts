import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/base/config.js';

describe('loadConfig', () => {
  it('gives embedded defaults for an empty environment', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(8080);
    expect(c.HOST).toBe('127.0.0.1');
    expect(c.REDIS_URL).toBeUndefined();
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.WORKER_CONCURRENCY).toBe(1);
    expect(c.DATA_DIR.startsWith('/')).toBe(true);
  });

  it('converts numbers from text', () => {
    const c = loadConfig({ PORT: '9000', WORKER_CONCURRENCY: '4', REDIS_URL: 'redis://localhost:6380' });
    expect(c.PORT).toBe(9000);
    expect(c.WORKER_CONCURRENCY).toBe(4);
    expect(c.REDIS_URL).toBe('redis://localhost:6380');
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', WORKER_CONCURRENCY: '0' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect((error as ConfigError).problems).toHaveLength(4);
    expect(problems).toMatch(/PORT="eighty"/);
    expect(problems).toMatch(/LOG_LEVEL="loud".*one of fatal, error/);
    expect(problems).toMatch(/DATABASE_URL/);
    expect(problems).toMatch(/WORKER_CONCURRENCY/);
  });
});
