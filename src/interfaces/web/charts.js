// Charts with Observable Plot (window.Plot, from /vendor/charts.js), each with PNG and SVG export.
import { download, el } from './dom.js';
import { fmt, t } from './state.js';

/**
 * The chart script: the page preloads it, and it runs only once the view's API requests are out (compiling it
 * takes the main thread for a while), so the server works on them meanwhile. A chart waits for it only when
 * there is something to draw.
 */
let chartsLoaded;
export function loadCharts() {
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
  for (const [k, v] of [
    ['width', '100%'],
    ['height', '100%'],
    ['fill', '#fff'],
  ])
    background.setAttribute(k, v);
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
export async function chart(parent, name, draw) {
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
    el(
      'button',
      { type: 'button', 'data-export': 'png', onclick: async () => download(`${name}.png`, await chartPng(box)) },
      `${t('png')} ↓`,
    ),
    el(
      'button',
      {
        type: 'button',
        'data-export': 'svg',
        onclick: () => download(`${name}.svg`, new Blob([chartSvg(box).text], { type: 'image/svg+xml' })),
      },
      `${t('svg')} ↓`,
    ),
  );
}

/** The left margin for category labels: room for the longest, at most 40 % of the chart. */
export const labelMargin = (labels, width) =>
  Math.round(Math.min(width * 0.4, Math.max(60, 12 + 6 * Math.max(0, ...labels.map((l) => String(l).length)))));

/** Plot's options common to every chart. */
export const base = (width) => ({
  width,
  style: { fontFamily: 'system-ui, sans-serif', fontSize: '11px', overflow: 'visible' },
});

/** A legend of named colours as a small Plot chart of dots and names (kept in the SVG export, unlike Plot's HTML swatches). */
export const swatches = (names, range, width) =>
  Plot.plot({
    ...base(width),
    height: 18 * names.length + 6,
    margin: 4,
    marginLeft: 10,
    axis: null,
    x: { domain: [0, 1] },
    y: { type: 'band', domain: names },
    color: { domain: names, range },
    marks: [
      Plot.dot(names, { x: 0, y: (d) => d, fill: (d) => d, r: 5, ariaHidden: true }),
      Plot.text(names, {
        x: 0,
        y: (d) => d,
        text: (d) => d,
        dx: 10,
        textAnchor: 'start',
        fontSize: 11,
        ariaHidden: true,
      }),
    ],
  });

/** A chart's own element with its legend before it. */
export const withLegend = (legend, chartNode) => {
  const box = el('div', { class: 'with-legend' });
  box.append(legend, chartNode);
  return box;
};

/** Clicking a bar calls `onPick` with its row (Plot draws the bars in the order of the index it passes). */
export const clickable = (rows, onPick) => (index, scales, values, dimensions, context, next) => {
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
export function bars(rows, { value, valueTitle, color, tip, onPick, reference }) {
  return (width) => {
    const marginLeft = labelMargin(
      rows.map((r) => r.label),
      width,
    );
    return Plot.plot({
      ...base(width),
      height: 20 * rows.length + 40,
      marginLeft,
      marginRight: 20,
      x: { label: valueTitle, grid: true, tickFormat: fmt.num },
      y: { label: null, domain: [...rows].sort((a, b) => b[value] - a[value]).map((r) => r.label) },
      marks: [
        Plot.axisY({ textOverflow: 'ellipsis', lineWidth: (marginLeft - 10) / 11, tickSize: 0 }),
        Plot.barX(rows, {
          x: value,
          y: 'label',
          fill: color,
          title: null,
          ariaLabel: (r) => tip.map(([title, field, format]) => `${title}: ${format(field(r))}`).join('; '),
          tip: {
            format: { x: false, y: false, ...Object.fromEntries(tip.map(([title, , format]) => [title, format])) },
          },
          channels: Object.fromEntries(tip.map(([title, field]) => [title, { value: field, label: title }])),
          render: onPick ? clickable(rows, onPick) : undefined,
        }),
        Plot.ruleX([0]),
        ...(reference === undefined ? [] : [Plot.ruleX([reference], { stroke: '#5b6773', strokeDasharray: '4 3' })]),
      ],
    });
  };
}
