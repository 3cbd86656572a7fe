// Matching (kohtaanto): per occupation group in the region, what the texts say (needs and surpluses now and ahead)
// beside the official statistics (open vacancies, unemployed jobseekers, their trend), with a plain reading.
import { api, authorization } from '../api.js';
import { base, chart } from '../charts.js';
import { el, panel, table } from '../dom.js';
import { drillButton } from '../drill.js';
import { filters, fmt, saveState, state, t } from '../state.js';

/**
 * The plain reading of one row, by rules stated in the page: official vacancies per jobseeker of at least 0.5, or
 * texts naming only needs (three or more), read as a shortage; fewer than 0.1 vacancies per jobseeker, or texts
 * naming more surpluses than needs, as a surplus; anything else as balance. Without statistics or texts: unknown.
 */
export function readingOf(row) {
  const needs = row.needNow + row.needAhead;
  const ratio = row.ratio;
  if (ratio === null && needs + row.surplus === 0) return 'unknown';
  if (row.surplus > needs || (ratio !== null && ratio < 0.1)) return 'surplus';
  if ((ratio !== null && ratio >= 0.5) || (needs >= 3 && row.surplus === 0)) return 'shortage';
  return 'balance';
}

const READINGS = ['shortage', 'balance', 'surplus', 'unknown'];

/**
 * Per ISCO-08 unit group in the filters' region and period: the texts' needs now and ahead and surpluses, the
 * official figures of the latest month, and the reading; with the statistics' month and source line.
 */
export async function matchingRows(where) {
  const text = (polarity, h) =>
    api('/v1/demand', {
      ...where,
      groupBy: 'isco4',
      concept: 'occupation',
      polarity,
      ...(h && { horizon: h }),
      limit: 1000,
    });
  const [now, short, long, surplus, official] = await Promise.all([
    text('need', 'current'),
    text('need', 'short'),
    text('need', 'long'),
    text('surplus'),
    api('/v1/statistics/occupations', {
      level: 4,
      ...(where.region && { region: where.region }),
      ...(where.from && { from: where.from }),
      ...(where.to && { to: where.to }),
    }),
  ]);
  const rows = new Map();
  const row = (key, label) => {
    if (!rows.has(key))
      rows.set(key, {
        key,
        label,
        needNow: 0,
        needAhead: 0,
        surplus: 0,
        vacancies: null,
        jobseekers: null,
        ratio: null,
        vacanciesChange: null,
      });
    return rows.get(key);
  };
  for (const r of now.rows) row(r.key, r.label).needNow += r.demand;
  for (const r of [...short.rows, ...long.rows]) row(r.key, r.label).needAhead += r.demand;
  for (const r of surplus.rows) row(r.key, r.label).surplus += r.demand;
  for (const s of official.rows)
    Object.assign(row(s.key, s.label), {
      vacancies: s.vacancies,
      jobseekers: s.jobseekers,
      ratio: s.ratio,
      vacanciesChange: s.vacanciesChange,
    });
  return {
    list: [...rows.values()].map((r) => ({ ...r, reading: readingOf(r) })),
    month: official.month,
    source: official.source,
  };
}

/** The readings in the order the view and the brief list them. */
export const byReading = (a, b) =>
  READINGS.indexOf(a.reading) - READINGS.indexOf(b.reading) || (b.ratio ?? -1) - (a.ratio ?? -1);

