import { randomUUID } from 'node:crypto';
import type { StoredAnalysis } from '../domain/analysis.js';
import type { Queryable } from './database.js';
import type { DocumentsRepository } from './documents.repository.js';

export interface BatchRow {
  row: number;
  line: number;
  adId?: string | undefined;
  documentId?: string | undefined;
  error?: string | undefined;
}

/** receiving: the upload is arriving; received: stored, rows still being analysed; done: every row analysed or
 * failed; interrupted: the upload broke off (the rows stored before stay) */
export const BATCH_STATES = ['receiving', 'received', 'done', 'interrupted'] as const;

export interface BatchStatus {
  id: string;
  status: (typeof BATCH_STATES)[number];
  format: string;
  kind: string;
  /** rows of the upload so far; accepted became documents, rejected did not (see errors) */
  rows: number;
  accepted: number;
  rejected: number;
  /** the accepted rows by the state of their document */
  documents: { queued: number; processing: number; done: number; failed: number };
  createdAt: string;
  receivedAt: string | null;
  /** seconds until every accepted row is analysed at the rate so far; null while nothing is done yet */
  etaSeconds: number | null;
  error: string | null;
}

export interface BatchError {
  row: number;
  line: number | null;
  id: string | null;
  reason: string;
}

/** Batch uploads: which row became which document, and what each row's outcome is. */
export class BatchesRepository {
  constructor(
    private readonly db: Queryable,
    private readonly documents: DocumentsRepository,
  ) {}

  async create(
    orgId: string,
    b: { format: 'jsonl' | 'csv'; kind: string; textField?: string | undefined; idField?: string | undefined },
  ): Promise<string> {
    const id = randomUUID();
    await this.db.query(
      'INSERT INTO batches (id, format, kind, text_field, id_field, org_id) VALUES ($1, $2, $3, $4, $5, $6)',
      [id, b.format, b.kind, b.textField ?? null, b.idField ?? null, orgId],
    );
    return id;
  }

  /** Whether the batch exists and belongs to organisation `orgId`. */
  async ownedBy(batchId: string, orgId: string): Promise<boolean> {
    return (await this.db.query('SELECT 1 FROM batches WHERE id = $1 AND org_id = $2', [batchId, orgId])).length > 0;
  }

  async addRows(batchId: string, rows: BatchRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query(
      `INSERT INTO batch_rows (batch_id, row, line, ad_id, document_id, error)
       SELECT $1, * FROM unnest($2::int[], $3::int[], $4::text[], $5::uuid[], $6::text[])
       ON CONFLICT (batch_id, row) DO NOTHING`,
      [
        batchId,
        rows.map((r) => r.row),
        rows.map((r) => r.line),
        rows.map((r) => r.adId ?? null),
        rows.map((r) => r.documentId ?? null),
        rows.map((r) => r.error ?? null),
      ],
    );
  }

  async finish(batchId: string, status: 'received' | 'interrupted', error?: string): Promise<void> {
    await this.db.query(
      `UPDATE batches SET status = $2, error = $3, received_at = now(),
         rows = (SELECT count(*) FROM batch_rows WHERE batch_id = $1),
         rejected = (SELECT count(*) FROM batch_rows WHERE batch_id = $1 AND error IS NOT NULL)
       WHERE id = $1`,
      [batchId, status, error ?? null],
    );
  }

  async status(batchId: string): Promise<BatchStatus | undefined> {
    const rows = await this.db.query<{
      id: string;
      status: 'receiving' | 'received' | 'interrupted';
      format: string;
      kind: string;
      error: string | null;
      created_at: Date;
      received_at: Date | null;
      rows: number;
      rejected: number;
      queued: number;
      processing: number;
      done: number;
      failed: number;
      first_done: Date | null;
      last_done: Date | null;
    }>(
      `SELECT b.id, b.status, b.format, b.kind, b.error, b.created_at, b.received_at,
         count(r.row)::int AS rows, count(r.row) FILTER (WHERE r.error IS NOT NULL)::int AS rejected,
         count(*) FILTER (WHERE d.status = 'queued')::int AS queued, count(*) FILTER (WHERE d.status = 'processing')::int AS processing,
         count(*) FILTER (WHERE d.status = 'done')::int AS done, count(*) FILTER (WHERE d.status = 'failed')::int AS failed,
         min(d.analysed_at) AS first_done, max(d.analysed_at) AS last_done
       FROM batches b LEFT JOIN batch_rows r ON r.batch_id = b.id LEFT JOIN documents d ON d.id = r.document_id
       WHERE b.id = $1 GROUP BY b.id`,
      [batchId],
    );
    const b = rows[0];
    if (!b) return undefined;
    const remaining = b.queued + b.processing;
    // the rate since this batch's first analysis (documents shared with an earlier batch were done before it)
    const since = b.first_done && b.first_done > b.created_at ? b.first_done : b.created_at;
    const seconds = ((b.last_done?.getTime() ?? 0) - since.getTime()) / 1000;
    const rate = seconds > 0 ? b.done / seconds : 0;
    return {
      id: b.id,
      status: b.status === 'received' && remaining === 0 ? 'done' : b.status,
      format: b.format,
      kind: b.kind,
      rows: b.rows,
      accepted: b.rows - b.rejected,
      rejected: b.rejected,
      documents: { queued: b.queued, processing: b.processing, done: b.done, failed: b.failed },
      createdAt: b.created_at.toISOString(),
      receivedAt: b.received_at?.toISOString() ?? null,
      etaSeconds: remaining === 0 ? 0 : rate > 0 ? Math.round(remaining / rate) : null,
      error: b.error,
    };
  }

  /** The analysed rows after `afterRow`, in row order: each ad's id (`row-N` when it had none), text and analysis. */
  async results(
    batchId: string,
    afterRow: number,
    limit: number,
  ): Promise<{ id: string; row: number; text: string; analysis: StoredAnalysis }[]> {
    const rows = await this.db.query<{ row: number; ad_id: string | null; document_id: string }>(
      `SELECT r.row, r.ad_id, r.document_id FROM batch_rows r JOIN documents d ON d.id = r.document_id
       WHERE r.batch_id = $1 AND r.row > $2 AND d.status = 'done' ORDER BY r.row LIMIT $3`,
      [batchId, afterRow, limit],
    );
    const ids = [...new Set(rows.map((r) => r.document_id))];
    const texts = new Map((await this.documents.getMany(ids)).map((d) => [d.id, d.text]));
    const analyses = await this.documents.analysesOf(ids);
    return rows.flatMap((r) => {
      const analysis = analyses.get(r.document_id);
      const text = texts.get(r.document_id);
      return analysis && text !== undefined ? [{ id: r.ad_id ?? `row-${r.row}`, row: r.row, text, analysis }] : [];
    });
  }

  /** Rows that were rejected at upload, or whose analysis failed for good, after `afterRow`. */
  async errors(batchId: string, afterRow: number, limit: number): Promise<BatchError[]> {
    return this.db.query<BatchError>(
      `SELECT r.row, r.line, r.ad_id AS id, COALESCE(r.error, 'analysis failed: ' || COALESCE(d.error, 'unknown')) AS reason
       FROM batch_rows r LEFT JOIN documents d ON d.id = r.document_id
       WHERE r.batch_id = $1 AND r.row > $2 AND (r.error IS NOT NULL OR d.status = 'failed')
       ORDER BY r.row LIMIT $3`,
      [batchId, afterRow, limit],
    );
  }
}
