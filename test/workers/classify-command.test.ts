import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchResult } from '../../src/interfaces/batch/output.js';
import { PROJECT_ROOT } from '../../src/base/paths.js';
import { dumpAds, writeDump } from '../../scripts/synthetic-dump.js';
import { FIXTURE_TAXONOMY } from '../helpers/context.js';
import { runCli } from '../helpers/processes.js';
import { startTestService, waitFor, type TestService } from '../helpers/service.js';

const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'batch');
const readLines = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean);
const ids = (path: string) => readLines(path).map((l) => (JSON.parse(l) as BatchResult).id);

describe('skills-radar classify', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'radar-classify-'));
    env = {
      TAXONOMY_DIR: FIXTURE_TAXONOMY,
      DATA_DIR: join(dir, 'data'),
      SEMANTIC_MODEL: 'none',
      MAX_TEXT_CHARS: '5000',
    };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('classifies a JSONL dump on two processes, reports bad rows, and resumes without writing anything twice', async () => {
    const out = join(dir, 'out.jsonl');
    const run = runCli(['classify', join(FIXTURES, 'ads.jsonl'), '--out', out, '--workers', '2'], env);
    expect(await run.exited, run.output()).toBe(3);
    expect(run.output()).toMatch(/classified 4 ads in .* 2 processes, lexical only/);
    expect(ids(out).sort()).toEqual(['en-1', 'fi-1', 'fi-2', 'sv-1']);
    const first = readLines(out)
      .map((l) => JSON.parse(l) as BatchResult)
      .find((r) => r.id === 'fi-1')!;
    expect(first.skills.flatMap((k) => k.spans.map((m) => [m.text, m.horizon, m.polarity, m.weight]))).toContainEqual([
      'hitsaustekniikoiden',
      'current',
      'need',
      3,
    ]);
    const errors = readLines(`${out}.errors.jsonl`).map((l) => JSON.parse(l) as { row: number; reason: string });
    expect(errors.map((e) => e.row)).toEqual([3, 4, 6, 7, 9]);

    // a run killed mid-write leaves half a line: the rerun drops it and writes that ad again
    const lastLine = readLines(out).at(-1)!;
    const lastId = (JSON.parse(lastLine) as BatchResult).id;
    const whole = readFileSync(out, 'utf8');
    rmSync(out);
    appendFileSync(out, whole.slice(0, whole.length - lastLine.length - 1) + lastLine.slice(0, 40));
    const again = runCli(['classify', join(FIXTURES, 'ads.jsonl'), '--out', out, '--workers', '1'], env);
    expect(await again.exited, again.output()).toBe(3);
    expect(again.output()).toMatch(/classified 1 ads in [\s\S]*3 ads were already in/);
    expect(ids(out).sort()).toEqual(['en-1', 'fi-1', 'fi-2', 'sv-1']);
    expect(ids(out).at(-1)).toBe(lastId);
    expect(readLines(`${out}.errors.jsonl`)).toHaveLength(5);

    // a finished run given again loads nothing
    const done = runCli(['classify', join(FIXTURES, 'ads.jsonl'), '--out', out], env);
    expect(await done.exited, done.output()).toBe(3);
    expect(done.output()).toMatch(/nothing left to classify[\s\S]*4 ads were already in/);
    expect(readLines(`${out}.errors.jsonl`)).toHaveLength(5);
  }, 120_000);

  it('reads CSV with multi-line fields and writes CSV', async () => {
    const out = join(dir, 'out.csv');
    const run = runCli(['classify', join(FIXTURES, 'ads.csv'), '--out', out, '--format', 'csv', '--workers', '1'], env);
    expect(await run.exited, run.output()).toBe(3);
    const rows = readLines(out);
    expect(rows[0]).toMatch(/^id,row,language,date,skill_uris,/);
    expect(rows.slice(1).map((r) => r.split(',')[0])).toEqual(expect.arrayContaining(['c-1', 'c-3']));
    expect(rows).toHaveLength(3);
  }, 120_000);

  it('stops cleanly on Ctrl-C with complete lines, and a rerun finishes the dump', async () => {
    const dump = join(dir, 'dump.jsonl.gz');
    await writeDump(dump, 1500, 5);
    const out = join(dir, 'big.jsonl');
    const run = runCli(['classify', dump, '--out', out, '--workers', '1'], env);
    await waitFor(
      async () => (existsSync(out) && readLines(out).length >= 20 ? true : undefined),
      90_000,
      'the first results',
    );
    run.child.kill('SIGINT');
    expect(await run.exited, run.output()).toBe(130);
    const partial = ids(out);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(1500);
    const rest = runCli(['classify', dump, '--out', out, '--workers', '2'], env);
    expect(await rest.exited, rest.output()).toBe(0);
    const all = ids(out);
    expect(new Set(all).size).toBe(1500);
    expect(all).toHaveLength(1500);
    // each run writes in the input's order, across its processes
    const order = [...dumpAds(1500, 5)].map((ad) => ad.id).filter((id) => !partial.includes(id));
    expect(all.slice(partial.length)).toEqual(order);
  }, 180_000);

  it('refuses bad usage with status 2', async () => {
    const run = runCli(['classify', join(dir, 'missing.jsonl')], env);
    expect(await run.exited).toBe(2);
    expect(run.output()).toMatch(/no such file/);
    const wrong = runCli(['classify', join(FIXTURES, 'ads.jsonl'), '--format', 'xml'], env);
    expect(await wrong.exited).toBe(2);
  });
});

