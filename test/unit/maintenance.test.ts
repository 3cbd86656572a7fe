import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeysRepository } from '../../src/storage/keys.repository.js';
import type { Database } from '../../src/storage/database.js';
import { DocumentsRepository } from '../../src/storage/documents.repository.js';
import { maintainTables } from '../../src/storage/maintenance.js';
import { createTestDatabase, testKeys } from '../helpers/context.js';

interface TableStats {
  n_dead_tup: number;
  reltuples: number;
  last_vacuum: Date | null;
  last_analyze: Date | null;
}

const stats = async (db: Database, table: string) =>
  (
    await db.query<TableStats>(
      `SELECT s.n_dead_tup::int, c.reltuples::float8 AS reltuples, s.last_vacuum, s.last_analyze
       FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.relname = $1`,
      [table],
    )
  )[0]!;

/** The planner's estimate of the documents waiting for analysis (what the requeue sweep reads). */
const waitingEstimate = async (db: Database) => {
  const [row] = await db.query<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(
    `EXPLAIN (FORMAT JSON) SELECT id FROM documents WHERE status IN ('queued', 'processing')`,
  );
  return row!['QUERY PLAN'][0].Plan['Plan Rows'];
};

/** Embedded PGlite has no autovacuum: the service's maintenance rounds do its work, by its thresholds. */
describe('database maintenance on PGlite', () => {
  let db: Database;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ db, drop } = await createTestDatabase('pglite'));
  }, 60_000);
  afterAll(() => drop?.());

  it('vacuums and analyses the tables never analysed and those past the thresholds, then leaves them alone', async () => {
    const orgId = (await new KeysRepository(db).createOrganisation('maintenance')).id;
    const documents = new DocumentsRepository(db, await testKeys());
    for (let b = 0; b < 10; b++) {
      await documents.createMany(
        orgId,
        Array.from({ length: 200 }, (_, i) => ({
          kind: 'job_ad' as const,
          text: `Ilmoitus ${b}-${i}: etsimme hitsaajaa Lahteen.`,
        })),
      );
    }
    // never analysed: the 2,000 waiting documents are planned as an empty queue would be
    expect((await stats(db, 'documents')).reltuples).toBe(-1);
    expect(Math.abs((await waitingEstimate(db)) - 2000)).toBeGreaterThan(1000);

    // the engine's counters start from zero on every start: a table with rows never vacuumed nor analysed is due
    const first = await maintainTables(db, 60_000);
    expect(first.vacuumed).toEqual(expect.arrayContaining(['documents', 'organisations']));
    expect(first.analysed).toEqual(expect.arrayContaining(['documents', 'organisations']));
    expect((await stats(db, 'documents')).reltuples).toBe(2000);
    expect(Math.abs((await waitingEstimate(db)) - 2000)).toBeLessThan(200);

    // 1,500 of the 2,000 analysed: as many dead row versions, and the queue is 500
    await db.query(
      `UPDATE documents SET status = 'done', updated_at = now() WHERE id IN (SELECT id FROM documents ORDER BY id LIMIT 1500)`,
    );
    // the engine publishes its counters at most once a second
    for (let i = 0; i < 50 && (await stats(db, 'documents')).n_dead_tup < 1500; i++) await sleep(200);
    const before = await stats(db, 'documents');
    expect(before.n_dead_tup).toBe(1500);

    const second = await maintainTables(db, 60_000);
    expect(second.vacuumed).toEqual(['documents']);
    expect(second.analysed).toEqual(['documents']);
    const after = await stats(db, 'documents');
    expect(after.n_dead_tup).toBe(0);
    expect(after.reltuples).toBe(2000);
    expect(after.last_vacuum!.getTime()).toBeGreaterThan(before.last_vacuum!.getTime());
    expect(after.last_analyze).not.toBeNull();
    expect(Math.abs((await waitingEstimate(db)) - 500)).toBeLessThan(100);

    const third = await maintainTables(db, 60_000);
    expect(third).toMatchObject({ vacuumed: [], analysed: [] });
  }, 60_000);

  it('checkpoints once more than 16 MB of WAL was written since the last checkpoint, which PGlite never does itself', async () => {
    const walSince = async () =>
      (
        await db.query<{ bytes: number }>(
          'SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), redo_lsn)::float8 AS bytes FROM pg_control_checkpoint()',
        )
      )[0]!.bytes;
    await maintainTables(db, 60_000);
    expect(await walSince()).toBeLessThan(16 * 1024 * 1024);
    await db.exec(
      `CREATE TABLE wal_filler (v text); INSERT INTO wal_filler SELECT repeat(md5(g::text), 32) FROM generate_series(1, 20000) g`,
    );
    expect(await walSince()).toBeGreaterThan(16 * 1024 * 1024);
    const round = await maintainTables(db, 60_000);
    expect(round.checkpointed).toBe(true);
    expect(await walSince()).toBeLessThan(1024 * 1024);
    expect((await maintainTables(db, 60_000)).checkpointed).toBe(false);
  }, 60_000);
});
