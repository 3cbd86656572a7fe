import { randomUUID } from 'node:crypto';
import type { Interpretation, NewInterpretation } from '../domain/interpretation.js';
import type { Language } from '../domain/language.js';
import type { Database } from './database.js';

/** An interpretation to store: its region and concept as resolved, its period as first days of months. */
export type InterpretationRecord = Omit<NewInterpretation, 'region' | 'from' | 'to'> & {
  region: string | null;
  from: string;
  to: string;
};

/** Which interpretations a view shows: of a region and the regions within it, a concept, a horizon, a period. */
export interface InterpretationFilter {
  region?: string | undefined;
  conceptType?: string | undefined;
  concept?: string | undefined;
  horizon?: string | undefined;
  /** first days of months */
  from?: string | undefined;
  to?: string | undefined;
  agreedOnly?: boolean | undefined;
  limit: number;
}

interface Row {
  id: string;
  org_id: string;
  organisation: string;
  region: string | null;
  region_level: string | null;
  region_name: string | null;
  concept_type: 'skill' | 'skill_group' | 'occupation' | 'isco' | null;
  concept: string | null;
  concept_label: string | null;
  horizon: 'current' | 'short' | 'long' | null;
  period_from: string;
  period_to: string;
  title: string;
  body: string;
  visibility: 'organisation' | 'network';
  created_at: Date;
}

/** Whether an interpretation is one `orgId` may read: its own organisation's, or the network's. */
const READABLE = `(i.visibility = 'network' OR i.org_id = $1)`;

/**
 * The region codes within a region ($n): itself, a grouping's members, and every region under them. The
 * interpretations of a view are those on its region or on a part of it.
 */
const within = (n: number) => `(WITH RECURSIVE roots AS (
    SELECT $${n}::text AS code UNION SELECT region_code FROM region_grouping_members WHERE grouping_code = $${n}
  ), inside AS (
    SELECT code FROM roots UNION SELECT r.code FROM regions r JOIN inside ON r.parent_code = inside.code
  ) SELECT code FROM inside)`;

/** Shared interpretations (migration 20) with their replies and agreements. */
export class InterpretationsRepository {
  constructor(private readonly db: Database) {}

