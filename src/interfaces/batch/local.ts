import { once } from 'node:events';
import { rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../base/config.js';
import { ChildPool, snapshotInChild, type LogSink } from './child-pool.js';
import { formatOf, openInput, readRecords, type InputFormat } from './input.js';
import { RowError, toAd, type BatchAd, type FieldOptions } from './records.js';
import { runFiles } from './resume.js';

export interface ClassifyOptions {
  /** a file (.jsonl, .ndjson, .csv, optionally .gz) or "-" for stdin */
  input: string;
  inputFormat?: InputFormat | undefined;
  /** results file; absent → stdout (not resumable) */
  out?: string | undefined;
  format: 'jsonl' | 'csv';
  /** rows that could not be classified, one JSON line each; default `<out>.errors.jsonl` */
  errors?: string | undefined;
  fields: Omit<FieldOptions, 'maxChars'>;
  /** analysis processes; default the number of cores */
  workers: number;
  chunkSize?: number;
  signal?: AbortSignal;
  onProgress?: (p: ClassifyProgress) => void;
  /** the analysis processes' log lines (default stderr) */
  onLog?: LogSink;
}

export interface ClassifyProgress {
  /** rows read from the input so far (this run) */
  read: number;
  written: number;
  failed: number;
  /** already in the output file from an earlier run */
  resumed: number;
  inFlight: number;
  bytesRead: number;
  size: number | undefined;
  elapsedMs: number;
}

export interface ClassifySummary extends ClassifyProgress {
  interrupted: boolean;
  /** ads written per second once the analysis processes were ready */
  adsPerSecond: number;
  /** seconds to load the taxonomy and start the processes */
  loadSeconds: number;
  semantic: string | null;
  /** peak resident memory of this process and of each analysis process */
  maxRssMiB: { parent: number; children: number[] };
  /** CPU seconds of this process and of each analysis process while classifying (loading not included) */
  cpuSeconds: { parent: number; children: number[] };
  errorsFile: string;
  /** the summary for people */
  lines: string[];
}

interface ErrorRow {
  row: number;
  line?: number | undefined;
  id?: string | undefined;
  reason: string;
}

/**
 * Classifies a dump on this machine: the taxonomy is read once (from DATABASE_URL, else a PGlite of its own under
 * DATA_DIR) and handed as a file to `workers` child processes, and chunks of ads are spread over them. Input and output stream, at most two chunks per process are in flight, so memory does not
 * grow with the dump. Ads already in `out` are skipped (resume); an abort finishes the chunks in flight and
 * leaves complete lines.
 */
export async function classifyLocal(config: Config, options: ClassifyOptions): Promise<ClassifySummary> {
  const started = Date.now();
  const format = options.inputFormat ?? formatOf(options.input);
  if (!format)
    throw new RowError(
      `cannot tell the format of ${options.input}: name it .jsonl/.ndjson/.csv (or .gz), or pass --input-format`,
    );
  const { errorsFile, written, reported, openOutput, openErrors } = await runFiles(options);
  const out = openOutput();
  const errors = openErrors();
  const snapshotFile = join(tmpdir(), `radar-classify-${process.pid}-${Date.now()}.snapshot`);
  let semantic: string | null = null;
  const pool = new ChildPool();
  const progress: ClassifyProgress = {
    read: 0,
    written: 0,
    failed: 0,
    resumed: 0,
    inFlight: 0,
    bytesRead: 0,
    size: undefined,
    elapsedMs: 0,
  };
  const input = openInput(options.input);
  progress.size = input.size;
  let interrupted = false;
  let children: { maxRssMiB: number; cpuSeconds: number }[] = [];
  let classifyCpu = process.cpuUsage();
  let loadSeconds = 0;
  let classifyStarted = Date.now();
  const report = () => {
    progress.bytesRead = input.bytesRead();
    progress.inFlight = pool.inFlight;
    progress.elapsedMs = Date.now() - classifyStarted;
    options.onProgress?.({ ...progress });
  };
  const fail = (e: ErrorRow) => {
    progress.failed++;
    if (!reported.has(e.row)) errors.write(`${JSON.stringify(e)}\n`);
  };
  // the taxonomy and the analysis processes are loaded for the first ad left to classify: a finished run that is
  // given again only reads its input and output
  let loading: Promise<void> | undefined;
  const load = () =>
    (loading ??= (async () => {
      semantic = await snapshotInChild(config, snapshotFile, options.onLog);
      await pool.start(options.workers, snapshotFile, options.format, config, options.onLog);
      rmSync(snapshotFile, { force: true });
      loadSeconds = (Date.now() - started) / 1000;
      classifyStarted = Date.now();
      classifyCpu = process.cpuUsage();
    })());
  try {
    const timer = setInterval(report, 500);
    const seen = new Set<string>();
    const chunkSize = options.chunkSize ?? 20;
    let chunk: BatchAd[] = [];
    const pending = new Set<Promise<void>>();
    // chunks are written in the order they were read, so the output keeps the input's order
    const finished = new Map<number, Awaited<ReturnType<ChildPool['run']>>>();
    let dispatched = 0;
    let nextToWrite = 0;
    const writeFinished = () => {
      // the lines come as bytes (outside the JS heap) and are written as they are, corked into one system call
      out.cork();
      for (let results = finished.get(nextToWrite); results; results = finished.get(nextToWrite)) {
        finished.delete(nextToWrite++);
        for (const r of results) {
          if (r.output !== undefined) {
            out.write(r.output);
            progress.written++;
          } else fail({ row: r.row, id: r.id, reason: r.error ?? 'unknown' });
        }
      }
      process.nextTick(() => out.uncork());
    };
    const dispatch = async (ads: BatchAd[]) => {
      await load();
      await pool.slot();
      if (out.writableNeedDrain) await once(out, 'drain');
      const index = dispatched++;
      const p = pool.run(ads).then((results) => {
        finished.set(index, results);
        writeFinished();
      });
      pending.add(p);
      void p.finally(() => pending.delete(p));
    };
    try {
      for await (const item of readRecords(input.stream, format)) {
        if (options.signal?.aborted) {
          interrupted = true;
          break;
        }
        progress.read++;
        if (item.error !== undefined) {
          fail({ row: item.row, line: item.line, reason: item.error });
          continue;
        }
        let ad: BatchAd;
        try {
          ad = toAd(item.record, item.row, { ...options.fields, maxChars: config.MAX_TEXT_CHARS });
        } catch (err) {
          if (!(err instanceof RowError)) throw err;
          fail({ row: item.row, line: item.line, reason: err.message });
          continue;
        }
        if (seen.has(ad.id)) {
          fail({
            row: item.row,
            line: item.line,
            id: ad.id,
            reason: `duplicate id ${JSON.stringify(ad.id)} (an earlier row has it)`,
          });
          continue;
        }
        seen.add(ad.id);
        if (written.has(ad.id)) {
          progress.resumed++;
          continue;
        }
        chunk.push(ad);
        if (chunk.length >= chunkSize) {
          await dispatch(chunk);
          chunk = [];
        }
      }
      if (chunk.length > 0 && !interrupted) await dispatch(chunk);
    } finally {
      input.stream.destroy();
      await Promise.all(pending);
      clearInterval(timer);
    }
  } finally {
    children = await pool.stop();
    rmSync(snapshotFile, { force: true });
    await new Promise<void>((resolve) => errors.end(resolve));
    if (out !== process.stdout) await new Promise<void>((resolve) => (out as WriteStream).end(resolve));
    report();
  }
  const seconds = (Date.now() - classifyStarted) / 1000;
  const adsPerSecond = progress.written / Math.max(seconds, 1e-3);
  const maxRssMiB = {
    parent: Math.round(process.resourceUsage().maxRSS / 1024),
    children: children.map((c) => c.maxRssMiB),
  };
  const cpu = process.cpuUsage(classifyCpu);
  const cpuSeconds = { parent: (cpu.user + cpu.system) / 1e6, children: children.map((c) => c.cpuSeconds) };
  return {
    ...progress,
    interrupted,
    adsPerSecond,
    loadSeconds,
    semantic,
    maxRssMiB,
    cpuSeconds,
    errorsFile,
    lines: [
      loading
        ? `${interrupted ? 'interrupted: ' : ''}classified ${progress.written} ads in ${seconds.toFixed(1)} s: ${adsPerSecond.toFixed(1)} ads/s on ${options.workers} processes, ${semantic ? `lexical + ${semantic}` : 'lexical only'} (loading took ${loadSeconds.toFixed(1)} s)`
        : `${interrupted ? 'interrupted: ' : ''}nothing left to classify (nothing loaded)`,
      ...(progress.resumed ? [`${progress.resumed} ads were already in ${options.out ?? 'the output'}`] : []),
      progress.failed > 0 ? `${progress.failed} rows failed: see ${errorsFile}` : 'no row failed',
      `peak memory: ${maxRssMiB.parent} MiB here${maxRssMiB.children.length ? `, ${maxRssMiB.children.join(' + ')} MiB in the analysis processes` : ''}`,
    ],
  };
}
