import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseInUseError, engineThreads, openDatabase, type Database } from '../../src/storage/database.js';

/** Embedded PGlite runs in a thread of its own (pglite-thread.ts): what callers see must be what PGlite gives. */
describe('embedded database in its own thread', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({});
    await db.exec('CREATE TABLE t (id int PRIMARY KEY, note text)');
  });
  afterAll(() => db.close());

  it('answers rows with PostgreSQL types, and errors with their fields', async () => {
    const [row] = await db.query<{ d: Date; b: Uint8Array; j: unknown; n: number[] }>(
      `SELECT '2026-11-24T10:00:00Z'::timestamptz AS d, $1::bytea AS b, '{"a": [1]}'::jsonb AS j, ARRAY[1, 2] AS n`,
      [new Uint8Array([7, 8])],
    );
    expect(row!.d).toBeInstanceOf(Date);
    expect(row!.d.toISOString()).toBe('2026-11-24T10:00:00.000Z');
    expect([...row!.b]).toEqual([7, 8]);
    expect(row).toMatchObject({ j: { a: [1] }, n: [1, 2] });

    await db.query('INSERT INTO t VALUES (1, $1)', ['first']);
    const err = await db.query('INSERT INTO t VALUES (1, $1)', ['again']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: '23505', message: expect.stringContaining('t_pkey') });
  });

  it('commits a transaction whole, rolls back a failed one, and runs no other statement inside an open one', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const tx = db.transaction(async (q) => {
      await q.query('INSERT INTO t VALUES (2, $1)', ['in a transaction']);
      await held;
      await q.query('INSERT INTO t VALUES (3, $1)', ['in a transaction']);
      return 'done';
    });
    // sent while the transaction is open: it waits for the commit, and sees both rows
    const outside = db.query<{ n: number }>('SELECT count(*)::int AS n FROM t WHERE id IN (2, 3)');
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await expect(tx).resolves.toBe('done');
    expect((await outside)[0]!.n).toBe(2);

    const failed = db.transaction(async (q) => {
      await q.query('INSERT INTO t VALUES (4, $1)', ['rolled back']);
      throw new Error('the caller gave up');
    });
    await expect(failed).rejects.toThrow('the caller gave up');
    const violated = db.transaction(async (q) => {
      await q.query('INSERT INTO t VALUES (5, $1)', ['rolled back']);
      await q.query('INSERT INTO t VALUES (1, $1)', ['duplicate']);
    });
    await expect(violated).rejects.toMatchObject({ code: '23505' });
    expect(await db.query('SELECT id FROM t WHERE id IN (4, 5)')).toEqual([]);
    // the engine is free again
    expect(await db.query<{ n: number }>('SELECT count(*)::int AS n FROM t')).toEqual([{ n: 3 }]);
  });

  it('keeps a directory to one process, reopens it with the data, and refuses calls once closed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radar-thread-'));
    try {
      const first = await openDatabase({ dataDir: dir });
      await first.exec('CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)');
      await first.close();
      // as a lost server connection: requests get 503 with Retry-After
      await expect(first.query('SELECT 1')).rejects.toMatchObject({
        code: '08003',
        message: expect.stringContaining('closed'),
      });

      const second = await openDatabase({ dataDir: dir });
      expect(await second.query('SELECT x FROM kept')).toEqual([{ x: 42 }]);
      await second.close();
      // a live process's claim is honoured (this one pretends to be another)
      writeFileSync(join(dir, 'skills-radar.pid'), String(process.ppid));
      await expect(openDatabase({ dataDir: dir })).rejects.toBeInstanceOf(DatabaseInUseError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('starts the engine again on its directory when its thread dies; what was open then fails as unavailable and is not kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radar-thread-'));
    const disk = await openDatabase({ dataDir: dir });
    try {
      await disk.exec('CREATE TABLE kept (x int); INSERT INTO kept VALUES (7)');
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const tx = disk.transaction(async (q) => {
        await q.query('INSERT INTO kept VALUES (8)');
        await held;
        await q.query('INSERT INTO kept VALUES (9)');
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      // as a crash would end it: no close
      await engineThreads.get(disk)!.stop();
      release();
      await expect(tx).rejects.toMatchObject({ code: '08006' });
      // the next call starts a new engine on the directory: the committed row is there, the open transaction's is not
      expect(await disk.query('SELECT x FROM kept ORDER BY x')).toEqual([{ x: 7 }]);
      await disk.query('INSERT INTO kept VALUES (10)');
      expect(await disk.query<{ n: number }>('SELECT count(*)::int AS n FROM kept')).toEqual([{ n: 2 }]);
    } finally {
      await disk.close();
      rmSync(dir, { recursive: true, force: true });
    }

    // in memory, a new engine would be empty: calls fail as unavailable instead
    const memory = await openDatabase({});
    await engineThreads.get(memory)!.stop();
    await expect(memory.query('SELECT 1')).rejects.toMatchObject({ code: '08006' });
    await expect(memory.query('SELECT 1')).rejects.toMatchObject({ code: '08006' });
    await memory.close();
  });
});
