import { spansOfTags } from '../../src/analysis/span-tagger.js';
import { describe, expect, it } from 'vitest';
import { CharNgramIndex, topK } from '../../src/analysis/char-tfidf.js';
import { averagePrecision, reciprocalRank, rPrecisionAt, spanF1 } from '../../src/interfaces/eval/metrics.js';

describe('ranking metrics', () => {
  it('RP@K divides by min(K, |gold|)', () => {
    expect(rPrecisionAt(['a', 'x', 'b'], new Set(['a', 'b']), 5)).toBe(1);
    expect(rPrecisionAt(['x', 'a', 'y', 'z', 'w', 'b'], new Set(['a', 'b']), 5)).toBe(0.5);
    expect(rPrecisionAt(['a', 'b', 'c'], new Set(['a', 'b', 'c', 'd', 'e', 'f']), 2)).toBe(1);
  });

  it('MRR and average precision', () => {
    expect(reciprocalRank(['x', 'y', 'a'], new Set(['a']))).toBeCloseTo(1 / 3);
    expect(reciprocalRank(['x'], new Set(['a']))).toBe(0);
    expect(averagePrecision(['a', 'x', 'b'], new Set(['a', 'b']))).toBeCloseTo((1 + 2 / 3) / 2);
    expect(averagePrecision(['a'], new Set(['a', 'b']))).toBeCloseTo(0.5);
  });

  it('spans from BIO tags and strict span F1', () => {
    expect(spansOfTags(['O', 'B', 'I', 'O', 'B', 'B', 'I'])).toEqual([
      [1, 3],
      [4, 5],
      [5, 7],
    ]);
    expect(spansOfTags(['I', 'I', 'O'])).toEqual([[0, 2]]);
    const f = spanF1(
      [
        [
          [1, 3],
          [4, 5],
        ],
      ],
      [
        [
          [1, 3],
          [5, 7],
        ],
      ],
    );
    expect(f).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5 });
  });
});

describe('character n-gram TF-IDF', () => {
  it('ranks the closest text first and gives cosine 1 to an identical text', () => {
    const index = new CharNgramIndex(['operate forklift', 'welding techniques', 'customer service']);
    const scores = index.scores('welding techniques');
    expect(scores[1]).toBeCloseTo(1, 5);
    expect(topK(index.scores('forklift driver'), 2)[0]).toBe(0);
    expect(topK(new Float32Array([0.1, 0.9, 0.5, 0.7]), 3)).toEqual([1, 3, 2]);
    expect([...index.scores('zzzz')]).toEqual([0, 0, 0]);
  });
});
