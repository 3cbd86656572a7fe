/**
 * Exact document counts without count(DISTINCT), and monthly rollups the database keeps up to date.
 *
 * Every column of a demand fact except the skill, its group, horizon, polarity, weight and score is the same for
 * all facts of one document (month, kind, language, place, occupation, sector). So a filter on those keeps or
 * drops whole documents, and "how many documents mention skill S at horizon H" is the number of facts that are
 * the first of their document for (S, H). Each fact carries `firsts`: one bit per such question, for each kind
 * of key (the skill, its group, the document itself) and each combination of horizon and polarity held fixed.
 * Counting facts with the right bit gives exact document counts that can be summed over any set of documents,
 * which is what makes pre-aggregated rollups exact too.
 */

/** What a demand row counts documents per: a skill, a skill group, or anything that is the same for a document. */
export type KeyKind = 'skill' | 'group' | 'document';

const KEY_COLUMNS: Record<KeyKind, string[]> = { skill: ['skill_uri'], group: ['skill_group'], document: [] };
const KEY_BITS: Record<KeyKind, number> = { skill: 0, group: 4, document: 8 };
const KEY_NAMES: Record<KeyKind, string> = { skill: 'docs_skill', group: 'docs_group', document: 'docs' };

/** Which of horizon and polarity are held to one value by a query (filtered on, or grouped by). */
export interface Fixed {
  horizon: boolean;
  polarity: boolean;
}

const VARIANTS: Fixed[] = [
  { horizon: false, polarity: false },
  { horizon: true, polarity: false },
  { horizon: false, polarity: true },
  { horizon: true, polarity: true },
];
const variantIndex = (f: Fixed) => (f.horizon ? 1 : 0) + (f.polarity ? 2 : 0);

/** The bit of `firsts` marking a fact as the first of its document for the key (and horizon/polarity if fixed). */
export function firstBit(kind: KeyKind, fixed: Fixed): number {
  return 1 << (KEY_BITS[kind] + variantIndex(fixed));
}

/** The rollup column that sums that bit. */
export function countColumn(kind: KeyKind, fixed: Fixed): string {
  return KEY_NAMES[kind] + (fixed.horizon ? '_h' : '') + (fixed.polarity ? '_p' : '');
}

/**
 * SQL for the `firsts` bits of each fact, with window functions over rows that hold `document_id`, `concept`,
 * `skill_uri`, `skill_group`, `horizon` and `polarity`; `order` decides which fact of a document comes first.
 * Every query fixes the concept (skills or occupations), so a document's facts are counted per concept
 * (`byConcept`; migration 6 wrote the bits before there were occupation facts).
 */
export function firstsSql(order: string, byConcept = true): string {
  const terms: string[] = [];
  for (const kind of Object.keys(KEY_COLUMNS) as KeyKind[]) {
    for (const fixed of VARIANTS) {
      const partition = [
        'document_id',
        ...(byConcept ? ['concept'] : []),
        ...KEY_COLUMNS[kind],
        ...(fixed.horizon ? ['horizon'] : []),
        ...(fixed.polarity ? ['polarity'] : []),
      ];
      terms.push(
        `CASE WHEN row_number() OVER (PARTITION BY ${partition.join(', ')} ORDER BY ${order}) = 1 THEN ${firstBit(kind, fixed)} ELSE 0 END`,
      );
    }
  }
  return `(${terms.join('\n  | ')})::smallint`;
}

/** What firstsOf needs of a fact. */
export interface FactKey {
  concept: string;
  skill_uri: string;
  skill_group: string | null;
  horizon: string;
  polarity: string;
}

/**
 * The `firsts` bits of one document's facts, in their order: what firstsSql computes with the facts' position
 * as the order, without sorting in the database.
 */
export function firstsOf(facts: readonly FactKey[]): number[] {
  const seen = new Set<string>();
  return facts.map((f) => {
    let bits = 0;
    for (const kind of Object.keys(KEY_COLUMNS) as KeyKind[]) {
      for (const fixed of VARIANTS) {
        // JSON keeps null apart from the string "null", as PARTITION BY does
        const key = JSON.stringify([
          kind,
          fixed.horizon,
          fixed.polarity,
          f.concept,
          ...KEY_COLUMNS[kind].map((c) => f[c as keyof FactKey]),
          fixed.horizon ? f.horizon : 0,
          fixed.polarity ? f.polarity : 0,
        ]);
        if (seen.has(key)) continue;
        seen.add(key);
        bits |= firstBit(kind, fixed);
      }
    }
    return bits;
  });
}

