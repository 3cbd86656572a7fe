import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/base/paths.js';
import { engines } from '../helpers/context.js';
import { sendAndAnalyse, startTestService, type Inject, type TestService } from '../helpers/service.js';

/** Groupings of regions (issue 30): the ESR+ areas, one a user makes, and the demand routes reading them. */
const documents = (
  JSON.parse(readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'demand', 'documents.json'), 'utf8')) as {
    document: Record<string, unknown>;
  }[]
).map((c) => c.document);

interface Grouping {
  code: string;
  name: string;
  predefined: boolean;
  members: { code: string; level: string; name: string }[];
}
type Rows = { rows: { key: string; mentions: number; demand: number }[] };

describe.each(engines())('region groupings on %s', (engine) => {
  let s: TestService;
  let analyst: Inject;
  let other: Inject;
  let contributor: Inject;
  const get = (url: string) => s.app.inject({ method: 'GET', url });
  /** demand per skill under the filters, all polarities */
  const demand = async (query: string) => {
    const res = await get(`/v1/demand?polarity=any&limit=100&${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return new Map(res.json<Rows>().rows.map((r) => [r.key, r.mentions]));
  };
  const sum = (...maps: Map<string, number>[]) => {
    const out = new Map<string, number>();
    for (const m of maps) for (const [k, v] of m) out.set(k, (out.get(k) ?? 0) + v);
    return out;
  };

  beforeAll(async () => {
    s = await startTestService(engine, 'groupings');
    s.startWorker();
    analyst = (await s.caller('maakuntaliitto', 'analyst')).inject;
    other = (await s.caller('toinen', 'analyst')).inject;
    contributor = (await s.caller('yritys', 'contributor')).inject;
    await sendAndAnalyse(s, documents);
  }, 90_000);
  afterAll(() => s.close());

  it('comes with the five ESR+ areas, by maakunta, in the region list too', async () => {
    const res = await get('/v1/regions/groupings?lang=sv');
    expect(res.statusCode).toBe(200);
    const list = res.json<{ groupings: Grouping[] }>().groupings;
    expect(list.map((g) => g.code)).toEqual(['ESR1', 'ESR2', 'ESR3', 'ESR4', 'ESR5']);
    expect(list.every((g) => g.predefined)).toBe(true);
    const south = list.find((g) => g.code === 'ESR2')!;
    expect(south.name).toBe('ESF+ Södra Finland');
    expect(south.members.find((m) => m.code === 'MK05')).toEqual({
      code: 'MK05',
      level: 'maakunta',
      name: 'Egentliga Tavastland',
    });
    const regions = (await get('/v1/regions')).json<{ regions: { code: string; level: string }[] }>().regions;
    expect(regions.filter((r) => r.level === 'grouping').map((r) => r.code)).toEqual(list.map((g) => g.code));
  });

  it('counts a predefined area as the sum of its maakunnat', async () => {
    const area = await demand('region=ESR2');
    expect(area).toEqual(sum(await demand('region=MK05'), await demand('region=MK07')));
    expect(area.size).toBeGreaterThan(0);
    expect(await demand('region=ESR%2B%20Etel%C3%A4-Suomi')).toEqual(area);
  });

  it('makes a grouping of municipalities that every demand route takes as a region, by code or name', async () => {
    const res = await analyst({
      method: 'POST',
      url: '/v1/regions/groupings',
      payload: { name: 'Hämeenlinnan ja Lahden seutu', nameSv: 'Tavastehus och Lahtis', members: ['109', 'Lahti'] },
    });
    expect(res.statusCode).toBe(201);
    const made = res.json<Grouping>();
    expect(made.code).toMatch(/^RG\d{3,}$/);
    expect(made.predefined).toBe(false);
    expect(made.members.map((m) => [m.code, m.level, m.name])).toEqual([
      ['KU109', 'municipality', 'Hämeenlinna'],
      ['KU398', 'municipality', 'Lahti'],
    ]);
    const grouped = await demand(`region=${made.code}`);
    expect(grouped).toEqual(sum(await demand('region=KU109'), await demand('region=KU398')));
    expect(await demand(`region=${encodeURIComponent('Hämeenlinnan ja Lahden seutu')}`)).toEqual(grouped);
    // the time series and the comparison read it as well
    const series = await get(`/v1/demand/timeseries?region=${made.code}&polarity=any`);
    expect(series.statusCode).toBe(200);
    const compare = await get(`/v1/demand/compare?region=${made.code}&polarity=any`);
    expect(compare.statusCode).toBe(200);
    expect(compare.json<{ region: string }>().region).toBe(made.code);
    // another organisation sees it and may use it, but not remove it; its maker may
    expect((await other({ method: 'GET', url: `/v1/demand?region=${made.code}` })).statusCode).toBe(200);
    const refused = await other({ method: 'DELETE', url: `/v1/regions/groupings/${made.code}` });
    expect(refused.statusCode).toBe(403);
    expect((await analyst({ method: 'DELETE', url: `/v1/regions/groupings/${made.code}` })).statusCode).toBe(204);
    const gone = await get(`/v1/demand?region=${made.code}`);
    expect(gone.statusCode).toBe(400);
    expect(gone.json<{ field: string }>().field).toBe('region');
  });

  it('refuses bad groupings with the field at fault and makes nothing', async () => {
    const before = (await get('/v1/regions/groupings')).json<{ groupings: Grouping[] }>().groupings.length;
    const post = (payload: Record<string, unknown>, as: Inject = analyst) =>
      as({ method: 'POST', url: '/v1/regions/groupings', payload });
    const unknown = await post({ name: 'Kuvitteellinen seutu', members: ['109', 'Atlantis'] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<{ field: string; message: string }>()).toMatchObject({
      field: 'members.1',
      message: expect.stringContaining('Atlantis'),
    });
    const empty = await post({ name: 'Tyhjä seutu', members: [] });
    expect(empty.statusCode).toBe(400);
    expect(empty.json<{ field: string }>().field).toBe('members');
    const blank = await post({ name: '  ', members: ['109'] });
    expect(blank.statusCode).toBe(400);
    expect(blank.json<{ field: string }>().field).toBe('name');
    const taken = await post({ name: 'lahti', members: ['109'] });
    expect(taken.statusCode).toBe(409);
    expect(taken.json<{ field: string }>().field).toBe('name');
    expect((await post({ name: 'Yrityksen seutu', members: ['109'] }, contributor)).statusCode).toBe(403);
    expect((await get('/v1/regions/groupings')).json<{ groupings: Grouping[] }>().groupings).toHaveLength(before);
    // a predefined area is an operator's to change; an unknown one is not found
    expect((await analyst({ method: 'DELETE', url: '/v1/regions/groupings/ESR2' })).statusCode).toBe(403);
    expect((await analyst({ method: 'DELETE', url: '/v1/regions/groupings/RG999' })).statusCode).toBe(404);
    expect((await get('/v1/demand?region=ESR2')).statusCode).toBe(200);
  });
});
