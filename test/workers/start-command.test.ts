import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/jobs/redis.js';
import { FIXTURE_TAXONOMY } from '../helpers/context.js';
import { runCli, type CliProcess } from '../helpers/processes.js';
import { waitFor } from '../helpers/service.js';

const AD = 'Etsimme kokenutta hitsaajaa Hämeenlinnaan. Edellytämme MIG-hitsauksen osaamista ja trukkikorttia.';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('skills-radar start with embedded defaults (PGlite, private redis-server)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'radar-start-'));
  const processes: CliProcess[] = [];
  afterAll(() => {
    for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    const pidFile = join(dataDir, 'redis', 'redis.pid');
    if (existsSync(pidFile)) {
      const pid = Number(readFileSync(pidFile, 'utf8'));
      if (alive(pid)) process.kill(pid, 'SIGTERM');
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(port: number, extra: Record<string, string> = {}) {
    const p = runCli(['start'], {
      PORT: String(port),
      DATA_DIR: dataDir,
      TAXONOMY_DIR: FIXTURE_TAXONOMY,
      WORKER_LOCK_MS: '2000',
      ...extra,
    });
    processes.push(p);
    await p.waitForOutput(/Skills Demand Radar is listening/, 90_000);
    return p;
  }

  it('imports the taxonomy on first start, serves, analyses, survives SIGKILL mid-job and shuts down cleanly', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const first = await start(port, { FAULT_JOB_DELAY_MS: '5000' });
    expect(first.output()).toMatch(/taxonomy imported/);
    expect(first.output()).toMatch(/started a private redis-server/);
    await first.waitForOutput(/semantic skill matching ready/, 60_000);
    await waitFor(async () => ((await fetch(`${base}/ready`)).status === 200 ? true : undefined), 30_000, 'ready');
    // the first start made an admin key and printed it once
    const key = /^\s+(sdr_[0-9a-f]{12}_[\w-]{43})$/m.exec(first.output())?.[1];
    expect(key, first.output()).toBeDefined();
    const auth = { authorization: `Bearer ${key}` };
    expect((await fetch(`${base}/v1/documents`)).status).toBe(401);

    const res = await fetch(`${base}/v1/documents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ kind: 'job_ad', text: AD }),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    await waitFor(
      async () => {
        const d = (await (await fetch(`${base}/v1/documents/${id}`, { headers: auth })).json()) as { status: string };
        return d.status === 'processing' ? true : undefined;
      },
      20_000,
      'processing',
    );
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await start(port);
    expect(second.output()).not.toMatch(/taxonomy imported/);
    expect(second.output()).not.toMatch(/sdr_/);
    const doc = await waitFor(
      async () => {
        const d = (await (await fetch(`${base}/v1/documents/${id}`, { headers: auth })).json()) as {
          status: string;
          attempts: number;
          analysis?: { skills: { label: string; spans: { start: number; end: number }[] }[] };
        };
        return d.status === 'done' ? d : undefined;
      },
      40_000,
      'the interrupted job to finish',
    );
    expect(doc.attempts).toBe(2);
    const mig = doc.analysis?.skills.find((s) => s.label === 'suorittaa MIG-hitsausta');
    expect(mig?.spans.map((s) => AD.slice(s.start, s.end))).toEqual(['MIG-hitsauksen']);

    const redisPid = Number(readFileSync(join(dataDir, 'redis', 'redis.pid'), 'utf8'));
    expect(alive(redisPid)).toBe(true);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    await waitFor(async () => (alive(redisPid) ? undefined : true), 10_000, 'the private redis-server to stop');
    // two starts, each loading the analyzer in its analysis process: longer than the default under a loaded CI machine
  }, 180_000);

  it('stops with the install command when REDIS_URL is unset and redis-server is missing', async () => {
    const p = runCli(['start'], {
      PATH: '/nonexistent',
      PORT: String(await freePort()),
      DATA_DIR: dataDir,
      TAXONOMY_DIR: FIXTURE_TAXONOMY,
    });
    processes.push(p);
    expect(await p.exited).toBe(1);
    expect(p.output()).toMatch(/redis-server is not on PATH.*apt-get install -y redis-server/);
  });

  it('stops listing every invalid setting', async () => {
    const p = runCli(['start'], { PORT: 'x', WORKER_CONCURRENCY: '0', REDIS_URL: 'http://nope' });
    processes.push(p);
    expect(await p.exited).toBe(2);
    const out = p.output();
    expect(out).toMatch(/Invalid environment/);
    expect(out).toMatch(/PORT="x"/);
    expect(out).toMatch(/WORKER_CONCURRENCY=0/);
    expect(out).toMatch(/REDIS_URL="http:\/\/nope"/);
  });
});
