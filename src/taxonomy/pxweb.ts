import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OccupationStatistic } from '../domain/statistics.js';
import { DIMENSIONS, fromJsonStat, MEASURES, type StatisticsFile } from './statistics.js';

/**
 * Table 12ti of the employment service statistics straight from Statistics Finland's PxWeb API (v1 protocol): the
 * table's metadata names its variables and values, the figures come in JSON-stat2 answers, queries are cut under
 * the API's cell limit and sent no faster than its call limit allows.
 */
export const STATFIN_12TI = 'https://pxdata.stat.fi/PxWeb/api/v1/fi/StatFin/tyonv/12ti.px';

/** The limits Statistics Finland states for its API, used where its configuration does not answer. */
const DEFAULT_LIMITS = { maxCells: 120_000, maxCalls: 40, windowMs: 60_000 };

/** The most cells one download holds in memory and imports as one release: every region is that for ~3 years. */
const MAX_CELLS = 10_000_000;

export interface PxWebDownload {
  /** the table's URL in the API */
  table?: string;
  /** the first month wanted, YYYY-MM; all the table has when absent */
  from?: string;
  /** the regions wanted: the country and the maakunnat (default), every region, or a list of codes */
  regions?: 'maakunnat' | 'all' | string[];
  /** told after each answer: how many queries are done of how many */
  progress?: (done: number, total: number) => void;
  /** the HTTP client; the platform's fetch by default */
  fetch?: typeof fetch;
}

/** A variable of a table as the API's metadata describes it. */
interface PxVariable {
  code: string;
  text: string;
  values: string[];
  valueTexts?: string[];
  time?: boolean;
}

/** One query of the table: the values selected per variable. */
export type PxSelection = { code: string; values: string[] }[];

/** The API refused or failed in a way waiting does not mend. */
export class PxWebError extends Error {}

/**
 * Calls no more than `maxCalls` in any `windowMs`: the API answers 429 past its limit. A call counts from when its
 * answer came (`done`), the latest the API can have counted it, so a slow answer never lets the next call in early.
 */
class CallWindow {
  private readonly calls: number[] = [];
  constructor(
    private readonly maxCalls: number,
    private readonly windowMs: number,
  ) {}

  async take(): Promise<void> {
    for (;;) {
      const now = Date.now();
      while (this.calls.length > 0 && now - this.calls[0]! >= this.windowMs) this.calls.shift();
      if (this.calls.length < this.maxCalls) {
        this.calls.push(Infinity);
        return;
      }
      await sleep(Math.min(this.windowMs, this.windowMs - (now - this.calls[0]!)) + 5);
    }
  }

  /** The call begun last has been answered. */
  done(): void {
    const at = this.calls.lastIndexOf(Infinity);
    if (at >= 0) this.calls[at] = Date.now();
  }
}

/**
 * Cuts a query into queries of at most `maxCells` cells: by the first variable of `order` first (months), a
 * slice as large as fits; where one value of it is already too much, that variable a value at a time and the next
 * one cut the same way.
 */
export function chunkSelection(selection: PxSelection, maxCells: number, order: string[]): PxSelection[] {
  const cells = (s: PxSelection) => s.reduce((n, v) => n * v.values.length, 1);
  if (cells(selection) <= maxCells) return [selection];
  const code = order.find((c) => (selection.find((v) => v.code === c)?.values.length ?? 0) > 1);
  if (code === undefined) throw new PxWebError(`one cell per value is still more than ${maxCells} cells`);
  const variable = selection.find((v) => v.code === code)!;
  const perValue = cells(selection) / variable.values.length;
  const size = Math.max(1, Math.floor(maxCells / perValue));
  const parts: PxSelection[] = [];
  for (let i = 0; i < variable.values.length; i += size) {
    const part = selection.map((v) => (v.code === code ? { code, values: variable.values.slice(i, i + size) } : v));
    parts.push(...(size === 1 && perValue > maxCells ? chunkSelection(part, maxCells, order) : [part]));
  }
  return parts;
}

/** Downloads the table's figures of open vacancies and unemployed jobseekers as one release. */
export async function downloadStatistics(options: PxWebDownload = {}): Promise<StatisticsFile> {
  const table = options.table ?? STATFIN_12TI;
  const http = options.fetch ?? fetch;
  const limits = await limitsOf(table, http);
  const window = new CallWindow(limits.maxCalls, limits.windowMs);

  const call = async (init?: RequestInit): Promise<string> => {
    for (let attempt = 1; ; attempt++) {
      await window.take();
      let response: Response;
      let body: string;
      try {
        response = await http(table, init);
        body = await response.text();
      } catch (err) {
        window.done();
        if (attempt >= 4) throw new PxWebError(`${table}: ${(err as Error).message}`);
        await sleep(1000 * attempt);
        continue;
      }
      window.done();
      if (response.ok) return body;
      // over the call limit, or the service failing for a moment: wait a window and ask again
      if ((response.status === 429 || response.status >= 500) && attempt < 4) {
        await sleep(response.status === 429 ? limits.windowMs : 1000 * attempt);
        continue;
      }
      throw new PxWebError(`${table} answered ${response.status}: ${body.slice(0, 200).trim()}`);
    }
  };

  const metadata = parseMetadata(table, await call());
  const selection = selectionOf(table, metadata.variables, options);
  const month = metadata.variables.find((v) => roleOf(v) === 'month')!.code;
  const region = metadata.variables.find((v) => roleOf(v) === 'region')!.code;
  const cells = selection.reduce((n, v) => n * v.values.length, 1);
  if (cells > MAX_CELLS)
    throw new PxWebError(
      `${table}: the selection holds ${cells.toLocaleString('en')} figures, more than one release takes (${MAX_CELLS.toLocaleString('en')}); narrow it with --from or --regions`,
    );
  const queries = chunkSelection(selection, limits.maxCells, [month, region]);

  const hash = createHash('sha256');
  const rows: OccupationStatistic[] = [];
  let done = 0;
  for (const query of queries) {
    const body = await call({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: query.map((v) => ({ code: v.code, selection: { filter: 'item', values: v.values } })),
        response: { format: 'json-stat2' },
      }),
    });
    hash.update(body);
    for (const row of fromJsonStat(table, body).rows) rows.push(row);
    options.progress?.(++done, queries.length);
  }
  return { file: table, contentHash: hash.digest('hex'), title: metadata.title, rows };
}

