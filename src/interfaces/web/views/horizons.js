// Horizons: the same skills now, in 1–2 years and in 3–10 years.
import { api } from '../api.js';
import { base, chart, clickable, labelMargin, swatches, withLegend } from '../charts.js';
import { el, panel, table } from '../dom.js';
import { drillButton, openDrill } from '../drill.js';
import { interpretationsPanel } from '../interpretations.js';
import { filters, fmt, HORIZONS, saveState, state, t } from '../state.js';

/** What the skills are ranked by: the future (1–2 and 3–10 years together) unless one horizon is chosen. */
const RANKINGS = ['future', ...HORIZONS];
const rankValue = (row, by) => (by === 'future' ? row.short + row.long : row[by]);

export async function horizons({ rerender }) {
  const { horizon, ...rest } = filters();
  const per = await Promise.all(
    HORIZONS.map((h) => api('/v1/demand', { ...rest, horizon: h, groupBy: 'skill', limit: 1000 })),
  );
  const bySkill = new Map();
  per.forEach((d, i) => {
    for (const r of d.rows) {
      const row = bySkill.get(r.key) ?? { key: r.key, label: r.label, current: 0, short: 0, long: 0, total: 0 };
      row[HORIZONS[i]] = r.demand;
      row.total += r.demand;
      bySkill.set(r.key, row);
    }
  });
  // the skills most needed in the chosen ranking; ties by all horizons together, then by name
  const by = RANKINGS.includes(state.rankBy) ? state.rankBy : RANKINGS.includes(horizon) ? horizon : 'future';
  const rows = [...bySkill.values()]
    .filter((r) => rankValue(r, by) > 0)
    .sort((a, b) => rankValue(b, by) - rankValue(a, by) || b.total - a.total || a.label.localeCompare(b.label))
    .slice(0, 15);
  const p = panel('horizons', t('horizonsTitle'));
  const select = el(
    'select',
    { id: 'rank-by' },
    ...RANKINGS.map((r) => el('option', { value: r }, r === 'future' ? t('rank_future') : t(`h_${r}`))),
  );
  select.value = by;
  select.addEventListener('change', () => {
    state.rankBy = select.value;
    saveState();
    void rerender();
  });
  p.append(el('label', { class: 'rank-by' }, `${t('rankBy')}: `, select));
  if (horizon) p.append(el('p', { class: 'hint' }, `${t('horizon')}: ${t('all')}`));
  if (rows.length === 0) return void p.append(el('p', {}, t('noData')));
  const long = rows.flatMap((r) =>
    HORIZONS.map((h) => ({
      key: r.key,
      label: r.label,
      horizon: t(`h_${h}`),
      order: HORIZONS.indexOf(h),
      demand: r[h],
    })),
  );
  const names = HORIZONS.map((h) => t(`h_${h}`));
  const range = ['#1f6fb2', '#f4a261', '#2a9d8f'];
  await chart(p, 'horizons', (width) => {
    const marginLeft = labelMargin(
      rows.map((r) => r.label),
      width,
    );
    return withLegend(
      swatches(names, range, width),
      Plot.plot({
        ...base(width),
        height: 34 * rows.length + 40,
        marginLeft,
        marginRight: 20,
        x: { label: t('demand'), grid: true, tickFormat: fmt.num },
        fy: { label: null, domain: rows.map((r) => r.label), padding: 0.15 },
        y: { domain: names, axis: null },
        color: { domain: names, range },
        marks: [
          Plot.axisFy({
            anchor: 'left',
            label: null,
            textOverflow: 'ellipsis',
            lineWidth: (marginLeft - 10) / 11,
            tickSize: 0,
          }),
          Plot.barX(long, {
            x: 'demand',
            y: 'horizon',
            fy: 'label',
            fill: 'horizon',
            ariaLabel: (r) =>
              `${t('name')}: ${r.label}; ${t('horizon')}: ${r.horizon}; ${t('demand')}: ${fmt.num(r.demand)}`,
            channels: { [t('name')]: 'label', [t('horizon')]: 'horizon' },
            tip: { format: { x: fmt.num, y: false, fy: false, fill: false } },
            render: clickable(long, (r) => openDrill(r.key)),
          }),
          Plot.ruleX([0]),
        ],
      }),
    );
  });
  table(
    p,
    'horizons',
    [
      { key: 'label', title: t('name'), cell: (td, r) => td.append(drillButton(r.key, r.label)) },
      ...HORIZONS.map((h) => ({ key: h, title: t(`h_${h}`), num: true, format: fmt.num })),
      { key: 'key', title: t('colUri') },
    ],
    rows,
  );
  await interpretationsPanel(rows.map((r) => ({ type: 'skill', key: r.key, label: r.label })));
}
