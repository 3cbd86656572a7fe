// The regional brief: for a region (or grouping) and period, in the page's language, what a region's knowledge
// products report — top needs now, in 1–2 and in 3–10 years, occupations in shortage and surplus, emerging skills,
// the interpretations agreed, and the sources with their dates. Printed by the browser as PDF.
import { api, nameOf, regionList } from '../api.js';
import { el, panel } from '../dom.js';
import { fmt, HORIZONS, state, t } from '../state.js';
import { byReading, matchingRows } from './matching.js';

const TOP = 10;

/** The brief's period as months: the filters', else the twelve months up to this one. */
function period() {
  const now = new Date();
  const month = (d) => d.toISOString().slice(0, 7);
  const back = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1));
  return { from: state.from || month(back), to: state.to || month(now) };
}

/** A plain table for print: no export buttons, the figures as the page's locale writes them. */
function printTable(name, columns, rows) {
  if (rows.length === 0) return el('p', { class: 'hint' }, t('noData'));
  return el(
    'table',
    { 'data-table': name, class: 'brief-table' },
    el(
      'thead',
      {},
      el('tr', {}, ...columns.map((c) => el('th', { class: c.num ? 'num' : '', scope: 'col' }, c.title))),
    ),
    el(
      'tbody',
      {},
      ...rows.map((r) =>
        el(
          'tr',
          {},
          ...columns.map((c) =>
            el('td', { class: c.num ? 'num' : '' }, c.format ? c.format(r[c.key]) : String(r[c.key] ?? '')),
          ),
        ),
      ),
    ),
  );
}

const demandColumns = () => [
  { key: 'label', title: t('name') },
  { key: 'demand', title: t('demand'), num: true, format: fmt.num },
  { key: 'documents', title: t('documents'), num: true, format: fmt.int },
];

export async function brief() {
  const { from, to } = period();
  const where = { ...(state.region && { region: state.region }), from, to };
  const [needs, shortage, surplus, emerging, agreed, sources, regions, matched] = await Promise.all([
    Promise.all(HORIZONS.map((horizon) => api('/v1/demand', { ...where, horizon, groupBy: 'skill', limit: TOP }))),
    api('/v1/demand', { ...where, groupBy: 'occupation', concept: 'occupation', limit: TOP }),
    api('/v1/demand', { ...where, groupBy: 'occupation', concept: 'occupation', polarity: 'surplus', limit: TOP }),
    api('/v1/demand/emerging', { ...where, groupBy: 'skill', limit: TOP }),
    api('/v1/interpretations', { ...where, agreed: true }),
    api('/v1/sources'),
    regionList(),
    matchingRows(where),
  ]);
  const regionName = state.region ? nameOf(regions, state.region) : t('wholeCountry');
  const p = panel('brief', `${t('briefTitle')}: ${regionName}`);
  p.classList.add('brief');
  p.append(
    el(
      'p',
      { class: 'hint' },
      `${t('briefPeriod')} ${fmt.month(`${from}-01`)} – ${fmt.month(`${to}-01`)} · ${t('briefMade')} ${fmt.date(new Date().toISOString())}`,
    ),
    el(
      'div',
      { class: 'no-print row' },
      el('button', { type: 'button', id: 'print-brief', onclick: () => window.print() }, t('printPdf')),
    ),
  );
  const section = (id, title, ...content) =>
    p.append(el('section', { id: `brief-${id}` }, el('h3', {}, title), ...content));

  section(
    'needs',
    t('briefNeeds'),
    el(
      'div',
      { class: 'brief-columns' },
      ...HORIZONS.map((h, i) =>
        el('div', {}, el('h4', {}, t(`h_${h}`)), printTable(`needs-${h}`, demandColumns(), needs[i].rows)),
      ),
    ),
  );
  section(
    'occupations',
    t('briefOccupations'),
    el(
      'div',
      { class: 'brief-columns' },
      el('div', {}, el('h4', {}, t('briefShortage')), printTable('shortage', demandColumns(), shortage.rows)),
      el('div', {}, el('h4', {}, t('briefSurplus')), printTable('surplus', demandColumns(), surplus.rows)),
    ),
  );
  section(
    'matching',
    t('matching'),
    matched.month
      ? el('p', { class: 'hint' }, `${t('statisticsMonth')}: ${fmt.month(`${matched.month}-01`)}. ${t('matchingHint')}`)
      : el('p', { class: 'hint' }, t('noStatistics')),
    printTable(
      'brief-matching',
      [
        { key: 'label', title: t('name') },
        { key: 'needNow', title: t('needNow'), num: true, format: fmt.num },
        { key: 'needAhead', title: t('needAhead'), num: true, format: fmt.num },
        { key: 'vacancies', title: t('vacancies'), num: true, format: fmt.int },
        { key: 'jobseekers', title: t('jobseekers'), num: true, format: fmt.int },
        { key: 'ratio', title: t('ratio'), num: true, format: fmt.dec },
        { key: 'reading', title: t('reading'), format: (v) => t(`rd_${v}`) },
      ],
      matched.list
        .filter((r) => r.reading !== 'unknown')
        .sort(byReading)
        .slice(0, 15),
    ),
    ...(matched.month ? [el('p', { class: 'hint' }, matched.source)] : []),
  );
  section(
    'emerging',
    t('emerging'),
    printTable(
      'emerging',
      [
        { key: 'label', title: t('name') },
        { key: 'growth', title: t('growth'), num: true, format: fmt.pct },
        { key: 'pValue', title: t('pValue'), num: true, format: fmt.p },
      ],
      emerging.rows,
    ),
  );
  section(
    'interpretations',
    t('briefInterpretations'),
    ...(agreed.interpretations.length === 0
      ? [el('p', { class: 'hint' }, t('noInterpretations'))]
      : agreed.interpretations.map((i) =>
          el(
            'article',
            { class: 'interpretation', 'data-id': i.id },
            el('h4', {}, i.title),
            el(
              'p',
              { class: 'hint' },
              [
                i.organisation,
                i.region?.name,
                i.concept?.label,
                i.horizon ? t(`h_${i.horizon}`) : null,
                `${t('agreeing')}: ${i.agreements.map((a) => a.organisation).join(', ')}`,
              ]
                .filter(Boolean)
                .join(' · '),
            ),
            el('p', {}, i.body),
          ),
        )),
  );
  const day = (v) => (v ? fmt.date(`${v}T00:00:00Z`) : '–');
  section(
    'sources',
    t('briefSources'),
    printTable(
      'brief-sources',
      [
        { key: 'name', title: t('name') },
        { key: 'owner', title: t('owner') },
        { key: 'rhythm', title: t('rhythm'), format: (r) => t(`rh_${r}`) },
        { key: 'lastUpdate', title: t('lastUpdate'), format: day },
      ],
      sources.sources,
    ),
    printTable(
      'brief-received',
      [
        { key: 'organisation', title: t('organisation') },
        { key: 'kind', title: t('docKind'), format: (k) => t(`k_${k}`) },
        { key: 'documents', title: t('documents'), num: true, format: fmt.int },
        { key: 'newest', title: t('newest'), format: day },
      ],
      sources.received,
    ),
  );
  p.append(el('p', { class: 'hint brief-method' }, t('briefMethod')), el('p', { class: 'hint' }, t('attribution')));
}
