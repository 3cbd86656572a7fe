import type {
  Bucket,
  CompareRow,
  DemandRow,
  DemandTotals,
  EmergingRow,
  GroupBy,
  TimeseriesRow,
} from '../domain/demand.js';
import type { Queryable } from './database.js';
import { countColumn, firstBit, ROLLUPS, type Fixed, type KeyKind } from './rollups.js';

/** The fact column (or expression) behind each grouping. */
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

const columnOf = (groupBy: GroupBy) => GROUPS[groupBy].replace(/^left\((\w+), \d\)$/, '$1');
/** What documents are counted per: a skill, a skill group, or whole documents (every other grouping is per document). */
const keyKindOf = (...groupBy: (GroupBy | undefined)[]): KeyKind =>
  groupBy.includes('skill') ? 'skill' : groupBy.includes('skillGroup') ? 'group' : 'document';

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
  /** who asks: with a viewer, cells resting on other organisations' private documents may be suppressed */
  viewer?: Viewer | undefined;
  /** own: only the viewer's organisation's documents, never suppressed; all (default): every organisation's */
  scope?: 'all' | 'own' | undefined;
}

/**
 * The caller of a demand query. A cell (a row of any answer) that counts private documents of organisations
 * other than the viewer's is suppressed unless it rests on at least `k` organisations and `k` documents: it is
 * listed with `suppressed: true` and no figures, after the published rows, and it is left out of the shares.
 * Cells of shared documents and of the viewer's own are never suppressed.
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

/** A demand answer: its rows, and how many cells under the filters were suppressed (listed or beyond the limit). */
export interface DemandRows {
  rows: DemandRow[];
  suppressed: number;
}

/** A published row: one whose figures are there. */
type Published = DemandRow & { documents: number; mentions: number; demand: number; share: number };
const published = (r: DemandRow): r is Published => !r.suppressed;

/**
 * The published rows of two answers compared key by key (two periods, two places), less every key suppressed in
 * either: its growth or quotient would tell what is hidden. `hidden` counts those keys.
 */
function publishedInBoth(a: DemandRows, b: DemandRows): { a: Published[]; b: Published[]; hidden: number } {
  const hidden = new Set([...a.rows, ...b.rows].filter((r) => r.suppressed).map((r) => r.key));
  const keep = (rows: DemandRow[]) => rows.filter(published).filter((r) => !hidden.has(r.key));
  return { a: keep(a.rows), b: keep(b.rows), hidden: hidden.size };
}

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
  /** documents of the cell that are private to organisations other than `me` (an SQL uuid) */
  othersPrivate: (me: string) => string;
}

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Aggregates over `demand_facts` (one row per mention, written with the analysis). */
export class DemandRepository {
  constructor(private readonly db: Queryable) {}

