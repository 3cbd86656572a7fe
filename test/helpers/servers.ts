import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, pingRedis } from '../../src/jobs/redis.js';

export interface TestServer {
  url: string;
  stop(): Promise<void>;
  /** fault injection: the server goes away (Redis loses everything it held; PostgreSQL keeps its data) */
  down(): Promise<void>;
  /** and comes back on the same port */
  up(): Promise<void>;
  /** fault injection: the server hangs (SIGSTOP): connections stay open, nothing is answered */
  pause?(): void;
  /** and goes on (SIGCONT) */
  resume?(): void;
}

function waitExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });
}

/** A real redis-server on a free loopback port, without persistence. */
export async function startRedis(): Promise<TestServer> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const launch = async () => {
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100 && !(await pingRedis(url, 200)); i++) await new Promise((r) => setTimeout(r, 50));
    if (!(await pingRedis(url))) throw new Error('redis-server did not start (apt-get install -y redis-server)');
    return child;
  };
  let child: ChildProcess | undefined = await launch();
  const kill = async () => {
    child?.kill('SIGKILL');
    if (child) await waitExit(child);
    child = undefined;
  };
  return {
    url,
    stop: kill,
    down: kill,
    async up() {
      child = await launch();
    },
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
  };
}

/** Where initdb and pg_ctl are: on PATH, or in Debian's versioned folder. */
function postgresBin(): string | undefined {
  if (!spawnSync('initdb', ['--version']).error && !spawnSync('pg_ctl', ['--version']).error) return '';
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
  return undefined;
}

export function postgresAvailable(): boolean {
  const bin = postgresBin();
  if (bin === undefined) return false;
  // as root, the server must run as another user
  return process.getuid?.() !== 0 || !spawnSync('id', ['-u', 'postgres']).status;
}

/** A throwaway PostgreSQL server (initdb + pg_ctl) on a free port; as root it runs as the postgres user. */
export async function startPostgres(): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'radar-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const bin = postgresBin() ?? '';
  const run = (name: string, args: string[]) => {
    const cmd = bin ? join(bin, name) : name;
    const r = asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' })
      : spawnSync(cmd, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout || r.error?.message}`);
  };
  if (asRoot)
    chownSync(
      dir,
      Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim()),
      Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim()),
    );
  run('initdb', ['-D', data, '-U', 'radar', '--auth=trust', '-E', 'UTF8', '--no-locale']);
  const port = await freePort();
  const start = () =>
    run('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'server.log'),
      '-w',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
      'start',
    ]);
  start();
  return {
    url: `postgres://radar@127.0.0.1:${port}/postgres`,
    async down() {
      // immediate: connections are cut mid-statement, as when the server crashes
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    },
    async up() {
      start();
    },
    async stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
