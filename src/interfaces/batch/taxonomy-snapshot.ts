import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { loadAnalyzer } from '../../analysis/load-analyzer.js';
import type { Config } from '../../base/config.js';
import type { Logger } from '../../base/logger.js';
import type { TaxonomyData } from '../../domain/taxonomy.js';
import { openDatabase } from '../../storage/database.js';
import { migrate } from '../../storage/migrate.js';
import { ensureTaxonomy } from '../../taxonomy/import.js';
import { loadTaxonomy } from '../../taxonomy/load.js';
import { RowError } from './records.js';

/**
 * Reads the taxonomy once (from DATABASE_URL, else a PGlite of the run's own under DATA_DIR, imported from
 * TAXONOMY_DIR on first use) and writes it to `file` for the analysis processes. Building the analyzer here fills
 * the label-embedding cache once, so that the processes only read it. Returns the encoder, if one is used.
 */
export async function writeSnapshot(config: Config, log: Logger, file: string): Promise<string | null> {
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: join(config.DATA_DIR, 'pglite-classify') });
  try {
    await migrate(db);
    await ensureTaxonomy(db, config, log);
    const taxonomy = await loadTaxonomy(db, { aliasFiles: config.ALIASES_FILES.split(','), log });
    if (!taxonomy.version)
      throw new RowError(
        `no taxonomy: TAXONOMY_DIR ${config.TAXONOMY_DIR} has none to import (see README "Data sources")`,
      );
    const analyzer = await loadAnalyzer(taxonomy, config, log, { waitForSemantic: true });
    writeFileSync(file, serialize(taxonomy));
    return analyzer.semanticModel;
  } finally {
    await db.close();
  }
}

/** The taxonomy writeSnapshot wrote. */
export function readSnapshot(file: string): TaxonomyData {
  return deserialize(readFileSync(file)) as TaxonomyData;
}
