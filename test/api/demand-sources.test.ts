import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GROUP_BYS, type GroupBy } from '../../src/domain/demand.js';
import { DemandRepository, groupSql, type DemandFilters } from '../../src/storage/demand.repository.js';
import { KeysRepository } from '../../src/storage/keys.repository.js';
import { backfillFirstsSql, ROLLUPS } from '../../src/storage/rollups.js';
import { PROJECT_ROOT } from '../../src/base/paths.js';
import { Analyzer } from '../../src/analysis/analyzer.js';
import type { Database } from '../../src/storage/database.js';
import type { NewDocument } from '../../src/domain/document.js';
import { DocumentsRepository } from '../../src/storage/documents.repository.js';
import { importTaxonomy } from '../../src/taxonomy/import.js';
import { loadTaxonomy } from '../../src/taxonomy/load.js';
import { createTestDatabase, engines, FIXTURE_TAXONOMY, testKeys } from '../helpers/context.js';

const cases = JSON.parse(readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'demand', 'documents.json'), 'utf8')) as {
  document: NewDocument;
}[];

/**
 * The fixture documents three ways: as written; moved to another month and place; and with the text twice, so
 * that one document mentions the same skill several times, at one horizon or several.
 */
function variants(): NewDocument[] {
  return cases.flatMap(({ document: d }, i) => [
    d,
    { ...d, text: `${d.text} `, date: `2025-0${1 + (i % 9)}-20`, region: ['Lahti', 'Tampere', 'Vaasa'][i % 3] },
    { ...d, text: `${d.text}\n\n${d.text}` },
  ]);
}

const FILTERS: DemandFilters[] = [
  {},
  { polarity: 'any' },
  { horizon: 'short' },
  { horizon: 'long', polarity: 'any' },
  { region: 'MK07' },
  { region: 'FI1C', polarity: 'mention' },
  { region: 'KU398' },
  { from: '2026-01-01', to: '2026-10-01' },
  { kind: 'meeting_note', polarity: 'any' },
  { language: 'fi' },
  { occupation: '72' },
  { sector: 'C', polarity: 'any' },
  { minScore: 0.5, polarity: 'any' },
  { concept: 'occupation' },
  { concept: 'occupation', polarity: 'any' },
  { concept: 'occupation', region: 'MK07', polarity: 'any' },
  { concept: 'occupation', occupation: '7', horizon: 'current' },
];

