import { existsSync } from 'node:fs';
import type { Config } from '../base/config.js';
import type { Logger } from '../base/logger.js';
import { NO_STATEMENT_TIMEOUT, type Database, type Queryable } from '../storage/database.js';
import { parseSources, sourcesOf, TAXONOMY_TABLES, type ProgressFn, type Table } from './parse.js';

export interface ImportResult {
  versionId: number;
  contentHash: string;
  escoVersion: string;
  changed: boolean;
  counts: Record<string, number>;
}

const BATCH = 5_000;

async function writeTable(tx: Queryable, t: Table, progress: ProgressFn): Promise<void> {
  await tx.query(`DELETE FROM ${t.name}`);
  const cols = t.columns.join(', ');
  const unnest = t.types.map((type, i) => `$${i + 1}::${type}[]`).join(', ');
  for (let start = 0; start < t.rows.length; start += BATCH) {
    const batch = t.rows.slice(start, start + BATCH);
    const arrays = t.columns.map((_, c) => batch.map((row) => row[c] ?? null));
    await tx.query(`INSERT INTO ${t.name} (${cols}) SELECT * FROM unnest(${unnest})`, arrays);
    progress(`write ${t.name}`, Math.min(start + BATCH, t.rows.length), t.rows.length);
  }
}

/**
 * Imports the official classifications found under `dir`. The same data twice changes nothing; a malformed
 * file throws TaxonomyFileError before anything is written, and the write itself is one transaction.
 */
export async function importTaxonomy(
  db: Database,
  dir: string,
  progress: ProgressFn = () => undefined,
): Promise<ImportResult> {
  const { sources, contentHash } = await sourcesOf(dir);
  const existing = await db.query<{ id: number; counts: Record<string, number>; active: boolean }>(
    'SELECT id, counts, active FROM taxonomy_versions WHERE content_hash = $1',
    [contentHash],
  );
  const current = existing[0];
  if (current?.active) {
    return {
      versionId: current.id,
      contentHash,
      escoVersion: sources.escoVersion,
      changed: false,
      counts: current.counts,
    };
  }
  const tables = await parseSources(sources, progress);
  const counts = Object.fromEntries(tables.map((t) => [t.name, t.rows.length]));
  const versionId = await db.transaction(async (tx) => {
    await tx.query(NO_STATEMENT_TIMEOUT); // tens of thousands of rows in one transaction
    await tx.query('SELECT pg_advisory_xact_lock(727275)');
    for (const t of tables) await writeTable(tx, t, progress);
    await tx.query('UPDATE taxonomy_versions SET active = false WHERE active');
    const rows = await tx.query<{ id: number }>(
      `INSERT INTO taxonomy_versions (content_hash, esco_version, source_dir, counts, active)
       VALUES ($1, $2, $3, $4, true)
       ON CONFLICT (content_hash) DO UPDATE SET active = true, imported_at = now()
       RETURNING id`,
      [contentHash, sources.escoVersion, dir, JSON.stringify(counts)],
    );
    return rows[0]!.id;
  });
  // the planner's row counts for the new rows at once (half a second for the full data on PGlite), rather than
  // when autovacuum, or on PGlite the service's maintenance (storage/maintenance.ts), gets to them
  await db.exec(`ANALYZE ${TAXONOMY_TABLES.join(', ')}`);
  return { versionId, contentHash, escoVersion: sources.escoVersion, changed: true, counts };
}

export interface TaxonomyVersion {
  id: number;
  escoVersion: string;
  contentHash: string;
  importedAt: Date;
  counts: Record<string, number>;
}

export async function activeTaxonomyVersion(db: Queryable): Promise<TaxonomyVersion | undefined> {
  const rows = await db.query<{
    id: number;
    esco_version: string;
    content_hash: string;
    imported_at: Date;
    counts: Record<string, number>;
  }>('SELECT id, esco_version, content_hash, imported_at, counts FROM taxonomy_versions WHERE active');
  const r = rows[0];
  return (
    r && {
      id: r.id,
      escoVersion: r.esco_version,
      contentHash: r.content_hash,
      importedAt: r.imported_at,
      counts: r.counts,
    }
  );
}

/** Imports TAXONOMY_DIR when nothing is imported yet (the first start). */
export async function ensureTaxonomy(db: Database, config: Pick<Config, 'TAXONOMY_DIR'>, log: Logger): Promise<void> {
  if (await activeTaxonomyVersion(db)) return;
  if (!existsSync(config.TAXONOMY_DIR)) {
    log.warn(
      { TAXONOMY_DIR: config.TAXONOMY_DIR },
      'no taxonomy imported and TAXONOMY_DIR does not exist: see README "Data sources", then run `skills-radar taxonomy import --from <dir>`',
    );
    return;
  }
  log.info({ from: config.TAXONOMY_DIR }, 'importing taxonomy (first start)');
  let last = '';
  const result = await importTaxonomy(db, config.TAXONOMY_DIR, (stage, done, total) => {
    if (done === total && stage !== last) {
      last = stage;
      log.info({ stage, rows: total }, 'taxonomy import');
    }
  });
  log.info({ version: result.versionId, esco: result.escoVersion, counts: result.counts }, 'taxonomy imported');
}
