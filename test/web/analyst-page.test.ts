import { mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { parse } from 'csv-parse/sync';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DemandRow } from '../../src/domain/demand.js';
import { PROJECT_ROOT } from '../../src/base/paths.js';
import { StatisticsRepository } from '../../src/storage/statistics.repository.js';
import { readStatisticsFile } from '../../src/taxonomy/statistics.js';
import { CHROMIUM, chromiumPresent, launchChromium, WEB_ARTIFACTS } from '../helpers/browser.js';
import { startTestService, waitFor, type TestService } from '../helpers/service.js';

/**
 * The analyst page end to end: the real service (PGlite, Redis, worker) with the demand fixture documents
 * analysed, the page in Debian's headless Chromium, and every figure compared with what the API answers.
 */
const ARTIFACTS = WEB_ARTIFACTS;
const present = chromiumPresent;
if (!present)
  console.log(`analyst page tests SKIPPED: no Chromium at ${CHROMIUM} (apt-get install chromium; .ci/run does)`);

/** a row of /v1/demand as the page's analyst (of the documents' own organisation) reads it */
type Row = Required<Pick<DemandRow, 'key' | 'label'>> & {
  documents: number;
  mentions: number;
  demand: number;
  share: number;
};

const documents = [
  ...(
    JSON.parse(readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'demand', 'documents.json'), 'utf8')) as {
      document: Record<string, unknown>;
    }[]
  ).map((c) => c.document),
  // more skills needed than the trends view follows at first, so that one more can be chosen
  {
    kind: 'job_ad',
    language: 'fi',
    date: '2026-11-12',
    text: 'Haemme myyjää. Työssä pääset myymään tuotteita ja työskentelemään hitsauslaitteilla.',
  },
  // the same sentence in another ad: the drill-down shows it once
  {
    kind: 'job_ad',
    language: 'fi',
    date: '2026-11-13',
    text: 'Haemme myyjää Lahteen. Työssä pääset myymään tuotteita ja työskentelemään hitsauslaitteilla.',
  },
];
const WELDING_EQUIPMENT = 'http://data.europa.eu/esco/skill/2fcd95a4-1f9a-41cf-95a9-4701bde476b4';