/** Sets `firsts` of every fact from scratch, taking a document's facts in their physical order. */
export function backfillFirstsSql(byConcept = true): string {
  return `UPDATE demand_facts f SET firsts = x.firsts
  FROM (SELECT ctid AS fact_row, ${firstsSql('ctid', byConcept)} AS firsts FROM demand_facts) x
  WHERE f.ctid = x.fact_row AND f.firsts IS DISTINCT FROM x.firsts`;
}

/** A pre-aggregated copy of the facts by some of their columns, with mentions, demand and document counts. */
export interface Rollup {
  table: string;
  /** the fact columns it keeps */
  dims: readonly string[];
  /** the kinds of key it can count documents for */
  keys: readonly KeyKind[];
  /** leading columns of its indexes besides the key (which starts with the month) */
  indexes: readonly (readonly string[])[];
}

/**
 * The rollups, in the order a query tries them: the country by skill; the documents' own dimensions (every place
 * level, occupation, sector) without the skill; skills by region down to maakunta; skills by occupation and
 * sector. A query uses the first one that has every column it filters or groups on (and can count its kind of
 * key); what none has (a skill in one municipality, a minimum score) reads the facts. This is the list as
 * migration 6 created it; ROLLUPS below is the one in use. Changing ROLLUPS needs a migration that rebuilds the
 * tables (dropRollupsSql, then rollupMigrationSql).
 */
export const ROLLUPS_V6: readonly Rollup[] = [
  {
    table: 'demand_rollup_country',
    dims: ['month', 'kind', 'language', 'horizon', 'polarity', 'skill_uri', 'skill_group'],
    keys: ['skill', 'group', 'document'],
    indexes: [],
  },
  {
    table: 'demand_rollup_document',
    dims: [
      'month',
      'kind',
      'language',
      'horizon',
      'polarity',
      'major_region',
      'area',
      'maakunta',
      'municipality',
      'occupation',
      'isco',
      'sector_section',
      'sector_division',
    ],
    keys: ['document'],
    indexes: [
      ['municipality', 'month'],
      ['isco', 'month'],
      ['occupation', 'month'],
    ],
  },
  {
    table: 'demand_rollup_region',
    dims: [
      'month',
      'kind',
      'language',
      'horizon',
      'polarity',
      'major_region',
      'area',
      'maakunta',
      'skill_uri',
      'skill_group',
    ],
    keys: ['skill', 'group', 'document'],
    indexes: [
      ['maakunta', 'month'],
      ['area', 'month'],
      ['major_region', 'month'],
      ['skill_uri', 'month'],
    ],
  },
  {
    table: 'demand_rollup_work',
    dims: [
      'month',
      'kind',
      'language',
      'horizon',
      'polarity',
      'occupation',
      'isco',
      'sector_section',
      'sector_division',
      'skill_uri',
      'skill_group',
    ],
    keys: ['skill', 'group'],
    indexes: [
      ['isco', 'month'],
      ['occupation', 'month'],
      ['sector_division', 'month'],
      ['sector_section', 'month'],
    ],
  },
];

/**
 * The rollups of migration 8: every one also keeps the organisation and whether the documents are private, so
 * that a cell can tell how many organisations it rests on and whether another organisation's private documents
 * are in it (disclosure control, demand.repository.ts).
 */
export const ROLLUPS_V8: readonly Rollup[] = ROLLUPS_V6.map((r) => ({ ...r, dims: [...r.dims, 'org_id', 'private'] }));

/**
 * The rollups in use (migration 15): every one also keeps the concept of its facts, skill or occupation, which
 * every query fixes. An occupation fact holds the occupation in `skill_uri` (and `occupation`) and its ISCO-08
 * unit group in `skill_group` (and `isco`), so the same key kinds count documents per occupation and per group.
 */
export const ROLLUPS: readonly Rollup[] = ROLLUPS_V8.map((r) => ({ ...r, dims: [...r.dims, 'concept'] }));

const TYPES: Record<string, string> = { month: 'date', org_id: 'uuid', private: 'boolean' };
const NOT_NULL = new Set([
  'month',
  'kind',
  'language',
  'horizon',
  'polarity',
  'skill_uri',
  'org_id',
  'private',
  'concept',
]);

function countColumns(rollup: Rollup): { column: string; bit: number }[] {
  return rollup.keys.flatMap((kind) =>
    VARIANTS.map((fixed) => ({ column: countColumn(kind, fixed), bit: firstBit(kind, fixed) })),
  );
}