  /** The level of a region code; an unknown code raises UnknownFilterError for the parameter `field`. */
  async regionLevel(code: string, field: string): Promise<string> {
    const region = (await this.db.query<{ level: string }>('SELECT level FROM regions WHERE code = $1', [code]))[0];
    if (!region)
      throw new UnknownFilterError(
        field,
        `unknown region code ${JSON.stringify(code)} (codes like KU398, MK07, EVK03, ELY05, FI1C, FI)`,
      );
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
    if (f.scope === 'own' && f.viewer) add('org_id', 'org_id = ?::uuid', f.viewer.orgId);
    if (f.region) {
      const column = REGION_COLUMN[await this.regionLevel(f.region, 'region')];
      if (column) add(column, `${column} = ?`, f.region);
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
        // unit groups are four digits: a prefix is a range the index can read
        add('isco', 'isco BETWEEN ? AND ?', f.occupation.padEnd(4, '0'), f.occupation.padEnd(4, '9'));
      } else {
        const known = await this.db.query('SELECT 1 FROM esco_occupations WHERE uri = $1', [f.occupation]);
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
    const others = (me: string) => `private AND org_id <> ${me}`;
    if (rollup) {
      const count = countColumn(kind, fixed);
      return {
        from: rollup.table,
        documents: `sum(${count})`,
        mentions: 'sum(mentions)',
        demand: 'sum(demand)',
        othersPrivate: (me) => `sum(${count}) FILTER (WHERE ${others(me)})`,
      };
    }
    if (columns.has('score')) {
      return {
        from: 'demand_facts',
        documents: 'count(DISTINCT document_id)',
        mentions: 'count(*)',
        demand: 'sum(weight)',
        othersPrivate: (me) => `count(DISTINCT document_id) FILTER (WHERE ${others(me)})`,
      };
    }
    const first = `firsts & ${firstBit(kind, fixed)} <> 0`;
    return {
      from: 'demand_facts',
      documents: `count(*) FILTER (WHERE ${first})`,
      mentions: 'count(*)',
      demand: 'sum(weight)',
      othersPrivate: (me) => `count(*) FILTER (WHERE ${first} AND ${others(me)})`,
    };
  }

  /**
   * An aggregate over one cell's rows of `s` that is true when the cell is suppressed for the viewer (see
   * Viewer); adds its parameters to `w`. Without a viewer, or for the viewer's own scope, nothing is.
   */
  suppressedSql(w: Where, s: Source, f: DemandFilters): string {
    return this.privacySql(w, s, f).suppressed;
  }

  /** suppressedSql, and an aggregate true when the cell holds another organisation's private documents at all. */
  privacySql(w: Where, s: Source, f: DemandFilters): { suppressed: string; othersPrivate: string } {
    if (!f.viewer || f.scope === 'own') return { suppressed: 'false', othersPrivate: 'false' };
    const me = `$${w.params.push(f.viewer.orgId)}::uuid`;
    const k = `$${w.params.push(f.viewer.k)}::int`;
    const othersPrivate = `COALESCE(${s.othersPrivate(me)}, 0) > 0`;
    return {
      suppressed: `(${othersPrivate} AND (count(DISTINCT org_id) < ${k} OR ${s.documents} < ${k}))`,
      othersPrivate,
    };
  }

  /** The totals under the filters: one cell, suppressed like any other (then its figures are null). */
  async totals(f: DemandFilters): Promise<DemandTotals> {
    const w = await this.where(f);
    const s = this.source(w);
    const suppressed = this.suppressedSql(w, s, f);
    const r = (
      await this.db.query<{
        documents: number | null;
        mentions: number | null;
        demand: number | null;
        suppressed: boolean;
      }>(
        `SELECT ${s.documents}::int AS documents, ${s.mentions}::int AS mentions, ${s.demand}::float8 AS demand, ${suppressed} AS suppressed FROM ${s.from} ${w.sql}`,
        w.params,
      )
    )[0]!;
    if (r.suppressed) return { documents: null, mentions: null, demand: null, suppressed: true };
    return { documents: r.documents ?? 0, mentions: r.mentions ?? 0, demand: round(r.demand ?? 0, 3) };
  }

  /**
   * Demand per group, largest first, with each group's share of all demand under the same filters. With
   * `splitBy`, the same for each part of the split (say each region): the `limit` largest groups of every part,
   * shares of that part's demand, in one query rather than one per part. With `sameKeys` (and no `keys`), every
   * part gets the same groups: the `limit` largest published ones under the filters as a whole.
   */
  async demand(
    groupBy: GroupBy,
    f: DemandFilters,
    options: {
      lang: string;
      limit: number;
      splitBy?: GroupBy | undefined;
      keys?: string[] | undefined;
      sameKeys?: boolean;
    },
  ): Promise<DemandRows> {
    const { splitBy } = options;
    const keys =
      options.keys ??
      (splitBy && options.sameKeys
        ? (await this.demand(groupBy, f, { lang: options.lang, limit: options.limit })).rows
            .filter(published)
            .map((r) => r.key)
        : undefined);
    if (keys?.length === 0) return { suppressed: 0, rows: [] };
    const w = await this.where(f);
    const s = this.source(w, groupBy, splitBy);
    const privacy = this.privacySql(w, s, f);
    const key = GROUPS[groupBy];
    const split = splitBy ? GROUPS[splitBy] : "''";
    const limit = `$${w.params.push(options.limit)}`;
    // only these keys, ranked among themselves; shares stay shares of all published demand
    const only = keys ? `WHERE key = ANY($${w.params.push(keys)}::text[])` : '';
    // Secondary suppression: the part's total is published (the totals, or the part asked as a filter), so a part
    // with one suppressed cell would give it away as the total less the published cells. Its smallest published
    // cell is suppressed too, one holding other organisations' private documents first (the viewer cannot
    // recount it from its own or shared documents). Chosen among all cells, before `keys` and `limit`.
    const rows = await this.db.query<{
      split: string;
      key: string;
      documents: number;
      mentions: number;
      demand: number;
      suppressed: boolean;
      total: number;
      hidden: number;
    }>(
      `SELECT split, key, documents, mentions, demand, suppressed, total, hidden FROM (
         SELECT *, row_number() OVER (PARTITION BY split ORDER BY suppressed, demand DESC, key) AS rank FROM (
           SELECT *, sum(demand) FILTER (WHERE NOT suppressed) OVER (PARTITION BY split) AS total,
             count(*) FILTER (WHERE suppressed) OVER () AS hidden FROM (
             SELECT split, key, documents, mentions, demand,
               primary_cell OR (count(*) FILTER (WHERE primary_cell) OVER (PARTITION BY split) = 1
                 AND row_number() OVER (PARTITION BY split, primary_cell ORDER BY others_private DESC, demand, key) = 1) AS suppressed
             FROM (
               SELECT ${split} AS split, ${key} AS key, ${s.documents}::int AS documents, ${s.mentions}::int AS mentions, ${s.demand}::float8 AS demand,
                 ${privacy.suppressed} AS primary_cell, ${privacy.othersPrivate} AS others_private
               FROM ${s.from} ${w.sql} ${w.sql ? 'AND' : 'WHERE'} ${key} IS NOT NULL${splitBy ? ` AND ${split} IS NOT NULL` : ''}
               GROUP BY 1, 2
             ) g WHERE mentions > 0
           ) c
         ) t ${only}
       ) r WHERE rank <= ${limit} ORDER BY ${splitBy ? 'split, ' : ''}suppressed, demand DESC, key`,
      w.params,
    );
    const labels = await this.labels(groupBy, [...new Set(rows.map((r) => r.key))], options.lang);
    const splitLabels = splitBy
      ? await this.labels(splitBy, [...new Set(rows.map((r) => r.split))], options.lang)
      : undefined;
    return {
      suppressed: Number(rows[0]?.hidden ?? 0),
      rows: rows.map((r) => ({
        ...(splitLabels ? { split: r.split, splitLabel: splitLabels.get(r.split) ?? r.split } : {}),
        key: r.key,
        label: labels.get(r.key) ?? r.key,
        ...(r.suppressed
          ? { documents: null, mentions: null, demand: null, share: null, suppressed: true as const }
          : {
              documents: r.documents,
              mentions: r.mentions,
              demand: round(r.demand, 3),
              share: r.total > 0 ? round(r.demand / r.total) : 0,
            }),
      })),
    };
  }

  /** Demand per time bucket for the given keys (by default the largest groups under the filters). */
  async timeseries(
    groupBy: GroupBy,
    bucket: Bucket,
    f: DemandFilters,
    options: { lang: string; keys?: string[] | undefined; limit: number },
  ): Promise<TimeseriesRow[]> {
    const keys =
      options.keys ??
      (await this.demand(groupBy, f, { lang: options.lang, limit: options.limit })).rows
        .filter(published)
        .map((r) => r.key);
    if (keys.length === 0) return [];
    const w = await this.where(f);
    const s = this.source(w, groupBy);
    const suppressed = this.suppressedSql(w, s, f);
    const key = GROUPS[groupBy];
    const rows = await this.db.query<{
      bucket: string;
      key: string;
      documents: number;
      mentions: number;
      demand: number;
      suppressed: boolean;
    }>(
      `SELECT * FROM (
         SELECT to_char(date_trunc('${bucket}', month), 'YYYY-MM-DD') AS bucket, ${key} AS key,
           ${s.documents}::int AS documents, ${s.mentions}::int AS mentions, ${s.demand}::float8 AS demand, ${suppressed} AS suppressed
         FROM ${s.from} ${w.sql} ${w.sql ? 'AND' : 'WHERE'} ${key} = ANY($${w.params.push(keys)}::text[])
         GROUP BY 1, 2
       ) b WHERE mentions > 0 ORDER BY 1, 2`,
      w.params,
    );
    const labels = await this.labels(groupBy, keys, options.lang);
    return rows.map(({ suppressed: hidden, ...r }) => ({
      bucket: r.bucket,
      key: r.key,
      label: labels.get(r.key) ?? r.key,
      ...(hidden
        ? { documents: null, mentions: null, demand: null, suppressed: true as const }
        : { documents: r.documents, mentions: r.mentions, demand: round(r.demand, 3) }),
    }));
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
  async emerging(
    groupBy: GroupBy,
    f: DemandFilters,
    current: { from: string; to: string },
    previous: { from: string; to: string },
    options: { lang: string; limit: number; minMentions: number },
  ): Promise<{ rows: EmergingRow[]; suppressed: number }> {
    const all = 100_000;
    const {
      a: now,
      b: before,
      hidden,
    } = publishedInBoth(
      await this.demand(groupBy, { ...f, ...current }, { lang: options.lang, limit: all }),
      await this.demand(groupBy, { ...f, ...previous }, { lang: options.lang, limit: all }),
    );
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
    return {
      rows: rows.sort((a, b) => b.z - a.z || b.growth - a.growth || a.key.localeCompare(b.key)).slice(0, options.limit),
      suppressed: hidden,
    };
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
  ): Promise<{ rows: CompareRow[]; suppressed: number }> {
    const all = 100_000;
    const {
      a: here,
      b: there,
      hidden,
    } = publishedInBoth(
      await this.demand(groupBy, { ...f, region }, { lang: options.lang, limit: all }),
      await this.demand(groupBy, { ...f, region: against }, { lang: options.lang, limit: all }),
    );
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
        against: {
          documents: b?.documents ?? 0,
          mentions: b?.mentions ?? 0,
          demand: b?.demand ?? 0,
          share: b?.share ?? 0,
        },
        lq: b && b.demand > 0 && hereTotal > 0 ? round(r.demand / hereTotal / (b.demand / baseTotal), 3) : null,
      });
    }
    return {
      rows: rows
        .sort(
          (a, b) =>
            (b.lq ?? Infinity) - (a.lq ?? Infinity) || b.region.demand - a.region.demand || a.key.localeCompare(b.key),
        )
        .slice(0, options.limit),
      suppressed: hidden,
    };
  }

  /**
   * The documents behind one skill's demand under the filters, newest first, with how many of their mentions
   * count: the drill-down from a bar or a cell to the texts.
   */
  async documentsOf(
    skill: string,
    f: DemandFilters,
    page: { limit: number; offset: number },
    /** only documents this organisation may read: its own and the shared ones */
    readableBy?: string,
  ): Promise<{ total: number; documents: { id: string; mentions: number }[] }> {
    const w = await this.where(f, readableBy ? [skill, readableBy] : [skill]);
    const readable = readableBy ? ' AND (org_id = $2 OR NOT private)' : '';
    const where = `WHERE skill_uri = $1${readable}${w.sql ? ` AND ${w.sql.slice('WHERE '.length)}` : ''}`;
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
        return query('SELECT uri AS key, pref_en AS label FROM esco_skill_groups WHERE uri = ANY($1::text[])');
      case 'occupation':
        return query(
          `SELECT uri AS key, COALESCE(pref_${l}, pref_en) AS label FROM esco_occupations WHERE uri = ANY($1::text[])`,
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