describe.each(engines())('demand from rollups and facts agrees with counting distinct documents on %s', (engine) => {
  let db: Database;
  let drop: () => Promise<void>;
  let repo: DemandRepository;
  let documents: DocumentsRepository;
  let orgId: string;
  let analyzer: Analyzer;
  const ids: string[] = [];

  /** The figures straight from the facts, documents by count(DISTINCT). */
  async function reference(groupBy: GroupBy, f: DemandFilters) {
    const w = await repo.where(f);
    const key = groupSql(groupBy, f.concept ?? 'skill');
    return db.query<{ key: string; documents: number; mentions: number; demand: number }>(
      `SELECT ${key} AS key, count(DISTINCT document_id)::int AS documents, count(*)::int AS mentions, round(sum(weight)::numeric, 3)::float8 AS demand
       FROM demand_facts WHERE ${[...w.conditions, `${key} IS NOT NULL`].join(' AND ')} GROUP BY 1 ORDER BY 1`,
      w.params,
    );
  }

  async function expectAgreement(): Promise<number> {
    let compared = 0;
    for (const groupBy of GROUP_BYS) {
      for (const f of FILTERS) {
        const expected = await reference(groupBy, f);
        const got = (await repo.demand(groupBy, f, { lang: 'en', limit: 1000 })).map(
          ({ key, documents, mentions, demand }) => ({ key, documents, mentions, demand }),
        );
        expect(
          got.sort((a, b) => a.key.localeCompare(b.key)),
          `${groupBy} ${JSON.stringify(f)}`,
        ).toEqual(expected);
        compared += expected.length;
      }
    }
    for (const f of FILTERS) {
      const r = (await reference('kind', f)).length > 0 ? await repo.totals(f) : undefined;
      const w = await repo.where(f);
      const [t] = await db.query<{ documents: number; mentions: number }>(
        `SELECT count(DISTINCT document_id)::int AS documents, count(*)::int AS mentions FROM demand_facts ${w.conditions.length > 0 ? `WHERE ${w.conditions.join(' AND ')}` : ''}`,
        w.params,
      );
      if (r) expect({ documents: r.documents, mentions: r.mentions }, `totals ${JSON.stringify(f)}`).toEqual(t);
    }
    return compared;
  }

  async function rollupSnapshot(): Promise<string[]> {
    const out: string[] = [];
    for (const r of ROLLUPS)
      out.push(
        ...(await db.query(`SELECT * FROM ${r.table} ORDER BY ${r.dims.join(', ')}`)).map(
          (row) => `${r.table} ${JSON.stringify(row)}`,
        ),
      );
    return out;
  }

  beforeAll(async () => {
    ({ db, drop } = await createTestDatabase(engine));
    await importTaxonomy(db, FIXTURE_TAXONOMY);
    analyzer = await Analyzer.create(await loadTaxonomy(db));
    repo = new DemandRepository(db);
    documents = new DocumentsRepository(db, await testKeys());
    orgId = (await new KeysRepository(db).createOrganisation('sources')).id;
    for (const d of variants()) {
      const { document } = await documents.create(orgId, d);
      ids.push(document.id);
      expect(await documents.saveAnalysis(document.id, analyzer.analyze({ ...d, language: d.language ?? 'fi' }))).toBe(
        true,
      );
    }
  }, 60_000);
  afterAll(() => drop());

  it('reads each question from the smallest source that has its columns', async () => {
    const from = async (groupBy: GroupBy, f: DemandFilters) =>
      repo.source(await repo.where(f), f.concept ?? 'skill', groupBy).from;
    expect(await from('skill', {})).toBe('demand_rollup_country');
    expect(await from('skillGroup', { horizon: 'long', from: '2026-01-01' })).toBe('demand_rollup_country');
    expect(await from('skill', { region: 'MK07' })).toBe('demand_rollup_region');
    expect(await from('maakunta', { kind: 'job_ad' })).toBe('demand_rollup_document');
    expect(await from('skillGroup', { region: 'FI1C', sector: 'C' })).toBe('demand_facts');
    expect(await from('isco2', { region: 'KU398' })).toBe('demand_rollup_document');
    expect(await from('skill', { region: 'KU398' })).toBe('demand_facts');
    expect(await from('skill', { occupation: '72' })).toBe('demand_rollup_work');
    expect(await from('skill', { occupation: '72', region: 'MK07' })).toBe('demand_facts');
    expect(await from('maakunta', { minScore: 0.5 })).toBe('demand_facts');
    expect(await from('occupation', { concept: 'occupation' })).toBe('demand_rollup_country');
    expect(await from('isco4', { concept: 'occupation', region: 'MK07' })).toBe('demand_rollup_region');
    expect(await from('isco2', { concept: 'occupation' })).toBe('demand_facts');
  });

  it('gives the same documents, mentions and demand from every source for every grouping and filter', async () => {
    expect(await expectAgreement()).toBeGreaterThan(200);
  });

  it('keeps the rollups exact when documents are re-analysed elsewhere or deleted', async () => {
    const moved = variants()[4]!;
    const again = analyzer.analyze({ ...moved, language: moved.language ?? 'fi', region: 'Oulu', date: '2024-02-02' });
    await documents.saveAnalysis(ids[4]!, again);
    // the new results replace the old ones, row for row
    const rows = async (table: string) =>
      (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE document_id = $1`, [ids[4]]))[0]!.n;
    const counted = [...again.mentions, ...again.occupationMentions].filter((m) => m.counted).length;
    expect([await rows('mentions'), await rows('demand_facts')]).toEqual([again.mentions.length, counted]);
    expect(again.occupationMentions.some((m) => m.counted)).toBe(true);
    expect(await rows('document_regions')).toBe(again.regions.length);
    await documents.saveAnalysis(ids[7]!, analyzer.analyze({ ...variants()[7]!, language: 'sv' }));
    expect(await documents.delete(ids[0]!, orgId)).toBe(true);
    expect(await documents.delete(ids[8]!, orgId)).toBe(true);
    await expectAgreement();
    for (const r of ROLLUPS)
      expect((await db.query(`SELECT 1 FROM ${r.table} WHERE mentions = 0`)).length, r.table).toBe(0);
  });

  it('fills the firsts of facts written before the rollups (the migration backfill) so that every source agrees again', async () => {
    // which fact of a document is its first may differ from the writer's (physical order), the counts may not
    const before = await rollupSnapshot();
    await db.query('UPDATE demand_facts SET firsts = 0');
    expect(await rollupSnapshot()).not.toEqual(before);
    await db.query(backfillFirstsSql());
    expect(await expectAgreement()).toBeGreaterThan(200);
  });
});
