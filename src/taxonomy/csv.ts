import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';

/** A problem in one source file, with where it is and why: stops the import. */
export class TaxonomyFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${reason}`);
    this.name = 'TaxonomyFileError';
  }
}

export interface CsvRow {
  /** line of the record's start in the file (1-based) */
  line: number;
  get(column: string): string;
}

export interface CsvOptions {
  required: string[];
  /** ESCO ships rows that omit trailing empty columns; accept those */
  lenientTrailing?: boolean;
}

/** Streams the records of a `.csv` or `.csv.gz` file (RFC 4180, header row), checking the header. */
export async function* readCsv(path: string, options: CsvOptions): AsyncGenerator<CsvRow> {
  const file = basename(path);
  const input = createReadStream(path);
  const source = path.endsWith('.gz') ? input.pipe(createGunzip()) : input;
  const parser = source.pipe(
    parse({ bom: true, info: true, relax_column_count_less: options.lenientTrailing ?? false, skip_empty_lines: true }),
  );
  let header: string[] | undefined;
  let index = new Map<string, number>();
  try {
    for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const line = record.info.lines;
      if (!header) {
        header = record.record.map((h) => h.trim());
        index = new Map(header.map((h, i) => [h, i]));
        const missing = options.required.filter((c) => !index.has(c));
        if (missing.length > 0) throw new TaxonomyFileError(file, line, `missing column(s) ${missing.join(', ')}`);
        continue;
      }
      const values = record.record;
      yield {
        line,
        get(column: string) {
          const i = index.get(column);
          if (i === undefined) throw new TaxonomyFileError(file, line, `unknown column ${column}`);
          return (values[i] ?? '').trim();
        },
      };
    }
  } catch (err) {
    if (err instanceof TaxonomyFileError) throw err;
    const e = err as { code?: string; lines?: number; message?: string };
    if (e.code?.startsWith('CSV_')) throw new TaxonomyFileError(file, e.lines, e.message ?? String(err));
    if (e.code === 'Z_DATA_ERROR' || e.code === 'Z_BUF_ERROR')
      throw new TaxonomyFileError(file, undefined, `not valid gzip: ${e.message}`);
    throw err;
  }
  if (!header) throw new TaxonomyFileError(file, 1, 'empty file (no header row)');
}

/** ESCO multi-value cells hold one value per line. */
export function splitLines(cell: string): string[] {
  return cell
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
