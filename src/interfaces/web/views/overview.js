// Overview: the largest demand under the filters, by skill, skill group, occupation or sector.
import { api } from '../api.js';
import { bars, chart } from '../charts.js';
import { el, panel, perturbedNote, table } from '../dom.js';
import { drillButton, openDrill } from '../drill.js';
import { interpretationsPanel } from '../interpretations.js';
import { filters, fmt, state, t } from '../state.js';

/** The groupings whose rows open a drill-down, and the concept they count. */
const DRILL_CONCEPT = { skill: 'skill', occupation: 'occupation' };
/** The groupings whose rows an interpretation can be written on, and the kind of concept they are. */
const INTERPRETED = { skill: 'skill', skillGroup: 'skill_group', occupation: 'occupation' };

export async function overview() {
  const data = await api('/v1/demand', { ...filters(), groupBy: state.groupBy, limit: 20 });
  const p = panel('overview', `${t('topOf')}: ${t(`g_${state.groupBy}`)}`);
  const type = INTERPRETED[state.groupBy];
  const concepts = type ? data.rows.map((r) => ({ type, key: r.key, label: r.label })) : [];
  if (data.rows.length === 0) {
    p.append(el('p', {}, t('noData')));
    return interpretationsPanel(concepts);
  }
  const concept = DRILL_CONCEPT[state.groupBy];
  const canDrill = concept !== undefined;
  if (canDrill) p.append(el('p', { class: 'hint' }, t(concept === 'skill' ? 'clickHint' : 'clickHintOccupation')));
  await chart(
    p,
    'overview',
    bars(data.rows, {
      value: 'demand',
      valueTitle: t('demand'),
      color: '#1f6fb2',
      tip: [
        [t('name'), (r) => r.label, String],
        [t('demand'), (r) => r.demand, fmt.num],
        [t('documents'), (r) => r.documents, fmt.int],
        [t('mentions'), (r) => r.mentions, fmt.int],
        [t('share'), (r) => r.share, fmt.pct],
      ],
      onPick: canDrill ? (r) => openDrill(r.key, { concept }) : undefined,
    }),
  );
  p.append(el('h2', {}, t('numbers')));
  table(
    p,
    'overview',
    [
      {
        key: 'label',
        title: t('name'),
        cell: (td, r) => td.append(canDrill ? drillButton(r.key, r.label, concept) : r.label),
      },
      { key: 'demand', title: t('demand'), num: true, format: fmt.num },
      { key: 'documents', title: t('documents'), num: true, format: fmt.int },
      { key: 'mentions', title: t('mentions'), num: true, format: fmt.int },
      { key: 'share', title: t('share'), num: true, format: fmt.pct },
      { key: 'key', title: t('colKey') },
    ],
    data.rows,
  );
  perturbedNote(p, [...data.rows, data.totals]);
  await interpretationsPanel(concepts);
}
