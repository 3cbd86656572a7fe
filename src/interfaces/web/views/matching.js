// Matching (kohtaanto): per occupation group in the region, what the texts say (needs and surpluses now and ahead)
// beside the official statistics (open vacancies, unemployed jobseekers, their trend), with a plain reading.
import { api } from '../api.js';
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

export async function matching({ rerender }) {
  const { horizon, ...where } = filters();
  void horizon; // the view shows every horizon side by side
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
      ...(state.region && { region: state.region }),
      ...(state.from && { from: state.from }),
      ...(state.to && { to: state.to }),
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
  const list = [...rows.values()].map((r) => ({ ...r, reading: readingOf(r) }));
  const by = state.sortBy ?? 'reading';
  const order = {
    reading: (a, b) => READINGS.indexOf(a.reading) - READINGS.indexOf(b.reading) || (b.ratio ?? -1) - (a.ratio ?? -1),
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
      official.month ? `${t('statisticsMonth')}: ${fmt.month(`${official.month}-01`)}` : t('noStatistics'),
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
  p.append(el('p', { class: 'hint', id: 'statistics-source' }, official.source));
}
