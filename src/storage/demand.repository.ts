import type {
  Bucket,
  CompareRow,
  DemandRow,
  DemandTotals,
  EmergingRow,
  GroupBy,
  TimeseriesRow,
} from '../domain/demand.js';
import { GROUPING_LEVEL } from '../domain/region.js';
import { ISCO_GROUP_URI } from '../domain/taxonomy.js';
import type { Queryable } from './database.js';
import { countColumn, firstBit, ROLLUPS, type Fixed, type KeyKind } from './rollups.js';

/** The fact column (or expression) behind each grouping, for facts of skills. */
export const GROUPS: Record<GroupBy, string> = {
  skill: 'skill_uri',
  skillGroup: 'skill_group',
  occupation: 'occupation',
  isco1: 'left(isco, 1)',
  isco2: 'left(isco, 2)',
  isco3: 'left(isco, 3)',
  isco4: 'isco',
  sector: 'sector_division',
  sectorSection: 'sector_section',
  municipality: 'municipality',
  maakunta: 'maakunta',
  area: 'area',
  majorRegion: 'major_region',
  horizon: 'horizon',
  polarity: 'polarity',
  kind: 'kind',
  language: 'language',
};

/**
 * For facts of occupations, the occupation and its ISCO-08 unit group are the fact's own key (`skill_uri`,
 * `skill_group`), whose `firsts` bits count documents per occupation and per unit group.
 */
const OCCUPATION_GROUPS: Partial<Record<GroupBy, string>> = {
  occupation: 'skill_uri',
  isco1: 'left(skill_group, 1)',
  isco2: 'left(skill_group, 2)',
  isco3: 'left(skill_group, 3)',
  isco4: 'skill_group',
};

/** What demand facts are of: the skills the texts ask for, or the occupations they name. */
export type Concept = 'skill' | 'occupation';

/** The SQL behind a grouping for facts of the concept. */
export const groupSql = (groupBy: GroupBy, concept: Concept): string =>
  (concept === 'occupation' ? OCCUPATION_GROUPS[groupBy] : undefined) ?? GROUPS[groupBy];

/** The concept a grouping counts unless asked otherwise: occupations for occupation groupings, else skills. */
export const conceptOf = (groupBy: GroupBy | undefined): Concept =>
  groupBy && groupBy in OCCUPATION_GROUPS ? 'occupation' : 'skill';

const columnOf = (groupBy: GroupBy, concept: Concept) =>
  groupSql(groupBy, concept).replace(/^left\((\w+), \d\)$/, '$1');

/**
 * What documents are counted per: a skill, a skill group, or whole documents (every other grouping is per
 * document); an occupation counts as a skill does and its unit group as a skill group. Broader ISCO groups of
 * occupation facts have no bits of their own: `distinct` counts their documents one by one.
 */
function keyKindOf(concept: Concept, ...groupBy: (GroupBy | undefined)[]): KeyKind | 'distinct' {
  if (concept === 'occupation') {
    if (groupBy.some((g) => g === 'isco1' || g === 'isco2' || g === 'isco3')) return 'distinct';
    if (groupBy.includes('occupation')) return 'skill';
    if (groupBy.includes('isco4')) return 'group';
    return 'document';
  }
  return groupBy.includes('skill') ? 'skill' : groupBy.includes('skillGroup') ? 'group' : 'document';
}

export interface DemandFilters {
  /** skills (default) or occupations */
  concept?: Concept | undefined;
  region?: string | undefined;
  horizon?: string | undefined;
  kind?: string | undefined;
  language?: string | undefined;
  /** need (default), surplus, mention, or any */
  polarity?: string | undefined;
  /** first and last month, YYYY-MM-DD (first day of the month) */
  from?: string | undefined;
  to?: string | undefined;
  sector?: string | undefined;
  occupation?: string | undefined;
  minScore?: number | undefined;
  /** who asks: with a viewer, other organisations' private documents count only as disclosure control allows */
  viewer?: Viewer | undefined;
  /** own: only the viewer's organisation's documents, exact; all (default): every organisation's */
  scope?: 'all' | 'own' | undefined;
}

/**
 * The caller of a demand query, and the disclosure control its answers get (docs/privacy.md). In every cell (a
 * row of any answer, the totals, a period of a series) shared documents and the viewer's own count exactly.
 * Private documents of other organisations count only where they come from at least `k` organisations and `k`
 * documents, and never below the maakunta level; where they count, their part is perturbed by the cell key
 * method: each document has a secret record key, a cell's key is the sum of its documents' record keys, and
 * the cell key fixes the perturbation, so the same documents always get the same noise whatever the query.
 * Where they do not count, the cell is as if they did not exist: no row, key or label tells of them.
 */
