/**
 * How soon the analyst page is ready: the real API on embedded PGlite (as `npm start` runs it) filled with
 * --mentions demand facts (scripts/seed-demand.ts), the page in headless Chromium on loopback. For each view, the
 * time from navigation to the view complete (every API answer in, charts and tables drawn), as the page records
 * it: p50/p95 of --cold first loads, each in a fresh browser context (nothing cached), then of --loads reloads.
 * `--detail` also prints when each file and API answer of the last first load arrived, the page's milestones (its
 * start, each chart's drawing time) and the server's own time per route.
 * `--view '/?view=trends'` measures that page address alone. `--profile FILE` records the last first load of each
 * view with Chromium's CPU profiler into FILE (a .cpuprofile for DevTools, one per view) and prints where the main
 * thread spent its time, by script. `--screenshots DIR` saves each view as it stands after its last first load.
 *   npm run bench:page [-- --mentions 100000 --cold 5 --loads 10 --detail --view PATH --profile FILE --screenshots DIR]
 */
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/base/paths.js';
import { CHROMIUM, chromiumPresent, launchChromium } from '../test/helpers/browser.js';
import { busyShare, cpuTimes, quantile } from './bench-stats.js';

const { values } = parseArgs({
  options: {
    mentions: { type: 'string', default: '100000' },
    cold: { type: 'string', default: '5' },
    loads: { type: 'string', default: '10' },
    detail: { type: 'boolean', default: false },
    view: { type: 'string' },
    profile: { type: 'string' },
    screenshots: { type: 'string' },
  },
});
if (!chromiumPresent) {
  console.log(`bench:page needs Chromium at ${CHROMIUM} (apt-get install chromium)`);
  process.exit(2);
}
const full = process.env.TAXONOMY_DIR ?? join(PROJECT_ROOT, '..', 'shared', 'data');
const taxonomy = existsSync(full) ? full : join(PROJECT_ROOT, 'test', 'fixtures', 'taxonomy');
const loads = Number(values.loads);
const colds = Number(values.cold);

