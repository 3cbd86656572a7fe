import { createHash, randomUUID } from 'node:crypto';
import type { Analysis, StoredAnalysis, StoredMention } from '../domain/analysis.js';
import {
  defaultVisibility,
  type DocumentKind,
  type DocumentStatus,
  type Employer,
  type NewDocument,
  type Visibility,
} from '../domain/document.js';
import type { Language } from '../domain/language.js';
import type { Horizon } from '../domain/signal.js';
import {
  analysisRows,
  sliceMentions,
  type AnalysisRows,
  type FactColumns,
  type MentionColumns,
} from './analysis-rows.js';
import type { Database, Statement } from './database.js';
import { seal, unseal, type DocumentKeys, type KeyRef } from './document-keys.js';

/** A document as stored: what its sender gave, its organisation, and where it is in the analysis. */
export interface StoredDocument extends NewDocument {
  id: string;
  orgId: string;
  visibility: Visibility;
  status: DocumentStatus;
  attempts: number;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
  analysedAt: Date | null;
}

interface DocumentRow {
  id: string;
  kind: DocumentKind;
  title: string | null;
  text: string | null;
  sealed: Uint8Array | null;
  key_segment: string | null;
  key_slot: number | null;
  language: Language | null;
  doc_date: string | Date | null;
  region: string | null;
  employer: Employer | null;
  vacancies: number | null;
  horizon: Horizon | null;
  external_id: string | null;
  org_id: string;
  visibility: Visibility;
  status: DocumentStatus;
  attempts: number;
  error: string | null;
  created_at: Date;
  updated_at: Date;
  analysed_at: Date | null;
}

const COLUMNS = `id, kind, title, text, sealed, key_segment, key_slot, language, to_char(doc_date, 'YYYY-MM-DD') AS doc_date, region, employer, vacancies,
  horizon, external_id, org_id, visibility, status, attempts, error, created_at, updated_at, analysed_at`;

/** What a document's key seals: what its sender wrote, as opposed to the metadata queries filter by. */
interface SealedContent {
  text: string;
  title?: string | undefined;
  employer?: Employer | undefined;
}

function toDocument(r: DocumentRow, content: SealedContent): StoredDocument {
  return {
    id: r.id,
    kind: r.kind,
    text: content.text,
    title: content.title,
    language: r.language ?? undefined,
    date: typeof r.doc_date === 'string' ? r.doc_date : undefined,
    region: r.region ?? undefined,
    employer: content.employer,
    vacancies: r.vacancies ?? undefined,
    horizon: r.horizon ?? undefined,
    externalId: r.external_id ?? undefined,
    orgId: r.org_id,
    visibility: r.visibility,
    status: r.status,
    attempts: r.attempts,
    error: r.error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    analysedAt: r.analysed_at,
  };
}

/**
 * Where in `value` (a request body, a parsed row) a NUL character (U+0000) is, as a dotted path ('' for `value`
 * itself): PostgreSQL stores no NUL in text or JSON, so such input is refused up front, before it could fail a
 * statement it shares with other submissions. undefined when there is none.
 */
export function nulPath(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\0') ? path : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  // parsed JSON and query strings (whose objects have no prototype chain) only: a streamed upload is checked
  // row by row as it is read
  const proto = Object.getPrototypeOf(value) as object | null;
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null && Object.getPrototypeOf(proto) !== null)
    return undefined;
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (key.includes('\0')) return at;
    const found = nulPath(item, at);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Identical content is the same document: kind, title and whitespace-normalised text (every run of whitespace one
 * space). Only runs that are not already a single space are replaced: the same text, in far less of the request
 * thread's time.
 */
export function contentHash(doc: Pick<NewDocument, 'kind' | 'text' | 'title'>): string {
  const text = doc.text
    .normalize('NFC')
    .replace(/\s\s+|[^\S ]/g, ' ')
    .trim();
  return createHash('sha256')
    .update(`${doc.kind}\0${doc.title ?? ''}\0${text}`)
    .digest('hex');
}

export interface ListFilter {
  orgId: string;
  status?: DocumentStatus | undefined;
  kind?: DocumentKind | undefined;
  language?: Language | undefined;
  limit: number;
  offset: number;
}

