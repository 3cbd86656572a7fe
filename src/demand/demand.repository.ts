import type { Queryable } from '../storage/database.js';
import { countColumn, firstBit, ROLLUPS, type Fixed, type KeyKind } from './rollups.js';

/** What demand can be grouped by: the fact column (or expression) behind each, and the column it reads. */
export const GROUPS = {
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
} as const;
export type GroupBy = keyof typeof GROUPS;

const columnOf = (groupBy: GroupBy) => GROUPS[groupBy].replace(/^left\((\w+), \d\)$/, '$1');
/** What documents are counted per: a skill, a skill group, or whole documents (every other grouping is per document). */
const keyKindOf = (...groupBy: (GroupBy | undefined)[]): KeyKind => (groupBy.includes('skill') ? 'skill' : groupBy.includes('skillGroup') ? 'group' : 'document');

export const BUCKETS = ['month', 'quarter', 'year'] as const;
export type Bucket = (typeof BUCKETS)[number];

export interface DemandFilters {
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

export interface DemandRow {
  /** with `splitBy`: the part (say a region) the row belongs to; its share is of that part's demand */
  split?: string;
  splitLabel?: string;
  key: string;
  label: string;
  documents: number;
  mentions: number;
  /** sum of the mentions' weights (vacancies) */
  demand: number;
  /** demand / the demand of all groups under the same filters */
  share: number;
}

interface PeriodCounts {
  documents: number;
  mentions: number;
  demand: number;
  share: number;
}

export interface EmergingRow {
  key: string;
  label: string;
  current: PeriodCounts;
  previous: PeriodCounts;
  /** share of mentions now minus share before */
  growth: number;
  /** two-proportion z statistic of the growth, and its one-sided p-value */
  z: number;
  pValue: number;
}

export interface CompareRow {
  key: string;
  label: string;
  region: PeriodCounts;
  against: PeriodCounts;
  /** location quotient; null when the comparison has none of it */
  lq: number | null;
}

/** P(Z > z) for a standard normal (Abramowitz–Stegun 7.1.26, error below 1.5e-7). */
export function upperTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 - erf) / 2 : (1 + erf) / 2;
}

export interface DemandTotals {
  documents: number;
  mentions: number;
  demand: number;
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
  sql: string;
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

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Aggregates over `demand_facts` (one row per mention, written with the analysis). */
export class DemandRepository {
  constructor(private readonly db: Queryable) {}

  /** The level of a region code; an unknown code raises UnknownFilterError for the parameter `field`. */
  async regionLevel(code: string, field: string): Promise<string> {
    const region = (await this.db.query<{ level: string }>('SELECT level FROM regions WHERE code = $1', [code]))[0];
    if (!region) throw new UnknownFilterError(field, `unknown region code ${JSON.stringify(code)} (codes like KU398, MK07, EVK03, ELY05, FI1C, FI)`);
    return region.level;
  }

