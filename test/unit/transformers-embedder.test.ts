import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dot } from '../../src/analysis/embeddings/embedder.js';
import { createEmbedder } from '../../src/analysis/embeddings/index.js';
import { readManifest } from '../../src/analysis/embeddings/manifest.js';
import { ModelMissingError, TransformersEmbedder } from '../../src/analysis/embeddings/transformers.embedder.js';
import { PROJECT_ROOT } from '../../src/base/paths.js';
import { TINY_DIMS, TINY_VOCAB, tinyEmbeddings, writeTinyEncoder } from '../../scripts/make-tiny-encoder.js';

const MODELS = join(PROJECT_ROOT, 'test', 'fixtures', 'models');
const entry = {
  id: 'tiny-encoder',
  backend: 'transformers' as const,
  path: 'tiny-encoder',
  dims: TINY_DIMS,
  pooling: 'mean' as const,
  normalize: true,
  languages: ['en'],
  licence: 'MIT',
  source: 'scripts/make-tiny-encoder.ts',
};

/** Mean of the embedding rows of the tokens, [CLS] and [SEP] included, then unit length: what the model should give. */
function expected(words: string[]): number[] {
  const m = tinyEmbeddings();
  const ids = [2, ...words.map((w) => TINY_VOCAB.indexOf(w)), 3];
  const v = new Array<number>(TINY_DIMS).fill(0);
  for (const id of ids) for (let d = 0; d < TINY_DIMS; d++) v[d]! += m[id * TINY_DIMS + d]! / ids.length;
  const len = Math.hypot(...v);
  return v.map((x) => x / len);
}

describe('transformers.js backend on a tiny generated ONNX encoder', () => {
  const embedder = new TransformersEmbedder(MODELS, entry);

  it('is the model the committed script generates', () => {
    const dir = mkdtempSync(join(tmpdir(), 'radar-tiny-'));
    writeTinyEncoder(dir);
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', join('onnx', 'model.onnx')]) {
      expect(readFileSync(join(dir, f)).equals(readFileSync(join(MODELS, 'tiny-encoder', f)))).toBe(true);
    }
  });

  it('mean-pools the token vectors under the attention mask and normalises them', async () => {
    const [v] = await embedder.embed(['We need a welder.']);
    expect(v).toHaveLength(TINY_DIMS);
    expect(dot(v!, v!)).toBeCloseTo(1, 5);
    const want = expected(['we', 'need', 'a', 'welder', '.']);
    for (let d = 0; d < TINY_DIMS; d++) expect(v![d]).toBeCloseTo(want[d]!, 5);
  });

  it('gives the same vectors batched (padded) as one by one, and for identical input', async () => {
    const texts = ['forklift', 'we need an experienced welder with welding skills .', 'forklift'];
    const batch = await embedder.embed(texts);
    expect(batch).toHaveLength(3);
    expect([...batch[2]!]).toEqual([...batch[0]!]);
    for (const [i, t] of texts.entries()) {
      const [single] = await embedder.embed([t]);
      for (let d = 0; d < TINY_DIMS; d++) expect(batch[i]![d]).toBeCloseTo(single![d]!, 5);
    }
    const want = expected(['forklift']);
    for (let d = 0; d < TINY_DIMS; d++) expect(batch[0]![d]).toBeCloseTo(want[d]!, 5);
  });

  it('maps unknown words to [UNK] and splits words into known pieces', async () => {
    const [v] = await embedder.embed(['welders']);
    const m = tinyEmbeddings();
    const ids = [2, TINY_VOCAB.indexOf('welder'), TINY_VOCAB.indexOf('##s'), 3];
    const want = new Array<number>(TINY_DIMS)
      .fill(0)
      .map((_, d) => ids.reduce((s, id) => s + m[id * TINY_DIMS + d]!, 0) / ids.length);
    const len = Math.hypot(...want);
    for (let d = 0; d < TINY_DIMS; d++) expect(v![d]).toBeCloseTo(want[d]! / len, 5);
  });

  it('never downloads: a model missing from MODELS_DIR is a clear error', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'radar-models-'));
    await expect(
      new TransformersEmbedder(empty, { ...entry, id: 'multilingual-e5-small', path: 'multilingual-e5-small' }).embed([
        'x',
      ]),
    ).rejects.toThrow(ModelMissingError);
    expect(readdirSync(empty)).toEqual([]);
  });

  it('chooses the backend from the manifest', () => {
    expect(readManifest(join(PROJECT_ROOT, 'models')).map((m) => m.id)).toEqual([
      'use-lite-en',
      'multilingual-e5-small',
    ]);
    expect(createEmbedder('none', MODELS)).toBeNull();
    expect(createEmbedder('use-lite-en', MODELS)?.id).toBe('use-lite-en@energetic-ai-0.2.0');
    expect(createEmbedder('multilingual-e5-small', MODELS)?.dims).toBe(384);
    expect(() => createEmbedder('gpt-9', MODELS)).toThrow(/not in models\/manifest.json/);
  });
});