describe('skills-radar classify --server', () => {
  let s: TestService;
  let url: string;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'radar-classify-server-'));
    s = await startTestService('pglite', 'classify-server', { MAX_TEXT_CHARS: '5000' });
    s.startWorker();
    url = await s.app.listen({ port: 0, host: '127.0.0.1' });
  }, 60_000);
  afterAll(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('needs an API key, and a contributor one', async () => {
    const none = runCli(['classify', join(FIXTURES, 'ads.jsonl'), '--out', join(dir, 'none.jsonl'), '--server', url], {
      LOG_LEVEL: 'warn',
      RADAR_API_KEY: '',
    });
    expect(await none.exited).toBe(2);
    expect(none.output()).toMatch(/RADAR_API_KEY/);
    const analyst = await s.caller('readers', 'analyst');
    const refused = runCli(
      ['classify', join(FIXTURES, 'ads.jsonl'), '--out', join(dir, 'refused.jsonl'), '--server', url],
      { LOG_LEVEL: 'warn', RADAR_API_KEY: analyst.key },
    );
    expect(await refused.exited).toBe(2);
    expect(refused.output()).toMatch(/refused the upload \(403\)/);
  }, 60_000);

  it('uploads the dump, follows the batch and writes the same results; a rerun adds nothing', async () => {
    const out = join(dir, 'remote.jsonl');
    const run = runCli(['classify', join(FIXTURES, 'ads.jsonl'), '--out', out, '--server', url], {
      LOG_LEVEL: 'warn',
      RADAR_API_KEY: s.key,
    });
    expect(await run.exited, run.output()).toBe(3);
    expect(ids(out)).toEqual(['fi-1', 'sv-1', 'en-1', 'fi-2']);
    expect(readLines(`${out}.errors.jsonl`).map((l) => (JSON.parse(l) as { row: number }).row)).toEqual([
      3, 4, 6, 7, 9,
    ]);
    const again = runCli(['classify', join(FIXTURES, 'ads.jsonl'), '--out', out, '--server', url], {
      LOG_LEVEL: 'warn',
      RADAR_API_KEY: s.key,
    });
    expect(await again.exited, again.output()).toBe(3);
    expect(ids(out)).toHaveLength(4);
    expect(readLines(`${out}.errors.jsonl`)).toHaveLength(5);
  }, 120_000);
});