export async function matching({ rerender }) {
  const { horizon, ...where } = filters();
  void horizon; // the view shows every horizon side by side
  const { list, month, source } = await matchingRows(where);
  const by = state.sortBy ?? 'reading';
  const order = {
    reading: byReading,
    ratio: (a, b) => (b.ratio ?? -1) - (a.ratio ?? -1),
    needs: (a, b) => b.needNow + b.needAhead - (a.needNow + a.needAhead),
    vacancies: (a, b) => (b.vacancies ?? -1) - (a.vacancies ?? -1),
  };
  list.sort((a, b) => (order[by] ?? order.reading)(a, b) || a.key.localeCompare(b.key));

  const p = panel('matching', t('matchingTitle'));
  p.append(
    el('p', { class: 'hint' }, t('matchingHint')),
    el(
      'p',
      { class: 'hint', id: 'statistics-month' },
      month ? `${t('statisticsMonth')}: ${fmt.month(`${month}-01`)}` : t('noStatistics'),
    ),
  );
  const sort = el(
    'select',
    { id: 'sort-by' },
    ...Object.keys(order).map((k) => el('option', { value: k }, t(`sort_${k}`))),
  );
  sort.value = by;
  sort.addEventListener('change', () => {
    state.sortBy = sort.value;
    saveState();
    rerender();
  });
  p.append(el('label', { class: 'inline' }, `${t('sortBy')} `, sort));
  if (list.length === 0) return void p.append(el('p', {}, t('noData')));
  table(
    p,
    'matching',
    [
      {
        key: 'label',
        title: t('name'),
        cell: (td, r) =>
          td.append(r.needNow + r.needAhead + r.surplus > 0 ? drillButton(r.key, r.label, 'occupation') : r.label),
      },
      { key: 'needNow', title: t('needNow'), num: true, format: fmt.num },
      { key: 'needAhead', title: t('needAhead'), num: true, format: fmt.num },
      { key: 'surplus', title: t('p_surplus'), num: true, format: fmt.num },
      { key: 'vacancies', title: t('vacancies'), num: true, format: fmt.int },
      { key: 'jobseekers', title: t('jobseekers'), num: true, format: fmt.int },
      { key: 'ratio', title: t('ratio'), num: true, format: fmt.dec },
      { key: 'vacanciesChange', title: t('vacanciesChange'), num: true, format: fmt.pct },
      { key: 'reading', title: t('reading'), format: (v) => t(`rd_${v}`) },
      { key: 'key', title: t('colCode') },
    ],
    list,
  );
  p.append(el('p', { class: 'hint', id: 'statistics-source' }, source));
  await tensionMap(list, where, rerender);
}

/** One occupation group's vacancies per jobseeker across the 19 regions, on the map and in a table. */
async function tensionMap(list, where, rerender) {
  const candidates = list.filter((r) => r.vacancies !== null);
  if (candidates.length === 0) return;
  const chosen = candidates.find((r) => r.key === state.mapOccupation) ?? [...candidates].sort(byReading)[0];
  const [geo, answer] = await Promise.all([
    fetch('/v1/geo/regions?crs=EPSG:3067', { headers: authorization() }).then((r) => (r.ok ? r.json() : null)),
    api('/v1/statistics/regions', {
      occupation: chosen.key,
      ...(where.from && { from: where.from }),
      ...(where.to && { to: where.to }),
    }),
  ]);
  const p = panel('tension-map', `${t('tensionTitle')}: ${chosen.label}`);
  const select = el(
    'select',
    { id: 'map-occupation' },
    ...candidates.map((r) => el('option', { value: r.key }, `${r.key} ${r.label}`)),
  );
  select.value = chosen.key;
  select.addEventListener('change', () => {
    state.mapOccupation = select.value;
    saveState();
    rerender();
  });
  p.append(el('label', { class: 'inline' }, `${t('g_occupation')} `, select));
  if (geo) {
    const values = new Map(answer.rows.map((r) => [r.key, r]));
    const feature = Object.keys(geo.objects)[0];
    const shapes = Plot.feature(geo, geo.objects[feature]).features.map((f) => {
      const code = `MK${f.properties.maakunta}`;
      const r = values.get(code);
      return { ...f, code, name: r?.label ?? code, ratio: r?.ratio ?? null };
    });
    const shape = { type: 'FeatureCollection', features: shapes };
    await chart(p, 'tension', (width) =>
      Plot.plot({
        ...base(Math.min(width, 560)),
        height: 460,
        margin: 10,
        projection: { type: 'reflect-y', domain: shape },
        color: { type: 'linear', scheme: 'reds', label: t('ratio'), legend: true, tickFormat: fmt.dec, zero: true },
        marks: [
          Plot.geo(
            shapes,
            Plot.centroid({
              fill: 'ratio',
              stroke: '#fff',
              strokeWidth: 0.7,
              ariaLabel: (f) => `${t('region')}: ${f.name}; ${t('ratio')}: ${fmt.dec(f.ratio)}`,
              channels: { [t('region')]: 'name' },
              tip: { format: { x: false, y: false, fill: fmt.dec } },
            }),
          ),
        ],
      }),
    );
  }
  table(
    p,
    'tension',
    [
      { key: 'label', title: t('region') },
      { key: 'vacancies', title: t('vacancies'), num: true, format: fmt.int },
      { key: 'jobseekers', title: t('jobseekers'), num: true, format: fmt.int },
      { key: 'ratio', title: t('ratio'), num: true, format: fmt.dec },
      { key: 'key', title: t('colCode') },
    ],
    answer.rows,
  );
}
