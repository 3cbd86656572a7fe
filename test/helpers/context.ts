import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../src/base/config.js';
import { openDatabase, type Database } from '../../src/storage/database.js';
import { DocumentKeys } from '../../src/storage/document-keys.js';
import { migrate } from '../../src/storage/migrate.js';
import { PROJECT_ROOT } from '../../src/base/paths.js';
import { Analyzer } from '../../src/analysis/analyzer.js';
import { loadAnalyzer } from '../../src/analysis/load-analyzer.js';
import { createLogger } from '../../src/base/logger.js';
import type { TaxonomyData } from '../../src/domain/taxonomy.js';
import { readTaxonomy } from '../../src/taxonomy/load.js';

export const FIXTURE_TAXONOMY = join(PROJECT_ROOT, 'test', 'fixtures', 'taxonomy');
export const SHARED_DATA = process.env.RADAR_FULL_DATA_DIR ?? join(PROJECT_ROOT, '..', 'shared', 'data');
export const fullDataPresent = existsSync(join(SHARED_DATA, 'esco-v1.1.1-en'));

export type Engine = 'pglite' | 'postgres';

/** A key directory of the test's own for the documents it stores (KEY_DIR for processes it starts: `.dir`). */
export function testKeys(): Promise<DocumentKeys> {
  return DocumentKeys.open(mkdtempSync(join(tmpdir(), 'radar-keys-')));
}

/** The engines to run storage-backed suites on: always PGlite, and PostgreSQL where a server could be started. */
export function engines(): Engine[] {
  return inject('postgresUrl') ? ['pglite', 'postgres'] : ['pglite'];
}

export function uniquePrefix(name: string): string {
  return `t-${name}-${randomBytes(4).toString('hex')}`;
}

/** A fresh, migrated database on the engine: PGlite (in memory unless given a directory), or a new database on the test server. */
export async function createTestDatabase(
  engine: Engine,
  options: { statementTimeoutMs?: number; pgliteDir?: string } = {},
): Promise<{ db: Database; url?: string; drop(): Promise<void> }> {
  if (engine === 'pglite') {
    const db = await openDatabase({ dataDir: options.pgliteDir });
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
  return loadConfig({
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    TAXONOMY_DIR: FIXTURE_TAXONOMY,
    SEMANTIC_MODEL: 'none',
    ...env,
  });
}

const taxonomies = new Map<string, Promise<TaxonomyData>>();

/**
 * The taxonomy read straight from the files under `dir` (the mini fixture unless told otherwise), with the
 * project's aliases when asked: no database. Read once per test file.
 */
export function fixtureTaxonomy(dir = FIXTURE_TAXONOMY, options: { aliases?: boolean } = {}): Promise<TaxonomyData> {
  const key = `${dir}\0${options.aliases ?? false}`;
  let data = taxonomies.get(key);
  if (!data) {
    const aliasFiles = options.aliases ? testConfig().ALIASES_FILES.split(',') : [];
    taxonomies.set(key, (data = readTaxonomy(dir, { aliasFiles })));
  }
  return data;
}

/**
 * The analyzer over fixtureTaxonomy(dir, options), never with an encoder: bare, or as a service builds it (the
 * aliases and the score calibration) when asked for the aliases.
 */
export async function fixtureAnalyzer(
  dir = FIXTURE_TAXONOMY,
  options: { aliases?: boolean } = {},
): Promise<{ analyzer: Analyzer; taxonomy: TaxonomyData }> {
  const taxonomy = await fixtureTaxonomy(dir, options);
  const config = testConfig();
  const analyzer = options.aliases
    ? await loadAnalyzer(taxonomy, config, createLogger(config))
    : await Analyzer.create(taxonomy);
  return { analyzer, taxonomy };
}