  /** The WHERE clause, its parameters and the columns it reads; unknown codes raise UnknownFilterError. */
  async where(f: DemandFilters, params: unknown[] = []): Promise<Where> {
    const clauses: string[] = [];
    const columns = new Set<string>();
    const add = (column: string, sql: string, ...values: unknown[]) => {
      columns.add(column);
      clauses.push(sql.replace(/\?/g, () => `$${params.push(values.shift())}`));
    };
    if (f.region) {
      const column = REGION_COLUMN[await this.regionLevel(f.region, 'region')];
      if (column) add(column, `${column} = ?`, f.region);
    }
    if (f.sector) {
      const sector = (await this.db.query<{ level: number }>('SELECT level FROM sectors WHERE code = $1', [f.sector]))[0];
      if (!sector || sector.level > 2) throw new UnknownFilterError('sector', `unknown sector ${JSON.stringify(f.sector)} (a TOL 2008 section letter or two-digit division)`);
      if (sector.level === 1) add('sector_section', 'sector_section = ?', f.sector);
      else add('sector_division', 'sector_division = ?', f.sector);
    }
    if (f.occupation) {
      if (/^\d{1,4}$/.test(f.occupation)) {
        const known = await this.db.query('SELECT 1 FROM isco_groups WHERE code = $1', [f.occupation]);
        if (known.length === 0) throw new UnknownFilterError('occupation', `unknown ISCO-08 code ${JSON.stringify(f.occupation)}`);
        // unit groups are four digits: a prefix is a range the index can read
        add('isco', 'isco BETWEEN ? AND ?', f.occupation.padEnd(4, '0'), f.occupation.padEnd(4, '9'));
      } else {
        const known = await this.db.query('SELECT 1 FROM esco_occupations WHERE uri = $1', [f.occupation]);
        if (known.length === 0) throw new UnknownFilterError('occupation', `unknown occupation ${JSON.stringify(f.occupation)} (an ESCO occupation URI or an ISCO-08 code)`);
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
    return { sql: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params, columns };
  }

  /**
   * Where a query reads from and how it counts: the smallest rollup holding every column it needs, else the
   * facts. Document counts come from the `firsts` bits (rollups.ts), or count(DISTINCT) when a minimum score
   * filters single mentions out of documents.
   */
  source(w: Where, groupBy?: GroupBy, splitBy?: GroupBy): Source {
    const columns = new Set(w.columns);
    if (groupBy) columns.add(columnOf(groupBy));
    if (splitBy) columns.add(columnOf(splitBy));
    const fixed: Fixed = { horizon: columns.has('horizon'), polarity: columns.has('polarity') };
    const kind = keyKindOf(groupBy, splitBy);
    const rollup = ROLLUPS.find((r) => r.keys.includes(kind) && [...columns].every((c) => r.dims.includes(c)));
    if (rollup) return { from: rollup.table, documents: `sum(${countColumn(kind, fixed)})`, mentions: 'sum(mentions)', demand: 'sum(demand)' };
    const documents = columns.has('score') ? 'count(DISTINCT document_id)' : `count(*) FILTER (WHERE firsts & ${firstBit(kind, fixed)} <> 0)`;
    return { from: 'demand_facts', documents, mentions: 'count(*)', demand: 'sum(weight)' };
  }

  async totals(f: DemandFilters): Promise<DemandTotals> {
    const w = await this.where(f);
    const s = this.source(w);
    const r = (
      await this.db.query<{ documents: number | null; mentions: number | null; demand: number | null }>(
        `SELECT ${s.documents}::int AS documents, ${s.mentions}::int AS mentions, ${s.demand}::float8 AS demand FROM ${s.from} ${w.sql}`,
        w.params,
      )
    )[0]!;
    return { documents: r.documents ?? 0, mentions: r.mentions ?? 0, demand: round(r.demand ?? 0, 3) };
  }

  /**
   * Demand per group, largest first, with each group's share of all demand under the same filters. With
   * `splitBy`, the same for each part of the split (say each region): the `limit` largest groups of every part,
   * shares of that part's demand, in one query rather than one per part.
   */
  async demand(groupBy: GroupBy, f: DemandFilters, options: { lang: string; limit: number; splitBy?: GroupBy | undefined; keys?: string[] | undefined }): Promise<DemandRow[]> {
    const w = await this.where(f);
    const { splitBy, keys } = options;
    const s = this.source(w, groupBy, splitBy);
    const key = GROUPS[groupBy];
    const split = splitBy ? GROUPS[splitBy] : "''";
    const params = [...w.params, options.limit, ...(keys ? [keys] : [])];
    // only these keys, ranked among themselves; shares stay shares of all demand
    const only = keys ? `WHERE key = ANY($${params.length}::text[])` : '';
    const rows = await this.db.query<{ split: string; key: string; documents: number; mentions: number; demand: number; total: number }>(
      `SELECT split, key, documents, mentions, demand, total FROM (
         SELECT *, row_number() OVER (PARTITION BY split ORDER BY demand DESC, key) AS rank FROM (
           SELECT *, sum(demand) OVER (PARTITION BY split) AS total FROM (
             SELECT ${split} AS split, ${key} AS key, ${s.documents}::int AS documents, ${s.mentions}::int AS mentions, ${s.demand}::float8 AS demand
             FROM ${s.from} ${w.sql} ${w.sql ? 'AND' : 'WHERE'} ${key} IS NOT NULL${splitBy ? ` AND ${split} IS NOT NULL` : ''}
             GROUP BY 1, 2
           ) g WHERE mentions > 0
         ) t ${only}
       ) r WHERE rank <= $${w.params.length + 1} ORDER BY ${splitBy ? 'split, ' : ''}demand DESC, key`,
      params,
    );
    const labels = await this.labels(groupBy, [...new Set(rows.map((r) => r.key))], options.lang);
    const splitLabels = splitBy ? await this.labels(splitBy, [...new Set(rows.map((r) => r.split))], options.lang) : undefined;
    return rows.map((r) => ({
      ...(splitLabels ? { split: r.split, splitLabel: splitLabels.get(r.split) ?? r.split } : {}),
      key: r.key,
      label: labels.get(r.key) ?? r.key,
      documents: r.documents,
      mentions: r.mentions,
      demand: round(r.demand, 3),
      share: r.total > 0 ? round(r.demand / r.total) : 0,
    }));
  }

  /** Demand per time bucket for the given keys (by default the largest groups under the filters). */
  async timeseries(
    groupBy: GroupBy,
    bucket: Bucket,
    f: DemandFilters,
    options: { lang: string; keys?: string[] | undefined; limit: number },
  ): Promise<{ bucket: string; key: string; label: string; documents: number; mentions: number; demand: number }[]> {
    const keys = options.keys ?? (await this.demand(groupBy, f, { lang: options.lang, limit: options.limit })).map((r) => r.key);
    if (keys.length === 0) return [];
    const w = await this.where(f);
    const s = this.source(w, groupBy);
    const key = GROUPS[groupBy];
    const params = [...w.params, keys];
    const rows = await this.db.query<{ bucket: string; key: string; documents: number; mentions: number; demand: number }>(
      `SELECT * FROM (
         SELECT to_char(date_trunc('${bucket}', month), 'YYYY-MM-DD') AS bucket, ${key} AS key,
           ${s.documents}::int AS documents, ${s.mentions}::int AS mentions, ${s.demand}::float8 AS demand
         FROM ${s.from} ${w.sql} ${w.sql ? 'AND' : 'WHERE'} ${key} = ANY($${params.length}::text[])
         GROUP BY 1, 2
       ) b WHERE mentions > 0 ORDER BY 1, 2`,
      params,
    );
    const labels = await this.labels(groupBy, keys, options.lang);
    return rows.map((r) => ({ ...r, label: labels.get(r.key) ?? r.key, demand: round(r.demand, 3) }));
  }

  /** The latest month with facts under the filters (the default end of a period). */
  async latestMonth(f: DemandFilters): Promise<string | null> {
    const w = await this.where(f);
    const s = this.source(w);
    const r = await this.db.query<{ m: string | null }>(
      `SELECT to_char(max(month), 'YYYY-MM-DD') AS m FROM ${s.from} ${w.sql} ${s.from === 'demand_facts' ? '' : `${w.sql ? 'AND' : 'WHERE'} mentions > 0`}`,
      w.params,
    );
    return r[0]?.m ?? null;
  }

  /**
   * Keys whose share of mentions grew from the previous period to this one, most significant first: a
   * two-proportion z-test on the mention counts, so that a key going from 1 to 2 mentions does not outrank a
   * broad, steady rise. Keys with fewer than `minMentions` in the current period are left out.
   */
  async emerging(groupBy: GroupBy, f: DemandFilters, current: { from: string; to: string }, previous: { from: string; to: string }, options: { lang: string; limit: number; minMentions: number }): Promise<EmergingRow[]> {
    const all = 100_000;
    const now = await this.demand(groupBy, { ...f, ...current }, { lang: options.lang, limit: all });
    const before = await this.demand(groupBy, { ...f, ...previous }, { lang: options.lang, limit: all });
    const nNow = now.reduce((s, r) => s + r.mentions, 0);
    const nBefore = before.reduce((s, r) => s + r.mentions, 0);
    const prev = new Map(before.map((r) => [r.key, r]));
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
        previous: { documents: p?.documents ?? 0, mentions: p?.mentions ?? 0, demand: p?.demand ?? 0, share: round(shareBefore) },
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
  async compare(groupBy: GroupBy, f: DemandFilters, region: string, against: string | undefined, options: { lang: string; limit: number; minMentions: number }): Promise<CompareRow[]> {
    const all = 100_000;
    const here = await this.demand(groupBy, { ...f, region }, { lang: options.lang, limit: all });
    const there = await this.demand(groupBy, { ...f, region: against }, { lang: options.lang, limit: all });
    const base = new Map(there.map((r) => [r.key, r]));
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
        against: { documents: b?.documents ?? 0, mentions: b?.mentions ?? 0, demand: b?.demand ?? 0, share: b?.share ?? 0 },
        lq: b && b.demand > 0 && hereTotal > 0 ? round(r.demand / hereTotal / (b.demand / baseTotal), 3) : null,
      });
    }
    return rows.sort((a, b) => (b.lq ?? Infinity) - (a.lq ?? Infinity) || b.region.demand - a.region.demand || a.key.localeCompare(b.key)).slice(0, options.limit);
  }

