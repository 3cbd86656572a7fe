// The analyst page: reads only the public API (/v1/...). Filters live in the URL, so a view can be shared.
// Charts are drawn with Observable Plot (SVG), each with PNG/SVG export; every table has CSV export.

const T = {
  fi: {
    title: 'Osaamistarvetutka', language: 'Kieli', overview: 'Yleiskuva', trends: 'Kehitys', regions: 'Alueet', horizons: 'Aikajänteet',
    region: 'Alue', horizon: 'Aikajänne', kind: 'Aineisto', from: 'Alkaen', to: 'Asti', groupBy: 'Ryhmittely', bucket: 'Jakso', all: 'kaikki',
    h_current: 'nyt', h_short: '1–2 vuotta', h_long: '3–10 vuotta', k_job_ad: 'työpaikkailmoitukset', k_meeting_note: 'tapaamismuistiot',
    g_skill: 'taidot', g_skillGroup: 'taitoryhmät', g_occupation: 'ammatit', g_sector: 'toimialat', b_month: 'kuukausi', b_quarter: 'neljännes',
    wholeCountry: 'koko maa', lv_major_region: 'Suuralueet', lv_elinvoimakeskus: 'Elinvoimakeskukset', lv_maakunta: 'Maakunnat', lv_country: 'Maa',
    name: 'Nimi', documents: 'Dokumentit', mentions: 'Maininnat', demand: 'Tarve', share: 'Osuus', topOf: 'Suurin tarve', numbers: 'Luvut',
    csv: 'CSV', png: 'PNG', svg: 'SVG', loading: 'Ladataan…', noData: 'Ei tietoja näillä rajauksilla.', lineTitle: 'Tarve ajan mukaan', emerging: 'Nousevat taidot',
    previous: 'Edellinen jakso', current: 'Nykyinen jakso', growth: 'Osuuden kasvu', pValue: 'p', map: 'Tarve maakunnittain', heat: 'Maakunnat × taitoryhmät',
    lq: 'Sijaintiosamäärä', lqTitle: 'Alue verrattuna koko maahan', here: 'Alueella', country: 'Koko maassa', pickRegion: 'Valitse alue (oletus Uusimaa).',
    horizonsTitle: 'Sama taito eri aikajänteillä', drillTitle: 'Dokumentit taidon takana', close: 'Sulje', more: 'Lisää', of: '/',
    attribution: 'Tämä palvelu käyttää Euroopan komission ESCO-luokitusta.', mapAttribution: 'Kartta: Tilastokeskus, Maanmittauslaitos (CC BY 4.0), Yleisradio/geodata.',
    suppressedNote: 'Osa soluista on piilotettu: ne perustuvat muiden organisaatioiden yksityisiin asiakirjoihin, joita on liian vähän näytettäväksi',
    apiKey: 'API-avain', keyNeeded: 'Sivu tarvitsee organisaatiosi API-avaimen (rooli analyst tai admin). Se tallennetaan vain tähän selaimeen.', keyInvalid: 'Avain ei kelpaa (tuntematon, peruttu tai väärä rooli).', save: 'Tallenna', forgetKey: 'Unohda avain',
    chooseSkills: 'Valitse taidot', error: 'Virhe', clickHint: 'Napsauta taitoa nähdäksesi lauseet sen takana.',
  },
  sv: {
    title: 'Kompetensbehovsradar', language: 'Språk', overview: 'Översikt', trends: 'Utveckling', regions: 'Regioner', horizons: 'Tidshorisonter',
    region: 'Region', horizon: 'Tidshorisont', kind: 'Material', from: 'Från', to: 'Till', groupBy: 'Gruppering', bucket: 'Period', all: 'alla',
    h_current: 'nu', h_short: '1–2 år', h_long: '3–10 år', k_job_ad: 'platsannonser', k_meeting_note: 'mötesanteckningar',
    g_skill: 'färdigheter', g_skillGroup: 'färdighetsgrupper', g_occupation: 'yrken', g_sector: 'branscher', b_month: 'månad', b_quarter: 'kvartal',
    wholeCountry: 'hela landet', lv_major_region: 'Storområden', lv_elinvoimakeskus: 'Livskraftscentraler', lv_maakunta: 'Landskap', lv_country: 'Land',
    name: 'Namn', documents: 'Dokument', mentions: 'Omnämnanden', demand: 'Behov', share: 'Andel', topOf: 'Störst behov', numbers: 'Siffror',
    csv: 'CSV', png: 'PNG', svg: 'SVG', loading: 'Laddar…', noData: 'Inga uppgifter med dessa filter.', lineTitle: 'Behov över tid', emerging: 'Växande färdigheter',
    previous: 'Föregående period', current: 'Nuvarande period', growth: 'Ökning i andel', pValue: 'p', map: 'Behov per landskap', heat: 'Landskap × färdighetsgrupper',
    lq: 'Lokaliseringskvot', lqTitle: 'Regionen jämförd med hela landet', here: 'I regionen', country: 'I hela landet', pickRegion: 'Välj en region (standard Nyland).',
    horizonsTitle: 'Samma färdighet på olika tidshorisonter', drillTitle: 'Dokumenten bakom färdigheten', close: 'Stäng', more: 'Fler', of: '/',
    attribution: 'Denna tjänst använder Europeiska kommissionens ESCO-klassificering.', mapAttribution: 'Karta: Statistikcentralen, Lantmäteriverket (CC BY 4.0), Yleisradio/geodata.',
    suppressedNote: 'Några celler döljs: de vilar på för få privata dokument från andra organisationer för att visas',
    apiKey: 'API-nyckel', keyNeeded: 'Sidan behöver din organisations API-nyckel (roll analyst eller admin). Den sparas bara i den här webbläsaren.', keyInvalid: 'Nyckeln duger inte (okänd, återkallad eller fel roll).', save: 'Spara', forgetKey: 'Glöm nyckeln',
    chooseSkills: 'Välj färdigheter', error: 'Fel', clickHint: 'Klicka på en färdighet för att se meningarna bakom den.',
  },
  en: {
    title: 'Skills Demand Radar', language: 'Language', overview: 'Overview', trends: 'Trends', regions: 'Regions', horizons: 'Horizons',
    region: 'Region', horizon: 'Horizon', kind: 'Documents', from: 'From', to: 'To', groupBy: 'Group by', bucket: 'Period', all: 'all',
    h_current: 'now', h_short: '1–2 years', h_long: '3–10 years', k_job_ad: 'job ads', k_meeting_note: 'meeting notes',
    g_skill: 'skills', g_skillGroup: 'skill groups', g_occupation: 'occupations', g_sector: 'sectors', b_month: 'month', b_quarter: 'quarter',
    wholeCountry: 'whole country', lv_major_region: 'Major regions', lv_elinvoimakeskus: 'Elinvoimakeskus areas', lv_maakunta: 'Regions', lv_country: 'Country',
    name: 'Name', documents: 'Documents', mentions: 'Mentions', demand: 'Demand', share: 'Share', topOf: 'Largest demand', numbers: 'Numbers',
    csv: 'CSV', png: 'PNG', svg: 'SVG', loading: 'Loading…', noData: 'No data under these filters.', lineTitle: 'Demand over time', emerging: 'Emerging skills',
    previous: 'Previous period', current: 'Current period', growth: 'Growth in share', pValue: 'p', map: 'Demand by region', heat: 'Regions × skill groups',
    lq: 'Location quotient', lqTitle: 'Region compared with the whole country', here: 'In the region', country: 'In the whole country', pickRegion: 'Choose a region (default Uusimaa).',
    horizonsTitle: 'The same skill now, in 1–2 years and in 3–10 years', drillTitle: 'Documents behind the skill', close: 'Close', more: 'More', of: '/',
    attribution: 'This service uses the ESCO classification of the European Commission.', mapAttribution: 'Map: Statistics Finland, National Land Survey of Finland (CC BY 4.0), via Yleisradio/geodata.',
    suppressedNote: "Some cells are hidden: they rest on too few of other organisations' private documents to be shown",
    apiKey: 'API key', keyNeeded: "The page needs your organisation's API key (role analyst or admin). It is kept in this browser only.", keyInvalid: 'The key does not work (unknown, revoked or the wrong role).', save: 'Save', forgetKey: 'Forget the key',
    chooseSkills: 'Choose skills', error: 'Error', clickHint: 'Click a skill to see the sentences behind it.',
  },
};
const LOCALE = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };
// Intl formatters are costly to create (about a millisecond each here): one per locale and options, kept
const formatters = new Map();
const intl = (Kind, locale, options) => {
  const id = `${Kind.name}|${locale}|${JSON.stringify(options)}`;
  if (!formatters.has(id)) formatters.set(id, new Kind(locale, options));
  return formatters.get(id);
};

