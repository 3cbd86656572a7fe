import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MultiPolygon, Polygon } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { PROJECT_ROOT } from '../../src/base/paths.js';
import { engines } from '../helpers/context.js';
import { sendAndAnalyse, startTestService, type TestService } from '../helpers/service.js';

/** The routes the analyst page needs besides /v1/demand: regions, the region map, and the drill-down to documents. */
const documents = (
  JSON.parse(readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'demand', 'documents.json'), 'utf8')) as {
    document: Record<string, unknown> & { text: string };
  }[]
).map((c) => c.document);
const WELDING_TECHNIQUES = 'http://data.europa.eu/esco/skill/530cb489-d900-46ab-9350-4d50ccd49eea';

interface Evidence {
  skill: { uri: string; label: string };
  total: number;
  documents: {
    id: string;
    kind: string;
    date: string | null;
    mentions: number;
    sentences: { index: number; text: string; spans: { start: number; end: number }[]; horizon: string }[];
  }[];
}

describe.each(engines())('analyst routes on %s', (engine) => {
  let s: TestService;
  const ids: string[] = [];
  const get = (url: string) => s.app.inject({ method: 'GET', url });

  beforeAll(async () => {
    s = await startTestService(engine, 'analyst');
    s.startWorker();
    ids.push(...(await sendAndAnalyse(s, documents)));
  }, 90_000);
  afterAll(() => s.close());

  it('lists regions by level with names in the language asked for', async () => {
    const fi = (await get('/v1/regions?level=maakunta')).json<{
      regions: { code: string; name: string; level: string }[];
    }>();
    expect(fi.regions.map((r) => r.code).sort()).toEqual(['MK01', 'MK05', 'MK07', 'MK15']);
    expect(fi.regions.find((r) => r.code === 'MK15')?.name).toBe('Pohjanmaa');
    const sv = (await get('/v1/regions?level=maakunta&lang=sv')).json<{ regions: { code: string; name: string }[] }>();
    expect(sv.regions.find((r) => r.code === 'MK15')?.name).toBe('Österbotten');
    const all = (await get('/v1/regions')).json<{ regions: { level: string }[] }>();
    expect(new Set(all.regions.map((r) => r.level))).not.toContain('municipality');
    expect(all.regions[0]?.level).toBe('country');
    expect((await get('/v1/regions?level=county')).statusCode).toBe(400);
    expect((await get('/v1/regions?lang=de')).statusCode).toBe(400);
  });

  it('serves the region map from the data directory', async () => {
    const res = await get('/v1/geo/regions');
    expect(res.statusCode).toBe(200);
    const topo = res.json<{
      type: string;
      objects: Record<string, { geometries: { properties: { maakunta: string } }[] }>;
    }>();
    expect(topo.type).toBe('Topology');
    expect(
      Object.values(topo.objects)[0]!
        .geometries.map((g) => g.properties.maakunta)
        .sort(),
    ).toEqual(['01', '05', '07', '15']);
    // in ETRS-TM35FIN: the same regions, every position inside Finland's plane coordinates
    const plane = (await get('/v1/geo/regions?crs=EPSG:3067')).json<
      Topology<{ regions: GeometryCollection<{ maakunta: string }> }>
    >();
    const regions = feature(plane, Object.values(plane.objects)[0]!);
    expect(regions.features.map((f) => f.properties.maakunta).sort()).toEqual(['01', '05', '07', '15']);
    const positions: number[][] = [];
    const collect = (c: unknown): void =>
      void (typeof (c as unknown[])[0] === 'number'
        ? positions.push(c as number[])
        : (c as unknown[]).forEach(collect));
    for (const f of regions.features) collect((f.geometry as Polygon | MultiPolygon).coordinates);
    expect(positions.length).toBeGreaterThan(10);
    for (const [e, n] of positions) {
      expect(e).toBeGreaterThan(50_000);
      expect(e).toBeLessThan(760_000);
      expect(n).toBeGreaterThan(6_600_000);
      expect(n).toBeLessThan(7_800_000);
    }
    expect((await get('/v1/geo/regions?crs=EPSG:3857')).statusCode).toBe(400);
  });

  it('drills down from a skill to the documents and the sentences behind its demand, under the same filters', async () => {
    const demand = (await get(`/v1/demand?groupBy=skill&limit=100`)).json<{
      rows: { key: string; documents: number; mentions: number }[];
    }>();
    const row = demand.rows.find((r) => r.key === WELDING_TECHNIQUES)!;
    const res = await get(`/v1/demand/documents?skill=${encodeURIComponent(WELDING_TECHNIQUES)}`);
    expect(res.statusCode).toBe(200);
    const body = res.json<Evidence>();
    expect(body.skill.label).toBe('hitsaustekniikat');
    expect(body.total).toBe(row.documents);
    expect(body.documents.reduce((n, d) => n + d.mentions, 0)).toBe(row.mentions);
    // newest first, every sentence shows the skill's words where the analysis found them
    const dates = body.documents.map((d) => d.date ?? '');
    expect([...dates].sort().reverse()).toEqual(dates);
    for (const d of body.documents) {
      expect(d.sentences.length).toBeGreaterThan(0);
      const text = documents[ids.indexOf(d.id)]!.text;
      for (const sentence of d.sentences) {
        expect(text).toContain(sentence.text);
        for (const sp of sentence.spans)
          expect(sentence.text.slice(sp.start, sp.end).toLowerCase()).toMatch(/hitsa|weld|svets/);
      }
    }
    // the same filters as /v1/demand: 3–10 years ahead only
    const long = (await get(`/v1/demand?groupBy=skill&horizon=long`)).json<{
      rows: { key: string; documents: number }[];
    }>();
    const longBody = (
      await get(`/v1/demand/documents?skill=${encodeURIComponent(WELDING_TECHNIQUES)}&horizon=long`)
    ).json<Evidence>();
    expect(longBody.total).toBe(long.rows.find((r) => r.key === WELDING_TECHNIQUES)?.documents ?? 0);
    // paging
    const page = (
      await get(`/v1/demand/documents?skill=${encodeURIComponent(WELDING_TECHNIQUES)}&limit=1&offset=1`)
    ).json<Evidence>();
    expect(page.documents.map((d) => d.id)).toEqual(body.documents.slice(1, 2).map((d) => d.id));
  });

  it('splits demand by region in one answer that equals one query per region', async () => {
    type Rows = {
      rows: {
        split?: string;
        splitLabel?: string;
        key: string;
        label: string;
        documents: number;
        mentions: number;
        demand: number;
        share: number;
      }[];
    };
    const split = (await get('/v1/demand?groupBy=skill&splitBy=maakunta&limit=3')).json<Rows & { splitBy: string }>();
    expect(split.splitBy).toBe('maakunta');
    const regions = [...new Set(split.rows.map((r) => r.split))];
    expect(regions.length).toBeGreaterThan(1);
    for (const region of regions) {
      const one = (await get(`/v1/demand?groupBy=skill&region=${region}&limit=3`)).json<Rows>();
      const part = split.rows.filter((r) => r.split === region);
      expect(part.map(({ split: _s, splitLabel: _l, ...r }) => r)).toEqual(one.rows);
      expect(part[0]!.splitLabel).not.toBe(region);
    }
    // keys: only those rows, with the shares they have among all groups
    const all = (await get('/v1/demand?groupBy=skill&limit=100')).json<Rows>();
    const chosen = [all.rows[2]!, all.rows[0]!];
    const only = (
      await get(`/v1/demand?groupBy=skill&keys=${encodeURIComponent(chosen.map((r) => r.key).join(','))}`)
    ).json<Rows>();
    expect(only.rows).toEqual([all.rows[0], all.rows[2]]);
    const csv = await get('/v1/demand?groupBy=skill&splitBy=kind&limit=2&format=csv');
    expect(csv.body.split('\n')[2]).toBe('split,splitLabel,key,label,documents,mentions,demand,share,perturbed');
    expect((await get('/v1/demand?groupBy=skill&splitBy=skill')).statusCode).toBe(400);
    expect((await get('/v1/demand?groupBy=skill&splitBy=county')).statusCode).toBe(400);
    // splitKeys=overall: every region gets the same groups, the largest in the whole country, as if asked by keys
    const top = (await get('/v1/demand?groupBy=skillGroup&limit=3')).json<Rows>();
    const same = (await get('/v1/demand?groupBy=skillGroup&splitBy=maakunta&splitKeys=overall&limit=3')).json<Rows>();
    const byKeys = (
      await get(
        `/v1/demand?groupBy=skillGroup&splitBy=maakunta&limit=3&keys=${encodeURIComponent(top.rows.map((r) => r.key).join(','))}`,
      )
    ).json<Rows>();
    expect(same.rows).toEqual(byKeys.rows);
    expect(new Set(same.rows.map((r) => r.key))).toEqual(new Set(top.rows.map((r) => r.key)));
    expect((await get('/v1/demand?groupBy=skillGroup&splitKeys=overall')).statusCode).toBe(400);
    expect((await get('/v1/demand?groupBy=skillGroup&splitBy=maakunta&splitKeys=mine')).statusCode).toBe(400);
  });

  it('refuses unknown skills, bad filters and bad paging with 400', async () => {
    const unknown = await get('/v1/demand/documents?skill=http://data.europa.eu/esco/skill/nope');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<{ field: string }>().field).toBe('skill');
    expect((await get('/v1/demand/documents')).statusCode).toBe(400);
    expect(
      (await get(`/v1/demand/documents?skill=${encodeURIComponent(WELDING_TECHNIQUES)}&region=XX99`)).statusCode,
    ).toBe(400);
    expect((await get(`/v1/demand/documents?skill=${encodeURIComponent(WELDING_TECHNIQUES)}&limit=0`)).statusCode).toBe(
      400,
    );
    expect(
      (await get(`/v1/demand/documents?skill=${encodeURIComponent(WELDING_TECHNIQUES)}&offset=-1`)).statusCode,
    ).toBe(400);
    expect(
      (await get(`/v1/demand/documents?skill=${encodeURIComponent(WELDING_TECHNIQUES)}&from=2026-05&to=2026-01`))
        .statusCode,
    ).toBe(400);
  });

  it('serves the page and the chart libraries', async () => {
    const page = await get('/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('/vendor/charts.js');
    const charts = await get('/vendor/charts.js');
    expect(charts.statusCode).toBe(200);
    expect(charts.headers['content-type']).toMatch(/javascript/);
    expect(charts.body).toContain('globalThis.Plot');
    // the parts of Plot the page names, not all of it (nor all of d3)
    expect(charts.body.length).toBeGreaterThan(100_000);
    expect(charts.body).not.toMatch(/forceSimulation|hexbin/i);
    const again = await s.app.inject({
      method: 'GET',
      url: '/vendor/charts.js',
      headers: { 'if-none-match': String(charts.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    expect((await get('/vendor/other.js')).statusCode).toBe(404);
    expect((await get('/app.js')).statusCode).toBe(200);
  });

  it('sends security headers: a content policy on the page, no sniffing or framing anywhere', async () => {
    const page = await get('/');
    const policy = String(page.headers['content-security-policy']);
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe-eval');
    for (const res of [page, await get('/v1/regions'), await get('/health')]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
  });
});

describe('the region map without its file', () => {
  it('answers 404 naming the file', async () => {
    const s = await startTestService('pglite', 'nogeo', {
      TAXONOMY_DIR: join(PROJECT_ROOT, 'test', 'fixtures', 'batch'),
    });
    try {
      const res = await s.app.inject({ method: 'GET', url: '/v1/geo/regions' });
      expect(res.statusCode).toBe(404);
      expect(res.json<{ message: string }>().message).toContain('finland-regions-2020.topo.json');
    } finally {
      await s.close();
    }
  });
});
