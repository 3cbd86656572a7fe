import type { Database } from './database.js';
import { findRegion } from './demand.repository.js';

/** A grouping of regions or municipalities that is not an official level: an ESR+ area, "Hämeenlinnan seutu". */
export interface RegionGrouping {
  code: string;
  name: string;
  names: { fi: string; sv: string | null; en: string | null };
  /** predefined with the service (only an operator changes it), or made by an organisation */
  predefined: boolean;
  orgId: string | null;
  members: { code: string; level: string; name: string }[];
}

/** Why a grouping could not be made or removed: the route answers with the status and names the field. */
export class GroupingError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409,
    readonly field: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** The level a member name is read at first, when regions of several levels share it. */
const MEMBER_LEVELS = ['municipality', 'maakunta', 'elinvoimakeskus', 'major_region', 'ely', 'country'];

/** What the names of a new grouping must not be longer than. */
const MAX_NAME = 100;
/** At most this many members in one grouping (Finland has 308 municipalities). */
export const MAX_MEMBERS = 400;

/** Groupings of regions (migration 17), their members resolved against the regions of the classification. */
export class RegionGroupingsRepository {
  constructor(private readonly db: Database) {}

  async list(lang: 'fi' | 'sv' | 'en'): Promise<RegionGrouping[]> {
    const rows = await this.db.query<{
      code: string;
      name_fi: string;
      name_sv: string | null;
      name_en: string | null;
      org_id: string | null;
    }>('SELECT code, name_fi, name_sv, name_en, org_id FROM region_groupings ORDER BY org_id IS NOT NULL, code');
    const members = await this.db.query<{ grouping_code: string; code: string; level: string; name: string }>(
      `SELECT m.grouping_code, m.region_code AS code, COALESCE(r.level, 'unknown') AS level,
              COALESCE(r.name_${lang}, r.name_fi, m.region_code) AS name
         FROM region_grouping_members m LEFT JOIN regions r ON r.code = m.region_code
        ORDER BY m.grouping_code, m.region_code`,
    );
    return rows.map((r) => ({
      code: r.code,
      name: (lang === 'fi' ? r.name_fi : lang === 'sv' ? r.name_sv : r.name_en) ?? r.name_fi,
      names: { fi: r.name_fi, sv: r.name_sv, en: r.name_en },
      predefined: r.org_id === null,
      orgId: r.org_id,
      members: members
        .filter((m) => m.grouping_code === r.code)
        .map(({ code, level, name }) => ({ code, level, name })),
    }));
  }

  async get(code: string, lang: 'fi' | 'sv' | 'en'): Promise<RegionGrouping | undefined> {
    return (await this.list(lang)).find((g) => g.code === code.toUpperCase());
  }

  /**
   * A new grouping of an organisation: its members are region codes at any level, municipality numbers or names
   * (as the demand filters take them), each of which must be known; a name already taken is a conflict.
   */
  async create(
    input: { name: string; nameSv?: string; nameEn?: string; members: string[] },
    orgId: string,
    lang: 'fi' | 'sv' | 'en',
  ): Promise<RegionGrouping> {
    const name = input.name.trim();
    if (!name || name.length > MAX_NAME) throw new GroupingError(400, 'name', `name must be 1–${MAX_NAME} characters`);
    if (input.members.length === 0) throw new GroupingError(400, 'members', 'members must name at least one region');
    const codes: string[] = [];
    for (const [i, member] of input.members.entries()) {
      const found = await this.resolveMember(member);
      if (!found)
        throw new GroupingError(
          400,
          `members.${i}`,
          `unknown region ${JSON.stringify(member)}: give a code (KU109, MK05), a municipality number (109) or a name (Hattula)`,
        );
      if (!codes.includes(found)) codes.push(found);
    }
    const taken = await this.db.query(
      `SELECT 1 FROM region_groupings WHERE lower(name_fi) = lower($1)
        UNION ALL SELECT 1 FROM regions WHERE lower(name_fi) = lower($1) AND valid_to IS NULL`,
      [name],
    );
    if (taken.length > 0)
      throw new GroupingError(409, 'name', `the name ${JSON.stringify(name)} is taken by a region or another grouping`);
    const code = await this.db.transaction(async (tx) => {
      const n = (await tx.query<{ n: string }>(`SELECT nextval('region_grouping_numbers')::text AS n`))[0]!.n;
      const made = `RG${n.padStart(3, '0')}`;
      await tx.query(
        'INSERT INTO region_groupings (code, name_fi, name_sv, name_en, org_id) VALUES ($1, $2, $3, $4, $5::uuid)',
        [made, name, input.nameSv?.trim() || null, input.nameEn?.trim() || null, orgId],
      );
      await tx.query(`INSERT INTO region_grouping_members (grouping_code, region_code) SELECT $1, unnest($2::text[])`, [
        made,
        codes,
      ]);
      return made;
    });
    return (await this.get(code, lang))!;
  }

  /** Removes a grouping: an organisation its own, an operator any. */
  async remove(code: string, caller: { orgId: string; operator: boolean }): Promise<void> {
    const row = (
      await this.db.query<{ org_id: string | null }>('SELECT org_id FROM region_groupings WHERE code = $1', [
        code.toUpperCase(),
      ])
    )[0];
    if (!row) throw new GroupingError(404, undefined, `no grouping ${JSON.stringify(code)}`);
    if (!caller.operator && row.org_id !== caller.orgId)
      throw new GroupingError(
        403,
        undefined,
        row.org_id === null
          ? 'a predefined grouping is changed by an operator only'
          : 'a grouping is removed by the organisation that made it or an operator',
      );
    await this.db.query('DELETE FROM region_groupings WHERE code = $1', [code.toUpperCase()]);
  }

  /** A member as a region code: a code at any level, a municipality number, or a name in fi/sv/en. */
  private async resolveMember(text: string): Promise<string | undefined> {
    // a name shared by a municipality and a larger area is the municipality's: groupings are built from them
    return (await findRegion(this.db, text, MEMBER_LEVELS))?.code;
  }
}
