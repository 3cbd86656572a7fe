import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { OccupationStatistic } from '../domain/statistics.js';
import { TaxonomyFileError } from './csv.js';

/**
 * The employment service statistics as Statistics Finland publishes them (StatFin `tyonv`, table 12ti: unemployed
 * jobseekers and open vacancies at the end of the month by occupation, month and region), read from a file
 * downloaded from PxWeb: its CSV ("code and text" or codes alone, any of its separators, with or without the title
 * line) or its JSON-stat2. Either way a row per month, region and occupation.
 */
export interface StatisticsFile {
  file: string;
  /** sha256 of the file's bytes: the same release imported twice is found by it */
  contentHash: string;
  /** the table's title when the file gives one */
  title: string | null;
  rows: OccupationStatistic[];
}

/** The measures of the table, by the codes and the texts PxWeb gives them in fi, sv and en. */
export const MEASURES: { key: 'jobseekers' | 'vacancies'; pattern: RegExp }[] = [
  { key: 'jobseekers', pattern: /TYOTTOMAT|työttömät työnhakijat|arbetslösa arbetssökande|unemployed job ?seekers/i },
  { key: 'vacancies', pattern: /AVPAIKAT|avoimet työpaikat|lediga arbetsplatser|open vacancies|vacancies/i },
];

/** The dimensions, by the variable codes and texts of the table in fi, sv and en. */
export const DIMENSIONS: { key: 'month' | 'region' | 'occupation' | 'measure'; pattern: RegExp }[] = [
  { key: 'month', pattern: /^(kuukausi|månad|month|kuukausi_m|tid|time|vuosi ?kuukausi)$/i },
  { key: 'region', pattern: /^(alue|område|region|area|kunta|maakunta|ely-keskus)$/i },
  {
    key: 'occupation',
    pattern: /^(ammatti|ammattiryhmä|ammattiluokka|yrke|yrkesgrupp|occupation|occupational group)/i,
  },
  { key: 'measure', pattern: /^(tiedot|uppgifter|information|data|contents)$/i },
];

/** The code of a PxWeb cell written "code text" or as a code alone: "2024M01", "KU091 Helsinki", "7212 Hitsaajat". */
const codeOf = (cell: string) => cell.trim().split(/\s+/)[0] ?? '';

/** A month code (2024M01, 2024-01) as the first day of that month. */
function monthOf(code: string): string | undefined {
  const m = /^((?:19|20)\d{2})(?:M|-)(0[1-9]|1[0-2])$/.exec(code);
  return m ? `${m[1]}-${m[2]}-01` : undefined;
}

/** A region code as the service's regions name it: SSS (the whole country) is FI. */
const regionOf = (code: string) => (code === 'SSS' ? 'FI' : code.toUpperCase());

/** An occupation code: an ISCO-08 group of 1–4 digits; SSS (all occupations) is the total, ''; others none. */
function occupationOf(code: string): string | undefined {
  if (code === 'SSS') return '';
  return /^\d{1,4}$/.test(code) ? code : undefined;
}

/** A figure as PxWeb writes it: ".", "..", "-" or empty are missing (confidential or not collected). */
function figureOf(cell: unknown): number | null {
  if (cell === null || cell === undefined) return null;
  const s = String(cell).trim().replace(/\s/g, '');
  if (s === '' || /^[.-]+$/.test(s)) return null;
  const n = Number(s.replace(',', '.'));
  return Number.isFinite(n) ? n : Number.NaN;
}

