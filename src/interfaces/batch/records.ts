import type { AnalysisInput } from '../../domain/analysis.js';
import type { Employer } from '../../domain/document.js';
import { nulPath } from '../../storage/documents.repository.js';

/** How the fields of a dump's records map to an ad. */
export interface FieldOptions {
  /** the field with the ad text; by default the first of TEXT_FIELDS present */
  textField?: string | undefined;
  /** the field with the ad's own id; by default the first of ID_FIELDS present, else the row number */
  idField?: string | undefined;
  maxChars: number;
}

/** One ad of a dump, ready for the pipeline. */
export interface BatchAd extends AnalysisInput {
  id: string;
  /** 1-based position of the record in the dump */
  row: number;
  /** whether `id` is the record's own (else it is `row-N`, which means nothing outside this dump) */
  ownId: boolean;
  employer?: Employer | undefined;
}

export class RowError extends Error {}

const TEXT_FIELDS = ['text', 'description', 'body', 'content', 'kuvaus', 'jobDescription', 'job_description'];
const ID_FIELDS = ['id', 'externalId', 'external_id', 'ad_id', 'jobId', 'job_id'];
const META = {
  title: ['title', 'heading', 'otsikko', 'jobTitle', 'job_title'],
  region: ['region', 'municipality', 'kunta', 'location', 'city', 'postal_code', 'postcode', 'postinumero', 'zip'],
  date: ['date', 'published', 'publication_date', 'publicationDate', 'published_at', 'created'],
  employer: ['employer', 'company', 'employer_name', 'tyonantaja', 'työnantaja'],
  businessId: ['business_id', 'businessId', 'y_tunnus', 'ytunnus'],
  sector: ['sector', 'industry', 'toimiala'],
  vacancies: ['vacancies', 'openings', 'positions', 'number_of_positions', 'paikkoja'],
  language: ['language', 'lang', 'kieli'],
};

/** A field by name; `a.b` reads nested objects. */
function field(record: Record<string, unknown>, name: string): unknown {
  if (name in record) return record[name];
  let value: unknown = record;
  for (const part of name.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function first(record: Record<string, unknown>, names: string[]): unknown {
  for (const n of names) {
    const v = field(record, n);
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
}

const text = (v: unknown) =>
  typeof v === 'string' ? v.trim() || undefined : typeof v === 'number' ? String(v) : undefined;

/** YYYY-MM-DD from an ISO date or timestamp, or a Finnish D.M.YYYY, years 1900–2999; undefined for anything else. */
export function parseDate(value: string): string | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(value);
  const fi = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value);
  const [y, m, d] = iso
    ? [iso[1]!, iso[2]!, iso[3]!]
    : fi
      ? [fi[3]!, fi[2]!.padStart(2, '0'), fi[1]!.padStart(2, '0')]
      : [];
  if (!y || y < '1900' || y > '2999') return undefined;
  const date = new Date(`${y}-${m}-${d}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== `${y}-${m}-${d}`
    ? undefined
    : `${y}-${m}-${d}`;
}

/** The ad in a parsed record; a RowError says why a record cannot be one. */
export function toAd(record: unknown, row: number, options: FieldOptions): BatchAd {
  if (record === null || typeof record !== 'object' || Array.isArray(record))
    throw new RowError('the record is not an object');
  const r = record as Record<string, unknown>;
  const rawText = options.textField ? field(r, options.textField) : first(r, TEXT_FIELDS);
  if (rawText === undefined || rawText === null)
    throw new RowError(
      `no text: field ${options.textField ? JSON.stringify(options.textField) : `any of ${TEXT_FIELDS.join(', ')}`} is missing`,
    );
  if (typeof rawText !== 'string') throw new RowError(`the text field is a ${typeof rawText}, not a string`);
  if (!/\S/.test(rawText)) throw new RowError('empty text');
  if (rawText.length > options.maxChars)
    throw new RowError(`text is ${rawText.length} characters; the limit is ${options.maxChars}`);
  const ownId = text(options.idField ? field(r, options.idField) : first(r, ID_FIELDS))?.slice(0, 300);
  const ad: BatchAd = { id: ownId ?? `row-${row}`, ownId: ownId !== undefined, row, text: rawText, kind: 'job_ad' };
  const title = text(first(r, META.title));
  if (title) ad.title = title.slice(0, 500);
  const region = text(first(r, META.region));
  if (region) ad.region = region.slice(0, 200);
  const date = text(first(r, META.date));
  if (date) {
    ad.date = parseDate(date);
    if (!ad.date)
      throw new RowError(
        `date ${JSON.stringify(date.slice(0, 40))} is not YYYY-MM-DD, an ISO timestamp or D.M.YYYY in the years 1900–2999`,
      );
  }
  const vacancies = first(r, META.vacancies);
  if (vacancies !== undefined) {
    const n = Number(vacancies);
    if (!Number.isInteger(n) || n < 1 || n > 100_000)
      throw new RowError(`vacancies ${JSON.stringify(vacancies)} is not a whole number from 1 to 100000`);
    ad.vacancies = n;
  }
  const language = text(first(r, META.language))?.toLowerCase();
  if (language === 'fi' || language === 'sv' || language === 'en') ad.language = language;
  const employerField = first(r, META.employer);
  const employer: Employer = {};
  if (employerField && typeof employerField === 'object') {
    // its known fields only, as text: whatever else a dump's employer object holds is not stored
    const given = employerField as Record<string, unknown>;
    const name = text(given.name);
    if (name) employer.name = name.slice(0, 300);
    const id = text(given.businessId);
    if (id && /^\d{7}-\d$/.test(id)) employer.businessId = id;
    const sector = text(given.sector);
    if (sector) employer.sector = sector;
  } else if (text(employerField)) employer.name = text(employerField)!.slice(0, 300);
  const businessId = text(first(r, META.businessId));
  if (businessId && /^\d{7}-\d$/.test(businessId)) employer.businessId = businessId;
  const sector = text(first(r, META.sector)) ?? employer.sector;
  if (sector) {
    employer.sector = sector.slice(0, 300);
    ad.employerSector = employer.sector;
  }
  if (Object.keys(employer).length > 0) ad.employer = employer;
  const nul = nulPath(ad);
  if (nul !== undefined) throw new RowError(`${nul} contains a NUL character (U+0000), which cannot be stored`);
  return ad;
}
