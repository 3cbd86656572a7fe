import { KeysRepository } from '../src/storage/keys.repository.js';
import { ROLLUPS } from '../src/storage/rollups.js';
import { Analyzer } from '../src/analysis/analyzer.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../src/storage/database.js';
import { DocumentKeys } from '../src/storage/document-keys.js';
import { DocumentsRepository } from '../src/storage/documents.repository.js';
import { migrate } from '../src/storage/migrate.js';
import { importTaxonomy } from '../src/taxonomy/import.js';
import { loadTaxonomy } from '../src/taxonomy/load.js';
import { rng, syntheticAds } from './synthetic-ads.js';

const KINDS = ['job_ad', 'job_ad', 'job_ad', 'meeting_note', 'report'] as const;
const HORIZON_WORDS: Record<string, string[]> = {
  fi: ['', 'Lähivuosina tarvitaan lisää osaajia.', 'Vuoteen 2030 mennessä tarve kasvaa.'],
  sv: ['', 'Under de närmaste åren behövs fler.', 'På lång sikt ökar behovet.'],
  en: ['', 'Next year we need more people.', 'In the long term the need grows.'],
};

/** A key directory of the benchmark's own, for the documents it stores. */
export function benchKeys(): Promise<DocumentKeys> {
  return DocumentKeys.open(mkdtempSync(join(tmpdir(), 'radar-bench-keys-')));
}

/**
 * Fills a database with demand for benchmarks: synthetic ads (random kind, date and municipality, some with
 * words of the future) through the real analyzer and DocumentsRepository.saveAnalysis, then copied in SQL up to
 * `mentions` facts, each copy with its own month (2024–2026) and municipality with its roll-up. The copies keep
 * their analysis and mentions, so drill-downs find their sentences.
 */
export async function seedDemand(
  db: Database,
  options: { taxonomy: string; mentions: number; baseDocs: number; keys: DocumentKeys },
): Promise<void> {
  const { taxonomy, mentions: target } = options;
  await migrate(db);
  let t = performance.now();
  await importTaxonomy(db, taxonomy);
  const analyzer = await Analyzer.create(await loadTaxonomy(db));
  const documents = new DocumentsRepository(db, options.keys);
  const org = await new KeysRepository(db).createOrganisation('bench');
  const municipalities = (
    await db.query<{ code: string; name_fi: string }>(
      `SELECT code, name_fi FROM regions WHERE level = 'municipality' ORDER BY code`,
    )
  ).map((r) => r.name_fi);
  const random = rng(7);
  const ads = syntheticAds(options.baseDocs, 13);
  for (const [i, ad] of ads.entries()) {
    const kind = KINDS[i % KINDS.length]!;
    const date = `202${4 + Math.floor(random() * 3)}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-15`;
    const text = `${ad.text} ${HORIZON_WORDS[ad.lang]![i % 3]}`;
    const region = municipalities[Math.floor(random() * municipalities.length)];
    const { document } = await documents.create(org.id, {
      kind,
      text,
      language: ad.lang,
      date,
      region,
      externalId: `bench-${i}`,
    });
    await documents.saveAnalysis(document.id, analyzer.analyze({ text, language: ad.lang, kind, date, region }));
  }
  const base = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM demand_facts'))[0]!.n;
  console.log(
    `  ${ads.length} synthetic ads through the analyzer and the repository: ${base} facts (${((performance.now() - t) / 1000).toFixed(1)} s)`,
  );
  t = performance.now();
  const copies = Math.max(0, Math.ceil(target / Math.max(1, base)) - 1);
  // the copies are stored plain (as documents from before sealing): their text and analysis from the originals
  const originals = await documents.getMany(
    (await db.query<{ id: string }>('SELECT id FROM documents')).map((r) => r.id),
  );
  const analyses = await documents.analysesOf(originals.map((d) => d.id));
  await db.exec('CREATE TEMP TABLE originals (id uuid PRIMARY KEY, text text NOT NULL, analysis jsonb NOT NULL)');
  await db.query(
    `INSERT INTO originals SELECT id, text, analysis FROM json_to_recordset($1::json) AS o (id uuid, text text, analysis jsonb)`,
    [
      JSON.stringify(
        originals.map((d) => {
          const { mentions: _, ...analysis } = analyses.get(d.id)!;
          return { id: d.id, text: d.text, analysis };
        }),
      ),
    ],
  );
  await db.exec(`
    CREATE TEMP TABLE muni AS
      SELECT m.code AS municipality, m.parent_code AS maakunta, a.area_code AS area, k.parent_code AS major_region,
             row_number() OVER (ORDER BY m.code) AS n
      FROM regions m JOIN regions k ON k.code = m.parent_code
      LEFT JOIN municipality_areas a ON a.municipality_code = m.code AND a.area_code LIKE 'EVK%'
      WHERE m.level = 'municipality';
    CREATE TEMP TABLE copies AS
      SELECT d.id AS base_id, md5(d.id::text || '-' || g)::uuid AS id, g AS copy,
             (date '2024-01-01' + (floor(random() * 36)::int * interval '1 month'))::date AS month,
             1 + floor(random() * (SELECT count(*) FROM muni))::int AS muni_n
      FROM documents d, generate_series(1, ${copies}) g;
    INSERT INTO documents (id, kind, text, language, doc_date, content_hash, status, analysed_at, org_id, visibility)
      SELECT c.id, d.kind, o.text, d.language, c.month, md5(d.content_hash || c.copy), 'done', now(), d.org_id, d.visibility
      FROM copies c JOIN documents d ON d.id = c.base_id JOIN originals o ON o.id = c.base_id;
    INSERT INTO demand_facts (document_id, skill_uri, skill_group, month, kind, language, horizon, polarity, weight, score,
        municipality, maakunta, area, major_region, occupation, isco, sector_section, sector_division, firsts, org_id, private)
      SELECT c.id, f.skill_uri, f.skill_group, c.month, f.kind, f.language, f.horizon, f.polarity, f.weight, f.score,
             m.municipality, m.maakunta, m.area, m.major_region, f.occupation, f.isco, f.sector_section, f.sector_division, f.firsts, f.org_id, f.private
      FROM copies c JOIN demand_facts f ON f.document_id = c.base_id JOIN muni m ON m.n = c.muni_n;
    INSERT INTO document_analyses (document_id, language, pipeline_version, taxonomy_version, analysis)
      SELECT c.id, a.language, a.pipeline_version, a.taxonomy_version, o.analysis
      FROM copies c JOIN document_analyses a ON a.document_id = c.base_id JOIN originals o ON o.id = c.base_id;
    INSERT INTO mentions (document_id, skill_uri, score, method, start_offset, end_offset, sentence_index, horizon, polarity, weight)
      SELECT c.id, m.skill_uri, m.score, m.method, m.start_offset, m.end_offset, m.sentence_index, m.horizon, m.polarity, m.weight
      FROM copies c JOIN mentions m ON m.document_id = c.base_id;
  `);
  // as autovacuum would: statistics, and the visibility map that index-only scans need
  await db.exec(`VACUUM ANALYZE demand_facts, ${ROLLUPS.map((r) => r.table).join(', ')}`);
  const n = (
    await db.query<{ n: number; d: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT document_id)::int AS d FROM demand_facts',
    )
  )[0]!;
  console.log(`  copied to ${n.n} facts of ${n.d} documents in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  for (const r of ROLLUPS) {
    const rows = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${r.table}`))[0]!.n;
    console.log(`  ${r.table}: ${rows} rows (${(n.n / Math.max(1, rows)).toFixed(1)} facts per row)`);
  }
}