export interface Viewer {
  orgId: string;
  k: number;
}

/** A filter value the taxonomy does not know: the route turns it into a 400 naming the parameter. */
export class UnknownFilterError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** The same keys of two answers (two periods, two places), for comparing them key by key. */
const byKey = (rows: DemandRow[]) => new Map(rows.map((r) => [r.key, r]));

/** P(Z > z) for a standard normal (Abramowitz–Stegun 7.1.26, error below 1.5e-7). */
export function upperTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 - erf) / 2 : (1 + erf) / 2;
}

const REGION_COLUMN: Record<string, string | null> = {
  municipality: 'municipality',
  maakunta: 'maakunta',
  ely: 'area',
  elinvoimakeskus: 'area',
  major_region: 'major_region',
  country: null,
};

interface Where {
  /** SQL conditions, all to hold */
  conditions: string[];
  params: unknown[];
  /** the fact columns the filters read */
  columns: Set<string>;
}

interface Source {
  from: string;
  documents: string;
  mentions: string;
  demand: string;
}

/**
 * The perturbation of a count by one byte of a cell key: -2 to +2 with probabilities 0.1, 0.2, 0.4, 0.2, 0.1
 * (a p-table as statistical offices publish them, small and with no bias).
 */
const noiseSql = (byte: string) =>
  `(CASE WHEN ${byte} < 26 THEN -2 WHEN ${byte} < 77 THEN -1 WHEN ${byte} < 179 THEN 0 WHEN ${byte} < 230 THEN 1 ELSE 2 END)`;
/** Demand (vacancies) is scaled by a factor between 0.85 and 1.15, also fixed by the cell key. */
const DEMAND_SPREAD = 0.15;

/** A fact or rollup row of a private document of an organisation other than `me` (an SQL uuid). */
const othersPrivate = (me: string) => `private AND org_id <> ${me}`;
/** A WHERE clause of these conditions, or nothing. */
const whereSql = (conditions: string[]) => (conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '');

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The first day (YYYY-MM-DD) of the month, quarter or year that holds `day`. */
function bucketStart(day: string, bucket: Bucket): string {
  const year = day.slice(0, 4);
  const month = Number(day.slice(5, 7));
  const first = bucket === 'year' ? 1 : bucket === 'quarter' ? month - ((month - 1) % 3) : month;
  return `${year}-${String(first).padStart(2, '0')}-01`;
}

/** At most this many periods are filled in; a wider range keeps the periods that have figures. */
const MAX_FILLED_PERIODS = 600;

/** The first days of every period from the one holding `from` to the one holding `to`. */
function bucketsBetween(bucket: Bucket, from: string, to: string, rows: { bucket: string }[]): string[] {
  const step = bucket === 'year' ? 12 : bucket === 'quarter' ? 3 : 1;
  const index = (day: string) => Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1;
  const [first, last] = [index(bucketStart(from, bucket)), index(bucketStart(to, bucket))];
  if (last < first || (last - first) / step >= MAX_FILLED_PERIODS) return [...new Set(rows.map((r) => r.bucket))];
  const out: string[] = [];
  for (let i = first; i <= last; i += step)
    out.push(`${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`);
  return out;
}

/**
 * The region of the classification a text names: a code, a municipality number (398) or a name in fi/sv/en; of
 * regions sharing a name, current ones first and then by `levels`, the preferred level first.
 */
export async function findRegion(
  db: Queryable,
  text: string,
  levels: string[],
): Promise<{ code: string; level: string } | undefined> {
  const given = text.trim();
  if (!given) return undefined;
  const code = /^\d{1,3}$/.test(given) ? `KU${given.padStart(3, '0')}` : given.toUpperCase();
  const found = await db.query<{ code: string; level: string }>(
    `SELECT code, level FROM regions
      WHERE code = $1 OR lower(name_fi) = lower($2) OR lower(name_sv) = lower($2) OR lower(name_en) = lower($2)
      ORDER BY code = $1 DESC, valid_to IS NULL DESC, array_position($3::text[], level), code
      LIMIT 1`,
    [code, given, levels],
  );
  return found[0];
}