/** What `createMany` gives back for each document: the row stored for it, new or found. */
export interface StoredRef {
  id: string;
  created: boolean;
  status: DocumentStatus;
}

/**
 * Whether PostgreSQL failed a statement for the values of a row: a data exception (class 22: a character or
 * number the column cannot hold), a not-null or check violation, or a limit such as an index row too large
 * (class 54). A missing organisation (foreign key) is not one: it is the same for every row of the statement.
 */
export function refusedData(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' && (code.startsWith('22') || code === '23502' || code === '23514' || code.startsWith('54'))
  );
}

/** A document whose values the database refused: the sender's input, so a 400 that says what PostgreSQL said. */
export class DocumentRefusedError extends Error {
  readonly statusCode = 400;
  constructor(cause: unknown) {
    const detail = (cause as { detail?: unknown } | null)?.detail;
    const said = `${cause instanceof Error ? cause.message : String(cause)}${typeof detail === 'string' && detail ? ` (${detail})` : ''}`;
    super(`the document could not be stored: ${said}`, { cause });
    this.name = 'DocumentRefusedError';
  }
}

/** JSON.stringify's replacer: a lone UTF-16 surrogate becomes U+FFFD, as in any UTF-8 text. */
function wellFormed(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? value.toWellFormed() : value;
}

/** A bytea value as the engine gives it (pg: Buffer; PGlite: Uint8Array). */
function bytes(value: Uint8Array): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

function keyRef(r: { key_segment: string | null; key_slot: number | null }): KeyRef | undefined {
  return r.key_segment !== null && r.key_slot !== null ? { segment: r.key_segment, slot: r.key_slot } : undefined;
}

export class DocumentsRepository {
  constructor(
    private readonly db: Database,
    private readonly keys: DocumentKeys,
  ) {}

  /**
   * The documents of `rows`, their sealed content opened. A document whose key was destroyed (deleted a moment
   * ago) is left out; one stored before sealing existed is read as it is.
   */
  private async open(rows: DocumentRow[]): Promise<StoredDocument[]> {
    const keys = await this.keys.keys(rows.map((r) => keyRef(r)));
    return rows.flatMap((r, i) => {
      if (r.sealed === null)
        return [toDocument(r, { text: r.text ?? '', title: r.title ?? undefined, employer: r.employer ?? undefined })];
      const key = keys[i];
      if (!key) return [];
      const content = JSON.parse(unseal(key, r.id, bytes(r.sealed))) as SealedContent;
      return [toDocument(r, content)];
    });
  }

  /**
   * Stores a document of organisation `orgId`, or returns the one that organisation already stored with the same
   * externalId or content. Resolves only after the row is committed.
   */
  async create(orgId: string, doc: NewDocument): Promise<{ document: StoredDocument; created: boolean }> {
    const [stored] = await this.createMany(orgId, [doc]);
    const document = await this.get(stored!.id);
    if (!document) throw new Error(`document ${stored!.id} is gone right after it was stored`);
    return { document, created: stored!.created };
  }

