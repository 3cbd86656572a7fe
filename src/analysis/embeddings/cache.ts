import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { embedAll, type Embedder } from './embedder.js';

/**
 * Embeddings of a fixed list of texts (taxonomy labels, a benchmark's corpus), computed once and kept on disk.
 * The file name holds the model id, a caller's key (e.g. the taxonomy version) and a hash of the texts.
 */
/** The cache file of a list of texts' embeddings; derived data (an index over them) is kept beside it. */
export function embeddingsCacheFile(embedder: Embedder, dir: string, key: string, texts: string[]): string {
  const hash = createHash('sha256')
    .update(embedder.id)
    .update('\0')
    .update(texts.join('\n'))
    .digest('hex')
    .slice(0, 16);
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');
  return join(dir, `${safe(embedder.id)}-${safe(key)}-${hash}.f32`);
}

/** Writes a cache file atomically (a reader never sees half a file, concurrent writers do not clash). */
export function writeCacheFile(file: string, data: Buffer): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

export async function cachedEmbeddings(
  embedder: Embedder,
  dir: string,
  key: string,
  texts: string[],
  progress?: (done: number, total: number) => void,
): Promise<Float32Array[]> {
  const file = embeddingsCacheFile(embedder, dir, key, texts);
  const dims = embedder.dims;
  if (existsSync(file)) {
    const buf = readFileSync(file);
    if (buf.byteLength === texts.length * dims * 4) {
      const all = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
      return texts.map((_, i) => all.slice(i * dims, (i + 1) * dims));
    }
  }
  const vectors = await embedAll(embedder, texts, Math.max(64, embedder.parallelism ?? 0), progress);
  const all = new Float32Array(texts.length * dims);
  vectors.forEach((v, i) => all.set(v, i * dims));
  writeCacheFile(file, Buffer.from(all.buffer));
  return vectors;
}
