import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/base/paths.js';
import { formatTable, runEval, type MetricRow } from '../../src/interfaces/eval/run.js';
import { fixtureAnalyzer } from '../helpers/context.js';

const BENCH = join(PROJECT_ROOT, 'test', 'fixtures', 'bench');

describe('eval on a benchmark directory of the official formats', () => {
  let rows: MetricRow[];
  const predictions = mkdtempSync(join(tmpdir(), 'radar-pred-'));

  beforeAll(async () => {
    const { analyzer, taxonomy } = await fixtureAnalyzer();
    rows = await runEval({
      benchDir: BENCH,
      skills: taxonomy.skills,
      analyzer,
      embedder: null,
      cacheDir: mkdtempSync(join(tmpdir(), 'radar-cache-')),
      predictionsDir: predictions,
    });
  });

  it('finds every benchmark by pattern and scores project and baseline', () => {
    expect(rows.map((r) => `${r.benchmark} ${r.metric}`)).toEqual([
      'mini_validation_annotations RP@5',
      'mini_validation_annotations RP@10',
      'mini_validation_annotations MRR',
      'mini_q_en_c_en MAP',
      'mini_q_en_c_en MRR',
      'dev (matchers) F1 skill',
      'dev (matchers) F1 knowledge',
    ]);
    const rp5 = rows[0]!;
    expect(rp5.n).toBe(3);
    expect(rp5.project).toBe(1);
    expect(rp5.baseline).toBeGreaterThan(0);
    const map = rows[3]!;
    expect(map.n).toBe(2);
    expect(map.project).toBe(1);
    // the baseline is the longest match of train.json's spans, here the same sentences as dev.json
    expect(rows[5]!.baseline).toBe(1);
    expect(rows[6]!.baseline).toBe(1);
    expect(formatTable(rows)).toMatch(/mini_q_en_c_en\s+MAP\s+2\s+100\.0/);
  });

  it('writes the rankings and spans it scored, one JSONL file per input', () => {
    expect(readdirSync(predictions).sort()).toEqual([
      'dev.jsonl',
      'mini_q_en_c_en.jsonl',
      'mini_validation_annotations.jsonl',
    ]);
    const linking = readFileSync(join(predictions, 'mini_validation_annotations.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { sentence: string; ranking: string[] });
    expect(linking).toHaveLength(3);
    expect(linking[0]!.ranking).toHaveLength(8);
    expect(linking.find((l) => l.sentence.includes('forklift'))?.ranking[0]).toBe('operate forklift');
    const occ = readFileSync(join(predictions, 'mini_q_en_c_en.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { qid: string; ranking: string[] });
    expect(occ.map((o) => o.qid)).toEqual(['Q1', 'Q2']);
    expect(occ[0]!.ranking.slice(0, 2).sort()).toEqual(['C1_en_000', 'C1_en_001']);
    const spans = readFileSync(join(predictions, 'dev.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { idx: number; skill_spans: number[][]; knowledge_spans: number[][] });
    expect(spans[0]).toEqual({ idx: 1, skill_spans: [[2, 5]], knowledge_spans: [[7, 8]] });
    expect(spans[1]).toEqual({ idx: 2, skill_spans: [], knowledge_spans: [[1, 3]] });
    expect(rows[5]!.project).toBe(1);
    expect(rows[6]!.project).toBe(1);
  });
});