const HORIZONS = ['current', 'short', 'long'];
const FILTERS = ['region', 'horizon', 'kind', 'from', 'to'];
const DEFAULTS = { view: 'overview', lang: 'fi', groupBy: 'skill', bucket: 'month' };

/** The state of the page: the URL's query, with defaults. */
const state = { ...DEFAULTS };
for (const [k, v] of new URLSearchParams(location.search)) state[k] = v;
if (!T[state.lang]) state.lang = 'fi';

const t = (key) => T[state.lang][key] ?? key;
const nf = (options) => intl(Intl.NumberFormat, LOCALE[state.lang], options);
/** Formats a figure; a suppressed cell's figure (null) shows as a dash. */
const figure = (format) => (v) => (v === null || v === undefined ? '–' : format(v));
const fmt = {
  int: figure((v) => nf({ maximumFractionDigits: 0 }).format(v)),
  num: figure((v) => nf({ maximumFractionDigits: 1 }).format(v)),
  pct: figure((v) => nf({ style: 'percent', maximumFractionDigits: 1 }).format(v)),
  dec: figure((v) => nf({ maximumFractionDigits: 2 }).format(v)),
  p: figure((v) => nf({ maximumSignificantDigits: 2 }).format(v)),
  month: (iso) => intl(Intl.DateTimeFormat, LOCALE[state.lang], { year: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(iso)),
  quarter: (iso) => {
    const d = new Date(iso);
    return `Q${Math.floor(d.getUTCMonth() / 3) + 1} ${d.getUTCFullYear()}`;
  },
  date: (iso) => (iso ? intl(Intl.DateTimeFormat, LOCALE[state.lang], { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(iso)) : '–'),
};
/** Rows with figures (suppressed cells have none) for the charts. */
const published = (rows) => rows.filter((r) => !r.suppressed);
/** A note under a view that some cells are not shown. */
const suppressedNote = (parent, n) => n > 0 && parent.append(el('p', { class: 'hint', 'data-suppressed': String(n) }, `${t('suppressedNote')} (${nf({}).format(n)})`));

function saveState() {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(state)) if (v !== undefined && v !== '' && DEFAULTS[k] !== v) q.set(k, v);
  history.replaceState(null, '', `${location.pathname}${q.size ? `?${q}` : ''}`);
}

const filters = () => Object.fromEntries(FILTERS.filter((f) => state[f]).map((f) => [f, state[f]]));

// the API key: every /v1 request sends it; it lives in this browser's storage only
const KEY_STORE = 'radar.apiKey';
let apiKey = localStorage.getItem(KEY_STORE) ?? '';

/** The API refused the key (401) or its role (403): the page asks for another. */
class KeyError extends Error {}

async function api(path, params = {}) {
  const q = new URLSearchParams({ lang: state.lang });
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const res = await fetch(`${path}?${q}`, { headers: { accept: 'application/json', authorization: `Bearer ${apiKey}` } });
  const body = await res.json().catch(() => ({}));
  if (res.status === 401 || res.status === 403) throw new KeyError(body.message ?? `${res.status}`);
  if (!res.ok) throw new Error(body.message ?? `${res.status}`);
  return body;
}

// ---------- building blocks: panel, table with CSV, chart with PNG/SVG ----------

const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
};

