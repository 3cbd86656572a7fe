import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrations.js';
import { PROJECT_ROOT } from '../../src/paths.js';
import { Analyzer } from '../../src/pipeline/analyze.js';
import { importTaxonomy, type ImportResult } from '../../src/taxonomy/import.js';
import { createLogger } from '../../src/logger.js';
import { loadAnalyzer } from '../../src/runtime.js';

export const FIXTURE_TAXONOMY = join(PROJECT_ROOT, 'test', 'fixtures', 'taxonomy');
export const SHARED_DATA = process.env.RADAR_FULL_DATA_DIR ?? join(PROJECT_ROOT, '..', 'shared', 'data');
export const fullDataPresent = existsSync(join(SHARED_DATA, 'esco-v1.1.1-en'));

export type Engine = 'pglite' | 'postgres';

/** The engines to run storage-backed suites on: always PGlite, and PostgreSQL where a server could be started. */
export function engines(): Engine[] {
  return inject('postgresUrl') ? ['pglite', 'postgres'] : ['pglite'];
}

export function uniquePrefix(name: string): string {
  return `t-${name}-${randomBytes(4).toString('hex')}`;
}

/** A fresh, migrated database on the engine: in-memory PGlite, or a new database on the test server. */
export async function createTestDatabase(engine: Engine, options: { statementTimeoutMs?: number } = {}): Promise<{ db: Database; url?: string; drop(): Promise<void> }> {
  if (engine === 'pglite') {
    const db = await openDatabase({});
    await migrate(db);
    return { db, drop: () => db.close() };
  }
  const admin = inject('postgresUrl');
  const name = `radar_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = admin.replace(/\/[^/]*$/, `/${name}`);
  const db = await openDatabase({ url, poolSize: 5, ...options });
  await migrate(db);
  return {
    db,
    url,
    async drop() {
      await db.close();
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ LOG_LEVEL: 'silent', TAXONOMY_DIR: FIXTURE_TAXONOMY, SEMANTIC_MODEL: 'none', ...env });
}

export interface FixtureAnalyzer {
  db: Database;
  analyzer: Analyzer;
  imported: ImportResult;
  drop(): Promise<void>;
}

/**
 * An in-memory PGlite with a taxonomy imported (the mini fixture unless told otherwise), and the analyzer over
 * it: without the project's aliases unless asked, never with an encoder.
 */
export async function fixtureAnalyzer(dir = FIXTURE_TAXONOMY, options: { aliases?: boolean } = {}): Promise<FixtureAnalyzer> {
  const { db, drop } = await createTestDatabase('pglite');
  const imported = await importTaxonomy(db, dir);
  const config = testConfig();
  const analyzer = options.aliases ? await loadAnalyzer(db, config, createLogger(config)) : await Analyzer.load(db);
  return { db, drop, analyzer, imported };
}