  /**
   * Stores many documents in one statement (batch uploads). Each comes back as the document stored for it: new,
   * or the one already stored with the same externalId or content (also earlier in the same list).
   */
  async createMany(orgId: string, docs: NewDocument[]): Promise<StoredRef[]> {
    if (docs.length === 0) return [];
    const ids = docs.map(() => randomUUID());
    const hashes = docs.map(contentHash);
    // each document sealed with a key of its own, on disk before the row that needs it is committed
    const issued = await this.keys.issue(docs.length);
    const rows = docs.map((d, i) => ({
      id: ids[i],
      kind: d.kind,
      sealed: seal(
        issued.keys[i]!,
        ids[i]!,
        JSON.stringify({ text: d.text, title: d.title, employer: d.employer } satisfies SealedContent, wellFormed),
      ).toString('base64'),
      key_segment: issued.refs[i]!.segment,
      key_slot: issued.refs[i]!.slot,
      language: d.language,
      doc_date: d.date,
      region: d.region,
      vacancies: d.vacancies,
      external_id: d.externalId,
      content_hash: hashes[i],
      horizon: d.horizon,
      visibility: d.visibility ?? defaultVisibility(d.kind),
    }));
    // The rows go as one JSON text, not as an array per column: the texts of a batch in arrays cost a third
    // more of the engine's time (every element quoted and escaped, then parsed back by array_in). A lone UTF-16
    // surrogate becomes U+FFFD, as it would in any UTF-8 text, rather than an escape JSON in PostgreSQL refuses.
    let inserted: { id: string }[];
    try {
      inserted = await this.db.query<{ id: string }>(
        `INSERT INTO documents (id, kind, sealed, key_segment, key_slot, language, doc_date, region, vacancies, external_id, content_hash, horizon, visibility, org_id)
         SELECT id, kind, decode(sealed, 'base64'), key_segment, key_slot, language, doc_date, region, vacancies, external_id, content_hash, horizon, visibility, $2
         FROM json_to_recordset($1::json) AS d (id uuid, kind text, sealed text, key_segment text, key_slot int, language text, doc_date date, region text,
           vacancies int, external_id text, content_hash text, horizon text, visibility text)
         ON CONFLICT DO NOTHING
         RETURNING id`,
        [JSON.stringify(rows, wellFormed), orgId],
      );
    } catch (err) {
      await this.keys.destroy(issued.refs);
      throw err;
    }
    const created = new Set(inserted.map((r) => r.id));
    if (created.size === docs.length) return ids.map((id) => ({ id, created: true, status: 'queued' as const }));
    // the keys of documents found already stored sealed nothing
    await this.keys.destroy(ids.flatMap((id, i) => (created.has(id) ? [] : [issued.refs[i]!])));
    const existing = await this.db.query<{
      id: string;
      external_id: string | null;
      content_hash: string;
      status: DocumentStatus;
      visibility: Visibility;
    }>(
      'SELECT id, external_id, content_hash, status, visibility FROM documents WHERE org_id = $3 AND (external_id = ANY($1::text[]) OR content_hash = ANY($2::text[]))',
      [docs.flatMap((d) => (d.externalId ? [d.externalId] : [])), hashes, orgId],
    );
    const byExternal = new Map(existing.filter((e) => e.external_id).map((e) => [e.external_id!, e]));
    const byHash = new Map(existing.map((e) => [e.content_hash, e]));
    const madePrivate = new Set<string>();
    const refs = docs.map((d, i) => {
      if (created.has(ids[i]!)) return { id: ids[i]!, created: true, status: 'queued' as const };
      const found = (d.externalId && byExternal.get(d.externalId)) || byHash.get(hashes[i]!);
      if (!found) throw new Error('document conflict without an existing row');
      // sent again as private: the stored document becomes private, as the sender means it to be
      if (d.visibility === 'private' && found.visibility === 'shared') madePrivate.add(found.id);
      return { id: found.id, created: false, status: found.status };
    });
    for (const id of madePrivate) await this.setVisibility(id, orgId, 'private');
    return refs;
  }

  /**
   * As `createMany`, but a document whose values the database refuses fails alone: when it fails the statement
   * of several, they are written again one by one, and it comes back as a DocumentRefusedError in its place
   * while the others are stored. Any other failure (database unavailable, timed out) is thrown, nothing stored.
   */
  async createEach(orgId: string, docs: NewDocument[]): Promise<(StoredRef | DocumentRefusedError)[]> {
    try {
      return await this.createMany(orgId, docs);
    } catch (err) {
      if (!refusedData(err)) throw err;
      if (docs.length === 1) return [new DocumentRefusedError(err)];
      const each: (StoredRef | DocumentRefusedError)[] = [];
      // in order, so that a document repeated later in the list still finds the row stored for the earlier one
      for (const doc of docs) each.push(...(await this.createEach(orgId, [doc])));
      return each;
    }
  }

  async get(id: string): Promise<StoredDocument | undefined> {
    const rows = await this.db.query<DocumentRow>(`SELECT ${COLUMNS} FROM documents WHERE id = $1`, [id]);
    return (await this.open(rows))[0];
  }

  /** Several documents by id, in the order asked (unknown ids left out). */
  async getMany(ids: string[]): Promise<StoredDocument[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.query<DocumentRow>(`SELECT ${COLUMNS} FROM documents WHERE id = ANY($1::uuid[])`, [ids]);
    const byId = new Map((await this.open(rows)).map((d) => [d.id, d]));
    return ids.map((id) => byId.get(id)).filter((d): d is StoredDocument => d !== undefined);
  }