/** Reads a downloaded statistics file: JSON-stat2 when it parses as JSON, else PxWeb CSV. */
export async function readStatisticsFile(path: string): Promise<StatisticsFile> {
  const bytes = await readFile(path);
  const file = basename(path);
  const contentHash = createHash('sha256').update(bytes).digest('hex');
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const parsed = /^\s*\{/.test(text) ? fromJsonStat(file, text) : fromCsv(file, text);
  return { file, contentHash, ...parsed };
}

/** Merges figures of the same month, region and occupation given on several lines (a measure per line). */
class Collector {
  private readonly rows = new Map<string, OccupationStatistic>();

  constructor(private readonly file: string) {}

  add(
    line: number | undefined,
    month: string,
    region: string,
    occupation: string,
    values: Partial<Record<'jobseekers' | 'vacancies', number | null>>,
  ) {
    const when = monthOf(codeOf(month));
    if (!when) throw new TaxonomyFileError(this.file, line, `"${month}" is no month (2024M01)`);
    const isco = occupationOf(codeOf(occupation));
    if (isco === undefined) return; // an occupation outside ISCO-08 ("X": unknown)
    const where = regionOf(codeOf(region));
    if (!where) throw new TaxonomyFileError(this.file, line, 'the region is empty');
    for (const [key, value] of Object.entries(values))
      if (Number.isNaN(value)) throw new TaxonomyFileError(this.file, line, `the ${key} figure is not a number`);
    const id = `${when}|${where}|${isco}`;
    const row = this.rows.get(id) ?? { month: when, region: where, isco, vacancies: null, jobseekers: null };
    if (values.vacancies !== undefined) row.vacancies = values.vacancies;
    if (values.jobseekers !== undefined) row.jobseekers = values.jobseekers;
    this.rows.set(id, row);
  }

  get all(): OccupationStatistic[] {
    return [...this.rows.values()];
  }
}

function fromCsv(file: string, text: string): { title: string | null; rows: OccupationStatistic[] } {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [';', '\t', ','].find((d) => firstLine.includes(d)) ?? ',';
  let records: string[][];
  try {
    records = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (err) {
    throw new TaxonomyFileError(
      file,
      (err as { lines?: number }).lines,
      `not a PxWeb CSV file: ${(err as Error).message}`,
    );
  }
  // PxWeb writes the table's title alone on the first line, then the header
  let title: string | null = null;
  let header = 0;
  if (records[0]?.length === 1 && (records[1]?.length ?? 0) > 1) {
    title = records[0][0] ?? null;
    header = 1;
  }
  const names = records[header] ?? [];
  const dimension = (key: string) =>
    names.findIndex((n) => DIMENSIONS.find((d) => d.key === key)!.pattern.test(n.trim()));
  const month = dimension('month');
  const region = dimension('region');
  const occupation = dimension('occupation');
  const measure = dimension('measure');
  const missing = [
    ['month', month],
    ['region', region],
    ['occupation', occupation],
  ].find(([, i]) => i === -1);
  if (missing)
    throw new TaxonomyFileError(file, header + 1, `no ${missing[0]} column in the header (${names.join(', ')})`);
  const collector = new Collector(file);
  const measureColumns = names.flatMap((n, i) => {
    const m = MEASURES.find((x) => x.pattern.test(n));
    return m && ![month, region, occupation, measure].includes(i) ? [{ key: m.key, i }] : [];
  });
  if (measure === -1 && measureColumns.length === 0)
    throw new TaxonomyFileError(file, header + 1, 'no column of jobseekers or open vacancies in the header');
  // the measure as a dimension of its own: one value column after the dimensions
  const valueColumn = names.findIndex((_, i) => ![month, region, occupation, measure].includes(i));
  records.slice(header + 1).forEach((r, k) => {
    const line = header + 2 + k;
    if (r.length < names.length)
      throw new TaxonomyFileError(file, line, `${r.length} fields where the header has ${names.length}`);
    if (measure === -1) {
      const values = Object.fromEntries(measureColumns.map((c) => [c.key, figureOf(r[c.i])]));
      collector.add(line, r[month]!, r[region]!, r[occupation]!, values);
      return;
    }
    const which = MEASURES.find((x) => x.pattern.test(r[measure]!));
    if (!which) return; // another measure of the table
    collector.add(line, r[month]!, r[region]!, r[occupation]!, { [which.key]: figureOf(r[valueColumn]) });
  });
  return { title, rows: collector.all };
}

interface JsonStat {
  class?: string;
  label?: string;
  id?: string[];
  size?: number[];
  role?: { time?: string[] };
  dimension?: Record<string, { label?: string; category?: { index?: Record<string, number> | string[] } }>;
  value?: (number | null)[] | Record<string, number | null>;
}

/** Reads a JSON-stat2 dataset of the table: a downloaded file, or an answer of the PxWeb API. */
export function fromJsonStat(file: string, text: string): { title: string | null; rows: OccupationStatistic[] } {
  let data: JsonStat;
  try {
    data = JSON.parse(text) as JsonStat;
  } catch (err) {
    throw new TaxonomyFileError(file, undefined, `not JSON: ${(err as Error).message}`);
  }
  if (data.class !== 'dataset' || !data.id || !data.size || !data.dimension || !data.value)
    throw new TaxonomyFileError(file, undefined, 'not a JSON-stat2 dataset (class, id, size, dimension and value)');
  const ids = data.id;
  const roleOf = (id: string) => {
    if (data.role?.time?.includes(id)) return 'month';
    const label = data.dimension![id]?.label ?? '';
    return DIMENSIONS.find((d) => d.pattern.test(id) || d.pattern.test(label))?.key;
  };
  const roles = ids.map(roleOf);
  for (const needed of ['month', 'region', 'occupation', 'measure'] as const)
    if (!roles.includes(needed))
      throw new TaxonomyFileError(file, undefined, `no ${needed} dimension among ${ids.join(', ')}`);
  const codes = ids.map((id) => {
    const index = data.dimension![id]?.category?.index;
    if (Array.isArray(index)) return index;
    const list: string[] = [];
    for (const [code, i] of Object.entries(index ?? {})) list[i] = code;
    return list;
  });
  const total = data.size.reduce((a, b) => a * b, 1);
  const valueAt = (i: number) =>
    Array.isArray(data.value) ? data.value[i] : (data.value as Record<string, number | null>)[String(i)];
  const collector = new Collector(file);
  const at = new Array<number>(ids.length).fill(0);
  for (let i = 0; i < total; i++) {
    // the cell's position in each dimension, the last one varying fastest
    let rest = i;
    for (let d = ids.length - 1; d >= 0; d--) {
      at[d] = rest % data.size[d]!;
      rest = Math.floor(rest / data.size[d]!);
    }
    const code = (role: string) => codes[roles.indexOf(role as never)]![at[roles.indexOf(role as never)]!]!;
    const which = MEASURES.find((x) => x.pattern.test(code('measure')));
    if (!which) continue;
    collector.add(undefined, code('month'), code('region'), code('occupation'), { [which.key]: figureOf(valueAt(i)) });
  }
  return { title: data.label ?? null, rows: collector.all };
}
