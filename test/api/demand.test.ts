import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/base/paths.js';
import { engines } from '../helpers/context.js';
import { startTestService, waitFor, type TestService } from '../helpers/service.js';

interface Case {
  name: string;
  document: Record<string, unknown> & { text: string };
  regions: string[];
  placeProblems: { text: string; reason: string }[];
  mentions: { text: string; sentence: number; horizon: string; polarity: string; weight: number }[];
}

interface AnalysedDocument {
  status: string;
  analysis: {
    mentions: {
      start: number;
      end: number;
      sentenceIndex: number;
      horizon: string;
      polarity: string;
      weight: number;
    }[];
    regions: { code: string; level: string; primary: boolean }[];
    placeProblems: { text: string; reason: string }[];
  };
}

const cases = JSON.parse(
  readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'demand', 'documents.json'), 'utf8'),
) as Case[];
const PYTHON = 'http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d';
const CUSTOMER_SERVICE = 'http://data.europa.eu/esco/skill/15a33d76-4640-438d-ae64-fdc0c1d3eebc';
const WELDING_TECHNIQUES = 'http://data.europa.eu/esco/skill/530cb489-d900-46ab-9350-4d50ccd49eea';
const MIG = 'http://data.europa.eu/esco/skill/f015c5d5-6a1c-4f63-9012-a05f4f34105e';
const SOLIDITY = 'http://data.europa.eu/esco/skill/605399ce-4736-4b41-b41e-92ecf2139454';