  /**
   * The documents behind one skill's demand under the filters, newest first, with how many of their mentions
   * count: the drill-down from a bar or a cell to the texts.
   */
  async documentsOf(skill: string, f: DemandFilters, page: { limit: number; offset: number }): Promise<{ total: number; documents: { id: string; mentions: number }[] }> {
    const w = await this.where(f, [skill]);
    const where = `WHERE skill_uri = $1${w.sql ? ` AND ${w.sql.slice('WHERE '.length)}` : ''}`;
    const total = await this.db.query<{ n: number }>(`SELECT count(DISTINCT document_id)::int AS n FROM demand_facts ${where}`, w.params);
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
    const query = (sql: string) => this.db.query<{ key: string; label: string }>(sql, [keys]).then((rows) => new Map(rows.map((r) => [r.key, r.label])));
    switch (groupBy) {
      case 'skill':
        return query(`SELECT uri AS key, COALESCE(pref_${l}, pref_en) AS label FROM esco_skills WHERE uri = ANY($1::text[])`);
      case 'skillGroup':
        return query('SELECT uri AS key, pref_en AS label FROM esco_skill_groups WHERE uri = ANY($1::text[])');
      case 'occupation':
        return query(`SELECT uri AS key, COALESCE(pref_${l}, pref_en) AS label FROM esco_occupations WHERE uri = ANY($1::text[])`);
      case 'isco1':
      case 'isco2':
      case 'isco3':
      case 'isco4':
        return query(`SELECT code AS key, COALESCE(name_${l}, name_en) AS label FROM isco_groups WHERE code = ANY($1::text[])`);
      case 'sector':
      case 'sectorSection':
        return query(`SELECT code AS key, COALESCE(name_${l}, name_en) AS label FROM sectors WHERE code = ANY($1::text[])`);
      case 'municipality':
      case 'maakunta':
      case 'area':
      case 'majorRegion':
        return query(`SELECT code AS key, COALESCE(name_${l}, name_fi) AS label FROM regions WHERE code = ANY($1::text[])`);
      default:
        return new Map(keys.map((k) => [k, k]));
    }
  }
}
