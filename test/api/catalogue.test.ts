import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dueIn, nextDue } from '../../src/storage/catalogue.repository.js';
import { engines } from '../helpers/context.js';
import { startTestService, type Inject, type TestService } from '../helpers/service.js';

/** The sources feeding the platform and the calendar of the region's knowledge products (issue 30, item 6). */
interface Source {
  id: string;
  organisation: string;
  name: string;
  lastUpdate: string | null;
  nextDue: string | null;
}

describe('due dates', () => {
  it('follows a source’s rhythm from its last update, and an annual product’s month', () => {
    expect(nextDue('2026-09-30', 'quarterly')).toBe('2026-12-30');
    expect(nextDue('2026-10-31', 'monthly')).toBe('2026-11-30');
    expect(nextDue('2026-11-15', 'quarterly')).toBe('2027-02-15');
    expect(nextDue('2026-09-30', 'weekly')).toBe('2026-10-07');
    expect(nextDue('2026-09-30', 'irregular')).toBeNull();
    expect(nextDue(null, 'monthly')).toBeNull();
    expect(dueIn(2027, 2, null)).toBe('2027-02-28');
    expect(dueIn(2028, 2, 31)).toBe('2028-02-29');
    expect(dueIn(2027, 10, 15)).toBe('2027-10-15');
  });
});

