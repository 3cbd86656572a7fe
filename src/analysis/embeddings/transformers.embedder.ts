import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FeatureExtractionPipeline } from '@huggingface/transformers';
import { normalize, type Embedder } from './embedder.js';
import type { ModelEntry } from './manifest.js';

export class ModelMissingError extends Error {
  constructor(model: string, dir: string) {
    super(
      `model ${model} is not in ${dir}: place its files there (npm run models:fetch where a network exists); models are never downloaded at run time`,
    );
    this.name = 'ModelMissingError';
  }
}

/**
 * An ONNX sentence encoder run by transformers.js from MODELS_DIR, with remote loading disabled: mean or CLS
 * pooling and L2 normalisation as the manifest says, loaded once per process.
 */
export class TransformersEmbedder implements Embedder {
  readonly id: string;
  readonly dims: number;
  readonly languages: readonly string[];
  private extractor: Promise<FeatureExtractionPipeline> | undefined;

  constructor(
    private readonly modelsDir: string,
    private readonly entry: ModelEntry,
  ) {
    this.id = `${entry.id}@${entry.revision ?? 'local'}`;
    this.dims = entry.dims;
    this.languages = entry.languages;
  }

  private load(): Promise<FeatureExtractionPipeline> {
    this.extractor ??= (async () => {
      const path = this.entry.path ?? this.entry.id;
      if (!existsSync(join(this.modelsDir, path, 'config.json')))
        throw new ModelMissingError(this.entry.id, join(this.modelsDir, path));
      const { env, pipeline } = await import('@huggingface/transformers');
      env.allowRemoteModels = false;
      env.allowLocalModels = true;
      env.localModelPath = this.modelsDir.endsWith('/') ? this.modelsDir : `${this.modelsDir}/`;
      return (await pipeline('feature-extraction', path, {
        dtype: this.entry.dtype ?? 'fp32',
      })) as FeatureExtractionPipeline;
    })();
    return this.extractor;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const extractor = await this.load();
    const prefix = this.entry.prefix ?? '';
    const output = await extractor(
      texts.map((t) => prefix + (t.trim() || '.')),
      {
        pooling: this.entry.pooling === 'cls' ? 'cls' : 'mean',
        normalize: false,
      },
    );
    const data = output.data as Float32Array;
    const [rows, dims] = output.dims as [number, number];
    if (dims !== this.dims)
      throw new Error(`model ${this.entry.id} gives ${dims} dimensions, the manifest says ${this.dims}`);
    return Array.from({ length: rows }, (_, i) => {
      const v = data.slice(i * dims, (i + 1) * dims);
      return this.entry.normalize ? normalize(v) : v;
    });
  }
}