  async create(orgId: string, keyId: string, i: InterpretationRecord): Promise<string> {
    const id = randomUUID();
    await this.db.query(
      `INSERT INTO interpretations (id, org_id, key_id, region, concept_type, concept, horizon, period_from, period_to, title, body, visibility)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        id,
        orgId,
        keyId,
        i.region,
        i.conceptType ?? null,
        i.concept ?? null,
        i.horizon ?? null,
        i.from,
        i.to,
        i.title,
        i.body,
        i.visibility,
      ],
    );
    return id;
  }

  /** The interpretations `orgId` may read under the filter, newest first, in `lang`. */
  async list(orgId: string, lang: Language, filter: InterpretationFilter): Promise<Interpretation[]> {
    const params: unknown[] = [orgId];
    const where = [READABLE];
    if (filter.region) where.push(`i.region IN ${within(params.push(filter.region))}`);
    if (filter.conceptType) where.push(`i.concept_type = $${params.push(filter.conceptType)}`);
    if (filter.concept) where.push(`i.concept = $${params.push(filter.concept)}`);
    if (filter.horizon) where.push(`(i.horizon IS NULL OR i.horizon = $${params.push(filter.horizon)})`);
    if (filter.from) where.push(`i.period_to >= $${params.push(filter.from)}::date`);
    if (filter.to) where.push(`i.period_from <= $${params.push(filter.to)}::date`);
    if (filter.agreedOnly)
      where.push(
        `EXISTS (SELECT 1 FROM interpretation_agreements a WHERE a.interpretation_id = i.id AND a.org_id <> i.org_id)`,
      );
    return this.read(where.join(' AND '), [...params, filter.limit], lang, orgId);
  }

  /** One interpretation, when `orgId` may read it. */
  async get(id: string, orgId: string, lang: Language): Promise<Interpretation | undefined> {
    if (!UUID.test(id)) return undefined;
    return (await this.read(`${READABLE} AND i.id = $2`, [orgId, id, 1], lang, orgId))[0];
  }

  /** Adds a reply; false when `orgId` may not read the interpretation. */
  async reply(id: string, orgId: string, keyId: string, body: string): Promise<boolean> {
    if (!UUID.test(id)) return false;
    const rows = await this.db.query(
      `INSERT INTO interpretation_replies (interpretation_id, org_id, key_id, body)
       SELECT i.id, $1, $3, $4 FROM interpretations i WHERE ${READABLE} AND i.id = $2 RETURNING id`,
      [orgId, id, keyId, body],
    );
    return rows.length > 0;
  }

  /** Marks (or, `agree` false, unmarks) the organisation's agreement; false when it may not read it. */
  async agree(id: string, orgId: string, agree: boolean): Promise<boolean> {
    if (!UUID.test(id)) return false;
    const [found] = await this.db.query(`SELECT 1 FROM interpretations i WHERE ${READABLE} AND i.id = $2`, [orgId, id]);
    if (!found) return false;
    await this.db.query(
      agree
        ? `INSERT INTO interpretation_agreements (interpretation_id, org_id) VALUES ($2, $1) ON CONFLICT DO NOTHING`
        : `DELETE FROM interpretation_agreements WHERE interpretation_id = $2 AND org_id = $1`,
      [orgId, id],
    );
    return true;
  }

  /** Deletes an interpretation of the organisation's own; false when it has none of that id. */
  async delete(id: string, orgId: string): Promise<boolean> {
    if (!UUID.test(id)) return false;
    return (
      (await this.db.query('DELETE FROM interpretations WHERE id = $1 AND org_id = $2 RETURNING id', [id, orgId]))
        .length > 0
    );
  }

  private async read(where: string, params: unknown[], lang: Language, orgId: string): Promise<Interpretation[]> {
    const rows = await this.db.query<Row>(
      `SELECT i.id, i.org_id, o.name AS organisation, i.region,
              COALESCE(r.level, CASE WHEN g.code IS NOT NULL THEN 'grouping' END) AS region_level,
              COALESCE(r.name_${lang}, r.name_fi, g.name_${lang}, g.name_fi) AS region_name,
              i.concept_type, i.concept,
              CASE i.concept_type
                WHEN 'skill' THEN (SELECT COALESCE(s.pref_${lang}, s.pref_en) FROM esco_skills s WHERE s.uri = i.concept)
                WHEN 'occupation' THEN (SELECT COALESCE(c.pref_${lang}, c.pref_en) FROM esco_occupations c WHERE c.uri = i.concept)
                WHEN 'skill_group' THEN (SELECT COALESCE(k.pref_${lang}, k.pref_en) FROM esco_skill_groups k WHERE k.uri = i.concept)
                WHEN 'isco' THEN (SELECT COALESCE(t.name_${lang}, t.name_en) FROM isco_groups t WHERE t.code = i.concept)
              END AS concept_label,
              i.horizon, to_char(i.period_from, 'YYYY-MM') AS period_from, to_char(i.period_to, 'YYYY-MM') AS period_to,
              i.title, i.body, i.visibility, i.created_at
         FROM interpretations i JOIN organisations o ON o.id = i.org_id
         LEFT JOIN regions r ON r.code = i.region LEFT JOIN region_groupings g ON g.code = i.region
        WHERE ${where}
        ORDER BY i.created_at DESC, i.id LIMIT $${params.length}`,
      params,
    );
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [replies, agreements] = await Promise.all([
      this.db.query<{ interpretation_id: string; id: string; organisation: string; body: string; created_at: Date }>(
        `SELECT p.interpretation_id, p.id::text AS id, o.name AS organisation, p.body, p.created_at
           FROM interpretation_replies p JOIN organisations o ON o.id = p.org_id
          WHERE p.interpretation_id = ANY($1::uuid[]) ORDER BY p.id`,
        [ids],
      ),
      this.db.query<{ interpretation_id: string; org_id: string; organisation: string; created_at: Date }>(
        `SELECT a.interpretation_id, a.org_id, o.name AS organisation, a.created_at
           FROM interpretation_agreements a JOIN organisations o ON o.id = a.org_id
          WHERE a.interpretation_id = ANY($1::uuid[]) ORDER BY a.created_at, o.name`,
        [ids],
      ),
    ]);
    return rows.map((r) => {
      const agreed = agreements.filter((a) => a.interpretation_id === r.id);
      return {
        id: r.id,
        organisation: r.organisation,
        own: r.org_id === orgId,
        title: r.title,
        body: r.body,
        region: r.region
          ? { code: r.region, level: r.region_level ?? 'unknown', name: r.region_name ?? r.region }
          : null,
        concept:
          r.concept_type && r.concept
            ? { type: r.concept_type, code: r.concept, label: r.concept_label ?? r.concept }
            : null,
        horizon: r.horizon,
        from: r.period_from,
        to: r.period_to,
        visibility: r.visibility,
        createdAt: r.created_at.toISOString(),
        replies: replies
          .filter((p) => p.interpretation_id === r.id)
          .map((p) => ({
            id: p.id,
            organisation: p.organisation,
            body: p.body,
            createdAt: p.created_at.toISOString(),
          })),
        agreements: agreed.map((a) => ({ organisation: a.organisation, at: a.created_at.toISOString() })),
        agreed: agreed.some((a) => a.org_id !== r.org_id),
        agreedByYou: agreed.some((a) => a.org_id === orgId),
      };
    });
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
