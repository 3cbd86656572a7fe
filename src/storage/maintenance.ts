import type { Logger } from '../base/logger.js';
import type { Database } from './database.js';

/**
 * What PostgreSQL's autovacuum does on a server, for the embedded PGlite, which has none: without it the tables
 * the service rewrites all the time (documents changing status, the rollups every save adds to, the facts of a
 * document analysed again) keep every dead row version and its index entries, and nothing ever gives the
 * planner row counts: it plans a queue of 10,000 documents, or the taxonomy's 68 MB of labels, from guesses.
 *
 * A table is due by autovacuum's default rules, read from the engine's own counters (pg_stat_user_tables):
 * VACUUM when its dead rows pass 50 + 20 % of its rows, its rows inserted since the last VACUUM 1,000 + 20 % (so
 * the visibility map stays current), or its oldest transaction id 200 million transactions (freezing, before
 * wraparound would stop the engine); ANALYZE when the rows changed since the last one pass 50 + 10 %. PGlite
 * starts its counters from zero on every start (what was counted before is gone, as on a server after a crash),
 * so a table with rows that was never vacuumed nor analysed (the taxonomy's after an import) is due as well.
 */
const DUE = `SELECT quote_ident(s.relname) AS name,
    s.n_dead_tup > 50 + 0.2 * t.n OR s.n_ins_since_vacuum > 1000 + 0.2 * t.n OR age(c.relfrozenxid) > 200000000 OR t.never AS vacuum,
    s.n_mod_since_analyze > 50 + 0.1 * t.n AS analyze
  FROM pg_stat_user_tables s
  JOIN pg_class c ON c.oid = s.relid
  CROSS JOIN LATERAL (SELECT GREATEST(c.reltuples, 0) AS n, c.reltuples < 0 AND pg_relation_size(c.oid) > 0 AS never) t
  WHERE s.schemaname = 'public'
  ORDER BY s.relname`;

/**
 * ANALYZE samples 300 rows per unit of the statistics target, and the engine holds every request meanwhile. The
 * plans here rest on row counts and a few common values (a status, an organisation), not on fine histograms.
 */
const STATISTICS_TARGET = 10;

/**
 * PGlite runs PostgreSQL as a single backend, with no checkpointer: nothing checkpoints while it runs
 * (checkpoint_timeout needs that process, and a single backend does not ask for one at max_wal_size either).
 * So pg_wal would grow without end, and recovery after a crash
 * would replay all of it. A round checkpoints when more than this much WAL was written since the last checkpoint:
 * the WAL before it is then recycled, as a server's checkpointer would every checkpoint_timeout (5 minutes).
 */
const CHECKPOINT_AFTER_BYTES = 16 * 1024 * 1024;

const WAL_SINCE_CHECKPOINT =
  'SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), redo_lsn)::float8 AS bytes FROM pg_control_checkpoint()';

export interface MaintenanceRound {
  vacuumed: string[];
  analysed: string[];
  /** PGlite: whether the round ended with a checkpoint (see CHECKPOINT_AFTER_BYTES) */
  checkpointed: boolean;
}

/**
 * One round: each due table is vacuumed, then analysed, and on PGlite a checkpoint follows when due; one
 * statement at a time, each as maintenance work (`Database.maintain`: on PGlite it waits for the requests to be
 * quiet, or at most `maxWaitMs`).
 */
export async function maintainTables(db: Database, maxWaitMs: number, signal?: AbortSignal): Promise<MaintenanceRound> {
  const due = await db.query<{ name: string; vacuum: boolean; analyze: boolean }>(DUE);
  const round: MaintenanceRound = { vacuumed: [], analysed: [], checkpointed: false };
  for (const table of due) {
    if (table.vacuum) {
      // VACUUM may not share a script with other statements
      await db.maintain(`VACUUM ${table.name}`, maxWaitMs, signal);
      round.vacuumed.push(table.name);
    }
    if (table.vacuum || table.analyze) {
      await db.maintain(
        `SET default_statistics_target = ${STATISTICS_TARGET}; ANALYZE ${table.name}; RESET default_statistics_target`,
        maxWaitMs,
        signal,
      );
      round.analysed.push(table.name);
    }
  }
  if (db.engine === 'pglite') {
    const [wal] = await db.query<{ bytes: number }>(WAL_SINCE_CHECKPOINT);
    if (wal && wal.bytes > CHECKPOINT_AFTER_BYTES) {
      await db.maintain('CHECKPOINT', maxWaitMs, signal);
      round.checkpointed = true;
    }
  }
  return round;
}

/**
 * Runs `maintainTables` every `intervalMs` on embedded PGlite (a server's autovacuum does it there). A round's
 * statements wait for the requests to be quiet for up to one interval each: under a load that never pauses,
 * the tables are still looked after, one statement per interval. The function returned stops it, giving up a
 * statement's wait.
 */
export function startMaintenance(db: Database, intervalMs: number, log: Logger): () => void {
  if (db.engine !== 'pglite' || intervalMs === 0) return () => undefined;
  const stopped = new AbortController();
  let running = false;
  const round = async () => {
    if (running) return;
    running = true;
    try {
      const started = performance.now();
      const { vacuumed, analysed, checkpointed } = await maintainTables(db, intervalMs, stopped.signal);
      if (vacuumed.length + analysed.length > 0 || checkpointed)
        log.info(
          { vacuumed, analysed, checkpointed, ms: Math.round(performance.now() - started) },
          'database maintenance',
        );
    } catch (err) {
      if (!stopped.signal.aborted) log.warn({ err }, 'database maintenance failed; will retry');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void round(), intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    stopped.abort();
  };
}
