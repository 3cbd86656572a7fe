// Building blocks of the views: elements, panels, downloads and tables with CSV export.
import { T } from './i18n.js';
import { filters, state, t } from './state.js';

export const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
};

export function download(name, blob) {
  const a = el('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

export function panel(id, title) {
  const p = el('div', { class: 'panel', id }, el('h2', {}, title));
  document.getElementById('panels').append(p);
  return p;
}

// as src/interfaces/csv.ts: Finnish and Swedish Excel read ';'-separated values with decimal commas, and any Excel
// reads UTF-8 only after a byte order mark; text a spreadsheet would run as a formula gets a leading apostrophe
const csvDialect = () =>
  state.lang === 'en' ? { separator: ',', decimalComma: false } : { separator: ';', decimalComma: true };
const csvCell = (v, dialect) => {
  if (typeof v === 'number' && dialect.decimalComma) return String(v).replace('.', ',');
  let s = String(v ?? '');
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return (dialect.separator === ';' ? /[";\n\r]/ : /[",\n\r]/).test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The view's CSV: the attribution and the filters as comment lines, the header and the raw values. */
function csvText(columns, rows) {
  const dialect = csvDialect();
  const shown = Object.entries({ view: state.view, groupBy: state.groupBy, ...filters() })
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}=${v}`);
  const line = (cells) => cells.map((c) => csvCell(c, dialect)).join(dialect.separator);
  const lines = [
    `# ${T.en.attribution}`,
    `# ${t('csvFilters')}: ${shown.join('; ')}`,
    line(columns.map((c) => c.key)),
    ...rows.map((r) => line(columns.map((c) => (c.value ? c.value(r) : r[c.key])))),
  ];
  return `\uFEFF${lines.join('\n')}\n`;
}

/** A table of `rows` by `columns` ({ key, title, format?, num?, value?, cell? }), with a CSV button; the CSV carries the raw values. */
export function table(parent, name, columns, rows, options = {}) {
  const tools = el(
    'div',
    { class: 'tools' },
    el(
      'button',
      {
        type: 'button',
        'data-export': 'csv',
        onclick: () => download(`${name}.csv`, new Blob([csvText(columns, rows)], { type: 'text/csv;charset=utf-8' })),
      },
      `${t('csv')} ↓`,
    ),
  );
  const head = el('tr', {}, ...columns.map((c) => el('th', { class: c.num ? 'num' : '', scope: 'col' }, c.title)));
  const body = rows.map((r) =>
    el(
      'tr',
      {},
      ...columns.map((c) => {
        const v = c.value ? c.value(r) : r[c.key];
        const td = el('td', { class: c.num ? 'num' : '' });
        if (c.cell) c.cell(td, r, v);
        else td.textContent = c.format ? c.format(v) : String(v ?? '');
        return td;
      }),
    ),
  );
  const tbl = el(
    'table',
    { class: options.class ?? '', 'data-table': name },
    el('thead', {}, head),
    el('tbody', {}, ...body),
  );
  parent.append(tools, el('div', { class: 'table-wrap' }, tbl));
  return tbl;
}

/** A note under a view whose figures include other organisations' private documents, perturbed. */
export const perturbedNote = (parent, rows) => {
  const n = rows.filter((r) => r.perturbed).length;
  if (n > 0) parent.append(el('p', { class: 'hint', 'data-perturbed': String(n) }, `≈ ${t('perturbedNote')}`));
};