// the service in a process of its own, as it runs for real: the browser driver here shares no event loop with it
const server = fork(join(PROJECT_ROOT, 'scripts', 'bench-page-server.ts'), [], {
  execArgv: [...process.execArgv, '--max-semi-space-size=64'],
  env: { ...process.env, BENCH_TAXONOMY: taxonomy, BENCH_MENTIONS: values.mentions },
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
let pending: { resolve: (m: unknown) => void; reject: (e: Error) => void } | undefined;
server.on('message', (m) => pending?.resolve(m));
server.on('exit', (code) => pending?.reject(new Error(`the bench server exited (${code})`)));
/** Sends `message` (none: only waits) to the server process and resolves with its answer. */
const ask = <T>(message?: string) =>
  new Promise<T>((resolve, reject) => {
    pending = { resolve: resolve as (m: unknown) => void, reject };
    if (message) server.send(message);
  });
const { base, key } = await ask<{ base: string; key: string }>();
const browser = await launchChromium();

const VIEWS: [string, string][] = values.view
  ? [[values.view, values.view]]
  : [
      ['overview (skills, whole country)', '/'],
      ['overview (skill groups, one region, 3–10 y)', '/?groupBy=skillGroup&region=MK07&horizon=long'],
      ['overview in Swedish', '/?lang=sv'],
      ['trends (5 skills by month, emerging)', '/?view=trends'],
      ['regions (map, 19 × 8 heat table, LQ)', '/?view=regions'],
      ['horizons (3 × all skills)', '/?view=horizons'],
    ];
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
/** Self time by script and the busiest functions of a CDP CPU profile. */
function printProfile(profile: { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[] }, file: string) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const byScript = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const deltas = profile.timeDeltas ?? [];
  (profile.samples ?? []).forEach((id, i) => {
    const { functionName, url } = byId.get(id)!.callFrame;
    const ms = (deltas[i + 1] ?? 0) / 1000;
    const script = url.replace(/^https?:\/\/[^/]+/, '') || `(${functionName || 'native'})`;
    byScript.set(script, (byScript.get(script) ?? 0) + ms);
    const fn = `${functionName || '(anonymous)'} ${script}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
  });
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, ms]) => `      ${ms.toFixed(0).padStart(5)} ms  ${k.slice(0, 100)}`)
      .join('\n');
  console.log(
    `    profile of the last first load: ${file}\n    self time by script:\n${top(byScript, 8)}\n    busiest functions:\n${top(byFunction, 12)}`,
  );
}
console.log(
  `\npage ready, ms from navigation: p50/p95 of ${colds} first loads (fresh browser context, empty cache), then of ${loads} reloads`,
);
const stats = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return `p50 ${String(quantile(sorted, 0.5)!).padStart(5)}  p95 ${String(quantile(sorted, 0.95)!).padStart(5)}`;
};
try {
  for (const [name, path] of VIEWS) {
    const cold: number[] = [];
    const busy: number[] = [];
    let context;
    let page;
    const readyMs = async () => {
      await page!.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
      return Number(await page!.getAttribute('body', 'data-ready-ms'));
    };
    for (let i = 0; i < colds; i++) {
      await context?.close();
      context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await context.addInitScript(`localStorage.setItem('radar.apiKey', ${JSON.stringify(key)})`);
      page = await context.newPage();
      const profiler = values.profile && i === colds - 1 ? await context.newCDPSession(page) : undefined;
      if (profiler) {
        await profiler.send('Profiler.enable');
        await profiler.send('Profiler.setSamplingInterval', { interval: 200 });
        await profiler.send('Profiler.start');
      }
      const before = cpuTimes();
      await page.goto(`${base}${path}`);
      cold.push(await readyMs());
      busy.push(busyShare(before, cpuTimes()));
      if (profiler) {
        const { profile } = await profiler.send('Profiler.stop');
        const file =
          VIEWS.length > 1
            ? values.profile!.replace(/(\.cpuprofile)?$/, `-${VIEWS.findIndex(([, p]) => p === path)}.cpuprofile`)
            : values.profile!;
        writeFileSync(file, JSON.stringify(profile));
        printProfile(profile, file);
      }
    }
    if (values.screenshots) {
      mkdirSync(values.screenshots, { recursive: true });
      await page!.screenshot({
        path: join(values.screenshots, `${VIEWS.findIndex(([, p]) => p === path)}.png`),
        fullPage: true,
      });
    }
    if (values.detail) {
      const timeline = await page!.evaluate<[string, number, number][]>(
        `performance.getEntriesByType('resource').map((r) => [r.name.replace(location.origin, ''), Math.round(r.startTime), Math.round(r.responseEnd)])`,
      );
      for (const [url, start, end] of timeline)
        console.log(`      ${String(start).padStart(5)} → ${String(end).padStart(5)} ms  ${url.slice(0, 90)}`);
      // the document's own milestones, the browser's paints and the page's marks, in the same clock
      const milestones = await page!.evaluate<[string, number][]>(`(() => {
        const n = performance.getEntriesByType('navigation')[0];
        return [['document in', n.responseEnd], ['DOM interactive', n.domInteractive], ['DOMContentLoaded', n.domContentLoadedEventStart],
          ...performance.getEntriesByType('paint').map((p) => [p.name, p.startTime]),
          ...performance.getEntriesByType('mark').map((m) => ['mark ' + m.name, m.startTime]),
          ...performance.getEntriesByType('measure').map((m) => [m.name + ' ' + Math.round(m.duration) + ' ms, from', m.startTime])].map(([k, t]) => [k, Math.round(t)]).sort((a, b) => a[1] - b[1]);
      })()`);
      console.log(`      ${milestones.map(([k, t]) => `${k} ${t}`).join(' · ')}`);
    }
    const warm: number[] = [];
    for (let i = 0; i < loads; i++) {
      await page!.reload();
      warm.push(await readyMs());
    }
    const meanBusy = Math.round((100 * busy.reduce((a, b) => a + b, 0)) / Math.max(1, busy.length));
    console.log(
      `  ${name.padEnd(46)} first load ${stats(cold)}   reload ${stats(warm)}   CPUs ${meanBusy} % busy during first loads`,
    );
    if (values.detail) {
      const serverMs = new Map(await ask<[string, number[]][]>('times'));
      const rows = [...serverMs].map(([path, ms]) => `${path} ${stats(ms.map(Math.round))}`);
      console.log(
        `    server time per request, ms (${[...serverMs.values()].reduce((n, m) => n + m.length, 0)} requests):\n      ${rows.join('\n      ')}`,
      );
    }
    await ask('clear');
    await context?.close();
  }
} finally {
  await browser.close();
  await ask('stop');
}
