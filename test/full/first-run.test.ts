import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/jobs/redis.js';
import { fullDataPresent, SHARED_DATA } from '../helpers/context.js';
import { runCli, type CliProcess } from '../helpers/processes.js';
import { waitFor } from '../helpers/service.js';

interface Ready {
  ready: boolean;
  checks: { analyzer: { ok: boolean; detail?: string } };
}

describe.skipIf(!fullDataPresent)('the first start on the full ESCO, with the sentence encoder', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'radar-first-run-'));
  let service: CliProcess | undefined;
  afterAll(async () => {
    if (service && service.child.exitCode === null) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
    const pidFile = join(dataDir, 'redis', 'redis.pid');
    if (existsSync(pidFile)) {
      try {
        process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
      } catch {
        // gone already
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('analyses documents lexically while the label embeddings are computed, and says how long they take', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    service = runCli(['start'], {
      PORT: String(port),
      DATA_DIR: dataDir,
      TAXONOMY_DIR: SHARED_DATA,
    });
    await service.waitForOutput(/Skills Demand Radar is listening/, 180_000);
    const key = /^\s+(sdr_[0-9a-f]{12}_[\w-]{43})$/m.exec(service.output())?.[1];
    expect(key, service.output()).toBeDefined();
    const auth = { authorization: `Bearer ${key}` };
    const res = await fetch(`${base}/v1/documents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({
        kind: 'job_ad',
        language: 'fi',
        text: 'Haemme hitsaajaa Lahteen. Edellytämme MIG-hitsauksen osaamista ja trukkikorttia.',
      }),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    // while the labels are embedded, /ready says the service works lexically, how far the embedding is and how long
    // it will take, and so does the log
    const detail = await waitFor(
      async () => {
        const ready = (await (await fetch(`${base}/ready`)).json()) as Ready;
        const text = ready.checks.analyzer.detail ?? '';
        return ready.ready && /embedding skill labels .*\d+\/\d+, about \d+ (s|min) left/.test(text) ? text : undefined;
      },
      120_000,
      '/ready telling how long the embeddings take',
    );
    expect(detail).toMatch(/lexical matching now/);
    await service.waitForOutput(/embedding skill labels .*about \d+ (s|min) left/, 60_000);
    // and the first document was analysed meanwhile: lexically, as its analysis says (no encoder)
    const done = await waitFor(
      async () => {
        const d = (await (await fetch(`${base}/v1/documents/${id}`, { headers: auth })).json()) as {
          status: string;
          analysis?: { encoder: string | null; skills: { label: string }[] };
        };
        return d.status === 'done' ? d : undefined;
      },
      120_000,
      'the first document analysed',
    );
    expect(done.analysis!.skills.length).toBeGreaterThan(0);
    expect(done.analysis!.encoder).toBeNull();
  }, 420_000);
});
