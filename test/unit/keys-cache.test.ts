import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeysRepository } from '../../src/storage/keys.repository.js';
import type { Database, Queryable } from '../../src/storage/database.js';
import { createTestDatabase } from '../helpers/context.js';

/** The verified-key cache on embedded PGlite: how often a key in use is looked up, and that revocation holds. */
describe('KeysRepository cache', () => {
  let db: Database;
  let drop: () => Promise<void>;
  let lookups = 0;
  /** the database, counting key lookups; `hold` keeps the next lookup from answering until it is resolved */
  let hold: Promise<void> | undefined;
  const counted: Queryable = {
    query: async <T>(sql: string, params?: unknown[]) => {
      if (sql.includes('FROM api_keys k JOIN organisations o ON o.id = k.org_id') && sql.includes('k.prefix = $1')) {
        lookups++;
        const rows = await db.query<T>(sql, params);
        const wait = hold;
        hold = undefined;
        await wait;
        return rows;
      }
      return db.query<T>(sql, params);
    },
  };

  beforeAll(async () => {
    ({ db, drop } = await createTestDatabase('pglite'));
  });
  afterAll(() => drop());

  it('answers a key in use from the cache and renews it in the background, one lookup at a time', async () => {
    const keys = new KeysRepository(counted, 2_000);
    await keys.createOrganisation('cache-a');
    const { key } = await keys.createKey('cache-a', 'analyst');
    lookups = 0;
    // concurrent first uses share one lookup
    const first = await Promise.all([keys.verify(key), keys.verify(key), keys.verify(key)]);
    expect(first.map((p) => p?.role)).toEqual(['analyst', 'analyst', 'analyst']);
    expect(lookups).toBe(1);
    // a young entry: no lookup
    await keys.verify(key);
    expect(lookups).toBe(1);
    // past half its time: the cached answer at once, while one renewal (held back here) runs behind it
    await sleep(1_200);
    let release!: () => void;
    hold = new Promise((resolve) => (release = resolve));
    const waited = sleep(200).then(() => 'waited for the database');
    expect((await Promise.race([keys.verify(key), waited]))?.valueOf()).toMatchObject({ role: 'analyst' });
    expect((await Promise.race([keys.verify(key), waited]))?.valueOf()).toMatchObject({ role: 'analyst' });
    expect(lookups).toBe(2);
    release();
    // after the first entry's time: the renewed one answers, without waiting for the database
    await sleep(1_000);
    hold = new Promise((resolve) => (release = resolve));
    expect(await Promise.race([keys.verify(key), sleep(200).then(() => 'waited for the database')])).toMatchObject({
      role: 'analyst',
    });
    release();
    hold = undefined;
  });

  it('does not put back a key revoked while its lookup ran', async () => {
    const keys = new KeysRepository(counted, 10_000);
    await keys.createOrganisation('cache-b');
    const { key, info } = await keys.createKey('cache-b', 'contributor');
    let release!: () => void;
    hold = new Promise((resolve) => (release = resolve));
    const during = keys.verify(key);
    await sleep(20);
    expect(await keys.revoke(info.prefix)).toBe(true);
    release();
    // the lookup began before the revocation and answers as it found the key; the next one asks again
    expect((await during)?.role).toBe('contributor');
    expect(await keys.verify(key)).toBeUndefined();
  });
});
