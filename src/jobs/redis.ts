import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { ConnectionOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import type { Config } from '../base/config.js';
import type { Logger } from '../base/logger.js';

/** ioredis options for BullMQ: workers block on Redis, so no per-request retry limit. */
export function redisOptions(url: string, extra: RedisOptions = {}): RedisOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
    ...extra,
  };
}

/** The same options, typed for BullMQ. */
export function bullConnection(url: string, extra: RedisOptions = {}): ConnectionOptions {
  return redisOptions(url, extra) as ConnectionOptions;
}

export async function pingRedis(url: string, timeoutMs = 1_000): Promise<boolean> {
  const client = new Redis(
    redisOptions(url, {
      lazyConnect: true,
      connectTimeout: timeoutMs,
      maxRetriesPerRequest: 1,
      retryStrategy: () => null,
    }),
  );
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export class RedisServerMissingError extends Error {
  constructor() {
    super(
      'REDIS_URL is not set and redis-server is not on PATH. Install it (Debian/Ubuntu: apt-get install -y redis-server) or set REDIS_URL=redis://host:6379',
    );
    this.name = 'RedisServerMissingError';
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface PrivateRedis {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts redis-server as a child process on a free loopback port, with its append-only file under `dir`, so queued
 * jobs survive a restart. A server left running by a killed parent is stopped first.
 */
export async function startPrivateRedis(dir: string): Promise<PrivateRedis> {
  if (spawnSync('redis-server', ['--version']).error) throw new RedisServerMissingError();
  mkdirSync(dir, { recursive: true });
  const pidFile = join(dir, 'redis.pid');
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    try {
      if (pid > 0) process.kill(pid, 'SIGTERM');
      for (let i = 0; i < 50; i++) {
        process.kill(pid, 0);
        await new Promise((r) => setTimeout(r, 100));
      }
    } catch {
      // not running any more
    }
    rmSync(pidFile, { force: true });
  }
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--pidfile',
      pidFile,
      '--appendonly',
      'yes',
      '--save',
      '',
      '--daemonize',
      'no',
      '--loglevel',
      'warning',
      '--maxmemory-policy',
      'noeviction',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    if (await pingRedis(url, 200)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Redis from REDIS_URL, else a private redis-server child under DATA_DIR. */
export async function resolveRedis(config: Config, log: Logger): Promise<{ url: string; private?: PrivateRedis }> {
  if (config.REDIS_URL) return { url: config.REDIS_URL };
  const redis = await startPrivateRedis(join(config.DATA_DIR, 'redis'));
  log.info({ url: redis.url }, 'started a private redis-server (set REDIS_URL to use your own)');
  return { url: redis.url, private: redis };
}