describe.each(engines())('demand signals and the demand API on %s', (engine) => {
  let s: TestService;
  const analysed = new Map<string, AnalysedDocument>();
  const get = async (url: string, headers: Record<string, string> = {}) =>
    s.app.inject({ method: 'GET', url, headers });

  beforeAll(async () => {
    s = await startTestService(engine, 'demand');
    s.startWorker();
    for (const c of cases) {
      const res = await s.app.inject({ method: 'POST', url: '/v1/documents', payload: c.document });
      expect(res.statusCode).toBe(202);
      const id = res.json<{ id: string }>().id;
      const doc = await waitFor(
        async () => {
          const d = (await get(`/v1/documents/${id}`)).json<AnalysedDocument>();
          return d.status === 'done' || d.status === 'failed' ? d : undefined;
        },
        20_000,
        c.name,
      );
      analysed.set(c.name, doc);
    }
  }, 60_000);
  afterAll(() => s.close());

  it.each(cases.map((c) => [c.name, c] as const))(
    '%s: horizon, polarity and weight of every mention, and the places',
    (_name, c) => {
      const doc = analysed.get(c.name)!;
      expect(doc.status).toBe('done');
      const got = doc.analysis.mentions.map((m) => ({
        text: c.document.text.slice(m.start, m.end),
        sentence: m.sentenceIndex,
        horizon: m.horizon,
        polarity: m.polarity,
        weight: m.weight,
      }));
      expect(got).toEqual(c.mentions);
      expect(doc.analysis.regions.filter((r) => r.primary).map((r) => r.code)).toEqual(c.regions);
      expect(doc.analysis.placeProblems.map(({ text, reason }) => ({ text, reason }))).toEqual(c.placeProblems);
    },
  );

  it('finds the long-horizon need of the Lahti meeting note under its maakunta', async () => {
    const res = await get('/v1/demand?region=MK07&horizon=long');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      groupBy: 'skill',
      totals: { documents: 1, mentions: 1, demand: 1 },
      rows: [{ key: PYTHON, label: 'Python (tietokoneohjelmointi)', documents: 1, mentions: 1, demand: 1, share: 1 }],
      attribution: 'This service uses the ESCO classification of the European Commission.',
    });
    // the same need counts at every level above the municipality, and not elsewhere
    for (const region of ['KU398', 'EVK04', 'FI1C', 'FI']) {
      expect(
        (await get(`/v1/demand?region=${region}&horizon=long`))
          .json<{ rows: { key: string }[] }>()
          .rows.map((r) => r.key),
      ).toContain(PYTHON);
    }
    expect((await get('/v1/demand?region=MK05&horizon=long')).json<{ rows: unknown[] }>().rows).toEqual([]);
  });

  it('weights needs by vacancies and shares them out by maakunta', async () => {
    const body = (await get('/v1/demand?groupBy=maakunta&lang=sv')).json<{ rows: unknown[]; totals: unknown }>();
    expect(body.rows).toEqual([
      { key: 'MK05', label: 'Egentliga Tavastland', documents: 1, mentions: 2, demand: 6, share: 0.4 },
      { key: 'MK01', label: 'Nyland', documents: 1, mentions: 2, demand: 4, share: 0.2667 },
      { key: 'MK07', label: 'Päijänne-Tavastland', documents: 1, mentions: 3, demand: 3, share: 0.2 },
      { key: 'MK15', label: 'Österbotten', documents: 1, mentions: 2, demand: 2, share: 0.1333 },
    ]);
    // the note without a place counts in the whole, not in any maakunta; candidates below the count threshold
    // ("welding" inside "welding techniques", "hitsaus" beside "MIG-hitsaus") count nowhere
    expect(body.totals).toEqual({ documents: 5, mentions: 10, demand: 16 });
  });

  it('counts surpluses apart from needs', async () => {
    const rows = (await get('/v1/demand?polarity=surplus')).json<{
      rows: { key: string; documents: number; demand: number; share: number }[];
    }>().rows;
    expect(rows.map(({ key, documents, demand, share }) => ({ key, documents, demand, share }))).toEqual([
      { key: CUSTOMER_SERVICE, documents: 2, demand: 2, share: 0.6667 },
      { key: SOLIDITY, documents: 1, demand: 1, share: 0.3333 },
    ]);
  });

  it('gives CSV with the attribution and the filters, for format=csv and for Accept: text/csv', async () => {
    const byFormat = await get('/v1/demand?region=MK07&horizon=long&format=csv');
    expect(byFormat.headers['content-type']).toMatch(/^text\/csv/);
    const lines = byFormat.body.split('\n');
    expect(lines[0]).toBe('# This service uses the ESCO classification of the European Commission.');
    expect(lines[1]).toMatch(/^# filters: .*region=MK07.*; horizon=long/);
    expect(lines.slice(2)).toEqual([
      'key,label,documents,mentions,demand,share,perturbed',
      `${PYTHON},Python (tietokoneohjelmointi),1,1,1,1,`,
      '',
    ]);
    expect((await get('/v1/demand?region=MK07&horizon=long', { accept: 'text/csv' })).body).toBe(byFormat.body);
  });

  it('writes CSV as Finnish and Swedish Excel opens it with locale=fi or sv', async () => {
    const json = (await get('/v1/demand?groupBy=skill&limit=5')).json<{ rows: { key: string; share: number }[] }>();
    expect(json.rows.some((r) => !Number.isInteger(r.share))).toBe(true);
    for (const locale of ['fi', 'sv']) {
      const res = await get(`/v1/demand?groupBy=skill&limit=5&format=csv&locale=${locale}`);
      expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      const rows = parse(res.rawPayload, { bom: true, delimiter: ';', comment: '#', columns: true }) as Record<
        string,
        string
      >[];
      expect(rows.map((r) => r['key'])).toEqual(json.rows.map((r) => r.key));
      expect(rows.map((r) => Number(r['share']!.replace(',', '.')))).toEqual(json.rows.map((r) => r.share));
      expect(rows.some((r) => r['share']!.includes(','))).toBe(true);
    }
  });

  it('gives demand per quarter for each horizon', async () => {
    const res = await get('/v1/demand/timeseries?groupBy=horizon&bucket=quarter');
    // every quarter from the first to the last, each horizon in each: a quarter without mentions is a zero
    const zero = { documents: 0, mentions: 0, demand: 0 };
    const one = { documents: 1, mentions: 1, demand: 1 };
    const row = (bucket: string, key: string, counts: typeof zero) => ({ bucket, key, label: key, ...counts });
    expect(res.json<{ rows: unknown[] }>().rows).toEqual([
      row('2026-01-01', 'current', one),
      row('2026-01-01', 'long', one),
      row('2026-01-01', 'short', zero),
      row('2026-04-01', 'current', zero),
      row('2026-04-01', 'long', zero),
      row('2026-04-01', 'short', zero),
      row('2026-07-01', 'current', zero),
      row('2026-07-01', 'long', zero),
      row('2026-07-01', 'short', one),
      ...[
        row('2026-10-01', 'current', { documents: 3, mentions: 5, demand: 11 }),
        row('2026-10-01', 'long', one),
        row('2026-10-01', 'short', one),
      ].map((r) => (new Date().toISOString() < '2027-01-01' ? { ...r, partial: true } : r)),
    ]);
    // months between from and to, the one holding today marked partial
    const thisMonth = new Date().toISOString().slice(0, 7);
    const months = (await get(`/v1/demand/timeseries?groupBy=horizon&bucket=month&from=2026-09&to=${thisMonth}`)).json<{
      rows: { bucket: string; partial?: true }[];
    }>().rows;
    const buckets = [...new Set(months.map((r) => r.bucket))];
    expect(buckets[0]).toBe('2026-09-01');
    expect(buckets.at(-1)).toBe(`${thisMonth}-01`);
    expect(months.filter((r) => r.partial).map((r) => r.bucket)).toEqual(
      months.filter((r) => r.bucket === `${thisMonth}-01`).map((r) => r.bucket),
    );
    expect(months.filter((r) => r.partial).length).toBeGreaterThan(0);
  });

  it('ranks what grew against the previous period by significance, with the counts behind it', async () => {
    const res = await get('/v1/demand/emerging?from=2026-10&to=2026-12&minMentions=1');
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      current: unknown;
      previous: unknown;
      rows: {
        key: string;
        current: { mentions: number; share: number };
        previous: { mentions: number };
        growth: number;
        z: number;
        pValue: number;
      }[];
    }>();
    expect(body.current).toEqual({ from: '2026-10-01', to: '2026-12-01' });
    expect(body.previous).toEqual({ from: '2026-07-01', to: '2026-09-01' });
    // welding techniques: 3 of the 7 need mentions now, none before; Python fell from 1 of 1 to 1 of 7.
    // pooled 3/8, se = sqrt(3/8 · 5/8 · (1/7 + 1)) = 0.5175, z = (3/7) / se
    expect(body.rows[0]).toMatchObject({
      key: WELDING_TECHNIQUES,
      current: { mentions: 3, share: 0.4286 },
      previous: { mentions: 0 },
      growth: 0.4286,
    });
    expect(body.rows[0]!.z).toBeCloseTo(0.828, 2);
    expect(body.rows[0]!.pValue).toBeCloseTo(0.204, 2);
    expect(body.rows.map((r) => r.key)).not.toContain(PYTHON);
    for (let i = 1; i < body.rows.length; i++) expect(body.rows[i]!.z).toBeLessThanOrEqual(body.rows[i - 1]!.z);
    // a minimum count keeps single mentions out
    const strict = (await get('/v1/demand/emerging?from=2026-10&to=2026-12&minMentions=3')).json<{
      rows: { key: string }[];
    }>();
    expect(strict.rows.map((r) => r.key)).toEqual([WELDING_TECHNIQUES]);
  });

  it('compares a region with the whole country by location quotient', async () => {
    const res = await get('/v1/demand/compare?region=MK07');
    expect(res.statusCode).toBe(200);
    const rows = res.json<{
      against: string;
      rows: { key: string; lq: number; region: { demand: number }; against: { demand: number } }[];
    }>();
    expect(rows.against).toBe('FI');
    // Päijät-Häme: 3 need units; MIG welding is 1 of 16 in the country, 1 of 3 there
    expect(rows.rows[0]).toMatchObject({ key: MIG, lq: 5.333, region: { demand: 1 }, against: { demand: 1 } });
    expect(rows.rows.find((r) => r.key === PYTHON)).toMatchObject({ lq: 2.667, against: { demand: 2 } });
    const csv = (await get('/v1/demand/compare?region=MK07&against=MK05&format=csv')).body.split('\n');
    expect(csv[0]).toBe('# This service uses the ESCO classification of the European Commission.');
    expect(csv[1]).toMatch(/^# filters: region=MK07; against=MK05/);
    expect(csv[2]).toBe('key,label,mentions,demand,share,against_mentions,against_demand,against_share,lq');
    expect((await get('/v1/demand/compare?region=MK07&against=XX01')).json()).toMatchObject({ field: 'against' });
  });

  it("names skill groups in the asked language where ESCO's files in it were imported, else in English", async () => {
    const label = async (lang: string) =>
      (await get(`/v1/demand?groupBy=skillGroup&lang=${lang}`))
        .json<{ rows: { key: string; label: string }[] }>()
        .rows.find((r) => r.key === 'http://data.europa.eu/esco/skill/S6.4')?.label;
    expect(await label('fi')).toBe('metallityö');
    expect(await label('sv')).toBe('metal working');
  });

  it('pages the groups with offset', async () => {
    const all = (await get('/v1/demand?groupBy=skill&limit=100')).json<{ rows: { key: string }[] }>().rows;
    expect(all.length).toBeGreaterThan(3);
    const page = (await get('/v1/demand?groupBy=skill&limit=2&offset=2')).json<{ rows: { key: string }[] }>().rows;
    expect(page.map((r) => r.key)).toEqual(all.slice(2, 4).map((r) => r.key));
    const beyond = (await get('/v1/demand?groupBy=skill&offset=1000')).json<{ rows: unknown[] }>().rows;
    expect(beyond).toEqual([]);
  });

  it('takes a region by code, municipality number or name in Finnish, Swedish or English', async () => {
    const rows = async (query: string) => {
      const res = await get(`/v1/demand?groupBy=skill&${query}`);
      expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
      return res.json<{ rows: unknown[] }>().rows;
    };
    const byCode = await rows('region=MK07');
    expect(byCode.length).toBeGreaterThan(0);
    for (const name of ['P%C3%A4ij%C3%A4t-H%C3%A4me', 'p%C3%A4ij%C3%A4nne-tavastland', 'mk07']) {
      expect(await rows(`region=${name}`), name).toEqual(byCode);
    }
    const lahti = await rows('region=KU398');
    expect(await rows('region=398')).toEqual(lahti);
    expect(await rows('region=Lahtis')).toEqual(lahti);
    const compare = await get('/v1/demand/compare?region=Lahti&against=P%C3%A4ij%C3%A4t-H%C3%A4me');
    expect(compare.statusCode, compare.body).toBe(200);
    const unknown = await get('/v1/demand?region=Atlantis');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ field: 'region', message: expect.stringMatching(/municipality number/) });
  });

  it.each([
    ['/v1/demand?region=MK99', 'region'],
    ['/v1/demand?region=%3Cscript%3E', 'region'],
    ['/v1/demand?from=2026-05&to=2026-01', 'from'],
    ['/v1/demand?groupBy=colour', 'groupBy'],
    ['/v1/demand?sector=ZZ', 'sector'],
    ['/v1/demand?sector=99', 'sector'],
    ['/v1/demand?occupation=9999', 'occupation'],
    ['/v1/demand?horizon=someday', 'horizon'],
    ['/v1/demand?from=2026-13', 'from'],
    ['/v1/demand/timeseries?bucket=week', 'bucket'],
  ])('%s → 400 naming %s', async (url, field) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field });
  });
});