/** The API's limits from its configuration (`…/api/v1/fi/?config`), else the stated ones. */
async function limitsOf(table: string, http: typeof fetch): Promise<typeof DEFAULT_LIMITS> {
  const root = /^(.*\/api\/v1\/[a-z]{2})\//.exec(table)?.[1];
  if (!root) return DEFAULT_LIMITS;
  try {
    const response = await http(`${root}/?config`);
    if (!response.ok) return DEFAULT_LIMITS;
    const config = (await response.json()) as { maxValues?: number; maxCalls?: number; timeWindow?: number };
    const positive = (n: unknown, fallback: number) => (typeof n === 'number' && n > 0 ? n : fallback);
    return {
      maxCells: positive(config.maxValues, DEFAULT_LIMITS.maxCells),
      maxCalls: positive(config.maxCalls, DEFAULT_LIMITS.maxCalls),
      windowMs: positive(config.timeWindow, DEFAULT_LIMITS.windowMs / 1000) * 1000,
    };
  } catch {
    return DEFAULT_LIMITS;
  }
}

function parseMetadata(table: string, text: string): { title: string | null; variables: PxVariable[] } {
  let data: { title?: string; variables?: PxVariable[] };
  try {
    data = JSON.parse(text) as typeof data;
  } catch {
    throw new PxWebError(`${table} did not answer with the table's metadata (JSON)`);
  }
  if (!Array.isArray(data.variables) || data.variables.some((v) => !v.code || !Array.isArray(v.values)))
    throw new PxWebError(`${table}: the metadata lists no variables with codes and values`);
  return { title: data.title ?? null, variables: data.variables };
}

/** A variable's part in the table: the time variable is the month; the others by their code or text. */
function roleOf(v: PxVariable): (typeof DIMENSIONS)[number]['key'] | undefined {
  if (v.time) return 'month';
  return DIMENSIONS.find((d) => d.pattern.test(v.code) || d.pattern.test(v.text))?.key;
}

/** Every variable's values to ask for: the two measures, the months from `from`, the regions wanted, all groups. */
function selectionOf(table: string, variables: PxVariable[], options: PxWebDownload): PxSelection {
  for (const needed of ['month', 'region', 'occupation', 'measure'] as const)
    if (!variables.some((v) => roleOf(v) === needed))
      throw new PxWebError(`${table}: no ${needed} variable among ${variables.map((v) => v.code).join(', ')}`);
  const from = options.from?.replace('-', 'M');
  const regions = options.regions ?? 'maakunnat';
  return variables.map((v) => {
    switch (roleOf(v)) {
      case 'month': {
        const values = v.values.filter((m) => !from || m >= from);
        if (values.length === 0) throw new PxWebError(`${table}: no month from ${options.from} on`);
        return { code: v.code, values };
      }
      case 'region': {
        const wanted = Array.isArray(regions) ? regions.map((r) => (r === 'FI' ? 'SSS' : r.toUpperCase())) : [];
        const values = v.values.filter((r) =>
          regions === 'all' ? true : regions === 'maakunnat' ? r === 'SSS' || /^MK\d+$/.test(r) : wanted.includes(r),
        );
        if (values.length === 0) throw new PxWebError(`${table}: none of the regions asked for is in the table`);
        return { code: v.code, values };
      }
      case 'measure': {
        // one value per measure; a prefixed code ("tyonv_TYOTTOMATLOPUSSA") is the same measure
        // (the figure at the end of the month before any other of the same kind)
        const values = MEASURES.flatMap((m) => {
          const matching = v.values.filter(
            (code, i) => m.pattern.test(code) || m.pattern.test(v.valueTexts?.[i] ?? ''),
          );
          return matching.find((code) => /LOPUSSA/i.test(code)) ?? matching[0] ?? [];
        });
        if (values.length === 0) throw new PxWebError(`${table}: no vacancies or jobseekers among ${v.code}'s values`);
        return { code: v.code, values };
      }
      default:
        return { code: v.code, values: v.values };
    }
  });
}
