import type { Embedder } from './embedder.js';
import { readManifest } from './manifest.js';
import { TransformersEmbedder } from './transformers.embedder.js';
import { UniversalSentenceEncoder } from './use.embedder.js';

/** The encoder named by SEMANTIC_MODEL (a manifest id), or null for `none`; `threads` for an encoder run in threads. */
export function createEmbedder(model: string, modelsDir: string, threads = 1): Embedder | null {
  if (model === 'none') return null;
  const entry = readManifest(modelsDir).find((m) => m.id === model);
  if (!entry)
    throw new Error(
      `SEMANTIC_MODEL=${model} is not in models/manifest.json (known: ${readManifest(modelsDir)
        .map((m) => m.id)
        .join(', ')}, none)`,
    );
  return entry.backend === 'use' ? new UniversalSentenceEncoder(threads) : new TransformersEmbedder(modelsDir, entry);
}