describe.skipIf(!engines().includes('postgres'))(
  'a statement over DB_STATEMENT_TIMEOUT_MS, on a PostgreSQL server',
  () => {
    let s: TestService;
    beforeAll(async () => {
      s = await startTestService('postgres', 'stmt-timeout', { DB_STATEMENT_TIMEOUT_MS: '500' });
    }, 60_000);
    afterAll(() => s?.close());

    it('is cancelled by the server and answered 503 with Retry-After; the next request is served', async () => {
      const started = Date.now();
      // another session holds the demand tables: the query waits on the lock until the server cancels it
      const res = await s.db.transaction(async (tx) => {
        await tx.query(
          'LOCK TABLE demand_facts, demand_rollup_country, demand_rollup_region, demand_rollup_work, demand_rollup_document IN ACCESS EXCLUSIVE MODE',
        );
        return s.app.inject({ method: 'GET', url: '/v1/demand?groupBy=skill' });
      });
      expect(res.statusCode, res.body).toBe(503);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.json<{ message: string }>().message).toContain('500 ms');
      expect(Date.now() - started).toBeGreaterThanOrEqual(500);
      expect((await s.app.inject({ method: 'GET', url: '/v1/demand?groupBy=skill' })).statusCode).toBe(200);
    });
  },
);
