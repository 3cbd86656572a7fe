import type { Queryable } from '../storage/database.js';

/** The answers to the read-only queries that load an analyzer, so other processes can load the same one without a database. */
export interface QuerySnapshot {
  entries: [key: string, rows: unknown[]][];
}

const keyOf = (sql: string, params?: unknown[]) => JSON.stringify([sql, params ?? []]);

/** Passes queries through to `db` and keeps every answer. */
export class RecordingQueryable implements Queryable {
  private readonly answers = new Map<string, unknown[]>();

  constructor(private readonly db: Queryable) {}

  async query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
    const rows = await this.db.query<T>(sql, params);
    this.answers.set(keyOf(sql, params), rows);
    return rows;
  }

  snapshot(): QuerySnapshot {
    return { entries: [...this.answers] };
  }
}

/** Answers exactly the recorded queries; any other query is a programming error and throws. */
export class SnapshotQueryable implements Queryable {
  private readonly answers: Map<string, unknown[]>;

  constructor(snapshot: QuerySnapshot) {
    this.answers = new Map(snapshot.entries);
  }

  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
    const rows = this.answers.get(keyOf(sql, params));
    if (!rows) return Promise.reject(new Error(`query not in the snapshot: ${sql.slice(0, 200)}`));
    return Promise.resolve(rows as T[]);
  }
}
