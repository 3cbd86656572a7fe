// Trends: demand over time for chosen skills, and the skills whose share grew most.
import { api } from '../api.js';
import { base, chart, swatches, withLegend } from '../charts.js';
import { el, panel, perturbedNote, table } from '../dom.js';
import { drillButton } from '../drill.js';
import { filters, fmt, saveState, state, t } from '../state.js';

/** `rerender` draws the view again when the followed skills change. */
export async function trends({ rerender }) {
  const keys = state.skills || undefined;
  const [series, emerging, top] = await Promise.all([
    api('/v1/demand/timeseries', { ...filters(), groupBy: 'skill', bucket: state.bucket, limit: 5, keys }),
    api('/v1/demand/emerging', { ...filters(), groupBy: 'skill', limit: 15, minMentions: 2 }),
    api('/v1/demand', { ...filters(), groupBy: 'skill', limit: 30 }),
  ]);
  const p = panel('trends', t('lineTitle'));
  // which skills to follow: the largest ones by default, any of the 30 largest by choice
  const chosen = new Set(series.rows.map((r) => r.key));
  const choices = el('details', { class: 'choices' }, el('summary', {}, `${t('chooseSkills')} (${chosen.size})`));
  for (const r of top.rows) {
    const box = el('input', { type: 'checkbox', value: r.key, 'data-skill-choice': r.key });
    box.checked = chosen.has(r.key);
    box.addEventListener('change', () => {
      const keys = [...choices.querySelectorAll('input:checked')].map((i) => i.value);
      state.skills = keys.join(',');
      saveState();
      void rerender();
    });
    choices.append(el('label', {}, box, ` ${r.label}`));
  }
  p.append(choices);
  if (series.rows.length === 0) p.append(el('p', {}, t('noData')));
  else {
    const rows = series.rows.map((r) => ({ ...r, date: new Date(r.bucket) }));
    const names = [...new Set(rows.map((r) => r.label))];
    const period = state.bucket === 'quarter' ? fmt.quarter : fmt.month;
    const colors = [
      '#1f6fb2',
      '#f4a261',
      '#2a9d8f',
      '#e76f51',
      '#6a4c93',
      '#8ab17d',
      '#d62828',
      '#457b9d',
      '#b5838d',
      '#6d6875',
    ];
    const range = names.map((_, i) => colors[i % colors.length]);
    await chart(p, 'trends', (width) =>
      withLegend(
        swatches(names, range, width),
        Plot.plot({
          ...base(width),
          height: 280,
          marginLeft: 50,
          marginRight: 20,
          x: { type: 'utc', label: null, tickFormat: period, ticks: Math.max(2, Math.floor(width / 110)) },
          y: { label: t('demand'), grid: true, tickFormat: fmt.num, zero: true },
          color: { domain: names, range },
          marks: [
            Plot.line(rows, {
              x: 'date',
              y: 'demand',
              z: 'label',
              stroke: 'label',
              strokeWidth: 2,
              ariaLabel: (r) => r.label,
            }),
            // the period still running: a hollow, dashed point
            ...[false, true].map((partial) =>
              Plot.dot(
                rows.filter((r) => Boolean(r.partial) === partial),
                {
                  x: 'date',
                  y: 'demand',
                  stroke: 'label',
                  fill: partial ? 'none' : '#fff',
                  strokeDasharray: partial ? '2,2' : undefined,
                  r: 3,
                  ariaLabel: (r) =>
                    `${t('name')}: ${r.label}; ${t('bucket')}: ${period(r.bucket)}${partial ? ` (${t('partial')})` : ''}; ${t('demand')}: ${fmt.num(r.demand)}`,
                  channels: {
                    [t('name')]: 'label',
                    [t('bucket')]: 'bucket',
                    [t('documents')]: 'documents',
                    [t('mentions')]: 'mentions',
                  },
                  tip: {
                    format: {
                      x: false,
                      y: true,
                      stroke: false,
                      [t('bucket')]: period,
                      [t('documents')]: fmt.int,
                      [t('mentions')]: fmt.int,
                    },
                  },
                },
              ),
            ),
          ],
        }),
      ),
    );
    table(
      p,
      'trends',
      [
        {
          key: 'bucket',
          title: t('bucket'),
          cell: (td, r) => (td.textContent = `${period(r.bucket)}${r.partial ? ` (${t('partial')})` : ''}`),
        },
        { key: 'label', title: t('name') },
        { key: 'demand', title: t('demand'), num: true, format: fmt.num },
        { key: 'documents', title: t('documents'), num: true, format: fmt.int },
        { key: 'mentions', title: t('mentions'), num: true, format: fmt.int },
        { key: 'key', title: t('colUri') },
      ],
      series.rows,
    );
    if (series.rows.some((r) => r.partial)) p.append(el('p', { class: 'hint', 'data-partial': '' }, t('partialNote')));
    perturbedNote(p, series.rows);
  }
  const e = panel('emerging', t('emerging'));
  if (emerging.rows.length === 0) return void e.append(el('p', {}, t('noData')));
  table(
    e,
    'emerging',
    [
      { key: 'label', title: t('name'), cell: (td, r) => td.append(drillButton(r.key, r.label)) },
      {
        key: 'previous_mentions',
        title: `${t('previous')}: ${t('mentions')}`,
        num: true,
        value: (r) => r.previous.mentions,
        format: fmt.int,
      },
      {
        key: 'current_mentions',
        title: `${t('current')}: ${t('mentions')}`,
        num: true,
        value: (r) => r.current.mentions,
        format: fmt.int,
      },
      {
        key: 'previous_share',
        title: `${t('previous')}: ${t('share')}`,
        num: true,
        value: (r) => r.previous.share,
        format: fmt.pct,
      },
      {
        key: 'current_share',
        title: `${t('current')}: ${t('share')}`,
        num: true,
        value: (r) => r.current.share,
        format: fmt.pct,
      },
      { key: 'growth', title: t('growth'), num: true, format: fmt.pct },
      { key: 'pValue', title: t('pValue'), num: true, format: fmt.p },
    ],
    emerging.rows,
  );
}