/** Adds (sign 1) or takes away (sign -1) the facts of `source` to a rollup, keys in order so that concurrent writers lock rows alike. */
function applySql(rollup: Rollup, source: string, sign: 1 | -1): string {
  const dims = rollup.dims.join(', ');
  const counts = countColumns(rollup);
  const measures = ['mentions', 'demand', ...counts.map((c) => c.column)];
  const values = [
    `${sign} * count(*)`,
    `${sign} * sum(weight)`,
    ...counts.map((c) => `${sign} * count(*) FILTER (WHERE firsts & ${c.bit} <> 0)`),
  ];
  return `INSERT INTO ${rollup.table} (${dims}, ${measures.join(', ')})
    SELECT ${dims}, ${values.join(', ')} FROM ${source} GROUP BY ${dims} ORDER BY ${dims}
    ON CONFLICT (${dims}) DO UPDATE SET ${measures.map((m) => `${m} = ${rollup.table}.${m} + EXCLUDED.${m}`).join(', ')}`;
}

/** Removes rows a deletion brought to zero, looking only at the keys the deleted facts had. */
function pruneSql(rollup: Rollup, source: string): string {
  const match = rollup.dims.map((d) => `r.${d} IS NOT DISTINCT FROM o.${d}`).join(' AND ');
  return `DELETE FROM ${rollup.table} r USING (SELECT DISTINCT ${rollup.dims.join(', ')} FROM ${source}) o
    WHERE r.month = o.month AND ${match} AND r.mentions = 0`;
}

/** The rollup tables, their triggers on demand_facts (inserts add, deletes subtract, updates do both; cascades included), and their first fill. */
export function rollupMigrationSql(rollups: readonly Rollup[]): string {
  const tables = rollups.map((r) => {
    const columns = [
      ...r.dims.map((d) => `  ${d} ${TYPES[d] ?? 'text'}${NOT_NULL.has(d) ? ' NOT NULL' : ''}`),
      '  mentions int NOT NULL',
      '  demand float8 NOT NULL',
      ...countColumns(r).map((c) => `  ${c.column} int NOT NULL`),
    ];
    return `CREATE TABLE ${r.table} (\n${columns.join(',\n')}\n);
CREATE UNIQUE INDEX ${r.table}_key ON ${r.table} (${r.dims.join(', ')}) NULLS NOT DISTINCT;
${r.indexes.map((columns) => `CREATE INDEX ${r.table}_${columns[0]} ON ${r.table} (${columns.join(', ')});`).join('\n')}`;
  });
  const body = (source: string, sign: 1 | -1) =>
    rollups
      .map((r) => `    ${applySql(r, source, sign)};\n` + (sign < 0 ? `    ${pruneSql(r, source)};\n` : ''))
      .join('');
  return `${tables.join('\n')}
CREATE FUNCTION demand_facts_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM added_facts) THEN
${body('added_facts', 1)}  END IF;
  RETURN NULL;
END $$;
CREATE FUNCTION demand_facts_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM removed_facts) THEN
${body('removed_facts', -1)}  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER demand_facts_rollup_insert AFTER INSERT ON demand_facts REFERENCING NEW TABLE AS added_facts
  FOR EACH STATEMENT EXECUTE FUNCTION demand_facts_added();
CREATE TRIGGER demand_facts_rollup_delete AFTER DELETE ON demand_facts REFERENCING OLD TABLE AS removed_facts
  FOR EACH STATEMENT EXECUTE FUNCTION demand_facts_removed();
CREATE TRIGGER demand_facts_rollup_update_new AFTER UPDATE ON demand_facts REFERENCING NEW TABLE AS added_facts
  FOR EACH STATEMENT EXECUTE FUNCTION demand_facts_added();
CREATE TRIGGER demand_facts_rollup_update_old AFTER UPDATE ON demand_facts REFERENCING OLD TABLE AS removed_facts
  FOR EACH STATEMENT EXECUTE FUNCTION demand_facts_removed();
${rollups.map((r) => applySql(r, 'demand_facts', 1)).join(';\n')};
`;
}

/** Drops what rollupMigrationSql created for `rollups`. */
export function dropRollupsSql(rollups: readonly Rollup[]): string {
  return `DROP TRIGGER demand_facts_rollup_insert ON demand_facts;
DROP TRIGGER demand_facts_rollup_delete ON demand_facts;
DROP TRIGGER demand_facts_rollup_update_new ON demand_facts;
DROP TRIGGER demand_facts_rollup_update_old ON demand_facts;
DROP FUNCTION demand_facts_added();
DROP FUNCTION demand_facts_removed();
${rollups.map((r) => `DROP TABLE ${r.table};`).join('\n')}
`;
}
