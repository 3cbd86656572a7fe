// The analyst page: reads only the public API (/v1/...). Filters live in the URL, so a view can be shared.
// Charts are drawn with Observable Plot (SVG), each with PNG/SVG export; every table has CSV export.
import { hasKey, KeyError, regionList, setKey } from './api.js';
import { loadCharts } from './charts.js';
import { el } from './dom.js';
import { drilled, openDrill } from './drill.js';
import { saveState, state, t } from './state.js';
import { brief } from './views/brief.js';
import { horizons } from './views/horizons.js';
import { matching } from './views/matching.js';
import { note } from './views/note.js';
import { overview } from './views/overview.js';
import { regions } from './views/regions.js';
import { sources } from './views/sources.js';
import { trends } from './views/trends.js';

const VIEWS = { overview, trends, regions, horizons, matching, sources, brief, note };
const page = { rerender: () => render() };

function translate() {
  document.documentElement.lang = state.lang;
  for (const e of document.querySelectorAll('[data-t]')) e.textContent = t(e.dataset.t);
  document.title = t('title');
}

async function fillRegions() {
  if (!hasKey()) return;
  const list = await regionList();
  const select = document.getElementById('region');
  const groups = new Map();
  for (const r of list.regions) {
    if (r.level === 'country') continue;
    if (!groups.has(r.level)) groups.set(r.level, el('optgroup', { label: t(`lv_${r.level}`) }));
    groups.get(r.level).append(el('option', { value: r.code }, r.name));
  }
  select.replaceChildren(
    el('option', { value: '' }, t('wholeCountry')),
    ...['grouping', 'major_region', 'elinvoimakeskus', 'ely', 'maakunta', 'municipality']
      .map((l) => groups.get(l))
      .filter(Boolean),
  );
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
  for (const b of document.querySelectorAll('#views button'))
    b.setAttribute('aria-selected', String(b.dataset.view === state.view));
  document.getElementById('panels').replaceChildren();
  try {
    if (!hasKey()) throw new KeyError('');
    await (VIEWS[state.view] ?? overview)(page);
    if (run !== rendering) return;
    status.textContent = '';
  } catch (err) {
    if (err instanceof KeyError && err.forbidden && state.view !== 'note') {
      // a key that may send but not read demand (a contributor's) writes notes
      state.view = 'note';
      saveState();
      if (run === rendering) void render();
    } else if (err instanceof KeyError) {
      status.textContent = '';
      askForKey(hasKey(), err.forbidden);
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

/** The form asking for an API key, in place of the view; a key whose role may not see demand is told so. */
function askForKey(refused, forbidden = false) {
  const input = el('input', { id: 'api-key', type: 'password', autocomplete: 'off', required: true, size: 48 });
  const form = el(
    'form',
    { id: 'key-form', class: 'key-form' },
    el('p', {}, t('keyNeeded')),
    ...(refused ? [el('p', { class: 'error', role: 'alert' }, t(forbidden ? 'keyForbidden' : 'keyInvalid'))] : []),
    el('label', {}, `${t('apiKey')} `, input),
    el('button', { type: 'submit' }, t('save')),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    setKey(input.value.trim());
    await Promise.all([fillRegions().catch(() => undefined), render()]);
  });
  document
    .getElementById('panels')
    .replaceChildren(el('div', { class: 'panel', id: 'key' }, el('h2', {}, t('apiKey')), form));
}

async function start() {
  performance.mark('radar:start'); // npm run bench:page -- --detail prints it
  document.getElementById('forget-key').addEventListener('click', () => {
    setKey('');
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
    if (drilled()) await openDrill(drilled().key, drilled());
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
  if (drilled()) await openDrill(drilled().key, drilled());
}

window.radar = { state };
void start();
