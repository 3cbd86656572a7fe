import {
  closeSync,
  createReadStream,
  createWriteStream,
  existsSync,
  fstatSync,
  ftruncateSync,
  openSync,
  readSync,
  statSync,
  type WriteStream,
} from 'node:fs';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { csvHeader } from './output.js';

/** What an earlier run of classify left in its output and errors files, so that a rerun carries on from there. */

const fileSize = (path: string) => (existsSync(path) ? statSync(path).size : 0);

/** Cuts a file back to its last complete line (a run killed mid-write leaves half a line). */
function dropPartialLine(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    const size = fstatSync(fd).size;
    const tail = Buffer.alloc(Math.min(size, 1 << 20));
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - tail.length);
      readSync(fd, tail, 0, end - start, start);
      const nl = tail.subarray(0, end - start).lastIndexOf(0x0a);
      if (nl >= 0) {
        if (start + nl + 1 < size) ftruncateSync(fd, start + nl + 1);
        return;
      }
      end = start;
    }
    ftruncateSync(fd, 0);
  } finally {
    closeSync(fd);
  }
}

/** The ids already written to an output file of an earlier run. */
async function writtenIds(path: string, format: 'jsonl' | 'csv'): Promise<Set<string>> {
  const ids = new Set<string>();
  if (!existsSync(path)) return ids;
  dropPartialLine(path);
  if (format === 'jsonl') {
    for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
      if (!line.trim()) continue;
      const id = (JSON.parse(line) as { id?: unknown }).id;
      if (typeof id === 'string') ids.add(id);
    }
  } else {
    for await (const record of createReadStream(path).pipe(
      parse({ columns: true, skip_empty_lines: true, relax_column_count: true }),
    )) {
      const id = (record as { id?: string }).id;
      if (id) ids.add(id);
    }
  }
  return ids;
}

/** Rows already in the errors file, so that a rerun does not report them twice. */
async function reportedRows(path: string): Promise<Set<number>> {
  const rows = new Set<number>();
  if (!existsSync(path)) return rows;
  dropPartialLine(path);
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    if (!line.trim()) continue;
    const row = (JSON.parse(line) as { row?: unknown }).row;
    if (typeof row === 'number') rows.add(row);
  }
  return rows;
}

/** Where a classify run writes, and what an earlier run with the same files already did. */
export interface RunFiles {
  errorsFile: string;
  /** ids already in the output file */
  written: Set<string>;
  /** rows already in the errors file */
  reported: Set<number>;
  /** opens the output for appending (stdout without `out`), with the CSV header when the file is new */
  openOutput(): WriteStream | NodeJS.WriteStream;
  openErrors(): WriteStream;
}

export async function runFiles(options: {
  out?: string | undefined;
  format: 'jsonl' | 'csv';
  errors?: string | undefined;
}): Promise<RunFiles> {
  const { out, format } = options;
  const errorsFile = options.errors ?? (out ? `${out}.errors.jsonl` : 'classify.errors.jsonl');
  const written = out ? await writtenIds(out, format) : new Set<string>();
  const reported = await reportedRows(errorsFile);
  return {
    errorsFile,
    written,
    reported,
    openOutput() {
      const stream = out ? createWriteStream(out, { flags: 'a' }) : process.stdout;
      if (format === 'csv' && (!out || fileSize(out) === 0)) stream.write(csvHeader());
      return stream;
    },
    openErrors: () => createWriteStream(errorsFile, { flags: 'a' }),
  };
}
