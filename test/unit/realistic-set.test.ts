import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Analyzer } from '../../src/analysis/analyzer.js';
import type { TaxonomyData } from '../../src/domain/taxonomy.js';
import { readRealisticSet, scoreRealistic } from '../../src/interfaces/eval/realistic.js';
import { fixtureAnalyzer } from '../helpers/context.js';

const PYTHON = 'Python (computer programming)';

const passage = (fields: Record<string, unknown>) =>
  JSON.stringify({ split: 'test', language: 'fi', kind: 'meeting_note', date: '2026-11-01', ...fields });

describe('the realistic set', () => {
  let analyzer: Analyzer;
  let taxonomy: TaxonomyData;
  let dir: string;

  beforeAll(async () => {
    ({ analyzer, taxonomy } = await fixtureAnalyzer());
    dir = mkdtempSync(join(tmpdir(), 'realistic-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stops at a malformed passage or an unknown skill label, naming file and line', () => {
    writeFileSync(join(dir, 'fi.jsonl'), `${passage({ id: 'a', text: 'x', skills: [], occupations: [] })}\n{"id":`);
    expect(() => readRealisticSet(dir, taxonomy.skills)).toThrow(/^fi\.jsonl:2: not JSON/);
    writeFileSync(
      join(dir, 'fi.jsonl'),
      passage({ id: 'a', text: 'x', skills: [{ label: 'welding', polarity: 'need' }], occupations: [] }),
    );
    expect(() => readRealisticSet(dir, taxonomy.skills)).toThrow(/fi\.jsonl:1: "welding" is no ESCO skill/);
  });

  /** The welder note with its gold (MIG welding, or what `mig` accepts for it), and the test half's scores. */
  const scoreWelderNote = (mig: Record<string, unknown> = {}) => {
    writeFileSync(
      join(dir, 'fi.jsonl'),
      [
        passage({
          id: 'one',
          text: 'Pulaa on hitsaajista. Tarvitaan hitsaustekniikat ja Python-ohjelmointia.',
          skills: [
            { label: 'welding techniques', polarity: 'need' },
            { label: 'perform metal inert gas welding', polarity: 'need', ...mig },
          ],
          occupations: [{ isco: '7212', polarity: 'need', horizon: 'current' }],
        }),
        passage({ id: 'two', split: 'dev', text: 'Hitsaajia on liikaa.', skills: [], occupations: [] }),
      ].join('\n'),
    );
    const rows = scoreRealistic(analyzer, taxonomy, readRealisticSet(dir, taxonomy.skills), 'test');
    return { rows, value: (metric: string) => rows.find((r) => r.metric === metric)!.project };
  };

  it('scores counted skills, occupations, polarity and demand against the gold of each passage', () => {
    const { rows, value } = scoreWelderNote();
    expect(rows.every((r) => r.benchmark === 'realistic fi test' && r.n === 1)).toBe(true);
    // found: welding techniques (right) and Python (not in the gold); MIG welding missed
    expect(value('skills P')).toBe(0.5);
    expect(value('skills R')).toBe(0.5);
    expect([value('occupations P'), value('occupations R'), value('occ. polarity')]).toEqual([1, 1, 1]);
    // demand, skills and occupations apart: welding techniques and Python as needs against both gold skills;
    // the welder as a need
    expect([value('skill demand P'), value('skill demand R')]).toEqual([0.5, 0.5]);
    expect([value('occ. demand P'), value('occ. demand R')]).toEqual([1, 1]);
  });

  it('takes an accepted alternative of a gold skill as that skill', () => {
    const { value } = scoreWelderNote({ or: [PYTHON] });
    expect([value('skills P'), value('skills R'), value('skill demand P'), value('skill demand R')]).toEqual([
      1, 1, 1, 1,
    ]);
  });
});
