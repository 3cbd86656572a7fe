import type { Queryable } from '../storage/database.js';

/** What demand can be grouped by, and the fact column (or expression) behind each. */
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
  key: string;
  label: string;
  documents: number;
  mentions: number;
  /** sum of the mentions' weights (vacancies) */
  demand: number;
  /** demand / the demand of all groups under the same filters */
  share: number;
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

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Aggregates over `demand_facts` (one row per mention, written with the analysis). */
export class DemandRepository {
  constructor(private readonly db: Queryable) {}

  /** The WHERE clause and its parameters; unknown codes raise UnknownFilterError. */
  async where(f: DemandFilters, params: unknown[] = []): Promise<{ sql: string; params: unknown[] }> {
    const clauses: string[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      clauses.push(sql.replace('?', `$${params.length}`));
    };
    if (f.region) {
      const region = (await this.db.query<{ level: string }>('SELECT level FROM regions WHERE code = $1', [f.region]))[0];
      if (!region) throw new UnknownFilterError('region', `unknown region code ${JSON.stringify(f.region)} (codes like KU398, MK07, EVK03, ELY05, FI1C, FI)`);
      const column = REGION_COLUMN[region.level];
      if (column) add(`${column} = ?`, f.region);
    }
    if (f.sector) {
      const sector = (await this.db.query<{ level: number }>('SELECT level FROM sectors WHERE code = $1', [f.sector]))[0];
      if (!sector || sector.level > 2) throw new UnknownFilterError('sector', `unknown sector ${JSON.stringify(f.sector)} (a TOL 2008 section letter or two-digit division)`);
      add(sector.level === 1 ? 'sector_section = ?' : 'sector_division = ?', f.sector);
    }
    if (f.occupation) {
      if (/^\d{1,4}$/.test(f.occupation)) {
        const known = await this.db.query('SELECT 1 FROM isco_groups WHERE code = $1', [f.occupation]);
        if (known.length === 0) throw new UnknownFilterError('occupation', `unknown ISCO-08 code ${JSON.stringify(f.occupation)}`);
        add(`left(isco, ${f.occupation.length}) = ?`, f.occupation);
      } else {
        const known = await this.db.query('SELECT 1 FROM esco_occupations WHERE uri = $1', [f.occupation]);
        if (known.length === 0) throw new UnknownFilterError('occupation', `unknown occupation ${JSON.stringify(f.occupation)} (an ESCO occupation URI or an ISCO-08 code)`);
        add('occupation = ?', f.occupation);
      }
    }
    if (f.horizon) add('horizon = ?', f.horizon);
    if (f.kind) add('kind = ?', f.kind);
    if (f.language) add('language = ?', f.language);
    const polarity = f.polarity ?? 'need';
    if (polarity !== 'any') add('polarity = ?', polarity);
    if (f.from) add('month >= ?::date', f.from);
    if (f.to) add('month <= ?::date', f.to);
    if (f.minScore !== undefined && f.minScore > 0) add('score >= ?', f.minScore);
    return { sql: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
  }

  async totals(f: DemandFilters): Promise<DemandTotals> {
    const { sql, params } = await this.where(f);
    const r = (
      await this.db.query<{ documents: number; mentions: number; demand: number | null }>(
        `SELECT count(DISTINCT document_id)::int AS documents, count(*)::int AS mentions, sum(weight)::float8 AS demand FROM demand_facts ${sql}`,
        params,
      )
    )[0]!;
    return { documents: r.documents, mentions: r.mentions, demand: round(r.demand ?? 0, 3) };
  }

  /** Demand per group, largest first, with each group's share of all demand under the same filters. */
  async demand(groupBy: GroupBy, f: DemandFilters, options: { lang: string; limit: number }): Promise<DemandRow[]> {
    const { sql, params } = await this.where(f);
    const key = GROUPS[groupBy];
    params.push(options.limit);
    const rows = await this.db.query<{ key: string; documents: number; mentions: number; demand: number; total: number }>(
      `SELECT key, documents, mentions, demand, sum(demand) OVER () AS total FROM (
         SELECT ${key} AS key, count(DISTINCT document_id)::int AS documents, count(*)::int AS mentions, sum(weight)::float8 AS demand
         FROM demand_facts ${sql} ${sql ? 'AND' : 'WHERE'} ${key} IS NOT NULL
         GROUP BY 1
       ) g ORDER BY demand DESC, key LIMIT $${params.length}`,
      params,
    );
    const labels = await this.labels(groupBy, rows.map((r) => r.key), options.lang);
    return rows.map((r) => ({
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
    const { sql, params } = await this.where(f);
    const key = GROUPS[groupBy];
    params.push(keys);
    const rows = await this.db.query<{ bucket: string; key: string; documents: number; mentions: number; demand: number }>(
      `SELECT to_char(date_trunc('${bucket}', month), 'YYYY-MM-DD') AS bucket, ${key} AS key,
         count(DISTINCT document_id)::int AS documents, count(*)::int AS mentions, sum(weight)::float8 AS demand
       FROM demand_facts ${sql} ${sql ? 'AND' : 'WHERE'} ${key} = ANY($${params.length}::text[])
       GROUP BY 1, 2 ORDER BY 1, 2`,
      params,
    );
    const labels = await this.labels(groupBy, keys, options.lang);
    return rows.map((r) => ({ ...r, label: labels.get(r.key) ?? r.key, demand: round(r.demand, 3) }));
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
        return query(`SELECT code AS key, COALESCE(name_${l === 'fi' ? 'fi' : l}, name_fi) AS label FROM regions WHERE code = ANY($1::text[])`);
      default:
        return new Map(keys.map((k) => [k, k]));
    }
  }
}