/** Aggregates over `demand_facts` (one row per mention, written with the analysis). */
export class DemandRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * The region a filter names: a code at any level (KU398, MK07, EVK03, FI1C, FI), a municipality number (398) or
   * a name in Finnish, Swedish or English ("Lahti", "Päijät-Häme", "Åboland"); a name of several levels is the
   * maakunta's, then the larger areas', then the municipality's. Anything else raises UnknownFilterError for `field`.
   */
  async resolveRegion(text: string, field: string): Promise<{ code: string; level: string }> {
    const given = text.trim();
    const code = /^\d{1,3}$/.test(given) ? `KU${given.padStart(3, '0')}` : given.toUpperCase();
    const found = await findRegion(this.db, given, [
      'maakunta',
      'elinvoimakeskus',
      'major_region',
      'country',
      'municipality',
      'ely',
    ]);
    if (found) return found;
    // a grouping of regions (migration 17): an ESR+ area, a sub-region a user made
    const grouping = await this.db.query<{ code: string }>(
      `SELECT code FROM region_groupings
        WHERE code = $1 OR lower(name_fi) = lower($2) OR lower(name_sv) = lower($2) OR lower(name_en) = lower($2)
        ORDER BY code = $1 DESC LIMIT 1`,
      [code, given],
    );
    if (grouping[0]) return { code: grouping[0].code, level: GROUPING_LEVEL };
    throw new UnknownFilterError(
      field,
      `unknown region ${JSON.stringify(given)}: give a code (KU398, MK07, EVK03, ELY05, FI1C, FI, ESR2), a municipality number (398) or a name (Lahti, Päijät-Häme, ESR+ Itä-Suomi)`,
    );
  }

  /** The conditions a grouping's members make: one column per level, any member's region. */
  private async groupingCondition(code: string, params: unknown[], columns: Set<string>): Promise<string | undefined> {
    const members = await this.db.query<{ code: string; level: string }>(
      `SELECT m.region_code AS code, r.level FROM region_grouping_members m
         JOIN regions r ON r.code = m.region_code WHERE m.grouping_code = $1`,
      [code],
    );
    if (members.some((m) => m.level === 'country')) return undefined;
    const byColumn = new Map<string, string[]>();
    for (const m of members) {
      const column = REGION_COLUMN[m.level];
      if (column) byColumn.set(column, [...(byColumn.get(column) ?? []), m.code]);
    }
    // no member known to the classification: nothing is counted in it
    if (byColumn.size === 0) return 'false';
    const parts = [...byColumn].map(([column, codes]) => {
      columns.add(column);
      return `${column} = ANY($${params.push(codes)}::text[])`;
    });
    return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
  }

  /** The filters' conditions, their parameters and the columns they read; unknown codes raise UnknownFilterError. */
  async where(f: DemandFilters, params: unknown[] = []): Promise<Where> {
    const clauses: string[] = [];
    const columns = new Set<string>();
    const add = (column: string, sql: string, ...values: unknown[]) => {
      columns.add(column);
      clauses.push(sql.replace(/\?/g, () => `$${params.push(values.shift())}`));
    };
    add('concept', 'concept = ?', f.concept ?? 'skill');
    if (f.scope === 'own' && f.viewer) add('org_id', 'org_id = ?::uuid', f.viewer.orgId);
    if (f.region) {
      const region = await this.resolveRegion(f.region, 'region');
      if (region.level === GROUPING_LEVEL) {
        const condition = await this.groupingCondition(region.code, params, columns);
        if (condition) clauses.push(condition);
      } else {
        const column = REGION_COLUMN[region.level];
        if (column) add(column, `${column} = ?`, region.code);
      }
    }
    if (f.sector) {
      const sector = (
        await this.db.query<{ level: number }>('SELECT level FROM sectors WHERE code = $1', [f.sector])
      )[0];
      if (!sector || sector.level > 2)
        throw new UnknownFilterError(
          'sector',
          `unknown sector ${JSON.stringify(f.sector)} (a TOL 2008 section letter or two-digit division)`,
        );
      if (sector.level === 1) add('sector_section', 'sector_section = ?', f.sector);
      else add('sector_division', 'sector_division = ?', f.sector);
    }
    if (f.occupation) {
      if (/^\d{1,4}$/.test(f.occupation)) {
        const known = await this.db.query('SELECT 1 FROM isco_groups WHERE code = $1', [f.occupation]);
        if (known.length === 0)
          throw new UnknownFilterError('occupation', `unknown ISCO-08 code ${JSON.stringify(f.occupation)}`);
        // a prefix is a range the index can read: unit groups (four digits) and occupations named only as a
        // broader group ("821") under it
        add('isco', 'isco BETWEEN ? AND ?', f.occupation, f.occupation.padEnd(4, '9'));
      } else {
        const known = await this.db.query(
          `SELECT 1 FROM esco_occupations WHERE uri = $1 UNION ALL SELECT 1 FROM isco_groups WHERE '${ISCO_GROUP_URI}' || code = $1`,
          [f.occupation],
        );
        if (known.length === 0)
          throw new UnknownFilterError(
            'occupation',
            `unknown occupation ${JSON.stringify(f.occupation)} (an ESCO occupation URI or an ISCO-08 code)`,
          );
        add('occupation', 'occupation = ?', f.occupation);
      }
    }
    if (f.horizon) add('horizon', 'horizon = ?', f.horizon);
    if (f.kind) add('kind', 'kind = ?', f.kind);
    if (f.language) add('language', 'language = ?', f.language);
    const polarity = f.polarity ?? 'need';
    if (polarity !== 'any') add('polarity', 'polarity = ?', polarity);
    if (f.from) add('month', 'month >= ?::date', f.from);
    if (f.to) add('month', 'month <= ?::date', f.to);
    if (f.minScore !== undefined && f.minScore > 0) add('score', 'score >= ?', f.minScore);
    return { conditions: clauses, params, columns };
  }

  /**
   * Where a query reads from and how it counts: the smallest rollup holding every column it needs, else the
   * facts. Document counts come from the `firsts` bits (rollups.ts), or count(DISTINCT) when a minimum score
   * filters single mentions out of documents.
   */
  source(w: Where, concept: Concept, groupBy?: GroupBy, splitBy?: GroupBy): Source {
    const columns = new Set(w.columns);
    if (groupBy) columns.add(columnOf(groupBy, concept));
    if (splitBy) columns.add(columnOf(splitBy, concept));
    const fixed: Fixed = { horizon: columns.has('horizon'), polarity: columns.has('polarity') };
    const kind = keyKindOf(concept, groupBy, splitBy);
    const rollup =
      kind !== 'distinct' &&
      ROLLUPS.find((r) => r.keys.includes(kind) && [...columns].every((c) => r.dims.includes(c)));
    if (rollup) {
      const count = countColumn(kind, fixed);
      return {
        from: rollup.table,
        documents: `sum(${count})`,
        mentions: 'sum(mentions)',
        demand: 'sum(demand)',
      };
    }
    if (kind === 'distinct' || columns.has('score')) {
      return {
        from: 'demand_facts',
        documents: 'count(DISTINCT document_id)',
        mentions: 'count(*)',
        demand: 'sum(weight)',
      };
    }
    const first = `firsts & ${firstBit(kind, fixed)} <> 0`;
    return {
      from: 'demand_facts',
      documents: `count(*) FILTER (WHERE ${first})`,
      mentions: 'count(*)',
      demand: 'sum(weight)',
    };
  }

  private secret: Promise<string> | undefined;

  /** The secret that makes a document's record key (migration 13); read once. */
  private cellKeySecret(): Promise<string> {
    this.secret ??= this.db
      .query<{ value: string }>("SELECT value FROM settings WHERE name = 'cell_key_secret'")
      .then((rows) => rows[0]!.value);
    return this.secret;
  }

  /**
   * The cells of an answer under the filters as SQL: one row per (split, key) with documents, mentions, demand
   * and whether they are perturbed, under the disclosure control of Viewer. `split` and `key` are SQL
   * expressions; `conditions` are more WHERE conditions. Adds its parameters to `w`.
   */
  async cellsSql(
    w: Where,
    s: Source,
    f: DemandFilters,
    cell: { split: string; key: string; conditions: string[]; fine?: boolean },
  ): Promise<string> {
    const conditions = [...w.conditions, ...cell.conditions];
    const exact = (extra: string[]) =>
      `SELECT ${cell.split} AS split, ${cell.key} AS key, ${s.documents}::int AS documents, ${s.mentions}::int AS mentions,
         ${s.demand}::float8 AS demand
       FROM ${s.from} ${whereSql([...conditions, ...extra])} GROUP BY 1, 2`;
    if (!f.viewer || f.scope === 'own') return `SELECT *, false AS perturbed FROM (${exact([])}) e`;
    const others = othersPrivate(`$${w.params.push(f.viewer.orgId)}::uuid`);
    const withoutOthers = `SELECT *, false AS perturbed FROM (${exact([`NOT (${others})`])}) e`;
    // other organisations' private documents are never split below the maakunta level
    if (cell.fine || w.columns.has('municipality')) return withoutOthers;
    // the cells others' private documents may count in, found cheaply in the rollup; most answers have none
    const probe = [...w.params, f.viewer.k];
    const releasable = await this.db.query<{ split: string; key: string }>(
      `SELECT (${cell.split})::text AS split, (${cell.key})::text AS key FROM ${s.from}
       ${whereSql([...conditions, others])} GROUP BY 1, 2
       HAVING count(DISTINCT org_id) >= $${probe.length}::int AND ${s.documents} >= $${probe.length}::int`,
      probe,
    );
    if (releasable.length === 0) return withoutOthers;
    const k = `$${w.params.push(f.viewer.k)}::int`;
    const splits = `$${w.params.push(releasable.map((r) => r.split))}::text[]`;
    const keys = `$${w.params.push(releasable.map((r) => r.key))}::text[]`;
    const secret = `$${w.params.push(await this.cellKeySecret())}::text`;
    // each private document once per cell, with its record key: 32 bits of an HMAC-like digest of its id
    const privateCells = `SELECT split, key, count(*)::int AS documents, sum(mentions)::int AS mentions,
         sum(demand)::float8 AS demand, (sum(record_key) % 4294967296)::bigint AS ck
       FROM (
         SELECT ${cell.split} AS split, ${cell.key} AS key, document_id, org_id, count(*) AS mentions,
           sum(weight) AS demand, ('x' || substr(md5(${secret} || document_id::text), 1, 8))::bit(32)::bigint AS record_key
         FROM demand_facts
         ${whereSql([...conditions, others, `((${cell.split})::text, (${cell.key})::text) IN (SELECT * FROM unnest(${splits}, ${keys}))`])}
         GROUP BY 1, 2, 3, 4
       ) d
       GROUP BY 1, 2 HAVING count(DISTINCT org_id) >= ${k} AND count(*) >= ${k}`;
    const released = `SELECT split, key, greatest(1, documents + ${noiseSql('(ck & 255)')}) AS documents,
         mentions + ${noiseSql('((ck >> 8) & 255)')} AS mentions,
         demand * (${1 - DEMAND_SPREAD} + ${2 * DEMAND_SPREAD} * ((ck >> 16) & 65535)::float8 / 65535) AS demand
       FROM (${privateCells}) p`;
    return `SELECT COALESCE(e.split, p.split) AS split, COALESCE(e.key, p.key) AS key,
         COALESCE(e.documents, 0) + COALESCE(p.documents, 0) AS documents,
         COALESCE(e.mentions, 0) + greatest(COALESCE(p.mentions, 0), COALESCE(p.documents, 0)) AS mentions,
         COALESCE(e.demand, 0) + COALESCE(p.demand, 0) AS demand, p.key IS NOT NULL AS perturbed
       FROM (${exact([`NOT (${others})`])}) e FULL JOIN (${released}) p ON e.split = p.split AND e.key = p.key`;
  }

  /** The totals under the filters: one cell, under the same disclosure control as any other. */
  async totals(f: DemandFilters): Promise<DemandTotals> {
    const w = await this.where(f);
    const s = this.source(w, f.concept ?? 'skill');
    const cells = await this.cellsSql(w, s, f, { split: "''", key: "''", conditions: [] });
    const r = (
      await this.db.query<{ documents: number; mentions: number; demand: number; perturbed: boolean }>(
        `SELECT documents, mentions, demand, perturbed FROM (${cells}) c`,
        w.params,
      )
    )[0];
    return {
      documents: r?.documents ?? 0,
      mentions: r?.mentions ?? 0,
      demand: round(r?.demand ?? 0, 3),
      ...(r?.perturbed ? { perturbed: true as const } : {}),
    };
  }

  /**
   * Demand per group, largest first, with each group's share of all demand under the same filters. With
   * `splitBy`, the same for each part of the split (say each region): the `limit` largest groups of every part,
   * shares of that part's demand, in one query rather than one per part. With `sameKeys` (and no `keys`), every
   * part gets the same groups: the `limit` largest under the filters as a whole.
   */
  async demand(
    groupBy: GroupBy,
    f: DemandFilters,
    options: {
      lang: string;
      limit: number;
      /** groups to skip (per part of a split), the largest first */
      offset?: number;
      splitBy?: GroupBy | undefined;
      keys?: string[] | undefined;
      sameKeys?: boolean;
    },
  ): Promise<DemandRow[]> {
    const { splitBy } = options;
    // the same groups in every part: the page of the largest overall, then each part's figures for them
    const sameKeys = !options.keys && splitBy !== undefined && options.sameKeys === true;
    const keys =
      options.keys ??
      (sameKeys
        ? (await this.demand(groupBy, f, { lang: options.lang, limit: options.limit, offset: options.offset })).map(
            (r) => r.key,
          )
        : undefined);
    if (keys?.length === 0) return [];
    const w = await this.where(f);
    const s = this.source(w, f.concept ?? 'skill', groupBy, splitBy);
    const key = groupSql(groupBy, f.concept ?? 'skill');
    const split = splitBy ? groupSql(splitBy, f.concept ?? 'skill') : "''";
    const cells = await this.cellsSql(w, s, f, {
      split,
      key,
      conditions: [`${key} IS NOT NULL`, ...(splitBy ? [`${split} IS NOT NULL`] : [])],
      fine: groupBy === 'municipality' || splitBy === 'municipality',
    });
    const offset = `$${w.params.push(sameKeys ? 0 : (options.offset ?? 0))}::int`;
    const limit = `$${w.params.push(options.limit)}::int`;
    // only these keys, ranked among themselves; shares stay shares of all demand
    const only = keys ? `WHERE key = ANY($${w.params.push(keys)}::text[])` : '';
    const rows = await this.db.query<{
      split: string;
      key: string;
      documents: number;
      mentions: number;
      demand: number;
      perturbed: boolean;
      total: number;
    }>(
      `SELECT split, key, documents, mentions, demand, perturbed, total FROM (
         SELECT *, row_number() OVER (PARTITION BY split ORDER BY demand DESC, key) AS rank FROM (
           SELECT *, sum(demand) OVER (PARTITION BY split) AS total FROM (${cells}) c WHERE mentions > 0
         ) t ${only}
       ) r WHERE rank > ${offset} AND rank <= ${offset} + ${limit} ORDER BY ${splitBy ? 'split, ' : ''}demand DESC, key`,
      w.params,
    );
    const labels = await this.labels(groupBy, [...new Set(rows.map((r) => r.key))], options.lang);
    const splitLabels = splitBy
      ? await this.labels(splitBy, [...new Set(rows.map((r) => r.split))], options.lang)
      : undefined;
    return rows.map((r) => ({
      ...(splitLabels ? { split: r.split, splitLabel: splitLabels.get(r.split) ?? r.split } : {}),
      key: r.key,
      label: labels.get(r.key) ?? r.key,
      documents: r.documents,
      mentions: r.mentions,
      demand: round(r.demand, 3),
      share: r.total > 0 ? round(r.demand / r.total) : 0,
      ...(r.perturbed ? { perturbed: true as const } : {}),
    }));
  }

  /** Demand per time bucket for the given keys (by default the largest groups under the filters). */
  async timeseries(
    groupBy: GroupBy,
    bucket: Bucket,
    f: DemandFilters,
    options: { lang: string; keys?: string[] | undefined; limit: number },
  ): Promise<TimeseriesRow[]> {
    const keys =
      options.keys ?? (await this.demand(groupBy, f, { lang: options.lang, limit: options.limit })).map((r) => r.key);
    if (keys.length === 0) return [];
    const w = await this.where(f);
    const s = this.source(w, f.concept ?? 'skill', groupBy);
    const key = groupSql(groupBy, f.concept ?? 'skill');
    const cells = await this.cellsSql(w, s, f, {
      split: `to_char(date_trunc('${bucket}', month), 'YYYY-MM-DD')`,
      key,
      conditions: [`${key} = ANY($${w.params.push(keys)}::text[])`],
      fine: groupBy === 'municipality',
    });
    const rows = await this.db.query<{
      bucket: string;
      key: string;
      documents: number;
      mentions: number;
      demand: number;
      perturbed: boolean;
    }>(
      `SELECT split AS bucket, key, documents, mentions, demand, perturbed FROM (${cells}) c
       WHERE mentions > 0 ORDER BY 1, 2`,
      w.params,
    );
    if (rows.length === 0) return [];
    const labels = await this.labels(groupBy, keys, options.lang);
    // every period from the first to the last (of the filters, else of the figures) for each group shown: a period
    // without mentions is a zero, not a gap; the period that holds today is marked partial
    const periods = bucketsBetween(bucket, f.from ?? rows[0]!.bucket, f.to ?? rows.at(-1)!.bucket, rows);
    const current = bucketStart(new Date().toISOString().slice(0, 10), bucket);
    const shown = [...new Set(rows.map((r) => r.key))].sort();
    const cell = new Map(rows.map((r) => [`${r.bucket} ${r.key}`, r]));
    return periods.flatMap((period) =>
      shown.map((k) => {
        const r = cell.get(`${period} ${k}`);
        return {
          bucket: period,
          key: k,
          label: labels.get(k) ?? k,
          documents: r?.documents ?? 0,
          mentions: r?.mentions ?? 0,
          demand: round(r?.demand ?? 0, 3),
          ...(r?.perturbed ? { perturbed: true as const } : {}),
          ...(period === current ? { partial: true as const } : {}),
        };
      }),
    );
  }

  /** The latest month with facts under the filters (the default end of a period) that are not others' private. */
  async latestMonth(f: DemandFilters): Promise<string | null> {
    const w = await this.where(f);
    const s = this.source(w, f.concept ?? 'skill');
    const conditions = [
      ...w.conditions,
      ...(s.from === 'demand_facts' ? [] : ['mentions > 0']),
      ...(f.viewer && f.scope !== 'own' ? [`NOT (${othersPrivate(`$${w.params.push(f.viewer.orgId)}::uuid`)})`] : []),
    ];
    const r = await this.db.query<{ m: string | null }>(
      `SELECT to_char(max(month), 'YYYY-MM-DD') AS m FROM ${s.from} ${whereSql(conditions)}`,
      w.params,
    );
    return r[0]?.m ?? null;
  }

  /**
   * Keys whose share of mentions grew from the previous period to this one, most significant first: a
   * two-proportion z-test on the mention counts, so that a key going from 1 to 2 mentions does not outrank a
   * broad, steady rise. Keys with fewer than `minMentions` in the current period are left out.
   */
  async emerging(
    groupBy: GroupBy,
    f: DemandFilters,
    current: { from: string; to: string },
    previous: { from: string; to: string },
    options: { lang: string; limit: number; minMentions: number },
  ): Promise<EmergingRow[]> {
    const all = 100_000;
    const now = await this.demand(groupBy, { ...f, ...current }, { lang: options.lang, limit: all });
    const before = await this.demand(groupBy, { ...f, ...previous }, { lang: options.lang, limit: all });
    const nNow = now.reduce((s, r) => s + r.mentions, 0);
    const nBefore = before.reduce((s, r) => s + r.mentions, 0);
    const prev = byKey(before);
    const rows: EmergingRow[] = [];
    for (const r of now) {
      if (r.mentions < options.minMentions) continue;
      const p = prev.get(r.key);
      const shareNow = nNow > 0 ? r.mentions / nNow : 0;
      const shareBefore = p && nBefore > 0 ? p.mentions / nBefore : 0;
      const pooled = (r.mentions + (p?.mentions ?? 0)) / (nNow + nBefore);
      const se = Math.sqrt(pooled * (1 - pooled) * (1 / nNow + (nBefore > 0 ? 1 / nBefore : 0)));
      const z = se > 0 && nBefore > 0 ? (shareNow - shareBefore) / se : 0;
      if (shareNow <= shareBefore) continue;
      rows.push({
        key: r.key,
        label: r.label,
        current: { documents: r.documents, mentions: r.mentions, demand: r.demand, share: round(shareNow) },
        previous: {
          documents: p?.documents ?? 0,
          mentions: p?.mentions ?? 0,
          demand: p?.demand ?? 0,
          share: round(shareBefore),
        },
        growth: round(shareNow - shareBefore),
        z: round(z, 3),
        pValue: round(upperTail(z), 4),
      });
    }
    return rows.sort((a, b) => b.z - a.z || b.growth - a.growth || a.key.localeCompare(b.key)).slice(0, options.limit);
  }

  /**
   * Location quotient of each key: its share of demand in `region` over its share in `against` (another region,
   * or the whole country). Above 1 the region asks for it more than the comparison does.
   */
  async compare(
    groupBy: GroupBy,
    f: DemandFilters,
    region: string,
    against: string | undefined,
    options: { lang: string; limit: number; minMentions: number },
  ): Promise<CompareRow[]> {
    const all = 100_000;
    const here = await this.demand(groupBy, { ...f, region }, { lang: options.lang, limit: all });
    const there = await this.demand(groupBy, { ...f, region: against }, { lang: options.lang, limit: all });
    const base = byKey(there);
    const hereTotal = here.reduce((t, r) => t + r.demand, 0);
    const baseTotal = there.reduce((t, r) => t + r.demand, 0);
    const rows: CompareRow[] = [];
    for (const r of here) {
      if (r.mentions < options.minMentions) continue;
      const b = base.get(r.key);
      rows.push({
        key: r.key,
        label: r.label,
        region: { documents: r.documents, mentions: r.mentions, demand: r.demand, share: r.share },
        against: {
          documents: b?.documents ?? 0,
          mentions: b?.mentions ?? 0,
          demand: b?.demand ?? 0,
          share: b?.share ?? 0,
        },
        lq: b && b.demand > 0 && hereTotal > 0 ? round(r.demand / hereTotal / (b.demand / baseTotal), 3) : null,
      });
    }
    return rows
      .sort(
        (a, b) =>
          (b.lq ?? Infinity) - (a.lq ?? Infinity) || b.region.demand - a.region.demand || a.key.localeCompare(b.key),
      )
      .slice(0, options.limit);
  }

  /**
   * The documents behind one skill's demand under the filters (or, without a skill, behind the demand the
   * filters select: an occupation's with concept occupation), newest first, with how many of their mentions
   * count: the drill-down from a bar or a cell to the texts.
   */
  async documentsOf(
    skill: string | undefined,
    f: DemandFilters,
    page: { limit: number; offset: number },
    /** only documents this organisation may read: its own and the shared ones */
    readableBy?: string,
  ): Promise<{ total: number; documents: { id: string; mentions: number }[] }> {
    const fixed = [...(skill !== undefined ? [skill] : []), ...(readableBy !== undefined ? [readableBy] : [])];
    const reader = `$${fixed.length}`;
    const w = await this.where(f, fixed);
    const where = whereSql([
      ...(skill !== undefined ? ['skill_uri = $1'] : []),
      ...(readableBy !== undefined ? [`(org_id = ${reader} OR NOT private)`] : []),
      ...w.conditions,
    ]);
    const total = await this.db.query<{ n: number }>(
      `SELECT count(DISTINCT document_id)::int AS n FROM demand_facts ${where}`,
      w.params,
    );
    const rows = await this.db.query<{ id: string; mentions: number }>(
      `SELECT x.id, x.mentions FROM (SELECT document_id AS id, count(*)::int AS mentions FROM demand_facts ${where} GROUP BY document_id) x
       JOIN documents d ON d.id = x.id
       ORDER BY d.doc_date DESC NULLS LAST, d.created_at DESC, x.id LIMIT ${page.limit} OFFSET ${page.offset}`,
      w.params,
    );
    return { total: total[0]?.n ?? 0, documents: rows };
  }

  /** Labels of group keys in the language asked for (English where ESCO has no other). */
  async labels(groupBy: GroupBy, keys: string[], lang: string): Promise<Map<string, string>> {
    if (keys.length === 0) return new Map();
    const l = ['fi', 'sv', 'en'].includes(lang) ? lang : 'fi';
    const query = (sql: string) =>
      this.db
        .query<{ key: string; label: string }>(sql, [keys])
        .then((rows) => new Map(rows.map((r) => [r.key, r.label])));
    switch (groupBy) {
      case 'skill':
        return query(
          `SELECT uri AS key, COALESCE(pref_${l}, pref_en) AS label FROM esco_skills WHERE uri = ANY($1::text[])`,
        );
      case 'skillGroup':
        return query(
          `SELECT uri AS key, COALESCE(pref_${l}, pref_en) AS label FROM esco_skill_groups WHERE uri = ANY($1::text[])`,
        );
      case 'occupation':
        // an occupation named only as its ISCO-08 unit group has the group's URI
        return query(
          `SELECT uri AS key, COALESCE(pref_${l}, pref_en) AS label FROM esco_occupations WHERE uri = ANY($1::text[])
           UNION ALL SELECT '${ISCO_GROUP_URI}' || code, COALESCE(name_${l}, name_en) FROM isco_groups
           WHERE '${ISCO_GROUP_URI}' || code = ANY($1::text[])`,
        );
      case 'isco1':
      case 'isco2':
      case 'isco3':
      case 'isco4':
        return query(
          `SELECT code AS key, COALESCE(name_${l}, name_en) AS label FROM isco_groups WHERE code = ANY($1::text[])`,
        );
      case 'sector':
      case 'sectorSection':
        return query(
          `SELECT code AS key, COALESCE(name_${l}, name_en) AS label FROM sectors WHERE code = ANY($1::text[])`,
        );
      case 'municipality':
      case 'maakunta':
      case 'area':
      case 'majorRegion':
        return query(
          `SELECT code AS key, COALESCE(name_${l}, name_fi) AS label FROM regions WHERE code = ANY($1::text[])`,
        );
      default:
        return new Map(keys.map((k) => [k, k]));
    }
  }
}
