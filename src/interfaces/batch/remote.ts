import { once } from 'node:events';
import { createReadStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BatchError, BatchStatus } from '../../storage/batches.repository.js';
import { formatOf, type InputFormat } from './input.js';
import { csvRow, type BatchResult } from './output.js';
import { RowError } from './records.js';
import { runFiles } from './resume.js';

export interface RemoteOptions {
  /** an API key of a contributor (or admin) of the organisation the ads belong to */
  apiKey: string;
  input: string;
  inputFormat?: InputFormat | undefined;
  out?: string | undefined;
  format: 'jsonl' | 'csv';
  errors?: string | undefined;
  fields: { textField?: string | undefined; idField?: string | undefined };
  signal?: AbortSignal;
  onProgress?: (p: { done: number; failed: number; total: number; elapsedMs: number; resumed: number }) => void;
  pollMs?: number;
}

export interface RemoteSummary {
  batchId: string;
  interrupted: boolean;
  written: number;
  resumed: number;
  failed: number;
  seconds: number;
  adsPerSecond: number;
  lines: string[];
}

const MEDIA: Record<InputFormat, string> = { jsonl: 'application/x-ndjson', csv: 'text/csv' };

/**
 * Classifies a dump through a running service: streams the file to POST /v1/batches, follows the batch until
 * every row is analysed (or the run is interrupted), then streams the results into `out`, skipping ads an
 * earlier run wrote. Uploading the same dump again reuses its documents, so a rerun only waits for what is left.
 */
export async function classifyRemote(server: string, options: RemoteOptions): Promise<RemoteSummary> {
  const started = Date.now();
  const base = server.replace(/\/+$/, '');
  const format = options.inputFormat ?? formatOf(options.input);
  if (!format)
    throw new RowError(
      `cannot tell the format of ${options.input}: name it .jsonl/.ndjson/.csv (or .gz), or pass --input-format`,
    );
  const { errorsFile, written, reported, openOutput, openErrors } = await runFiles(options);

  const auth = { authorization: `Bearer ${options.apiKey}` };
  const query = new URLSearchParams();
  if (options.fields.textField) query.set('textField', options.fields.textField);
  if (options.fields.idField) query.set('idField', options.fields.idField);
  const body = Readable.toWeb(
    options.input === '-' ? process.stdin : createReadStream(options.input),
  ) as WebReadableStream<Uint8Array>;
  const upload = await fetch(`${base}/v1/batches?${query}`, {
    method: 'POST',
    headers: { 'content-type': MEDIA[format], ...auth },
    body: body as unknown as RequestInit['body'],
    duplex: 'half',
  } as RequestInit & { duplex: 'half' });
  const uploaded = (await upload.json()) as BatchStatus & { message?: string };
  if (upload.status !== 202)
    throw new RowError(
      `the service refused the upload (${upload.status}): ${uploaded.message ?? JSON.stringify(uploaded)}`,
    );
  const batchId = uploaded.id;

  let status: BatchStatus = uploaded;
  const failedOf = (s: BatchStatus) => s.rejected + s.documents.failed;
  while (status.documents.queued + status.documents.processing > 0 && !options.signal?.aborted) {
    options.onProgress?.({
      done: status.documents.done + failedOf(status),
      failed: failedOf(status),
      total: status.rows,
      elapsedMs: Date.now() - started,
      resumed: written.size,
    });
    await sleep(options.pollMs ?? 1_000);
    const res = await fetch(`${base}/v1/batches/${batchId}`, { headers: auth });
    if (res.ok) status = (await res.json()) as BatchStatus;
  }
  options.onProgress?.({
    done: status.documents.done + failedOf(status),
    failed: failedOf(status),
    total: status.rows,
    elapsedMs: Date.now() - started,
    resumed: written.size,
  });

  // the results (whatever is done when interrupted), then the failed rows
  const out = openOutput();
  let count = 0;
  let resumed = 0;
  for await (const line of ndjson(`${base}/v1/batches/${batchId}/results`, auth)) {
    const result = JSON.parse(line) as BatchResult;
    if (written.has(result.id)) {
      resumed++;
      continue;
    }
    written.add(result.id);
    count++;
    if (!out.write(options.format === 'csv' ? csvRow(result) : `${line}\n`)) await once(out, 'drain');
  }
  const errors = openErrors();
  let failed = 0;
  for await (const line of ndjson(`${base}/v1/batches/${batchId}/errors`, auth)) {
    const e = JSON.parse(line) as BatchError;
    failed++;
    if (!reported.has(e.row)) errors.write(`${line}\n`);
  }
  await new Promise<void>((resolve) => errors.end(resolve));
  if (out !== process.stdout) await new Promise<void>((resolve) => (out as WriteStream).end(resolve));

  const seconds = (Date.now() - started) / 1000;
  const interrupted = Boolean(options.signal?.aborted) && status.documents.queued + status.documents.processing > 0;
  const adsPerSecond = status.documents.done / Math.max(seconds, 1e-3);
  return {
    batchId,
    interrupted,
    written: count,
    resumed,
    failed,
    seconds,
    adsPerSecond,
    lines: [
      `batch ${batchId} on ${base}: ${status.rows} rows, ${status.documents.done} analysed, ${count} written${options.out ? ` to ${options.out}` : ''} in ${seconds.toFixed(1)} s (${adsPerSecond.toFixed(1)} ads/s)` +
        (interrupted
          ? `; interrupted with ${status.documents.queued + status.documents.processing} still in the service's queue (rerun to collect them)`
          : ''),
      failed > 0 ? `${failed} rows failed: see ${errorsFile}` : 'no row failed',
    ],
  };
}

async function* ndjson(url: string, headers: Record<string, string>): AsyncGenerator<string> {
  const res = await fetch(url, { headers });
  if (!res.ok || !res.body) throw new Error(`GET ${url}: ${res.status}`);
  for await (const line of createInterface({
    input: Readable.fromWeb(res.body as WebReadableStream<Uint8Array>),
    crlfDelay: Infinity,
  })) {
    if (line.trim()) yield line;
  }
}
