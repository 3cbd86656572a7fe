import { createReadStream, statSync } from 'node:fs';
import { PassThrough, Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse, CsvError } from 'csv-parse';

export type InputFormat = 'jsonl' | 'csv';

/** A record of the dump, or why the row could not be read. */
export interface InputItem {
  /** 1-based position among the dump's records */
  row: number;
  /** the line it starts on */
  line: number;
  record?: unknown;
  error?: string;
}

/** jsonl for .jsonl/.ndjson/.json, csv for .csv (also with .gz), else `fallback`. */
export function formatOf(name: string, fallback?: InputFormat): InputFormat | undefined {
  const base = name.toLowerCase().replace(/\.gz$/, '');
  if (/\.(jsonl|ndjson|json)$/.test(base)) return 'jsonl';
  if (/\.(csv|tsv)$/.test(base)) return 'csv';
  return fallback;
}

/** Decompresses gzip (recognised by its magic bytes, whatever the name) and passes anything else through. */
export function gunzipIfNeeded(source: Readable): Readable {
  const out = new PassThrough();
  let decided = false;
  const sniff = new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (!decided) {
        decided = true;
        if (chunk[0] === 0x1f && chunk[1] === 0x8b) {
          const gunzip = createGunzip();
          gunzip.on('error', (err) => out.destroy(err));
          this.unpipe(out);
          this.pipe(gunzip).pipe(out);
        }
      }
      done(null, chunk);
    },
  });
  source.on('error', (err) => out.destroy(err));
  source.pipe(sniff).pipe(out);
  return out;
}

/** A file (or stdin for "-") as a stream, with how far reading has got, for progress. */
export function openInput(path: string): { stream: Readable; size: number | undefined; bytesRead: () => number } {
  const raw = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: 256 * 1024 });
  let bytes = 0;
  raw.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  return { stream: gunzipIfNeeded(raw), size: path === '-' ? undefined : statSync(path).size, bytesRead: () => bytes };
}

/** The longest line of a JSON Lines dump (and the longest CSV record): a 100,000-character text fits many times. */
export const MAX_RECORD_BYTES = 8 * 1024 * 1024;

/** The records of a JSON Lines or CSV stream, one at a time, with a per-row error for each row that cannot be read. */
export async function* readRecords(
  stream: Readable,
  format: InputFormat,
  maxRecordBytes = MAX_RECORD_BYTES,
): AsyncGenerator<InputItem> {
  if (format === 'jsonl') yield* readJsonLines(stream, maxRecordBytes);
  else yield* readCsv(stream, maxRecordBytes);
}

/**
 * The lines of a stream (without their \r\n or \n). A line longer than `maxBytes` is not kept: its bytes are
 * dropped as they arrive and only its length is given, so no line, however long, fills the memory.
 */
export async function* boundedLines(
  stream: Readable,
  maxBytes: number,
): AsyncGenerator<{ text: string } | { tooLong: number }> {
  let parts: Buffer[] = [];
  let size = 0;
  const line = () => {
    const done =
      size > maxBytes ? { tooLong: size } : { text: Buffer.concat(parts).toString('utf8').replace(/\r$/, '') };
    parts = [];
    size = 0;
    return done;
  };
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    for (let start = 0; start <= buf.length;) {
      const nl = buf.indexOf(0x0a, start);
      const end = nl === -1 ? buf.length : nl;
      size += end - start;
      if (size <= maxBytes) parts.push(buf.subarray(start, end));
      else parts = [];
      if (nl === -1) break;
      yield line();
      start = nl + 1;
    }
  }
  if (size > 0) yield line();
}

async function* readJsonLines(stream: Readable, maxBytes: number): AsyncGenerator<InputItem> {
  let line = 0;
  let row = 0;
  for await (const read of boundedLines(stream, maxBytes)) {
    line++;
    if ('tooLong' in read) {
      yield { row: ++row, line, error: `the line is ${read.tooLong} bytes long; the limit is ${maxBytes}` };
      continue;
    }
    const text = read.text;
    if (!/\S/.test(text)) continue;
    row++;
    try {
      yield { row, line, record: JSON.parse(line === 1 ? text.replace(/^\uFEFF/, '') : text) as unknown };
    } catch (err) {
      yield { row, line, error: `not valid JSON: ${(err as Error).message}` };
    }
  }
}

async function* readCsv(stream: Readable, maxBytes: number): AsyncGenerator<InputItem> {
  // the parser reports a broken row as soon as it meets it, ahead of records it has not handed out yet: rows are
  // numbered as they are handed out, in line order
  const skipped: { line: number; error: string }[] = [];
  let row = 0;
  const parser = stream.pipe(
    parse({
      columns: true,
      bom: true,
      info: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      max_record_size: maxBytes,
    }),
  );
  parser.on('skip', (err: CsvError & { lines?: number }) => {
    skipped.push({ line: err.lines ?? 0, error: `broken CSV row: ${err.message}` });
  });
  const skippedBefore = function* (line: number): Generator<InputItem> {
    while (skipped.length > 0 && skipped[0]!.line < line) {
      const s = skipped.shift()!;
      yield { row: ++row, line: s.line, error: s.error };
    }
  };
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      yield* skippedBefore(info.lines);
      // the line where the record ends (a quoted field may span several)
      yield { row: ++row, line: info.lines, record };
    }
  } catch (err) {
    yield* skippedBefore(Infinity);
    if (!(err instanceof CsvError)) throw err;
    yield {
      row: ++row,
      line: (err as CsvError & { lines?: number }).lines ?? 0,
      error: `the CSV cannot be read from here on: ${err.message}`,
    };
    return;
  }
  yield* skippedBefore(Infinity);
}