  async list(filter: ListFilter): Promise<{ items: StoredDocument[]; total: number }> {
    const where: string[] = [`org_id = $1`];
    const params: unknown[] = [filter.orgId];
    if (filter.status) where.push(`status = $${params.push(filter.status)}`);
    if (filter.kind) where.push(`kind = $${params.push(filter.kind)}`);
    if (filter.language) {
      where.push(
        `COALESCE(language, (SELECT a.language FROM document_analyses a WHERE a.document_id = documents.id)) = $${params.push(filter.language)}`,
      );
    }
    const clause = `WHERE ${where.join(' AND ')}`;
    const total = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM documents ${clause}`, params);
    const rows = await this.db.query<DocumentRow>(
      `SELECT ${COLUMNS} FROM documents ${clause} ORDER BY created_at DESC, id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, filter.limit, filter.offset],
    );
    return { items: await this.open(rows), total: total[0]?.n ?? 0 };
  }

  /**
   * Deletes a document of organisation `orgId` with everything derived from it; its facts leave every rollup in
   * the same statement. Its key is destroyed first: the copies of its text and analysis that the database keeps
   * for a while (dead rows, WAL) can no longer be opened. Should the delete then fail, the document stays with no
   * key and reads as deleted.
   */
  async delete(id: string, orgId: string): Promise<boolean> {
    type Ref = { key_segment: string | null; key_slot: number | null };
    const [found] = await this.db.query<Ref>(
      'SELECT key_segment, key_slot FROM documents WHERE id = $1 AND org_id = $2',
      [id, orgId],
    );
    if (!found) return false;
    const ref = keyRef(found);
    if (ref) await this.keys.destroy([ref]);
    const [deleted] = await this.db.query<Ref>(
      'DELETE FROM documents WHERE id = $1 AND org_id = $2 RETURNING key_segment, key_slot',
      [id, orgId],
    );
    // sealed meanwhile (a document stored plain by an earlier version): that key goes too
    const late = deleted && keyRef(deleted);
    if (late && (late.segment !== ref?.segment || late.slot !== ref.slot)) await this.keys.destroy([late]);
    return deleted !== undefined;
  }

  /** Makes a document of organisation `orgId` private or shared, its demand facts (and so the rollups) with it. */
  async setVisibility(id: string, orgId: string, visibility: Visibility): Promise<StoredDocument | undefined> {
    const row = await this.db.transaction(async (tx) => {
      const rows = await tx.query<DocumentRow>(
        `UPDATE documents SET visibility = $3, updated_at = now() WHERE id = $1 AND org_id = $2 RETURNING ${COLUMNS}`,
        [id, orgId, visibility],
      );
      if (!rows[0]) return undefined;
      await tx.query('UPDATE demand_facts SET private = $2 WHERE document_id = $1 AND private <> $2', [
        id,
        visibility === 'private',
      ]);
      return rows[0];
    });
    return row && (await this.open([row]))[0];
  }

  /**
   * Seals up to `limit` documents stored before sealing existed, then up to `limit` analyses still plain of
   * sealed documents; how many it sealed (0: none is left). Each write holds only while the row is as it was
   * read, so a save or a delete meanwhile wins. The plain versions stay in the database's files until VACUUM
   * FULL rewrites the tables (docs/privacy.md).
   */
  async sealPlain(limit = 200): Promise<number> {
    const [plain] = await this.db.batch(
      [
        {
          sql: 'SELECT id, title, text, employer FROM documents WHERE sealed IS NULL ORDER BY id LIMIT $1',
          params: [limit],
        },
      ],
      { background: true },
    );
    let sealed = 0;
    const docs = plain as { id: string; title: string | null; text: string; employer: Employer | null }[];
    if (docs.length > 0) {
      const issued = await this.keys.issue(docs.length);
      const rows = docs.map((d, i) => ({
        id: d.id,
        segment: issued.refs[i]!.segment,
        slot: issued.refs[i]!.slot,
        sealed: seal(
          issued.keys[i]!,
          d.id,
          JSON.stringify({
            text: d.text,
            title: d.title ?? undefined,
            employer: d.employer ?? undefined,
          } satisfies SealedContent),
        ).toString('base64'),
      }));
      let done: { id: string }[] | undefined;
      try {
        [done] = (await this.db.batch(
          [
            {
              sql: `UPDATE documents d SET sealed = decode(s.sealed, 'base64'), key_segment = s.segment, key_slot = s.slot,
                      text = NULL, title = NULL, employer = NULL
                    FROM json_to_recordset($1::json) AS s (id uuid, segment text, slot int, sealed text)
                    WHERE d.id = s.id AND d.sealed IS NULL RETURNING d.id`,
              params: [JSON.stringify(rows)],
            },
          ],
          { background: true },
        )) as { id: string }[][];
      } catch (err) {
        await this.keys.destroy(issued.refs);
        throw err;
      }
      const used = new Set((done ?? []).map((r) => r.id));
      await this.keys.destroy(rows.filter((r) => !used.has(r.id)).map((r) => ({ segment: r.segment, slot: r.slot })));
      sealed += used.size;
    }
    const [analyses] = await this.db.batch(
      [
        {
          sql: `SELECT a.document_id, a.analysis::text AS analysis, a.xmin::text AS version, d.key_segment, d.key_slot
                FROM document_analyses a JOIN documents d ON d.id = a.document_id
                WHERE a.sealed IS NULL AND d.sealed IS NOT NULL LIMIT $1`,
          params: [limit],
        },
      ],
      { background: true },
    );
    const open = analyses as {
      document_id: string;
      analysis: string;
      version: string;
      key_segment: string | null;
      key_slot: number | null;
    }[];
    if (open.length > 0) {
      const keys = await this.keys.keys(open.map((a) => keyRef(a)));
      const rows = open.flatMap((a, i) =>
        keys[i]
          ? [
              {
                id: a.document_id,
                version: a.version,
                sealed: seal(keys[i], a.document_id, a.analysis).toString('base64'),
              },
            ]
          : [],
      );
      const [done] = await this.db.batch(
        [
          {
            sql: `UPDATE document_analyses a SET sealed = decode(s.sealed, 'base64'), analysis = NULL
                  FROM json_to_recordset($1::json) AS s (id uuid, version text, sealed text)
                  WHERE a.document_id = s.id AND a.xmin::text = s.version AND a.sealed IS NULL RETURNING a.document_id`,
            params: [JSON.stringify(rows)],
          },
        ],
        { background: true },
      );
      sealed += done!.length;
    }
    return sealed;
  }

  /** Marks a document as being analysed; returns false when it is gone. */
  async startProcessing(id: string, worker: string): Promise<StoredDocument | undefined> {
    const rows = await this.db.query<DocumentRow>(
      `UPDATE documents SET status = CASE WHEN status = 'done' THEN status ELSE 'processing' END,
         attempts = attempts + 1, processed_by = $2, updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, worker],
    );
    return (await this.open(rows))[0];
  }

  /**
   * Replaces a document's results: rerunning the same job yields the same rows. Written as several short
   * background transactions, each sent whole (`Database.batch`): on embedded PGlite, which runs one statement at
   * a time, each waits for a gap in the requests' queries (ForegroundGate) and holds the engine for a few
   * milliseconds only, so a submission arriving meanwhile waits that long at most, not for the whole save.
   *
   * The first transaction replaces the stored analysis, classifications and places and removes the old mentions; the
   * row it writes in document_analyses marks this save (its xmin). The next ones add the mentions with their demand
   * facts (whose triggers keep the rollups), the first of them removing the old facts, the last marking the document
   * done: SAVE_CHUNK_ROWS mentions per transaction while requests are being answered (`Database.busy`), all the rest
   * in one otherwise (each transaction costs engine time of its own: its statement, the rollup triggers' start and
   * the commit). Each writes only while its save is still the latest one: when two saves of one document overlap,
   * the later one's first transaction ends the earlier one, so facts and mentions come from one analysis. Until the
   * last commits the document is not done, so a first analysis is not shown, and a crash in between leaves it to be
   * analysed again. A PostgreSQL server, which runs transactions side by side, is never busy: there the mentions and
   * facts go in one transaction.
   */
  async saveAnalysis(id: string, analysis: Analysis): Promise<boolean> {
    return this.saveRows(id, analysisRows(analysis));
  }

  /** saveAnalysis, from the rows made beside the analysis (analysis-rows.ts). */
  async saveRows(id: string, rows: AnalysisRows): Promise<boolean> {
    const { mentions } = rows;
    const count = mentions.uri.length;
    // On a server, the document's row lock keeps two saves of it from interleaving inside a transaction.
    // Embedded PGlite has one session, whose transactions never interleave: there it would only cost a write.
    const server = this.db.engine === 'postgres';
    const row: Statement = {
      sql: `SELECT id FROM documents WHERE id = $1${server ? ' FOR UPDATE' : ''}`,
      params: [id],
    };
    // the analysis names words of the text (cues, places): sealed with the document's key
    // one row by its key, a moment's work for the engine: read as a request's statement is, outside any transaction
    const [found] = await this.db.query<{ key_segment: string | null; key_slot: number | null }>(
      'SELECT key_segment, key_slot FROM documents WHERE id = $1',
      [id],
    );
    if (!found) return false;
    const ref = keyRef(found);
    const key = ref && (await this.keys.key(ref));
    if (ref && !key) return false;
    const analysis = key
      ? { plain: null, sealed: seal(key, id, rows.json).toString('base64') }
      : { plain: rows.json, sealed: null };
    const first = await this.db.batch(
      [
        row,
        {
          sql: `WITH m AS (DELETE FROM mentions WHERE document_id = $1), c AS (DELETE FROM document_classifications WHERE document_id = $1)
                DELETE FROM document_regions WHERE document_id = $1`,
          params: [id],
        },
        classificationsStatement(id, rows),
        regionsStatement(id, rows),
        // the row's xmin is this transaction's id: the next transactions check that no later save replaced it
        {
          sql: `INSERT INTO document_analyses (document_id, language, pipeline_version, taxonomy_version, analysis, sealed)
                SELECT $1, $2, $3, $4, $5::jsonb, decode($6, 'base64') WHERE ${PRESENT}
                ON CONFLICT (document_id) DO UPDATE SET language = EXCLUDED.language, pipeline_version = EXCLUDED.pipeline_version,
                  taxonomy_version = EXCLUDED.taxonomy_version, analysis = EXCLUDED.analysis, sealed = EXCLUDED.sealed, created_at = now()
                RETURNING xmin::text AS step`,
          params: [id, rows.language, rows.pipelineVersion, rows.taxonomyVersion, analysis.plain, analysis.sealed],
        },
      ].filter((statement) => statement !== undefined),
      { background: true },
    );
    if (first[0]!.length === 0) return false;
    const step = first.at(-1)![0]!.step as string;
    let start = 0;
    do {
      // while requests are being answered, a few mentions per transaction; otherwise all the rest in one
      const end = this.db.busy() ? Math.min(start + SAVE_CHUNK_ROWS, count) : count;
      const part = { first: start === 0, last: end === count };
      const results = await this.db.batch(
        [
          // on a server, wait for the row lock before the next statement takes its snapshot and checks the save
          ...(server ? [row] : []),
          mentionsStatement(id, step, sliceMentions(mentions, start, end), rows.facts, part),
        ],
        { background: true },
      );
      const { present, current } = results.at(-1)![0] as { present: boolean; current: boolean };
      if (!present) return false;
      // a later save replaced the results: its own transactions write the rest
      if (!current) return true;
      start = end;
    } while (start < count);
    return true;
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.db.query(`UPDATE documents SET status = 'failed', error = $2, updated_at = now() WHERE id = $1`, [
      id,
      error.slice(0, 2_000),
    ]);
  }

  /** The stored analysis with its mentions (and their horizon, polarity and weight) from the mentions table. */
  async analysisOf(id: string): Promise<StoredAnalysis | undefined> {
    return (await this.analysesOf([id])).get(id);
  }

  /** The stored analyses of several documents (those that have one), in two queries. */
  async analysesOf(ids: string[]): Promise<Map<string, StoredAnalysis>> {
    const out = new Map<string, StoredAnalysis>();
    if (ids.length === 0) return out;
    const stored = await this.db.query<{
      document_id: string;
      analysis: Omit<Analysis, 'mentions'> | null;
      sealed: Uint8Array | null;
      key_segment: string | null;
      key_slot: number | null;
    }>(
      `SELECT a.document_id, a.analysis, a.sealed, d.key_segment, d.key_slot
       FROM document_analyses a JOIN documents d ON d.id = a.document_id WHERE a.document_id = ANY($1::uuid[])`,
      [ids],
    );
    const keys = await this.keys.keys(stored.map((r) => keyRef(r)));
    const rows = stored.flatMap((r, i) => {
      if (r.sealed === null) return r.analysis ? [{ document_id: r.document_id, analysis: r.analysis }] : [];
      const key = keys[i];
      if (!key) return [];
      const analysis = JSON.parse(unseal(key, r.document_id, bytes(r.sealed))) as Omit<Analysis, 'mentions'>;
      return [{ document_id: r.document_id, analysis }];
    });
    const mentions = await this.db.query<StoredMention & { document_id: string }>(
      `SELECT document_id, skill_uri AS uri, start_offset AS start, end_offset AS "end", sentence_index AS "sentenceIndex", method,
         round(score::numeric, 3)::float8 AS score, horizon, polarity, round(weight::numeric, 3)::float8 AS weight, counted, verified
       FROM mentions WHERE document_id = ANY($1::uuid[]) ORDER BY document_id, start_offset, skill_uri`,
      [rows.map((r) => r.document_id)],
    );
    for (const r of rows) out.set(r.document_id, { ...r.analysis, mentions: [] });
    for (const { document_id, ...m } of mentions) out.get(document_id)!.mentions.push(m);
    return out;
  }

  /**
   * Documents that may be missing from the queue: queued or processing, with no change and no requeue for longer
   * than `olderThanMs`, in the order of that time (and id), after `from` when given. With the last one's place,
   * to go on from there.
   */
  async stale(olderThanMs: number, limit = 200, from?: SweepPlace): Promise<{ ids: string[]; last?: SweepPlace }> {
    const params: unknown[] = [olderThanMs, limit];
    const after = from
      ? `AND (GREATEST(updated_at, requeued_at), id) > ($${params.push(from.at)}::timestamptz, $${params.push(from.id)}::uuid)`
      : '';
    // background work: on embedded PGlite it waits for a gap in the requests' statements. The waiting documents
    // are read in the index's order, a few at a time: PGlite has no autovacuum, and until a maintenance round
    // (maintenance.ts) has analysed a backlog the row estimates can be those of an empty queue, with which the
    // planner would fetch and sort every waiting document instead.
    const [, found] = await this.db.batch(
      [
        { sql: 'SET LOCAL enable_bitmapscan = off' },
        {
          sql: `SELECT id, GREATEST(updated_at, requeued_at)::text AS at FROM documents WHERE status IN ('queued', 'processing')
                  AND GREATEST(updated_at, requeued_at) < now() - ($1::int * interval '1 millisecond') ${after}
                ORDER BY GREATEST(updated_at, requeued_at), id LIMIT $2`,
          params,
        },
      ],
      { background: true },
    );
    const rows = found as { id: string; at: string }[];
    const last = rows.at(-1);
    return { ids: rows.map((r) => r.id), ...(last && { last: { at: last.at, id: last.id } }) };
  }

  /** Notes that the sweep queued these documents again: they are not stale again until the same time has passed. */
  async markRequeued(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.batch(
      [{ sql: `UPDATE documents SET requeued_at = now() WHERE id = ANY($1::uuid[])`, params: [ids] }],
      { background: true },
    );
  }
}

/** Where the requeue sweep got to in the documents waiting: the time it orders them by, and the id. */
export interface SweepPlace {
  at: string;
  id: string;
}

/** Whether the document ($1) is there: a save writes nothing for a document deleted meanwhile. */
const PRESENT = 'EXISTS (SELECT 1 FROM documents WHERE id = $1)';

/** Mentions (with their demand facts) written per transaction while the engine is busy: a few ms of engine time. */
export const SAVE_CHUNK_ROWS = 16;

/**
 * One statement writing some of a document's mentions (the skills' to the mentions table) and, for each counted
 * one, its demand fact: with the document's month, kind and language, its primary place at every level, its
 * occupation (ISCO-08) and sector (TOL section and division), and its organisation and visibility as the document
 * row has them now. The first part
 * of a save also removes the document's old facts, the last marks it done. Everything only while the save whose
 * first transaction gave `step` is still the latest; the one row returned says whether the document is there
 * (`present`) and whether it was (`current`). One statement rather than up to four, each a protocol round of its
 * own in the engine.
 */
function mentionsStatement(
  documentId: string,
  step: string,
  m: MentionColumns,
  facts: FactColumns,
  part: { first: boolean; last: boolean },
): Statement {
  const current = '(SELECT current FROM save)';
  const steps = [
    `save AS MATERIALIZED (SELECT ${PRESENT} AS present,
       EXISTS (SELECT 1 FROM document_analyses a WHERE a.document_id = $1 AND a.xmin::text = $2) AS current)`,
    ...(part.first ? [`old AS (DELETE FROM demand_facts WHERE document_id = $1 AND ${current})`] : []),
    `m AS (INSERT INTO mentions (document_id, skill_uri, score, method, start_offset, end_offset, sentence_index, horizon, polarity, weight, counted, verified)
       SELECT $1, uri, score, method, s, e, sentence, horizon, polarity, weight, counted, verified
       FROM unnest($3::text[], $4::real[], $5::text[], $6::int[], $7::int[], $8::int[], $9::text[], $10::text[], $11::real[], $23::boolean[], $22::text[], $26::boolean[])
         AS m (uri, score, method, s, e, sentence, horizon, polarity, weight, counted, concept, verified)
       WHERE concept = 'skill' AND ${current})`,
    `f AS (INSERT INTO demand_facts (document_id, concept, skill_uri, skill_group, month, kind, language, horizon, polarity, weight, score,
         municipality, maakunta, area, major_region, occupation, isco, sector_section, sector_division, firsts, org_id, private)
       SELECT $1, f.concept, f.skill_uri, f.skill_group, date_trunc('month', $12::date)::date, d.kind, $13, f.horizon, f.polarity, f.weight, f.score,
         $14, $15, $16, $17, f.occupation, f.isco, COALESCE($18, (SELECT parent_code FROM sectors WHERE code = $19)), $19, f.firsts, d.org_id, d.visibility = 'private'
       FROM unnest($3::text[], $20::text[], $9::text[], $10::text[], $11::real[], $4::real[], $21::smallint[], $22::text[], $23::boolean[], $24::text[], $25::text[])
         AS f (skill_uri, skill_group, horizon, polarity, weight, score, firsts, concept, counted, occupation, isco)
       CROSS JOIN documents d
       WHERE f.counted AND d.id = $1 AND ${current})`,
    ...(part.last
      ? [
          `done AS (UPDATE documents SET status = 'done', error = NULL, analysed_at = now(), updated_at = now() WHERE id = $1 AND ${current})`,
        ]
      : []),
  ];
  return {
    sql: `WITH ${steps.join(',\n')}\nSELECT present, current FROM save`,
    params: [
      documentId,
      step,
      m.uri,
      m.score,
      m.method,
      m.start,
      m.end,
      m.sentenceIndex,
      m.horizon,
      m.polarity,
      m.weight,
      facts.date,
      facts.language,
      facts.municipality,
      facts.maakunta,
      facts.area,
      facts.majorRegion,
      facts.section,
      facts.division,
      m.group,
      m.firsts,
      m.concept,
      m.counted,
      m.occupation,
      m.isco,
      m.verified,
    ],
  };
}

/** The document's places, while it is there. */
function regionsStatement(documentId: string, { regions: r }: AnalysisRows): Statement | undefined {
  if (r.code.length === 0) return undefined;
  return {
    sql: `INSERT INTO document_regions (document_id, code, level, is_primary, source)
          SELECT $1, * FROM unnest($2::text[], $3::text[], $4::boolean[], $5::text[]) WHERE ${PRESENT}`,
    params: [documentId, r.code, r.level, r.primary, r.source],
  };
}

/** The document's occupations and sectors, ranked, while it is there. */
function classificationsStatement(documentId: string, { classifications: c }: AnalysisRows): Statement | undefined {
  if (c.code.length === 0) return undefined;
  return {
    sql: `INSERT INTO document_classifications (document_id, scheme, rank, code, isco_code, level, score)
          SELECT $1, * FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::int[], $7::real[]) WHERE ${PRESENT}`,
    params: [documentId, c.scheme, c.rank, c.code, c.isco, c.level, c.score],
  };
}
