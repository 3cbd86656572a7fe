import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/analysis/embeddings/embedder.js';
import { NearestVectors } from '../../src/analysis/nearest.js';

let seed = 7;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31 - 0.5;
const unit = (dims: number) => normalize(Float32Array.from({ length: dims }, random));

describe('exact nearest vectors (onnxruntime MatMul + TopK)', () => {
  it('gives the same neighbours and scores as a brute-force scan', async () => {
    const dims = 24;
    const rows = Array.from({ length: 500 }, () => unit(dims));
    const queries = Array.from({ length: 30 }, () => unit(dims));
    const nearest = await NearestVectors.create(rows, dims, 3);
    const found = await nearest.search(queries);
    queries.forEach((q, i) => {
      const scored = rows
        .map((r, index) => ({ index, score: r.reduce((s, x, d) => s + x * q[d]!, 0) }))
        .sort((a, b) => b.score - a.score);
      expect(found[i]!.map((n) => n.index)).toEqual(scored.slice(0, 3).map((s) => s.index));
      found[i]!.forEach((n, j) => expect(n.score).toBeCloseTo(scored[j]!.score, 5));
    });
    await nearest.close();
  });

  it('asks for no more neighbours than there are rows, and answers no queries with nothing', async () => {
    const nearest = await NearestVectors.create([unit(8), unit(8)], 8, 5);
    expect(nearest.k).toBe(2);
    expect((await nearest.search([unit(8)]))[0]).toHaveLength(2);
    expect(await nearest.search([])).toEqual([]);
    await nearest.close();
  });
});
