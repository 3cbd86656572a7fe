import { openDatabase, type Database } from '../src/storage/database.js';
import { postgresAvailable, startPostgres, type TestServer } from '../test/helpers/servers.js';

/**
 * Runs `work` on a fresh database of each engine named (postgres: DATABASE_URL, or a throwaway server started
 * with initdb/pg_ctl; pglite: in memory), closing each after; a PostgreSQL server that cannot be had is SKIPPED.
 */
export async function onEachEngine(engines: string[], work: (engine: string, db: Database) => Promise<void>) {
  for (const engine of engines) {
    let server: TestServer | undefined;
    let url = process.env.DATABASE_URL;
    if (engine === 'postgres' && !url) {
      if (!postgresAvailable()) {
        console.log('\npostgres: SKIPPED (no DATABASE_URL and no initdb/pg_ctl)');
        continue;
      }
      server = await startPostgres();
      url = server.url;
    }
    const db = await openDatabase(engine === 'postgres' ? { url } : {});
    try {
      await work(engine, db);
    } finally {
      await db.close();
      await server?.stop();
    }
  }
}
