import { join } from 'node:path';
import type { Config } from '../base/config.js';
import type { Logger } from '../base/logger.js';
import { openDatabase, type Database } from './database.js';
import { DocumentKeys } from './document-keys.js';
import { migrate } from './migrate.js';

/** Opens the configured database (PostgreSQL server or embedded PGlite) and applies migrations. */
export async function openStorage(config: Config, log: Logger): Promise<Database> {
  const db = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: join(config.DATA_DIR, 'pglite'),
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
  });
  const applied = await migrate(db);
  if (applied.length > 0) log.info({ applied, engine: db.engine }, 'database migrated');
  return db;
}

/** The documents' key directory (KEY_DIR): shared by the API and every worker of one database. */
export function openDocumentKeys(config: Pick<Config, 'KEY_DIR'>): Promise<DocumentKeys> {
  return DocumentKeys.open(config.KEY_DIR);
}
