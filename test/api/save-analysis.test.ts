import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeysRepository } from '../../src/storage/keys.repository.js';
import { ROLLUPS } from '../../src/storage/rollups.js';
import { PROJECT_ROOT } from '../../src/base/paths.js';
import { Analyzer } from '../../src/analysis/analyzer.js';
import type { Analysis } from '../../src/domain/analysis.js';
import type { NewDocument } from '../../src/domain/document.js';
import type { Database } from '../../src/storage/database.js';
import { DocumentsRepository, SAVE_CHUNK_ROWS } from '../../src/storage/documents.repository.js';
import { importTaxonomy } from '../../src/taxonomy/import.js';
import { loadTaxonomy } from '../../src/taxonomy/load.js';
import { createTestDatabase, engines, FIXTURE_TAXONOMY, testKeys } from '../helpers/context.js';

const cases = JSON.parse(readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'demand', 'documents.json'), 'utf8')) as {
  document: NewDocument;
}[];

/**
 * Saves with more mentions than one transaction of a save takes while the engine is busy (SAVE_CHUNK_ROWS), on
 * both engines: every mention and fact written once, the rollups equal to the facts, and two saves of one
 * document at the same time leaving the results of one of them only.
 */
describe.each(engines())('saving an analysis of many mentions on %s', (engine) => {
  let db: Database;
  let drop: () => Promise<void>;
  let documents: DocumentsRepository;
  let analyzer: Analyzer;
  let orgId: string;
  let busy = true;
  let transactions = 0;

  beforeAll(async () => {
    ({ db, drop } = await createTestDatabase(engine));
    await importTaxonomy(db, FIXTURE_TAXONOMY);
    analyzer = await Analyzer.create(await loadTaxonomy(db));
    // the database as requests keep it busy (or not), counting the save's transactions
    documents = new DocumentsRepository(
      {
        ...db,
        busy: () => busy,
        batch: (statements, options) => {
          transactions++;
          return db.batch(statements, options);
        },
      },
      await testKeys(),
    );
    orgId = (await new KeysRepository(db).createOrganisation('saves')).id;
  }, 60_000);
  afterAll(() => drop());

  /** A long note: every Finnish fixture document's text, six times over. */
  const longNote = (date: string): NewDocument => ({
    kind: 'meeting_note',
    language: 'fi',
    date,
    text: cases
      .map((c) => c.document)
      .filter((d) => d.language === 'fi')
      .map((d) => d.text)
      .join('\n\n')
      .concat('\n\n')
      .repeat(6),
  });
  const analyse = (d: NewDocument, region?: string): Analysis =>
    analyzer.analyze({ ...d, language: 'fi', ...(region && { region }) });
  /** The rows a save writes in its chunks (skills' and occupations' mentions), and the demand facts of them. */
  const rowsOf = (a: Analysis) => a.mentions.length + a.occupationMentions.length;
  const factsOf = (a: Analysis) => [...a.mentions, ...a.occupationMentions].filter((m) => m.counted).length;

  /** What the tables hold for one document, and whether every rollup still sums to the facts. */
  async function stored(id: string) {
    const count = async (table: string) =>
      (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE document_id = $1`, [id]))[0]!.n;
    const [facts] = await db.query<{ n: number; demand: number }>(
      'SELECT count(*)::int AS n, COALESCE(sum(weight), 0)::float8 AS demand FROM demand_facts',
    );
    const rollups: Record<string, boolean> = {};
    for (const r of ROLLUPS) {
      const [sum] = await db.query<{ n: number; demand: number }>(
        `SELECT COALESCE(sum(mentions), 0)::int AS n, COALESCE(sum(demand), 0)::float8 AS demand FROM ${r.table}`,
      );
      rollups[r.table] = sum!.n === facts!.n && Math.abs(sum!.demand - facts!.demand) < 1e-3;
    }
    const [doc] = await db.query<{ status: string }>('SELECT status FROM documents WHERE id = $1', [id]);
    const months = await db.query<{ month: string }>(
      `SELECT DISTINCT month::text AS month FROM demand_facts WHERE document_id = $1`,
      [id],
    );
    return {
      status: doc?.status,
      mentions: await count('mentions'),
      facts: await count('demand_facts'),
      distinctMentions: (
        await db.query<{ n: number }>(
          'SELECT count(DISTINCT (skill_uri, start_offset, end_offset))::int AS n FROM mentions WHERE document_id = $1',
          [id],
        )
      )[0]!.n,
      months: months.map((m) => m.month),
      rollups,
    };
  }

  it('writes every mention and fact once over several transactions while busy (two when idle), and the rollups follow', async () => {
    const note = longNote('2026-03-03');
    const analysis = analyse(note);
    expect(analysis.mentions.length).toBeGreaterThan(2 * SAVE_CHUNK_ROWS);
    const { document } = await documents.create(orgId, note);
    transactions = 0;
    expect(await documents.saveAnalysis(document.id, analysis)).toBe(true);
    expect(transactions).toBe(1 + Math.ceil(rowsOf(analysis) / SAVE_CHUNK_ROWS));
    const first = await stored(document.id);
    expect(analysis.occupationMentions.length).toBeGreaterThan(0);
    expect(first).toMatchObject({
      status: 'done',
      mentions: analysis.mentions.length,
      facts: factsOf(analysis),
      months: ['2026-03-01'],
    });
    expect(Object.values(first.rollups).every(Boolean), JSON.stringify(first.rollups)).toBe(true);
    // saved again on an idle engine: in two transactions, replaced and not added to
    busy = false;
    transactions = 0;
    expect(await documents.saveAnalysis(document.id, analysis)).toBe(true);
    busy = true;
    expect(transactions).toBe(2);
    expect(await stored(document.id)).toEqual(first);
  });

  it('leaves the results of one of two saves of a document made at the same time', async () => {
    const note = longNote('2026-04-04');
    const { document } = await documents.create(orgId, note);
    const inLahti = analyse(note, 'Lahti');
    const inOulu = analyse({ ...note, date: '2025-01-15' }, 'Oulu');
    expect(
      await Promise.all([documents.saveAnalysis(document.id, inLahti), documents.saveAnalysis(document.id, inOulu)]),
    ).toEqual([true, true]);
    const after = await stored(document.id);
    const winner = after.months[0] === '2026-04-01' ? inLahti : inOulu;
    expect(after).toMatchObject({
      status: 'done',
      mentions: winner.mentions.length,
      facts: factsOf(winner),
      distinctMentions: winner.mentions.length,
    });
    expect(after.months).toHaveLength(1);
    expect(Object.values(after.rollups).every(Boolean), JSON.stringify(after.rollups)).toBe(true);
  });

  it('answers false for a document deleted before its analysis was saved, and writes nothing for it', async () => {
    const note = longNote('2026-05-05');
    const { document } = await documents.create(orgId, note);
    expect(await documents.delete(document.id, orgId)).toBe(true);
    expect(await documents.saveAnalysis(document.id, analyse(note))).toBe(false);
    expect((await stored(document.id)).mentions).toBe(0);
  });
});
