import { describe, expect, it } from 'vitest';
import { migrations } from '../../src/storage/migrate.js';
import {
  backfillFirstsSql,
  dropRollupsSql,
  rollupMigrationSql,
  ROLLUPS,
  ROLLUPS_V6,
  ROLLUPS_V8,
} from '../../src/storage/rollups.js';

describe('the migrations', () => {
  const all = migrations();

  it('are numbered from 1 without gaps, each named by its file', () => {
    expect(all.map((m) => m.version)).toEqual(all.map((_, i) => i + 1));
    expect(all[0]).toMatchObject({ version: 1, name: 'taxonomy' });
    expect(all.every((m) => m.sql.trim().length > 0)).toBe(true);
  });

  it('create the rollup tables the demand queries read, as rollups.ts defines them', () => {
    const sql = (version: number) => all.find((m) => m.version === version)!.sql;
    expect(sql(6)).toContain(backfillFirstsSql(false));
    expect(sql(6)).toContain(rollupMigrationSql(ROLLUPS_V6));
    expect(sql(8)).toContain(dropRollupsSql(ROLLUPS_V6));
    expect(sql(8)).toContain(rollupMigrationSql(ROLLUPS_V8));
    expect(sql(15)).toContain(dropRollupsSql(ROLLUPS_V8));
    expect(sql(15)).toContain(rollupMigrationSql(ROLLUPS));
  });
});