describe.skipIf(!present)('the analyst page in headless Chromium', () => {
  let s: TestService;
  let browser: Browser;
  let base: string;

  /** errors the page threw, or errors and warnings it logged (Plot warns of data it cannot draw): none may occur */
  let pageErrors: string[] = [];
  /** an analyst key of the organisation that sent the documents, as the page keeps it */
  let analystKey = '';
  const newPage = async (
    options: Parameters<Browser['newPage']>[0] = {},
    key: string | null = analystKey,
  ): Promise<Page> => {
    const page = await browser.newPage(options);
    if (key !== null) await page.addInitScript(`localStorage.setItem('radar.apiKey', ${JSON.stringify(key)})`);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // without a usable key the browser logs the API's 401/403 answers, which the page expects
    const refusals = key === analystKey ? /^$/ : /status of 40[13]/;
    page.on(
      'console',
      (m) =>
        ['error', 'warning'].includes(m.type()) &&
        !/favicon/.test(m.location().url) &&
        !refusals.test(m.text()) &&
        pageErrors.push(m.text()),
    );
    return page;
  };
  afterEach(() => {
    const errors = pageErrors;
    pageErrors = [];
    expect(errors).toEqual([]);
  });
  const api = async <T>(url: string) => (await s.app.inject({ method: 'GET', url })).json<T>();
  const ready = (page: Page) => page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  /** What the chart shows: each bar's accessible description, "Title: value" pairs as the page's locale formats them. */
  const bars = (page: Page, chart: string) =>
    page.$$eval(`[data-chart="${chart}"] g[aria-label="bar"] rect`, (marks) =>
      marks.map((m) =>
        Object.fromEntries(
          (m.getAttribute('aria-label') ?? '').split('; ').map((pair: string) => pair.split(': ') as [string, string]),
        ),
      ),
    );
  const tableRows = (page: Page, name: string) =>
    page.$$eval(`table[data-table="${name}"] tbody tr`, (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
    );
  const fiNumber = (n: number, digits = 1) =>
    new Intl.NumberFormat('fi-FI', { maximumFractionDigits: digits }).format(n);

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    s = await startTestService('pglite', 'web');
    s.startWorker();
    for (const d of documents) {
      const res = await s.app.inject({ method: 'POST', url: '/v1/documents', payload: d });
      expect(res.statusCode).toBe(202);
      const id = res.json<{ id: string }>().id;
      await waitFor(
        async () => {
          const doc = await api<{ status: string }>(`/v1/documents/${id}`);
          return doc.status === 'done' ? doc : undefined;
        },
        30_000,
        `document ${id}`,
      );
    }
    analystKey = (await s.keys.createKey('test', 'analyst')).key;
    await s.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(s.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  it('overview: the bars and the table show what /v1/demand answers, and a filter change follows the API', async () => {
    const page = await newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${base}/`);
    await ready(page);
    const expected = await api<{ rows: Row[] }>('/v1/demand?groupBy=skill&limit=20&lang=fi');
    expect(expected.rows.length).toBeGreaterThan(0);
    const shown = await bars(page, 'overview');
    expect(shown.map((b) => b.Nimi).sort()).toEqual(expected.rows.map((r) => r.label).sort());
    for (const r of expected.rows) expect(shown.find((b) => b.Nimi === r.label)?.Tarve).toBe(fiNumber(r.demand));
    const rows = await tableRows(page, 'overview');
    expect(rows.map((r) => [r[0], r[1], r[2], r[3], r[5]])).toEqual(
      expected.rows.map((r) => [r.label, fiNumber(r.demand), fiNumber(r.documents, 0), fiNumber(r.mentions, 0), r.key]),
    );
    // hovering a bar shows its counts and share
    const top = expected.rows[0]!;
    await page.hover(`[data-chart="overview"] g[aria-label="bar"] rect[aria-label^="Nimi: ${top.label};"]`);
    const tip = await page.locator('[data-chart="overview"] g[aria-label="tip"]').textContent();
    for (const part of [
      top.label,
      fiNumber(top.documents, 0),
      fiNumber(top.mentions, 0),
      new Intl.NumberFormat('fi-FI', { style: 'percent', maximumFractionDigits: 1 }).format(top.share),
    ])
      expect(tip).toContain(part);
    await shot(page, 'overview-1280');

    // 3–10 years ahead: the page asks again, the URL carries the filter
    await page.selectOption('#horizon', 'long');
    await ready(page);
    expect(page.url()).toContain('horizon=long');
    const long = await api<{ rows: Row[] }>('/v1/demand?groupBy=skill&limit=20&lang=fi&horizon=long');
    expect((await bars(page, 'overview')).map((b) => b.Nimi).sort()).toEqual(long.rows.map((r) => r.label).sort());
    expect((await tableRows(page, 'overview')).map((r) => r[5])).toEqual(long.rows.map((r) => r.key));

    // the shared URL gives the same view
    const again = await newPage();
    await again.goto(page.url());
    await ready(again);
    expect((await tableRows(again, 'overview')).map((r) => r[5])).toEqual(long.rows.map((r) => r.key));
    await again.close();
    await page.close();
  });

  it('asks for an API key when it has none or the API refuses it, then shows the view', async () => {
    const page = await newPage({ viewport: { width: 1280, height: 900 } }, null);
    await page.goto(`${base}/`);
    await ready(page);
    expect(await page.locator('#key-form').count()).toBe(1);
    expect(await page.locator('[data-chart]').count()).toBe(0);
    // an unknown key does not work; a contributor key may not read demand (403): the page opens the note form
    await page.fill('#api-key', 'sdr_000000000000_notakeynotakeynotakeynotakeynotakeynotakeyno');
    await page.click('#key-form button[type="submit"]');
    await ready(page);
    expect(await page.locator('#key-form [role="alert"]').textContent()).toMatch(/Avain ei kelpaa/);
    const contributor = (await s.keys.createKey('test', 'contributor')).key;
    await page.fill('#api-key', contributor);
    await page.click('#key-form button[type="submit"]');
    await page.waitForSelector('#note-form');
    expect(await page.getAttribute('body', 'data-view')).toBe('note');
    await page.click('#forget-key');
    await page.waitForSelector('#key-form');
    await page.fill('#api-key', analystKey);
    await page.click('#key-form button[type="submit"]');
    await page.click('#views button[data-view="overview"]');
    await page.waitForSelector('[data-chart="overview"] g[aria-label="bar"] rect');
    expect(await page.evaluate<string | null>("localStorage.getItem('radar.apiKey')")).toBe(analystKey);
    // forgetting the key asks again
    await page.click('#forget-key');
    await page.waitForSelector('#key-form');
    await page.close();
  });

  it('exports the table as CSV with the rows of the API, and the chart as SVG and PNG', async () => {
    const page = await newPage({ acceptDownloads: true });
    await page.goto(`${base}/?groupBy=skill`);
    await ready(page);
    const expected = await api<{ rows: Row[] }>('/v1/demand?groupBy=skill&limit=20&lang=fi');
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#overview .tools [data-export="csv"]'),
    ]);
    // as Finnish Excel opens it: UTF-8 with a BOM, semicolons, decimal commas; the filters written above the table
    const file = readFileSync((await csv.path())!);
    expect(file.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = file
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toMatch(/ESCO classification/);
    expect(lines[1]).toMatch(/^# Rajaukset: view=overview; groupBy=skill\b/);
    expect(lines[2]).toBe('label;demand;documents;mentions;share;key');
    const rows = parse(file, { bom: true, delimiter: ';', comment: '#', columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r['key'])).toEqual(expected.rows.map((r) => r.key));
    expect(rows.map((r) => Number(r['demand']!.replace(',', '.')))).toEqual(expected.rows.map((r) => r.demand));
    expect(rows.map((r) => Number(r['share']!.replace(',', '.')))).toEqual(expected.rows.map((r) => r.share));
    expect(rows.some((r) => r['share']!.includes(','))).toBe(true);
    const [svg] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#overview .tools [data-export="svg"]'),
    ]);
    expect(readFileSync((await svg.path())!, 'utf8')).toMatch(/^<svg/);
    const [png] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#overview .tools [data-export="png"]'),
    ]);
    expect(
      readFileSync((await png.path())!)
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    await page.close();
  });

  it('switches to English labels and formats, and drills down from a skill to its sentences', async () => {
    const page = await newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${base}/?lang=en`);
    await ready(page);
    expect(await page.textContent('h1')).toBe('Skills Demand Radar');
    expect(await page.textContent('footer')).toContain(
      'This service uses the ESCO classification of the European Commission.',
    );
    const expected = await api<{ rows: Row[] }>('/v1/demand?groupBy=skill&limit=20&lang=en');
    expect((await tableRows(page, 'overview')).map((r) => r[0])).toEqual(expected.rows.map((r) => r.label));

    const first = expected.rows[0]!;
    await page.click(`table[data-table="overview"] button[data-skill="${first.key}"]`);
    await page.waitForSelector('#drill-panel article');
    const drill = await api<{
      total: number;
      documents: { id: string; sentences: { text: string; spans: { start: number; end: number }[] }[] }[];
    }>(`/v1/demand/documents?skill=${encodeURIComponent(first.key)}&lang=en`);
    expect(drill.total).toBe(first.documents);
    expect(await page.$$eval('#drill-panel article', (a) => a.map((x) => x.getAttribute('data-document')))).toEqual(
      drill.documents.map((d) => d.id),
    );
    const marked = await page.$$eval('#drill-panel article mark', (m) => m.map((x) => x.textContent));
    const seen = new Set<string>();
    const firstSeen = drill.documents.flatMap((d) =>
      d.sentences.filter((s) => !seen.has(s.text.trim()) && seen.add(s.text.trim())),
    );
    expect(marked).toEqual(firstSeen.flatMap((s) => s.spans.map((sp) => s.text.slice(sp.start, sp.end))));
    expect(page.url()).toContain('skill=');
    await shot(page, 'drill-down-en');

    // occupations drill down too: to the sentences that name them, and to job ads that are theirs
    await page.selectOption('#groupBy', 'occupation');
    const occupations = await api<{ rows: Row[] }>('/v1/demand?groupBy=occupation&limit=20&lang=en');
    const occupation = occupations.rows[0]!;
    await page.click(`table[data-table="overview"] button[data-occupation="${occupation.key}"]`);
    await page.waitForSelector('#drill-panel h2:has-text("occupation")');
    const named = await api<{ total: number; documents: { id: string; sentences: unknown[] }[] }>(
      `/v1/demand/documents?concept=occupation&occupation=${encodeURIComponent(occupation.key)}&lang=en`,
    );
    expect(named.total).toBeGreaterThan(0);
    expect(await page.$$eval('#drill-panel article', (a) => a.map((x) => x.getAttribute('data-document')))).toEqual(
      named.documents.map((d) => d.id),
    );
    expect(await page.textContent('#drill-panel h2')).toBe(
      `Documents behind the occupation: ${occupation.label} (${named.total})`,
    );
    const own = named.documents.filter((d) => d.sentences.length === 0).length;
    expect(await page.$$eval('#drill-panel article p.meta', (p) => p.length)).toBe(own);
    expect(page.url()).toContain('occupation=');
    await page.close();
  });

  it('trends, regions (map, heat table, location quotient) and horizons show the API figures', async () => {
    const page = await newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${base}/?view=trends&polarity=need`);
    await ready(page);
    const series = await api<{ rows: (Row & { bucket: string })[] }>(
      '/v1/demand/timeseries?groupBy=skill&bucket=month&limit=5&lang=fi',
    );
    expect(await page.locator('table[data-table="trends"] tbody tr').count()).toBe(series.rows.length);
    // one line per skill, one point per skill and period
    expect(await page.locator('[data-chart="trends"] g[aria-label="line"] path').count()).toBe(
      new Set(series.rows.map((r) => r.key)).size,
    );
    expect(await page.locator('[data-chart="trends"] g[aria-label="dot"] circle[aria-label]').count()).toBe(
      series.rows.length,
    );
    // follow one more skill: the chart and table show the API's series for the chosen keys
    const top = await api<{ rows: Row[] }>('/v1/demand?groupBy=skill&limit=30&lang=fi');
    const extra = top.rows.find((r) => !series.rows.some((x) => x.key === r.key))!;
    expect(extra).toBeDefined();
    await page.click('#trends details.choices summary');
    await page.check(`[data-skill-choice="${extra.key}"]`);
    await ready(page);
    expect(decodeURIComponent(page.url())).toContain(extra.key);
    const keys = [...new Set(series.rows.map((r) => r.key)), extra.key];
    const chosen = await api<{ rows: (Row & { bucket: string })[] }>(
      `/v1/demand/timeseries?groupBy=skill&bucket=month&lang=fi&keys=${encodeURIComponent(keys.join(','))}`,
    );
    expect((await tableRows(page, 'trends')).map((r) => `${r[1]} ${r[5]}`).sort()).toEqual(
      chosen.rows.map((r) => `${r.label} ${r.key}`).sort(),
    );
    await shot(page, 'trends');

    await page.click('#views button[data-view="regions"]');
    await ready(page);
    const byRegion = await api<{ rows: Row[] }>('/v1/demand?groupBy=maakunta&limit=50&lang=fi');
    expect((await tableRows(page, 'regions')).map((r) => r[4])).toEqual(byRegion.rows.map((r) => r.key));
    // the fixture geometry has four regions
    const shapes = page.locator('[data-chart="map"] g[aria-label="geo"] path');
    expect(await shapes.count()).toBe(4);
    // each region is drawn as a part of the map, not as the whole plane
    const map = (await page.locator('[data-chart="map"] svg:has(g[aria-label="geo"])').boundingBox())!;
    for (const box of await Promise.all((await shapes.all()).map((sh) => sh.boundingBox())))
      expect(box!.width * box!.height).toBeLessThan(0.5 * map.width * map.height);
    // hovering a region shows its name and figures
    const first = byRegion.rows[0]!;
    await page.hover(`[data-chart="map"] g[aria-label="geo"] path[aria-label^="Alue: ${first.label};"]`);
    const tip = await page.locator('[data-chart="map"] g[aria-label="tip"]').textContent();
    for (const part of [first.label, fiNumber(first.demand), fiNumber(first.documents, 0)]) expect(tip).toContain(part);
    expect(await page.locator('table[data-table="heat"] tbody tr').count()).toBe(byRegion.rows.length);
    const compare = await api<{ rows: { key: string }[] }>(
      '/v1/demand/compare?region=MK01&groupBy=skill&limit=20&minMentions=2&lang=fi',
    );
    expect(await page.locator('table[data-table="lq"] tbody tr').count()).toBe(compare.rows.length);
    await shot(page, 'regions');

    await page.click('#views button[data-view="horizons"]');
    await ready(page);
    const per = await Promise.all(
      ['current', 'short', 'long'].map((h) =>
        api<{ rows: Row[] }>(`/v1/demand?groupBy=skill&limit=1000&lang=fi&horizon=${h}`),
      ),
    );
    const table = await tableRows(page, 'horizons');
    const demandOf = (key: string) => per.map((d) => d.rows.find((r) => r.key === key)?.demand ?? 0);
    for (const row of table) {
      const key = row[4]!;
      demandOf(key).forEach((demand, i) => expect(row[1 + i]).toBe(fiNumber(demand)));
    }
    expect(table.length).toBeGreaterThan(0);
    // ranked by what will be needed (1–2 and 3–10 years) unless another ranking is chosen
    expect(await page.locator('#rank-by').inputValue()).toBe('future');
    const future = table.map((row) => demandOf(row[4]!)[1]! + demandOf(row[4]!)[2]!);
    expect(future.every((v, i) => v > 0 && (i === 0 || v <= future[i - 1]!))).toBe(true);
    const allKeys = new Set(per.flatMap((d) => d.rows.map((r) => r.key)));
    expect(future[0]).toBe(Math.max(...[...allKeys].map((k) => demandOf(k)[1]! + demandOf(k)[2]!)));
    await shot(page, 'horizons');
    await page.selectOption('#rank-by', 'current');
    await ready(page);
    expect(page.url()).toContain('rankBy=current');
    const now = (await tableRows(page, 'horizons')).map((row) => demandOf(row[4]!)[0]!);
    expect(now.every((v, i) => v > 0 && (i === 0 || v <= now[i - 1]!))).toBe(true);
    await page.close();
  });

  it('shows a sentence repeated in several documents once in the drill-down', async () => {
    const page = await newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${base}/?skill=${encodeURIComponent(WELDING_EQUIPMENT)}`);
    await ready(page);
    await page.waitForSelector('#drill-panel article');
    const drill = await api<{ documents: { id: string; sentences: { text: string }[] }[] }>(
      `/v1/demand/documents?skill=${encodeURIComponent(WELDING_EQUIPMENT)}&lang=fi`,
    );
    const texts = drill.documents.flatMap((d) => d.sentences.map((x) => x.text.trim()));
    expect(texts.length).toBeGreaterThan(new Set(texts).size);
    expect(await page.locator('#drill-panel article').count()).toBe(drill.documents.length);
    const shown = await page.$$eval('#drill-panel article p.sentence', (ps) =>
      ps.map((p) => (p.firstChild ? (p.textContent ?? '').replace(/ \([^)]*\)$/, '').trim() : '')),
    );
    expect(shown).toHaveLength(new Set(texts).size);
    expect(new Set(shown).size).toBe(shown.length);
    expect(await page.locator('#drill-panel [data-repeated]').count()).toBeGreaterThan(0);
    await page.close();
  });

  it('filters by any region level, a municipality or an elinvoimakeskus area too, grouped by level', async () => {
    const page = await newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${base}/`);
    await ready(page);
    const groups = await page.$$eval('#region optgroup', (gs) => gs.map((g) => g.getAttribute('label')));
    expect(groups).toEqual(expect.arrayContaining(['Elinvoimakeskukset', 'Maakunnat', 'Kunnat']));
    expect(await page.locator('#region optgroup[label="Kunnat"] option[value="KU398"]').textContent()).toBe('Lahti');
    await page.selectOption('#region', 'KU398');
    await ready(page);
    expect(page.url()).toContain('region=KU398');
    const expected = await api<{ rows: Row[] }>('/v1/demand?groupBy=skill&limit=20&lang=fi&region=KU398');
    expect((await tableRows(page, 'overview')).length).toBe(expected.rows.length);
    // the groupings of regions first: the ESR+ areas
    expect(groups[0]).toBe('Alueryhmät (ESR+ ja omat)');
    await page.selectOption('#region', 'ESR2');
    await ready(page);
    const area = await api<{ rows: Row[] }>('/v1/demand?groupBy=skill&limit=20&lang=fi&region=ESR2');
    expect((await tableRows(page, 'overview')).length).toBe(area.rows.length);
    await page.close();
  });

  it('matching: text signals beside the official statistics per occupation group, equal to the APIs', async () => {
    await new StatisticsRepository(s.db).importRelease(
      await readStatisticsFile(join(PROJECT_ROOT, 'test', 'fixtures', 'statistics', '12ti-tyonv.csv')),
    );
    const page = await newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${base}/?view=matching&region=MK07`);
    await ready(page);
    const official = await api<{ rows: { key: string; vacancies: number; jobseekers: number; ratio: number }[] }>(
      '/v1/statistics/occupations?region=MK07',
    );
    const needs = await api<{ rows: { key: string; demand: number }[] }>(
      '/v1/demand?groupBy=isco4&concept=occupation&region=MK07&horizon=short&limit=1000',
    );
    const rows = await page.$$eval('table[data-table="matching"] tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
    );
    const byCode = new Map(rows.map((r) => [r.at(-1), r]));
    for (const o of official.rows) {
      const shown = byCode.get(o.key)!;
      expect(shown.slice(4, 7)).toEqual([fiNumber(o.vacancies, 0), fiNumber(o.jobseekers, 0), fiNumber(o.ratio, 2)]);
    }
    for (const n of needs.rows)
      expect(Number(byCode.get(n.key)![2]!.replace(',', '.'))).toBeGreaterThanOrEqual(n.demand);
    // welders in Päijät-Häme: 18 vacancies for 72 jobseekers (0.25) and one need in the texts: balance by the rules
    expect(byCode.get('7212')!.slice(1, 4)).toEqual(['1', '0', '0']);
    expect(byCode.get('7212')!.at(-2)).toBe('tasapaino');
    expect(await page.textContent('#statistics-source')).toMatch(/Statistics Finland/);
    // the tension of one occupation group across the regions, on the map and in its table, as the API gives it
    await page.selectOption('#map-occupation', '7212');
    await page.waitForSelector('[data-chart="tension"] svg');
    const regions = await api<{ rows: { key: string; vacancies: number | null; jobseekers: number | null }[] }>(
      '/v1/statistics/regions?occupation=7212',
    );
    const tension = await tableRows(page, 'tension');
    expect(tension.map((r) => [r.at(-1), r[1], r[2]])).toEqual(
      regions.rows.map((r) => [
        r.key,
        r.vacancies === null ? '–' : fiNumber(r.vacancies, 0),
        r.jobseekers === null ? '–' : fiNumber(r.jobseekers, 0),
      ]),
    );
    expect(tension.find((r) => r.at(-1) === 'MK07')!.slice(1, 4)).toEqual(['18', '72', '0,25']);
    await shot(page, 'matching');
  });

  it('lists the sources feeding the platform and the annual calendar, as the API gives them', async () => {
    const post = async (url: string, payload: Record<string, unknown>) =>
      expect((await s.app.inject({ method: 'POST', url, payload })).statusCode).toBe(201);
    await post('/v1/sources', {
      name: 'Yrityskäynnit',
      kind: 'meeting_notes',
      owner: 'Hämeen liitto',
      rhythm: 'monthly',
      lastUpdate: '2026-11-30',
    });
    await post('/v1/calendar', {
      title: 'Ammattibarometri',
      dueMonth: 10,
      dueDay: 15,
      owner: 'Hämeen liitto',
      region: 'MK05',
    });
    const page = await newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${base}/?view=sources`);
    await ready(page);
    const year = new Date().getUTCFullYear();
    expect(await tableRows(page, 'calendar')).toEqual([
      [`15.10.${year}`, 'Ammattibarometri', 'Kanta-Häme', 'Hämeen liitto'],
    ]);
    expect(await tableRows(page, 'sources')).toEqual([
      ['Yrityskäynnit', 'tapaamismuistiot', 'Hämeen liitto', 'kuukausittain', '30.11.2026', '30.12.2026'],
    ]);
    const received = await api<{ received: { organisation: string; documents: number }[] }>('/v1/sources');
    const rows = await tableRows(page, 'received');
    expect(rows.map((r) => [r[0], r[2]])).toEqual(received.received.map((r) => [r.organisation, String(r.documents)]));
    await shot(page, 'sources');
    await page.close();
  });

  it('shows months without mentions as zeros and marks the month still running', async () => {
    const page = await newPage({ viewport: { width: 1280, height: 900 } });
    const thisMonth = new Date().toISOString().slice(0, 7);
    await page.goto(`${base}/?view=trends&from=2026-01&to=${thisMonth}`);
    await ready(page);
    const series = await api<{ rows: (Row & { bucket: string; partial?: true })[] }>(
      `/v1/demand/timeseries?groupBy=skill&bucket=month&limit=5&lang=fi&from=2026-01&to=${thisMonth}`,
    );
    const keys = new Set(series.rows.map((r) => r.key));
    const months = [...new Set(series.rows.map((r) => r.bucket))];
    expect(months[0]).toBe('2026-01-01');
    expect(months.at(-1)).toBe(`${thisMonth}-01`);
    expect(series.rows).toHaveLength(keys.size * months.length);
    expect(series.rows.some((r) => r.demand === 0)).toBe(true);
    // every point is drawn, a zero too; the running month hollow, in the table as "kesken", with a note
    expect(await page.locator('[data-chart="trends"] g[aria-label="dot"] circle[aria-label]').count()).toBe(
      series.rows.length,
    );
    const table = await tableRows(page, 'trends');
    expect(table.filter((r) => r[0]!.endsWith('(kesken)'))).toHaveLength(keys.size);
    expect(await page.locator('#trends [data-partial]').count()).toBe(1);
    await page.close();
  });

  it("shows every region with shared documents whatever another organisation's private notes hold", async () => {
    const asAnalyst = async <T>(url: string) =>
      (await s.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${analystKey}` } })).json<T>();
    const url = '/v1/demand?groupBy=maakunta&limit=50&lang=fi';
    const before = await asAnalyst<{ rows: Row[] }>(url);
    expect(before.rows.length).toBeGreaterThan(1);
    // another organisation notes a need in every one of these regions, privately
    const other = await s.caller('another-org', 'contributor');
    for (const r of before.rows) {
      const res = await other.inject({
        method: 'POST',
        url: '/v1/documents',
        payload: {
          kind: 'meeting_note',
          language: 'fi',
          date: '2026-10-20',
          region: r.key,
          text: `Tapasimme yrityksen (${r.key}). Nyt pulaa on hitsaajista, joilla on hitsaustekniikat hallussa.`,
        },
      });
      const id = res.json<{ id: string }>().id;
      await waitFor(
        async () =>
          (await other.inject({ method: 'GET', url: `/v1/documents/${id}` })).json<{ status: string }>().status ===
          'done'
            ? true
            : undefined,
        30_000,
        id,
      );
    }
    const theirs = (await s.caller('another-org', 'analyst')).inject;
    expect(
      (await theirs({ method: 'GET', url: `${url}&scope=own` }))
        .json<{ rows: Row[] }>()
        .rows.map((r) => r.key)
        .sort(),
    ).toEqual(before.rows.map((r) => r.key).sort());
    // for this organisation's analyst nothing changes: no region goes blank, no figure moves
    expect(await asAnalyst(url)).toEqual(before);
    const page = await newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${base}/?view=regions`);
    await ready(page);
    expect((await tableRows(page, 'regions')).map((r) => r[4])).toEqual(before.rows.map((r) => r.key));
    const first = before.rows[0]!;
    await page.hover(`[data-chart="map"] g[aria-label="geo"] path[aria-label^="Alue: ${first.label};"]`);
    expect(await page.locator('[data-chart="map"] g[aria-label="tip"]').textContent()).toContain(
      fiNumber(first.demand),
    );
    for (const r of before.rows) {
      await page.goto(`${base}/?region=${r.key}`);
      await ready(page);
      expect((await tableRows(page, 'overview')).length, r.key).toBeGreaterThan(0);
    }
    await page.close();
  });

  it('fits a narrow screen without horizontal scrolling of the page', async () => {
    const page = await newPage({ viewport: { width: 390, height: 800 } });
    await page.goto(`${base}/?lang=sv`);
    await ready(page);
    expect(await page.textContent('#views button[data-view="overview"]')).toBe('Översikt');
    for (const view of ['overview', 'trends', 'regions', 'horizons']) {
      await page.click(`#views button[data-view="${view}"]`);
      await ready(page);
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow, view).toBeLessThanOrEqual(0);
      await shot(page, `${view}-390-sv`);
    }
    await page.close();
  });
});
