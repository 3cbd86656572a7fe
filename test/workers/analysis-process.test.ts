import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Analyzer } from '../../src/analysis/analyzer.js';
import { loadAnalyzer } from '../../src/analysis/load-analyzer.js';
import { createLogger } from '../../src/base/logger.js';
import { AnalysisProcess } from '../../src/jobs/analysis-process.js';
import { analysisRows } from '../../src/storage/analysis-rows.js';
import type { Database } from '../../src/storage/database.js';
import { importTaxonomy } from '../../src/taxonomy/import.js';
import { loadTaxonomy, taxonomyParts } from '../../src/taxonomy/load.js';
import { createTestDatabase, FIXTURE_TAXONOMY, testConfig } from '../helpers/context.js';

/**
 * The analyzer in a process of its own, as the service runs it: its taxonomy is read from the parent's database
 * (PGlite here, which only the parent can open) and sent as data, its analyses equal the in-process analyzer's,
 * and a child that dies fails only the analyses in flight; the next one starts a new child.
 */
describe('the analysis process', () => {
  let db: Database;
  let drop: () => Promise<void>;
  let local: Analyzer;
  let remote: AnalysisProcess;
  const config = testConfig();

  beforeAll(async () => {
    ({ db, drop } = await createTestDatabase('pglite'));
    await importTaxonomy(db, FIXTURE_TAXONOMY);
    const options = { aliasFiles: config.ALIASES_FILES.split(','), log: createLogger(config) };
    local = await loadAnalyzer(await loadTaxonomy(db, options), config, createLogger(config));
    remote = await AnalysisProcess.start(() => taxonomyParts(db, options), config, createLogger(config));
  }, 120_000);
  afterAll(async () => {
    await remote?.close();
    await drop?.();
  });

  const inputs = [
    {
      text: 'Haemme Lahteen hitsaajaa. Edellytämme hitsaustekniikoiden hallintaa ja MIG-hitsausta.',
      kind: 'job_ad' as const,
      date: '2026-11-01',
    },
    {
      text: 'We are looking for a welder in Lahti. Python programming is an advantage.',
      kind: 'job_ad' as const,
      date: '2026-11-01',
    },
    {
      text: 'Tapasimme yrityksen. Kahden vuoden päästä tarvitaan trukinkuljettajia ja asiakaspalvelua.',
      kind: 'meeting_note' as const,
      date: '2026-11-01',
    },
  ];

  it('is sent the same taxonomy and gives the same analyses', async () => {
    expect(remote.labelCount).toBe(local.labelCount);
    expect(remote.labelCount).toBeGreaterThan(0);
    expect(remote.taxonomyVersion).toBe(local.taxonomyVersion);
    for (const input of inputs) {
      const [mine, theirs] = await Promise.all([local.analyzeFull(input), remote.analyzeFull(input)]);
      expect(theirs).toEqual(mine);
    }
    expect((await remote.analyzeFull(inputs[0]!)).mentions.length).toBeGreaterThan(0);
  });

  it("makes a save's rows in the child, as the in-process analyzer's analysis gives them", async () => {
    for (const input of inputs) {
      const [mine, theirs] = await Promise.all([local.analyzeFull(input), remote.analyzeForSave(input)]);
      expect(theirs).toEqual(analysisRows(mine));
      expect(theirs.mentions.uri).toHaveLength(mine.mentions.length + mine.occupationMentions.length);
      expect(theirs.skills).toBe(mine.skills.length);
    }
    expect((await remote.analyzeForSave(inputs[0]!)).mentions.uri.length).toBeGreaterThan(0);
  });

  it('fails the analyses in flight when the child dies, and starts a new child for the next', async () => {
    const child = (remote as unknown as { child: { pid: number } }).child;
    const inFlight = remote.analyzeFull(inputs[0]!);
    process.kill(child.pid, 'SIGKILL');
    // the answer may have come back before the signal landed; if not, the analysis fails, it does not hang
    await inFlight.then(
      (analysis) => expect(analysis.mentions.length).toBeGreaterThan(0),
      (err: Error) => expect(err.message).toMatch(/analysis process exited/),
    );
    const again = await remote.analyzeFull(inputs[1]!);
    expect(again).toEqual(await local.analyzeFull(inputs[1]!));
    expect((remote as unknown as { child: { pid: number } }).child.pid).not.toBe(child.pid);
  }, 60_000);
});
