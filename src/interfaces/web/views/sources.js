// Sources and calendar: what feeds the platform and when the region's knowledge products are due.
import { api } from '../api.js';
import { el, panel, table } from '../dom.js';
import { state, t } from '../state.js';

const day = (v) => (v ? new Date(`${v}T00:00:00Z`).toLocaleDateString(state.lang, { timeZone: 'UTC' }) : '–');

export async function sources() {
  const year = new Date().getUTCFullYear();
  const [catalogue, calendar] = await Promise.all([
    api('/v1/sources'),
    api('/v1/calendar', { year, lang: state.lang }),
  ]);
  const c = panel('calendar', `${t('calendarTitle')} ${year}`);
  if (calendar.entries.length === 0) c.append(el('p', {}, t('noData')));
  else
    table(
      c,
      'calendar',
      [
        { key: 'due', title: t('due'), format: day },
        { key: 'title', title: t('product') },
        { key: 'region', title: t('region'), format: (r) => r?.name ?? t('wholeCountry') },
        { key: 'owner', title: t('owner') },
      ],
      calendar.entries,
    );
  const s = panel('sources', t('sourcesTitle'));
  if (catalogue.sources.length === 0) s.append(el('p', {}, t('noData')));
  else
    table(
      s,
      'sources',
      [
        { key: 'name', title: t('name') },
        { key: 'kind', title: t('sourceKind'), format: (k) => t(`sk_${k}`) },
        { key: 'owner', title: t('owner') },
        { key: 'rhythm', title: t('rhythm'), format: (r) => t(`rh_${r}`) },
        { key: 'lastUpdate', title: t('lastUpdate'), format: day },
        { key: 'nextDue', title: t('nextDue'), format: day },
      ],
      catalogue.sources,
    );
  const r = panel('received', t('receivedTitle'));
  if (catalogue.received.length === 0) r.append(el('p', {}, t('noData')));
  else
    table(
      r,
      'received',
      [
        { key: 'organisation', title: t('organisation') },
        { key: 'kind', title: t('docKind'), format: (k) => t(`k_${k}`) },
        { key: 'documents', title: t('documents'), num: true },
        { key: 'lastReceived', title: t('lastReceived'), format: day },
        { key: 'newest', title: t('newest'), format: day },
      ],
      catalogue.received,
    );
}