function download(name, blob) {
  const a = el('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

function panel(id, title) {
  const p = el('div', { class: 'panel', id }, el('h2', {}, title));
  document.getElementById('panels').append(p);
  return p;
}

const csvCell = (v) => {
  const s = String(v ?? '');
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** A table of `rows` by `columns` ({ key, title, format?, num?, value?, cell? }), with a CSV button; the CSV carries the raw values. */
function table(parent, name, columns, rows, options = {}) {
  const tools = el('div', { class: 'tools' }, el('button', {
    type: 'button', 'data-export': 'csv', onclick: () => {
      const lines = [`# ${T.en.attribution}`, columns.map((c) => csvCell(c.key)).join(','), ...rows.map((r) => columns.map((c) => csvCell(c.value ? c.value(r) : r[c.key])).join(','))];
      download(`${name}.csv`, new Blob([`${lines.join('\n')}\n`], { type: 'text/csv;charset=utf-8' }));
    },
  }, `${t('csv')} ↓`));
  const head = el('tr', {}, ...columns.map((c) => el('th', { class: c.num ? 'num' : '', scope: 'col' }, c.title)));
  const body = rows.map((r) => el('tr', {}, ...columns.map((c) => {
    const v = c.value ? c.value(r) : r[c.key];
    const td = el('td', { class: c.num ? 'num' : '' });
    if (c.cell) c.cell(td, r, v);
    else td.textContent = c.format ? c.format(v) : String(v ?? '');
    return td;
  })));
  const tbl = el('table', { class: options.class ?? '', 'data-table': name }, el('thead', {}, head), el('tbody', {}, ...body));
  parent.append(tools, el('div', { class: 'table-wrap' }, tbl));
  return tbl;
}

/**
 * The chart script: the page preloads it, and it runs only once the view's API requests are out (compiling it
 * takes the main thread for a while), so the server works on them meanwhile. A chart waits for it only when
 * there is something to draw.
 */
let chartsLoaded;
function loadCharts() {
  chartsLoaded ??= new Promise((resolve, reject) => {
    if (globalThis.Plot) return resolve();
    const script = el('script', { src: '/vendor/charts.js', id: 'charts-script' });
    script.addEventListener('load', () => {
      performance.mark('radar:charts'); // npm run bench:page -- --detail prints it
      resolve();
    });
    script.addEventListener('error', () => reject(new Error('the chart script did not load')));
    document.head.append(script);
  });
  return chartsLoaded;
}

/** The chart's own SVG elements (a legend and the plot, or the plot alone), not those nested in them. */
const svgsOf = (box) => [...box.querySelectorAll('svg')].filter((s) => !s.parentElement.closest('svg'));

/** One SVG document of a chart: its SVG elements stacked, as they stand on the page. */
function chartSvg(box) {
  const parts = svgsOf(box);
  const width = Math.max(...parts.map((s) => s.getBoundingClientRect().width));
  let y = 0;
  const SVG = 'http://www.w3.org/2000/svg';
  const out = document.createElementNS(SVG, 'svg');
  const background = document.createElementNS(SVG, 'rect');
  for (const [k, v] of [['width', '100%'], ['height', '100%'], ['fill', '#fff']]) background.setAttribute(k, v);
  out.append(background);
  for (const part of parts) {
    const copy = part.cloneNode(true);
    const { height } = part.getBoundingClientRect();
    copy.setAttribute('y', String(y));
    copy.setAttribute('width', String(part.getBoundingClientRect().width));
    copy.setAttribute('height', String(height));
    out.append(copy);
    y += height + 4;
  }
  out.setAttribute('xmlns', SVG);
  out.setAttribute('width', String(Math.ceil(width)));
  out.setAttribute('height', String(Math.ceil(y)));
  out.setAttribute('viewBox', `0 0 ${Math.ceil(width)} ${Math.ceil(y)}`);
  out.setAttribute('font-family', 'system-ui, sans-serif');
  return { text: new XMLSerializer().serializeToString(out), width: Math.ceil(width), height: Math.ceil(y) };
}

/** The chart as PNG at twice its size: its SVG drawn on a canvas. */
async function chartPng(box) {
  const { text, width, height } = chartSvg(box);
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = width * 2;
    canvas.height = height * 2;
    const ctx = canvas.getContext('2d');
    ctx.scale(2, 2);
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * A chart in `parent` with PNG and SVG buttons. `draw(width)` returns Observable Plot's output for the box's
 * width; the chart is drawn again when the box's width changes (a turned phone, a resized window).
 */
async function chart(parent, name, draw) {
  const box = el('div', { class: 'chart', 'data-chart': name });
  const tools = el('div', { class: 'tools' });
  parent.append(box, tools);
  await loadCharts();
  const started = performance.now();
  let drawnFor = Math.floor(box.clientWidth) || 640;
  box.replaceChildren(draw(drawnFor));
  performance.measure(`radar:chart ${name}`, { start: started }); // npm run bench:page -- --detail prints it
  new ResizeObserver(() => {
    const width = Math.floor(box.clientWidth);
    if (width > 0 && Math.abs(width - drawnFor) > 8) {
      const again = performance.now();
      box.replaceChildren(draw((drawnFor = width)));
      performance.measure(`radar:chart ${name} redrawn`, { start: again });
    }
  }).observe(box);
  tools.append(
    el('button', { type: 'button', 'data-export': 'png', onclick: async () => download(`${name}.png`, await chartPng(box)) }, `${t('png')} ↓`),
    el('button', { type: 'button', 'data-export': 'svg', onclick: () => download(`${name}.svg`, new Blob([chartSvg(box).text], { type: 'image/svg+xml' })) }, `${t('svg')} ↓`),
  );
}

/** The left margin for category labels: room for the longest, at most 40 % of the chart. */
const labelMargin = (labels, width) => Math.round(Math.min(width * 0.4, Math.max(60, 12 + 6 * Math.max(0, ...labels.map((l) => String(l).length)))));

/** Plot's options common to every chart. */
const base = (width) => ({ width, style: { fontFamily: 'system-ui, sans-serif', fontSize: '11px', overflow: 'visible' } });

/** A legend of named colours as a small Plot chart of dots and names (kept in the SVG export, unlike Plot's HTML swatches). */
const swatches = (names, range, width) => Plot.plot({
  ...base(width), height: 18 * names.length + 6, margin: 4, marginLeft: 10, axis: null,
  x: { domain: [0, 1] }, y: { type: 'band', domain: names }, color: { domain: names, range },
  marks: [
    Plot.dot(names, { x: 0, y: (d) => d, fill: (d) => d, r: 5, ariaHidden: true }),
    Plot.text(names, { x: 0, y: (d) => d, text: (d) => d, dx: 10, textAnchor: 'start', fontSize: 11, ariaHidden: true }),
  ],
});

/** A chart's own element with its legend before it. */
const withLegend = (legend, chartNode) => {
  const box = el('div', { class: 'with-legend' });
  box.append(legend, chartNode);
  return box;
};

/** Clicking a bar calls `onPick` with its row (Plot draws the bars in the order of the index it passes). */
const clickable = (rows, onPick) => (index, scales, values, dimensions, context, next) => {
  const g = next(index, scales, values, dimensions, context);
  g.querySelectorAll('rect').forEach((rect, i) => {
    rect.style.cursor = 'pointer';
    rect.addEventListener('click', () => onPick(rows[index[i]]));
  });
  return g;
};

/**
 * Horizontal bars of `value` per `label`, largest first, with a tooltip of `tip` columns ([title, field, format])
 * and, given `reference`, a dashed line at that value.
 */
function bars(rows, { value, valueTitle, color, tip, onPick, reference }) {
  return (width) => {
    const marginLeft = labelMargin(rows.map((r) => r.label), width);
    return Plot.plot({
      ...base(width), height: 20 * rows.length + 40, marginLeft, marginRight: 20,
      x: { label: valueTitle, grid: true, tickFormat: fmt.num },
      y: { label: null, domain: [...rows].sort((a, b) => b[value] - a[value]).map((r) => r.label) },
      marks: [
        Plot.axisY({ textOverflow: 'ellipsis', lineWidth: (marginLeft - 10) / 11, tickSize: 0 }),
        Plot.barX(rows, {
          x: value, y: 'label', fill: color, title: null,
          ariaLabel: (r) => tip.map(([title, field, format]) => `${title}: ${format(field(r))}`).join('; '),
          tip: { format: { x: false, y: false, ...Object.fromEntries(tip.map(([title, , format]) => [title, format])) } },
          channels: Object.fromEntries(tip.map(([title, field]) => [title, { value: field, label: title }])),
          render: onPick ? clickable(rows, onPick) : undefined,
        }),
        Plot.ruleX([0]),
        ...(reference === undefined ? [] : [Plot.ruleX([reference], { stroke: '#5b6773', strokeDasharray: '4 3' })]),
      ],
    });
  };
}

const drillButton = (key, label) => el('button', { type: 'button', class: 'link', 'data-skill': key, onclick: () => openDrill(key) }, label);

// ---------- the views ----------

const GROUP_FOR_DRILL = new Set(['skill']);

async function overview() {
  const data = await api('/v1/demand', { ...filters(), groupBy: state.groupBy, limit: 20 });
  const p = panel('overview', `${t('topOf')}: ${t(`g_${state.groupBy}`)}`);
  if (data.rows.length === 0) return void p.append(el('p', {}, t('noData')));
  const canDrill = GROUP_FOR_DRILL.has(state.groupBy);
  if (canDrill) p.append(el('p', { class: 'hint' }, t('clickHint')));
  const shown = published(data.rows);
  await chart(p, 'overview', bars(shown, {
    value: 'demand', valueTitle: t('demand'), color: '#1f6fb2',
    tip: [[t('name'), (r) => r.label, String], [t('demand'), (r) => r.demand, fmt.num], [t('documents'), (r) => r.documents, fmt.int], [t('mentions'), (r) => r.mentions, fmt.int], [t('share'), (r) => r.share, fmt.pct]],
    onPick: canDrill ? (r) => openDrill(r.key) : undefined,
  }));
  p.append(el('h2', {}, t('numbers')));
  table(p, 'overview', [
    { key: 'label', title: t('name'), cell: (td, r) => td.append(canDrill ? drillButton(r.key, r.label) : r.label) },
    { key: 'demand', title: t('demand'), num: true, format: fmt.num },
    { key: 'documents', title: t('documents'), num: true, format: fmt.int },
    { key: 'mentions', title: t('mentions'), num: true, format: fmt.int },
    { key: 'share', title: t('share'), num: true, format: fmt.pct },
    { key: 'key', title: 'URI / code' },
  ], data.rows);
  suppressedNote(p, data.suppressed);
}

async function trends() {
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
      void render();
    });
    choices.append(el('label', {}, box, ` ${r.label}`));
  }
  p.append(choices);
  if (series.rows.length === 0) p.append(el('p', {}, t('noData')));
  else {
    const rows = published(series.rows).map((r) => ({ ...r, date: new Date(r.bucket) }));
    const names = [...new Set(rows.map((r) => r.label))];
    const period = state.bucket === 'quarter' ? fmt.quarter : fmt.month;
    const colors = ['#1f6fb2', '#f4a261', '#2a9d8f', '#e76f51', '#6a4c93', '#8ab17d', '#d62828', '#457b9d', '#b5838d', '#6d6875'];
    const range = names.map((_, i) => colors[i % colors.length]);
    await chart(p, 'trends', (width) => withLegend(swatches(names, range, width), Plot.plot({
      ...base(width), height: 280, marginLeft: 50, marginRight: 20,
      x: { type: 'utc', label: null, tickFormat: period, ticks: Math.max(2, Math.floor(width / 110)) },
      y: { label: t('demand'), grid: true, tickFormat: fmt.num, zero: true },
      color: { domain: names, range },
      marks: [
        Plot.line(rows, { x: 'date', y: 'demand', z: 'label', stroke: 'label', strokeWidth: 2, ariaLabel: (r) => r.label }),
        Plot.dot(rows, {
          x: 'date', y: 'demand', stroke: 'label', fill: '#fff', r: 3,
          ariaLabel: (r) => `${t('name')}: ${r.label}; ${t('bucket')}: ${period(r.bucket)}; ${t('demand')}: ${fmt.num(r.demand)}`,
          channels: { [t('name')]: 'label', [t('bucket')]: 'bucket', [t('documents')]: 'documents', [t('mentions')]: 'mentions' },
          tip: { format: { x: false, y: true, stroke: false, [t('bucket')]: period, [t('documents')]: fmt.int, [t('mentions')]: fmt.int } },
        }),
      ],
    })));
    table(p, 'trends', [
      { key: 'bucket', title: t('bucket'), format: fmt.month },
      { key: 'label', title: t('name') },
      { key: 'demand', title: t('demand'), num: true, format: fmt.num },
      { key: 'documents', title: t('documents'), num: true, format: fmt.int },
      { key: 'mentions', title: t('mentions'), num: true, format: fmt.int },
      { key: 'key', title: 'URI' },
    ], series.rows);
  }
  const e = panel('emerging', t('emerging'));
  suppressedNote(e, emerging.suppressed);
  if (emerging.rows.length === 0) return void e.append(el('p', {}, t('noData')));
  table(e, 'emerging', [
    { key: 'label', title: t('name'), cell: (td, r) => td.append(drillButton(r.key, r.label)) },
    { key: 'previous_mentions', title: `${t('previous')}: ${t('mentions')}`, num: true, value: (r) => r.previous.mentions, format: fmt.int },
    { key: 'current_mentions', title: `${t('current')}: ${t('mentions')}`, num: true, value: (r) => r.current.mentions, format: fmt.int },
    { key: 'previous_share', title: `${t('previous')}: ${t('share')}`, num: true, value: (r) => r.previous.share, format: fmt.pct },
    { key: 'current_share', title: `${t('current')}: ${t('share')}`, num: true, value: (r) => r.current.share, format: fmt.pct },
    { key: 'growth', title: t('growth'), num: true, format: fmt.pct },
    { key: 'pValue', title: t('pValue'), num: true, format: fmt.p },
  ], emerging.rows);
}

async function regions() {
  const { region, ...rest } = filters();
  const chosen = region && region !== 'FI' ? region : 'MK01';
  // every request starts now, the map's first (the server answers the geometry from memory); the heat table's
  // and the comparison's answers arrive while the map is drawn
  const geoP = fetch('/v1/geo/regions?crs=EPSG:3067', { headers: { authorization: `Bearer ${apiKey}` } }).then((r) => (r.ok ? r.json() : null));
  const byRegionP = api('/v1/demand', { ...rest, groupBy: 'maakunta', limit: 50 });
  const topP = api('/v1/demand', { ...rest, groupBy: 'skillGroup', limit: 8 });
  const perRegionP = api('/v1/demand', { ...rest, groupBy: 'skillGroup', splitBy: 'maakunta', splitKeys: 'overall', limit: 8 });
  const compareP = api('/v1/demand/compare', { ...rest, region: chosen, groupBy: 'skill', limit: 20, minMentions: 2 });
  for (const later of [topP, perRegionP, compareP]) later.catch(() => {}); // awaited below; this only keeps a failure from counting as unhandled meanwhile
  const [byRegion, geo, list] = await Promise.all([
    byRegionP,
    geoP,
    regionList(),
  ]);
  const p = panel('regions-map', t('map'));
  if (geo) {
    const feature = Object.keys(geo.objects)[0];
    const values = new Map(byRegion.rows.map((r) => [r.key, r]));
    const regionNames = new Map(list.regions.map((r) => [r.code, r.name]));
    const shapes = Plot.feature(geo, geo.objects[feature]).features.map((f) => {
      const code = `MK${f.properties.maakunta}`;
      const r = values.get(code);
      return { ...f, code, name: regionNames.get(code) ?? code, demand: r?.demand ?? 0, documents: r?.documents ?? 0, share: r?.share ?? 0 };
    });
    const shape = { type: 'FeatureCollection', features: shapes };
    await chart(p, 'map', (width) => Plot.plot({
      ...base(Math.min(width, 560)), height: 460, margin: 10,
      projection: { type: 'reflect-y', domain: shape }, // ETRS-TM35FIN plane coordinates, as Finnish maps are drawn
      color: { type: 'linear', scheme: 'blues', label: t('demand'), legend: true, tickFormat: fmt.num, zero: true },
      marks: [Plot.geo(shapes, Plot.centroid({
        fill: 'demand', stroke: '#fff', strokeWidth: 0.7,
        ariaLabel: (f) => `${t('region')}: ${f.name}; ${t('demand')}: ${fmt.num(f.demand)}`,
        channels: { [t('region')]: 'name', [t('documents')]: 'documents', [t('share')]: 'share' },
        tip: { format: { x: false, y: false, fill: fmt.num, [t('documents')]: fmt.int, [t('share')]: fmt.pct } },
      }))],
    }));
  }
  table(p, 'regions', [
    { key: 'label', title: t('region') },
    { key: 'demand', title: t('demand'), num: true, format: fmt.num },
    { key: 'documents', title: t('documents'), num: true, format: fmt.int },
    { key: 'share', title: t('share'), num: true, format: fmt.pct },
    { key: 'key', title: 'code' },
  ], byRegion.rows);

  // regions × skill groups: each region's share of its demand per group, shaded
  const h = panel('regions-heat', t('heat'));
  const top = (await topP).rows.filter((g) => !g.suppressed);
  const share = new Map((await perRegionP).rows.map((x) => [`${x.split} ${x.key}`, x.share]));
  const cells = byRegion.rows.map((r) => ({ key: r.key, label: r.label, ...Object.fromEntries(top.map((g) => [g.key, share.get(`${r.key} ${g.key}`) ?? 0])) }));
  const max = Math.max(0.0001, ...cells.flatMap((c) => top.map((g) => c[g.key])));
  table(h, 'heat', [
    { key: 'label', title: t('region') },
    ...top.map((g) => ({
      key: g.key, title: g.label, num: true,
      cell: (td, _r, v) => {
        td.textContent = fmt.pct(v);
        td.style.background = `rgba(31, 111, 178, ${(0.08 + 0.72 * (v / max)).toFixed(3)})`;
      },
    })),
  ], cells, { class: 'heat' });

  // the chosen region (default Uusimaa) against the whole country
  const compare = await compareP;
  const c = panel('regions-lq', `${t('lqTitle')}: ${nameOf(list, chosen)}`);
  if (!region) c.append(el('p', { class: 'hint' }, t('pickRegion')));
  suppressedNote(c, compare.suppressed);
  if (compare.rows.length === 0) return void c.append(el('p', {}, t('noData')));
  await chart(c, 'lq', bars(compare.rows.filter((r) => r.lq !== null), {
    value: 'lq', valueTitle: t('lq'), color: '#2a9d8f', reference: 1, // 1: as in the whole country
    tip: [[t('name'), (r) => r.label, String], [t('lq'), (r) => r.lq, fmt.dec], [t('here'), (r) => r.region.share, fmt.pct], [t('country'), (r) => r.against.share, fmt.pct]],
    onPick: (r) => openDrill(r.key),
  }));
  table(c, 'lq', [
    { key: 'label', title: t('name'), cell: (td, r) => td.append(drillButton(r.key, r.label)) },
    { key: 'region_demand', title: `${t('here')}: ${t('demand')}`, num: true, value: (r) => r.region.demand, format: fmt.num },
    { key: 'region_share', title: `${t('here')}: ${t('share')}`, num: true, value: (r) => r.region.share, format: fmt.pct },
    { key: 'country_share', title: `${t('country')}: ${t('share')}`, num: true, value: (r) => r.against.share, format: fmt.pct },
    { key: 'lq', title: t('lq'), num: true, format: fmt.dec },
  ], compare.rows);
}

const nameOf = (list, code) => list.regions.find((r) => r.code === code)?.name ?? code;

/** Every region with its names in the page's language: asked once per language, shared by the region menu and the regions view. */
const regionLists = new Map();
const regionList = () => {
  if (!regionLists.has(state.lang)) {
    const list = api('/v1/regions');
    regionLists.set(state.lang, list);
    list.catch(() => regionLists.delete(state.lang)); // a failed answer is asked again next time
  }
  return regionLists.get(state.lang);
};

async function horizons() {
  const { horizon, ...rest } = filters();
  const per = await Promise.all(HORIZONS.map((h) => api('/v1/demand', { ...rest, horizon: h, groupBy: 'skill', limit: 1000 })));
  const bySkill = new Map();
  per.forEach((d, i) => {
    for (const r of published(d.rows)) {
      const row = bySkill.get(r.key) ?? { key: r.key, label: r.label, current: 0, short: 0, long: 0, total: 0 };
      row[HORIZONS[i]] = r.demand;
      row.total += r.demand;
      bySkill.set(r.key, row);
    }
  });
  // the skills with most demand over the three horizons, and those most demanded 3–10 years ahead
  const rows = [...bySkill.values()].sort((a, b) => b.total - a.total || a.label.localeCompare(b.label)).slice(0, 15);
  const p = panel('horizons', t('horizonsTitle'));
  if (horizon) p.append(el('p', { class: 'hint' }, `${t('horizon')}: ${t('all')}`));
  if (rows.length === 0) return void p.append(el('p', {}, t('noData')));
  const long = rows.flatMap((r) => HORIZONS.map((h) => ({ key: r.key, label: r.label, horizon: t(`h_${h}`), order: HORIZONS.indexOf(h), demand: r[h] })));
  const names = HORIZONS.map((h) => t(`h_${h}`));
  const range = ['#1f6fb2', '#f4a261', '#2a9d8f'];
  await chart(p, 'horizons', (width) => {
    const marginLeft = labelMargin(rows.map((r) => r.label), width);
    return withLegend(swatches(names, range, width), Plot.plot({
      ...base(width), height: 34 * rows.length + 40, marginLeft, marginRight: 20,
      x: { label: t('demand'), grid: true, tickFormat: fmt.num },
      fy: { label: null, domain: rows.map((r) => r.label), padding: 0.15 },
      y: { domain: names, axis: null },
      color: { domain: names, range },
      marks: [
        Plot.axisFy({ anchor: 'left', label: null, textOverflow: 'ellipsis', lineWidth: (marginLeft - 10) / 11, tickSize: 0 }),
        Plot.barX(long, {
          x: 'demand', y: 'horizon', fy: 'label', fill: 'horizon',
          ariaLabel: (r) => `${t('name')}: ${r.label}; ${t('horizon')}: ${r.horizon}; ${t('demand')}: ${fmt.num(r.demand)}`,
          channels: { [t('name')]: 'label', [t('horizon')]: 'horizon' },
          tip: { format: { x: fmt.num, y: false, fy: false, fill: false } },
          render: clickable(long, (r) => openDrill(r.key)),
        }),
        Plot.ruleX([0]),
      ],
    }));
  });
  table(p, 'horizons', [
    { key: 'label', title: t('name'), cell: (td, r) => td.append(drillButton(r.key, r.label)) },
    ...HORIZONS.map((h) => ({ key: h, title: t(`h_${h}`), num: true, format: fmt.num })),
    { key: 'key', title: 'URI' },
  ], rows);
}

// ---------- drill-down ----------

async function openDrill(skill, offset = 0) {
  state.skill = skill;
  saveState();
  const box = document.getElementById('drill');
  box.hidden = false;
  const data = await api('/v1/demand/documents', { ...filters(), skill, limit: 20, offset });
  if (offset === 0) box.replaceChildren();
  if (offset === 0) {
    box.append(el('div', { class: 'panel', id: 'drill-panel' },
      el('h2', {}, `${t('drillTitle')}: ${data.skill.label} (${fmt.int(data.total)})`),
      el('div', { class: 'tools' }, el('button', { type: 'button', onclick: closeDrill }, t('close'))),
      el('div', { id: 'drill-docs' })));
  }
  const list = document.getElementById('drill-docs');
  for (const d of data.documents) {
    const sentences = d.sentences.map((s) => {
      const p = el('p', { class: 'sentence' });
      let pos = 0;
      for (const sp of [...s.spans].sort((a, b) => a.start - b.start)) {
        if (sp.start < pos) continue;
        p.append(s.text.slice(pos, sp.start), el('mark', {}, s.text.slice(sp.start, sp.end)));
        pos = sp.end;
      }
      p.append(s.text.slice(pos), el('span', { class: 'meta' }, ` (${t(`h_${s.horizon}`)})`));
      return p;
    });
    list.append(el('article', { class: 'drill-doc', 'data-document': d.id },
      el('h3', {}, d.title ?? t(`k_${d.kind}`)),
      el('div', { class: 'meta' }, `${fmt.date(d.date)} · ${t(`k_${d.kind}`)}${d.region ? ` · ${d.region}` : ''} · ${t('mentions')}: ${d.mentions}`),
      ...sentences));
  }
  const shown = offset + data.documents.length;
  document.getElementById('drill-more')?.remove();
  if (shown < data.total) list.after(el('button', { type: 'button', id: 'drill-more', onclick: () => openDrill(skill, shown) }, `${t('more')} (${shown} ${t('of')} ${data.total})`));
  box.scrollIntoView({ behavior: 'smooth', block: 'start' });
}

function closeDrill() {
  delete state.skill;
  saveState();
  const box = document.getElementById('drill');
  box.hidden = true;
  box.replaceChildren();
}

// ---------- page ----------

const VIEWS = { overview, trends, regions, horizons };

function translate() {
  document.documentElement.lang = state.lang;
  for (const e of document.querySelectorAll('[data-t]')) e.textContent = t(e.dataset.t);
  document.title = t('title');
}

async function fillRegions() {
  if (!apiKey) return;
  const list = await regionList();
  const select = document.getElementById('region');
  const groups = new Map();
  for (const r of list.regions) {
    if (r.level === 'country') continue;
    if (!groups.has(r.level)) groups.set(r.level, el('optgroup', { label: t(`lv_${r.level}`) }));
    groups.get(r.level).append(el('option', { value: r.code }, r.name));
  }
  select.replaceChildren(el('option', { value: '' }, t('wholeCountry')), ...['major_region', 'elinvoimakeskus', 'maakunta'].map((l) => groups.get(l)).filter(Boolean));
  select.value = state.region ?? '';
}

let rendering = 0;
async function render() {
  const run = ++rendering;
  const status = document.getElementById('status');
  status.className = '';
  status.textContent = t('loading');
  document.body.dataset.view = state.view;
  document.body.dataset.ready = 'false';
  for (const b of document.querySelectorAll('#views button')) b.setAttribute('aria-selected', String(b.dataset.view === state.view));
  document.getElementById('panels').replaceChildren();
  try {
    if (!apiKey) throw new KeyError('');
    await (VIEWS[state.view] ?? overview)();
    if (run !== rendering) return;
    status.textContent = '';
  } catch (err) {
    if (err instanceof KeyError) {
      status.textContent = '';
      askForKey(Boolean(apiKey));
    } else {
      status.className = 'error';
      status.textContent = `${t('error')}: ${err.message}`;
    }
  } finally {
    if (run === rendering) {
      // when the view was complete, in ms since navigation started (npm run bench:page reads it)
      document.body.dataset.readyMs = String(Math.round(performance.now()));
      document.body.dataset.ready = 'true';
    }
  }
}

/** The form asking for an API key, in place of the view. */
function askForKey(refused) {
  const input = el('input', { id: 'api-key', type: 'password', autocomplete: 'off', required: true, size: 48 });
  const form = el('form', { id: 'key-form', class: 'key-form' },
    el('p', {}, t('keyNeeded')),
    ...(refused ? [el('p', { class: 'error', role: 'alert' }, t('keyInvalid'))] : []),
    el('label', {}, `${t('apiKey')} `, input),
    el('button', { type: 'submit' }, t('save')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    apiKey = input.value.trim();
    localStorage.setItem(KEY_STORE, apiKey);
    await Promise.all([fillRegions().catch(() => undefined), render()]);
  });
  document.getElementById('panels').replaceChildren(el('div', { class: 'panel', id: 'key' }, el('h2', {}, t('apiKey')), form));
}

async function start() {
  performance.mark('radar:start'); // npm run bench:page -- --detail prints it
  document.getElementById('forget-key').addEventListener('click', () => {
    apiKey = '';
    localStorage.removeItem(KEY_STORE);
    void render();
  });
  translate();
  for (const id of ['horizon', 'kind', 'from', 'to', 'groupBy', 'bucket']) {
    const input = document.getElementById(id);
    input.value = state[id] ?? '';
    input.addEventListener('change', () => {
      state[id] = input.value;
      saveState();
      void render();
    });
  }
  const lang = document.getElementById('lang');
  lang.value = state.lang;
  lang.addEventListener('change', async () => {
    state.lang = lang.value;
    saveState();
    translate();
    await fillRegions().catch(() => undefined);
    await render();
    if (state.skill) await openDrill(state.skill);
  });
  const region = document.getElementById('region');
  region.addEventListener('change', () => {
    state.region = region.value;
    saveState();
    void render();
  });
  for (const b of document.querySelectorAll('#views button')) {
    b.addEventListener('click', () => {
      state.view = b.dataset.view;
      saveState();
      void render();
    });
  }
  // the region list and the view load side by side; the chart script runs once their requests are out
  const loading = Promise.all([fillRegions().catch(() => undefined), render()]);
  loadCharts().catch(() => {}); // a chart awaiting it reports the failure
  await loading;
  if (state.skill) await openDrill(state.skill);
}

window.radar = { state };
void start();
