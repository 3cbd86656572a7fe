// Regions: demand on the map, regions × skill groups, and one region against the whole country.
import { api, authorization, nameOf, regionList } from '../api.js';
import { bars, base, chart } from '../charts.js';
import { el, panel, table } from '../dom.js';
import { drillButton, openDrill } from '../drill.js';
import { filters, fmt, t } from '../state.js';

export async function regions() {
  const { region, ...rest } = filters();
  const chosen = region && region !== 'FI' ? region : 'MK01';
  // every request starts now, the map's first (the server answers the geometry from memory); the heat table's
  // and the comparison's answers arrive while the map is drawn
  const geoP = fetch('/v1/geo/regions?crs=EPSG:3067', { headers: authorization() }).then((r) =>
    r.ok ? r.json() : null,
  );
  const byRegionP = api('/v1/demand', { ...rest, groupBy: 'maakunta', limit: 50 });
  const topP = api('/v1/demand', { ...rest, groupBy: 'skillGroup', limit: 8 });
  const perRegionP = api('/v1/demand', {
    ...rest,
    groupBy: 'skillGroup',
    splitBy: 'maakunta',
    splitKeys: 'overall',
    limit: 8,
  });
  const compareP = api('/v1/demand/compare', { ...rest, region: chosen, groupBy: 'skill', limit: 20, minMentions: 2 });
  for (const later of [topP, perRegionP, compareP]) later.catch(() => {}); // awaited below; this only keeps a failure from counting as unhandled meanwhile
  const [byRegion, geo, list] = await Promise.all([byRegionP, geoP, regionList()]);
  const p = panel('regions-map', t('map'));
  if (geo) {
    const feature = Object.keys(geo.objects)[0];
    const values = new Map(byRegion.rows.map((r) => [r.key, r]));
    const regionNames = new Map(list.regions.map((r) => [r.code, r.name]));
    const shapes = Plot.feature(geo, geo.objects[feature]).features.map((f) => {
      const code = `MK${f.properties.maakunta}`;
      const r = values.get(code);
      return {
        ...f,
        code,
        name: regionNames.get(code) ?? code,
        demand: r?.demand ?? 0,
        documents: r?.documents ?? 0,
        share: r?.share ?? 0,
      };
    });
    const shape = { type: 'FeatureCollection', features: shapes };
    await chart(p, 'map', (width) =>
      Plot.plot({
        ...base(Math.min(width, 560)),
        height: 460,
        margin: 10,
        projection: { type: 'reflect-y', domain: shape }, // ETRS-TM35FIN plane coordinates, as Finnish maps are drawn
        color: { type: 'linear', scheme: 'blues', label: t('demand'), legend: true, tickFormat: fmt.num, zero: true },
        marks: [
          Plot.geo(
            shapes,
            Plot.centroid({
              fill: 'demand',
              stroke: '#fff',
              strokeWidth: 0.7,
              ariaLabel: (f) => `${t('region')}: ${f.name}; ${t('demand')}: ${fmt.num(f.demand)}`,
              channels: { [t('region')]: 'name', [t('documents')]: 'documents', [t('share')]: 'share' },
              tip: { format: { x: false, y: false, fill: fmt.num, [t('documents')]: fmt.int, [t('share')]: fmt.pct } },
            }),
          ),
        ],
      }),
    );
  }
  table(
    p,
    'regions',
    [
      { key: 'label', title: t('region') },
      { key: 'demand', title: t('demand'), num: true, format: fmt.num },
      { key: 'documents', title: t('documents'), num: true, format: fmt.int },
      { key: 'share', title: t('share'), num: true, format: fmt.pct },
      { key: 'key', title: t('colCode') },
    ],
    byRegion.rows,
  );

  // regions × skill groups: each region's share of its demand per group, shaded
  const h = panel('regions-heat', t('heat'));
  const top = (await topP).rows;
  const share = new Map((await perRegionP).rows.map((x) => [`${x.split} ${x.key}`, x.share]));
  const cells = byRegion.rows.map((r) => ({
    key: r.key,
    label: r.label,
    ...Object.fromEntries(top.map((g) => [g.key, share.get(`${r.key} ${g.key}`) ?? 0])),
  }));
  const max = Math.max(0.0001, ...cells.flatMap((c) => top.map((g) => c[g.key])));
  table(
    h,
    'heat',
    [
      { key: 'label', title: t('region') },
      ...top.map((g) => ({
        key: g.key,
        title: g.label,
        num: true,
        cell: (td, _r, v) => {
          td.textContent = fmt.pct(v);
          td.style.background = `rgba(31, 111, 178, ${(0.08 + 0.72 * (v / max)).toFixed(3)})`;
        },
      })),
    ],
    cells,
    { class: 'heat' },
  );

  // the chosen region (default Uusimaa) against the whole country
  const compare = await compareP;
  const c = panel('regions-lq', `${t('lqTitle')}: ${nameOf(list, chosen)}`);
  if (!region) c.append(el('p', { class: 'hint' }, t('pickRegion')));
  if (compare.rows.length === 0) return void c.append(el('p', {}, t('noData')));
  await chart(
    c,
    'lq',
    bars(
      compare.rows.filter((r) => r.lq !== null),
      {
        value: 'lq',
        valueTitle: t('lq'),
        color: '#2a9d8f',
        reference: 1, // 1: as in the whole country
        tip: [
          [t('name'), (r) => r.label, String],
          [t('lq'), (r) => r.lq, fmt.dec],
          [t('here'), (r) => r.region.share, fmt.pct],
          [t('country'), (r) => r.against.share, fmt.pct],
        ],
        onPick: (r) => openDrill(r.key),
      },
    ),
  );
  table(
    c,
    'lq',
    [
      { key: 'label', title: t('name'), cell: (td, r) => td.append(drillButton(r.key, r.label)) },
      {
        key: 'region_demand',
        title: `${t('here')}: ${t('demand')}`,
        num: true,
        value: (r) => r.region.demand,
        format: fmt.num,
      },
      {
        key: 'region_share',
        title: `${t('here')}: ${t('share')}`,
        num: true,
        value: (r) => r.region.share,
        format: fmt.pct,
      },
      {
        key: 'country_share',
        title: `${t('country')}: ${t('share')}`,
        num: true,
        value: (r) => r.against.share,
        format: fmt.pct,
      },
      { key: 'lq', title: t('lq'), num: true, format: fmt.dec },
    ],
    compare.rows,
  );
}
