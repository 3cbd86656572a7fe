import * as ort from 'onnxruntime-node';
import { FLOAT, graphName, initializer, INT64, model, node, valueInfo } from './embeddings/onnx-proto.js';

export interface Neighbour {
  index: number;
  score: number;
}

/**
 * Exact maximum inner product search over a fixed set of unit vectors: one ONNX graph (MatMul, then TopK) run by
 * onnxruntime on one thread, so a document's queries are scored against every row in a single native matrix
 * product instead of row by row in JavaScript.
 */
export class NearestVectors {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly size: number,
    readonly dims: number,
    readonly k: number,
  ) {}

  static async create(vectors: Float32Array[], dims: number, k: number): Promise<NearestVectors> {
    const n = vectors.length;
    if (n === 0) throw new Error('no vectors to search');
    // the matrix transposed (dims × n), so that queries × matrix gives every score at once
    const matrix = new Float32Array(dims * n);
    vectors.forEach((v, i) => {
      for (let d = 0; d < dims; d++) matrix[d * n + i] = v[d]!;
    });
    const limit = Math.min(k, n);
    const bytes = model([
      node(['queries', 'matrix'], ['scores'], 'MatMul'),
      node(['scores', 'k'], ['values', 'indices'], 'TopK'),
      graphName('nearest-vectors'),
      initializer('matrix', [dims, n], FLOAT, matrix),
      initializer('k', [1], INT64, new BigInt64Array([BigInt(limit)])),
      valueInfo(11, 'queries', FLOAT, ['queries', dims]),
      valueInfo(12, 'values', FLOAT, ['queries', limit]),
      valueInfo(12, 'indices', INT64, ['queries', limit]),
    ]);
    const session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    return new NearestVectors(session, n, dims, limit);
  }

  /** For each query, the `k` most similar rows, best first. */
  async search(queries: Float32Array[]): Promise<Neighbour[][]> {
    if (queries.length === 0) return [];
    const input = new Float32Array(queries.length * this.dims);
    queries.forEach((q, i) => input.set(q, i * this.dims));
    const out = await this.session.run({ queries: new ort.Tensor('float32', input, [queries.length, this.dims]) });
    const values = out['values']!.data as Float32Array;
    const indices = out['indices']!.data as BigInt64Array;
    return queries.map((_, q) => {
      const row: Neighbour[] = [];
      for (let j = 0; j < this.k; j++)
        row.push({ index: Number(indices[q * this.k + j]), score: values[q * this.k + j]! });
      return row;
    });
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
