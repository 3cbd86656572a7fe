// The state of the page (the URL's query, with defaults), its words and its number and date formats.
import { LOCALE, T } from './i18n.js';

// Intl formatters are costly to create (about a millisecond each here): one per locale and options, kept
const formatters = new Map();
const intl = (Kind, locale, options) => {
  const id = `${Kind.name}|${locale}|${JSON.stringify(options)}`;
  if (!formatters.has(id)) formatters.set(id, new Kind(locale, options));
  return formatters.get(id);
};

export const HORIZONS = ['current', 'short', 'long'];
const FILTERS = ['region', 'horizon', 'kind', 'from', 'to'];
const DEFAULTS = { view: 'overview', lang: 'fi', groupBy: 'skill', bucket: 'month' };

/** The state of the page: the URL's query, with defaults. */
export const state = { ...DEFAULTS };
for (const [k, v] of new URLSearchParams(location.search)) state[k] = v;
if (!T[state.lang]) state.lang = 'fi';

export const t = (key) => T[state.lang][key] ?? key;
export const nf = (options) => intl(Intl.NumberFormat, LOCALE[state.lang], options);
/** Formats a figure; a missing one shows as a dash. */
const figure = (format) => (v) => (v === null || v === undefined ? '–' : format(v));
export const fmt = {
  int: figure((v) => nf({ maximumFractionDigits: 0 }).format(v)),
  num: figure((v) => nf({ maximumFractionDigits: 1 }).format(v)),
  pct: figure((v) => nf({ style: 'percent', maximumFractionDigits: 1 }).format(v)),
  dec: figure((v) => nf({ maximumFractionDigits: 2 }).format(v)),
  p: figure((v) => nf({ maximumSignificantDigits: 2 }).format(v)),
  month: (iso) =>
    intl(Intl.DateTimeFormat, LOCALE[state.lang], { year: 'numeric', month: 'short', timeZone: 'UTC' }).format(
      new Date(iso),
    ),
  quarter: (iso) => {
    const d = new Date(iso);
    return `Q${Math.floor(d.getUTCMonth() / 3) + 1} ${d.getUTCFullYear()}`;
  },
  date: (iso) =>
    iso
      ? intl(Intl.DateTimeFormat, LOCALE[state.lang], { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(iso))
      : '–',
};

export function saveState() {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(state)) if (v !== undefined && v !== '' && DEFAULTS[k] !== v) q.set(k, v);
  history.replaceState(null, '', `${location.pathname}${q.size ? `?${q}` : ''}`);
}

/** The filters of every view's requests. */
export const filters = () => Object.fromEntries(FILTERS.filter((f) => state[f]).map((f) => [f, state[f]]));
