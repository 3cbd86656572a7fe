import type { Correction, StoredCorrection } from '../domain/correction.js';
import type { Language } from '../domain/language.js';
import type { Database } from './database.js';

interface CorrectionRow {
  id: string;
  document_id: string;
  action: Correction['action'];
  concept: Correction['concept'];
  uri: string;
  start_offset: number;
  end_offset: number;
  horizon: Correction['horizon'] | null;
  polarity: Correction['polarity'] | null;
  weight: number | null;
  created_at: Date;
}

/** The columns of a correction, of the table named `c`. */
const COLUMNS = `c.id::text AS id, c.document_id, c.action, c.concept, c.uri, c.start_offset, c.end_offset, c.horizon,
  c.polarity, round(c.weight::numeric, 3)::float8 AS weight, c.created_at`;

function toCorrection(r: CorrectionRow): StoredCorrection {
  return {
    id: r.id,
    action: r.action,
    concept: r.concept,
    uri: r.uri,
    start: r.start_offset,
    end: r.end_offset,
    ...(r.horizon && { horizon: r.horizon }),
    ...(r.polarity && { polarity: r.polarity }),
    ...(r.weight !== null && { weight: r.weight }),
    createdAt: r.created_at.toISOString(),
  };
}

/** The corrections people made to documents' analyses, in the order they were made. */
export class CorrectionsRepository {
  constructor(private readonly db: Database) {}

  /** A document's corrections, oldest first: the order they are applied in. */
  async of(documentId: string): Promise<StoredCorrection[]> {
    const rows = await this.db.query<CorrectionRow>(
      `SELECT ${COLUMNS} FROM document_corrections c WHERE c.document_id = $1 ORDER BY c.id`,
      [documentId],
    );
    return rows.map(toCorrection);
  }

  /** Stores corrections of a document made by key `keyId` of organisation `orgId`; they come back with their ids. */
  async add(documentId: string, orgId: string, keyId: string, corrections: Correction[]): Promise<StoredCorrection[]> {
    if (corrections.length === 0) return [];
    const rows = await this.db.query<CorrectionRow>(
      `INSERT INTO document_corrections AS c (document_id, org_id, key_id, action, concept, uri, start_offset, end_offset, horizon, polarity, weight)
       SELECT $1, $2, $3, r.action, r.concept, r.uri, r.start, r."end", r.horizon, r.polarity, r.weight
       FROM json_to_recordset($4::json) AS r (action text, concept text, uri text, start int, "end" int, horizon text, polarity text, weight real)
       RETURNING ${COLUMNS}`,
      [documentId, orgId, keyId, JSON.stringify(corrections)],
    );
    return rows.map(toCorrection).sort((a, b) => Number(a.id) - Number(b.id));
  }

  /** Withdraws one correction of a document; false when it has none of that id. */
  async remove(documentId: string, id: string): Promise<boolean> {
    if (!/^\d{1,18}$/.test(id)) return false;
    const rows = await this.db.query(
      'DELETE FROM document_corrections WHERE document_id = $1 AND id = $2 RETURNING id',
      [documentId, id],
    );
    return rows.length > 0;
  }

  /**
   * The corrections of the documents organisation `orgId` may read (its own and shared ones), oldest first, at
   * most `limit`: what the export and the alias proposals are made from.
   */
  async readable(orgId: string, limit: number): Promise<(StoredCorrection & { documentId: string })[]> {
    const rows = await this.db.query<CorrectionRow>(
      `SELECT ${COLUMNS} FROM document_corrections c JOIN documents d ON d.id = c.document_id
       WHERE d.org_id = $1 OR d.visibility = 'shared' ORDER BY c.id LIMIT $2`,
      [orgId, limit],
    );
    return rows.map((r) => ({ ...toCorrection(r), documentId: r.document_id }));
  }

  /** The aliases an operator accepted, oldest first. */
  async acceptedAliases(): Promise<{ lang: Language; alias: string; uri: string }[]> {
    return this.db.query('SELECT lang, alias, uri FROM accepted_aliases ORDER BY id');
  }

  /** Accepts an alias (the analysis reads it when it next loads the taxonomy); false when it was accepted already. */
  async acceptAlias(alias: { lang: Language; alias: string; uri: string }, by: string): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO accepted_aliases (lang, alias, uri, accepted_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING id`,
      [alias.lang, alias.alias, alias.uri, by],
    );
    return rows.length > 0;
  }
}