describe.each(engines())('the source catalogue and the calendar on %s', (engine) => {
  let s: TestService;
  let council: Inject;
  let office: Inject;
  let contributor: Inject;

  beforeAll(async () => {
    s = await startTestService(engine, 'catalogue');
    council = (await s.caller('Hämeen liitto', 'analyst')).inject;
    office = (await s.caller('Hämeen elinvoimakeskus', 'analyst')).inject;
    contributor = (await s.caller('Yritys', 'contributor')).inject;
    const councilWriter = (await s.caller('Hämeen liitto', 'contributor')).inject;
    // documents of two organisations, one of them private
    for (const [as, visibility, kind, date] of [
      [contributor, 'private', 'meeting_note', '2026-10-01'],
      [contributor, 'shared', 'job_ad', '2026-11-02'],
      [councilWriter, 'shared', 'report', '2026-09-15'],
    ] as const) {
      const res = await as({
        method: 'POST',
        url: '/v1/documents',
        payload: { text: `Tarvitaan hitsaajia Hämeenlinnaan (${kind}).`, kind, date, visibility, language: 'fi' },
      });
      expect(res.statusCode, res.body).toBe(202);
    }
  }, 90_000);
  afterAll(() => s.close());

  it('catalogues a source, renews it, and lists what the platform holds as the caller may see it', async () => {
    const made = await council({
      method: 'POST',
      url: '/v1/sources',
      payload: {
        name: 'Yrityskäyntimuistiot',
        kind: 'meeting_notes',
        owner: 'Hämeen liitto',
        rhythm: 'monthly',
        lastUpdate: '2026-10-31',
      },
    });
    expect(made.statusCode, made.body).toBe(201);
    const source = made.json<Source>();
    expect(source).toMatchObject({ organisation: 'Hämeen liitto', nextDue: '2026-11-30' });
    const renewed = await council({
      method: 'PATCH',
      url: `/v1/sources/${source.id}`,
      payload: { lastUpdate: '2026-11-30' },
    });
    expect(renewed.json<Source>()).toMatchObject({ lastUpdate: '2026-11-30', nextDue: '2026-12-30' });
    const list = (await office({ method: 'GET', url: '/v1/sources' })).json<{
      sources: Source[];
      received: { organisation: string; kind: string; documents: number; newest: string | null }[];
    }>();
    expect(list.sources.map((x) => x.name)).toContain('Yrityskäyntimuistiot');
    // another organisation's private note is not listed; its shared ad and the council's report are
    expect(list.received).toEqual([
      expect.objectContaining({ organisation: 'Hämeen liitto', kind: 'report', documents: 1, newest: '2026-09-15' }),
      expect.objectContaining({ organisation: 'Yritys', kind: 'job_ad', documents: 1, newest: '2026-11-02' }),
    ]);
    const own = (await contributor({ method: 'GET', url: '/v1/sources' })).json<{ received: { kind: string }[] }>();
    expect(own.received.map((r) => r.kind).sort()).toEqual(['job_ad', 'meeting_note', 'report']);
    // another organisation may not change it
    expect((await office({ method: 'DELETE', url: `/v1/sources/${source.id}` })).statusCode).toBe(403);
  });

  it('keeps an annual calendar of knowledge products, for a region or a grouping', async () => {
    const add = (payload: Record<string, unknown>) => council({ method: 'POST', url: '/v1/calendar?lang=sv', payload });
    const autumn = await add({
      title: 'Ammattibarometri, syksy',
      dueMonth: 10,
      dueDay: 15,
      owner: 'Hämeen liitto',
      region: 'Kanta-Häme',
    });
    expect(autumn.statusCode, autumn.body).toBe(201);
    expect(autumn.json()).toMatchObject({ region: { code: 'MK05', name: 'Egentliga Tavastland' } });
    expect((await add({ title: 'ESR+ katsaus', dueMonth: 2, owner: 'Hämeen liitto', region: 'ESR2' })).statusCode).toBe(
      201,
    );
    const year = (await office({ method: 'GET', url: '/v1/calendar?year=2027' })).json<{
      year: number;
      entries: { title: string; due: string; region: { code: string } | null }[];
    }>();
    expect(year.entries.map((e) => [e.title, e.due, e.region?.code])).toEqual([
      ['ESR+ katsaus', '2027-02-28', 'ESR2'],
      ['Ammattibarometri, syksy', '2027-10-15', 'MK05'],
    ]);
  });

  it('refuses bad entries with the field at fault and changes nothing', async () => {
    const before = (await council({ method: 'GET', url: '/v1/calendar' })).json<{ entries: unknown[] }>().entries
      .length;
    const bad = async (url: string, payload: Record<string, unknown>, field: string, status = 400) => {
      const res = await council({ method: 'POST', url, payload });
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json<{ field: string }>().field).toBe(field);
    };
    await bad('/v1/calendar', { title: 'X', dueMonth: 2, dueDay: 30, owner: 'Y' }, 'dueDay');
    await bad('/v1/calendar', { title: 'X', dueMonth: 13, owner: 'Y' }, 'dueMonth');
    await bad('/v1/calendar', { title: 'X', dueMonth: 3, owner: 'Y', region: 'Atlantis' }, 'region');
    await bad('/v1/calendar', { title: ' ', dueMonth: 3, owner: 'Y' }, 'title');
    await bad('/v1/sources', { name: 'Z', kind: 'rumours', owner: 'Y', rhythm: 'monthly' }, 'kind');
    await bad(
      '/v1/sources',
      { name: 'Yrityskäyntimuistiot', kind: 'survey', owner: 'Y', rhythm: 'yearly' },
      'name',
      409,
    );
    expect((await council({ method: 'GET', url: '/v1/calendar' })).json<{ entries: unknown[] }>().entries).toHaveLength(
      before,
    );
    const missing = await council({
      method: 'PATCH',
      url: '/v1/sources/0b9c3e52-8d1a-4f3e-9a57-2f1d6c0e4b11',
      payload: { owner: 'Z' },
    });
    expect(missing.statusCode).toBe(404);
    const empty = await council({
      method: 'PATCH',
      url: '/v1/sources/0b9c3e52-8d1a-4f3e-9a57-2f1d6c0e4b11',
      payload: {},
    });
    expect(empty.statusCode).toBe(400);
    expect(
      (await contributor({ method: 'POST', url: '/v1/calendar', payload: { title: 'X', dueMonth: 1, owner: 'Y' } }))
        .statusCode,
    ).toBe(403);
  });
});
