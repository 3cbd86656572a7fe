import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../src/interfaces/http/app.js';
import { createLogger } from '../../src/base/logger.js';
import { openQueue } from '../../src/jobs/analyze.queue.js';
import { engines } from '../helpers/context.js';
import { startTestService, waitFor, type Inject, type TestService } from '../helpers/service.js';

/**
 * Organisations and API keys: every /v1 route needs a key and the right role; an organisation's private
 * documents are its own; reads of texts are audited; deleting a document takes it out of every aggregate.
 */
const WELDING_TECHNIQUES = 'http://data.europa.eu/esco/skill/530cb489-d900-46ab-9350-4d50ccd49eea';
const NOTE = 'Tapasimme lahtelaisen konepajan. Nyt pulaa on hitsaajista, joilla on hitsaustekniikat hallussa.';
const AD = 'Haemme Hämeenlinnaan heti kolme hitsaajaa. Edellytämme hitsaustekniikoiden hallintaa.';

/** Every /v1 route with a request that would be valid for the right key. */
const ROUTES: {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  payload?: Record<string, unknown>;
  roles: string[];
}[] = [
  { method: 'POST', url: '/v1/documents', payload: { kind: 'job_ad', text: 'x y z' }, roles: ['contributor', 'admin'] },
  { method: 'GET', url: '/v1/documents', roles: ['contributor', 'analyst', 'admin'] },
  {
    method: 'GET',
    url: '/v1/documents/00000000-0000-4000-8000-000000000000',
    roles: ['contributor', 'analyst', 'admin'],
  },
  {
    method: 'PATCH',
    url: '/v1/documents/00000000-0000-4000-8000-000000000000',
    payload: { visibility: 'shared' },
    roles: ['contributor', 'admin'],
  },
  { method: 'DELETE', url: '/v1/documents/00000000-0000-4000-8000-000000000000', roles: ['contributor', 'admin'] },
  {
    method: 'POST',
    url: '/v1/analyze',
    payload: { text: 'Osaan hitsata.' },
    roles: ['contributor', 'analyst', 'admin'],
  },
  {
    method: 'GET',
    url: '/v1/batches/00000000-0000-4000-8000-000000000000',
    roles: ['contributor', 'analyst', 'admin'],
  },
  {
    method: 'GET',
    url: '/v1/batches/00000000-0000-4000-8000-000000000000/results',
    roles: ['contributor', 'analyst', 'admin'],
  },
  {
    method: 'GET',
    url: '/v1/batches/00000000-0000-4000-8000-000000000000/errors',
    roles: ['contributor', 'analyst', 'admin'],
  },
  { method: 'GET', url: '/v1/demand', roles: ['analyst', 'admin'] },
  { method: 'GET', url: '/v1/demand/timeseries', roles: ['analyst', 'admin'] },
  { method: 'GET', url: '/v1/demand/emerging', roles: ['analyst', 'admin'] },
  { method: 'GET', url: '/v1/demand/compare?region=MK07', roles: ['analyst', 'admin'] },
  {
    method: 'GET',
    url: `/v1/demand/documents?skill=${encodeURIComponent(WELDING_TECHNIQUES)}`,
    roles: ['analyst', 'admin'],
  },
  { method: 'GET', url: '/v1/regions', roles: ['contributor', 'analyst', 'admin'] },
  { method: 'GET', url: '/v1/geo/regions', roles: ['contributor', 'analyst', 'admin'] },
  { method: 'GET', url: '/v1/orgs', roles: ['admin'] },
  { method: 'GET', url: '/v1/keys', roles: ['admin'] },
  { method: 'GET', url: '/v1/audit', roles: ['admin'] },
];

describe.each(engines())('organisations and keys on %s', (engine) => {
  let s: TestService;
  let raw: Inject;
  const as: Record<string, Inject> = {};

  beforeAll(async () => {
    s = await startTestService(engine, 'orgs');
    s.startWorker();
    raw = (options) => s.app.inject({ ...options, headers: { authorization: '', ...options.headers } });
    for (const role of ['contributor', 'analyst', 'admin'] as const) {
      as[`a-${role}`] = (await s.caller('alpha', role)).inject;
      as[`b-${role}`] = (await s.caller('beta', role)).inject;
    }
  }, 60_000);
  afterAll(() => s.close());

  const submit = async (inject: Inject, payload: Record<string, unknown>) => {
    const res = await inject({ method: 'POST', url: '/v1/documents', payload });
    expect(res.statusCode, res.body).toBe(202);
    const { id } = res.json<{ id: string }>();
    await waitFor(
      async () =>
        (await inject({ method: 'GET', url: `/v1/documents/${id}` })).json<{ status: string }>().status === 'done'
          ? true
          : undefined,
      30_000,
      id,
    );
    return id;
  };

  it('answers 401 without a key, with a malformed, unknown or revoked one, before reading the body', async () => {
    const unauthorised = [
      await raw({ method: 'GET', url: '/v1/demand' }),
      await raw({ method: 'GET', url: '/v1/demand', headers: { authorization: 'Basic dXNlcjpwYXNz' } }),
      await raw({ method: 'GET', url: '/v1/demand', headers: { authorization: 'Bearer not-a-key' } }),
      await raw({
        method: 'GET',
        url: '/v1/demand',
        headers: { authorization: `Bearer sdr_000000000000_${'A'.repeat(43)}` },
      }),
      await raw({
        method: 'POST',
        url: '/v1/documents',
        payload: '{"broken json',
        headers: { 'content-type': 'application/json' },
      }),
    ];
    for (const res of unauthorised) {
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.json<{ message: string }>().message).toMatch(/key|Authorization/);
    }
    const made = await s.caller('gamma', 'analyst');
    expect((await made.inject({ method: 'GET', url: '/v1/regions' })).statusCode).toBe(200);
    const prefix = made.key.slice(4, 16);
    expect((await s.app.inject({ method: 'DELETE', url: `/v1/keys/${prefix}` })).statusCode).toBe(204);
    expect((await made.inject({ method: 'GET', url: '/v1/regions' })).statusCode).toBe(401);
    // no other spelling of a /v1 path answers without a key
    for (const url of [
      '/v1//documents',
      '/v1/documents/',
      '/%761/documents',
      '/v1/documents?limit=1',
      '/v1/./documents',
      '//v1/documents',
    ]) {
      const res = await raw({ method: 'GET', url });
      expect([401, 403, 404], url).toContain(res.statusCode);
      expect(res.body).not.toContain('"items"');
    }
    // /health, the page and the API description stay open
    for (const url of ['/health', '/', '/docs/json'])
      expect((await raw({ method: 'GET', url })).statusCode, url).toBe(200);
  });

  it('lets each role use exactly its routes: 403 naming the roles otherwise', async () => {
    for (const route of ROUTES) {
      for (const role of ['contributor', 'analyst', 'admin']) {
        const res = await as[`a-${role}`]!({
          method: route.method,
          url: route.url,
          ...(route.payload && { payload: route.payload }),
        });
        if (route.roles.includes(role))
          expect(res.statusCode, `${role} ${route.method} ${route.url}: ${res.body}`).not.toBe(403);
        else {
          expect(res.statusCode, `${role} ${route.method} ${route.url}`).toBe(403);
          expect(res.json<{ message: string }>().message).toContain(route.roles.join(', '));
        }
        expect(res.statusCode).not.toBe(401);
        expect(res.statusCode).toBeLessThan(500);
      }
    }
  });

  it("keeps an organisation's private documents to itself; shared ones are readable by every key", async () => {
    const note = await submit(as['a-contributor']!, {
      kind: 'meeting_note',
      text: NOTE,
      date: '2026-10-02',
      region: 'Lahti',
    });
    const ad = await submit(as['a-contributor']!, { kind: 'job_ad', text: AD, date: '2026-11-10' });
    const mine = await as['a-analyst']!({ method: 'GET', url: `/v1/documents/${note}` });
    expect(mine.statusCode).toBe(200);
    expect(mine.json<{ visibility: string; own: boolean; text: string }>()).toMatchObject({
      visibility: 'private',
      own: true,
      text: NOTE,
    });
    // another organisation: the private note does not exist for it, the shared ad does
    for (const role of ['contributor', 'analyst', 'admin']) {
      const other = as[`b-${role}`]!;
      const res = await other({ method: 'GET', url: `/v1/documents/${note}` });
      expect(res.statusCode, role).toBe(404);
      expect(res.body).not.toContain('konepaja');
      expect(
        (await other({ method: 'GET', url: `/v1/documents/${ad}` })).json<{ own: boolean; text: string }>(),
      ).toMatchObject({ own: false, text: AD });
      expect(
        (await other({ method: 'GET', url: '/v1/documents' }))
          .json<{ items: { id: string }[] }>()
          .items.map((d) => d.id),
      ).not.toContain(note);
    }
    expect((await as['b-contributor']!({ method: 'DELETE', url: `/v1/documents/${note}` })).statusCode).toBe(404);
    expect(
      (await as['b-contributor']!({ method: 'PATCH', url: `/v1/documents/${note}`, payload: { visibility: 'shared' } }))
        .statusCode,
    ).toBe(404);
    // the drill-down shows beta only the shared ad; alpha sees both
    const drill = (inject: Inject) =>
      inject({
        method: 'GET',
        url: `/v1/demand/documents?skill=${encodeURIComponent(WELDING_TECHNIQUES)}&limit=100`,
      }).then((r) => r.json<{ documents: { id: string; sentences: { text: string }[] }[] }>());
    const forBeta = await drill(as['b-analyst']!);
    expect(forBeta.documents.map((d) => d.id)).toContain(ad);
    expect(forBeta.documents.map((d) => d.id)).not.toContain(note);
    expect(JSON.stringify(forBeta)).not.toContain('konepaja');
    expect((await drill(as['a-analyst']!)).documents.map((d) => d.id)).toEqual(expect.arrayContaining([note, ad]));
    // shared later: readable by beta too
    expect(
      (
        await as['a-contributor']!({ method: 'PATCH', url: `/v1/documents/${note}`, payload: { visibility: 'shared' } })
      ).json<{ visibility: string }>().visibility,
    ).toBe('shared');
    expect((await as['b-analyst']!({ method: 'GET', url: `/v1/documents/${note}` })).statusCode).toBe(200);
    expect(
      (
        await as['a-contributor']!({
          method: 'PATCH',
          url: `/v1/documents/${note}`,
          payload: { visibility: 'private' },
        })
      ).statusCode,
    ).toBe(200);
    expect((await as['b-analyst']!({ method: 'GET', url: `/v1/documents/${note}` })).statusCode).toBe(404);
  });

  it('treats the same text from two organisations as two documents', async () => {
    const text = 'Etsimme hitsaajaa Lahteen. Hitsaustekniikat hallussa.';
    const a = (
      await as['a-contributor']!({
        method: 'POST',
        url: '/v1/documents',
        payload: { kind: 'job_ad', text, externalId: 'same-1' },
      })
    ).json<{ id: string; duplicate: boolean }>();
    const b = (
      await as['b-contributor']!({
        method: 'POST',
        url: '/v1/documents',
        payload: { kind: 'job_ad', text, externalId: 'same-1' },
      })
    ).json<{ id: string; duplicate: boolean }>();
    expect(b.duplicate).toBe(false);
    expect(b.id).not.toBe(a.id);
    const again = (
      await as['b-contributor']!({
        method: 'POST',
        url: '/v1/documents',
        payload: { kind: 'job_ad', text, externalId: 'same-1' },
      })
    ).json<{ id: string; duplicate: boolean }>();
    expect(again).toMatchObject({ id: b.id, duplicate: true });
  });

  it('keeps batches to their organisation', async () => {
    const upload = await as['a-contributor']!({
      method: 'POST',
      url: '/v1/batches',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: `${JSON.stringify({ id: 'b1', text: AD })}\n`,
    });
    expect(upload.statusCode, upload.body).toBe(202);
    const { id } = upload.json<{ id: string }>();
    expect((await as['a-analyst']!({ method: 'GET', url: `/v1/batches/${id}` })).statusCode).toBe(200);
    for (const path of ['', '/results', '/errors'])
      expect((await as['b-admin']!({ method: 'GET', url: `/v1/batches/${id}${path}` })).statusCode, path).toBe(404);
  });

  it("writes every read of a text to the audit log, which the owning organisation's admin reads", async () => {
    const ad = await submit(as['a-contributor']!, { kind: 'job_ad', text: `${AD} Audit.`, date: '2026-11-11' });
    await as['b-analyst']!({ method: 'GET', url: `/v1/documents/${ad}` });
    await as['a-analyst']!({ method: 'GET', url: `/v1/documents/${ad}` });
    const log = (await as['a-admin']!({ method: 'GET', url: `/v1/audit?document=${ad}` })).json<{
      reads: { org: string; action: string; route: string }[];
    }>();
    expect(
      log.reads
        .filter((r) => r.action === 'read_document')
        .map((r) => r.org)
        .sort(),
    ).toEqual(expect.arrayContaining(['alpha', 'beta']));
    expect(log.reads.every((r) => r.route === '/v1/documents/:id' || r.route === '/v1/demand/documents')).toBe(true);
    // beta's admin sees no reads of alpha's documents
    expect(
      (await as['b-admin']!({ method: 'GET', url: `/v1/audit?document=${ad}` })).json<{ reads: unknown[] }>().reads,
    ).toEqual([]);
    // the reads stay when the document goes
    expect((await as['a-contributor']!({ method: 'DELETE', url: `/v1/documents/${ad}` })).statusCode).toBe(204);
    const after = (await as['a-admin']!({ method: 'GET', url: `/v1/audit?document=${ad}` })).json<{
      reads: { org: string }[];
    }>();
    expect(after.reads.map((r) => r.org)).toEqual(expect.arrayContaining(['alpha', 'beta']));
  });

  it("keeps an admin to its own organisation: another's keys, audit and organisations are out of reach", async () => {
    const alphaKey = await s.caller('alpha', 'analyst');
    const alphaPrefix = alphaKey.key.slice(4, 16);
    const bAdmin = as['b-admin']!;
    // R: an admin of beta cannot mint a key for alpha (nor an operator key, nor an organisation)
    expect(
      (await bAdmin({ method: 'POST', url: '/v1/keys', payload: { org: 'alpha', role: 'admin' } })).statusCode,
    ).toBe(403);
    expect(
      (await bAdmin({ method: 'POST', url: '/v1/keys', payload: { org: 'beta', role: 'operator' } })).statusCode,
    ).toBe(403);
    expect((await bAdmin({ method: 'POST', url: '/v1/orgs', payload: { name: 'epsilon' } })).statusCode).toBe(403);
    // nor list, revoke or audit alpha's keys
    expect((await bAdmin({ method: 'GET', url: '/v1/keys?org=alpha' })).statusCode).toBe(403);
    expect((await bAdmin({ method: 'GET', url: '/v1/audit?org=alpha' })).statusCode).toBe(403);
    expect((await bAdmin({ method: 'DELETE', url: `/v1/keys/${alphaPrefix}` })).statusCode).toBe(404);
    expect((await alphaKey.inject({ method: 'GET', url: '/v1/regions' })).statusCode).toBe(200);
    const listed = (await bAdmin({ method: 'GET', url: '/v1/keys' })).json<{ keys: { org: string }[] }>().keys;
    expect(listed.length).toBeGreaterThan(0);
    expect(new Set(listed.map((k) => k.org))).toEqual(new Set(['beta']));
    const orgs = (await bAdmin({ method: 'GET', url: '/v1/orgs' })).json<{ orgs: { name: string }[] }>().orgs;
    expect(orgs.map((o) => o.name)).toEqual(['beta']);
    // within its own organisation it manages keys
    const made = await bAdmin({ method: 'POST', url: '/v1/keys', payload: { org: 'beta', role: 'contributor' } });
    expect(made.statusCode).toBe(201);
    const prefix = made.json<{ info: { prefix: string } }>().info.prefix;
    expect((await bAdmin({ method: 'DELETE', url: `/v1/keys/${prefix}` })).statusCode).toBe(204);
    // the operator acts across organisations
    expect((await s.app.inject({ method: 'GET', url: '/v1/keys?org=alpha' })).statusCode).toBe(200);
    expect((await s.app.inject({ method: 'GET', url: '/v1/audit?org=alpha' })).statusCode).toBe(200);
    expect((await s.app.inject({ method: 'GET', url: '/v1/audit?org=nobody' })).statusCode).toBe(404);
  });

  it('takes a deleted document out of every aggregate at once', async () => {
    const demandOf = async () =>
      (await as['a-analyst']!({ method: 'GET', url: '/v1/demand?groupBy=skill&scope=own&limit=1000' }))
        .json<{ rows: { key: string; mentions: number | null }[] }>()
        .rows.find((r) => r.key === WELDING_TECHNIQUES)?.mentions ?? 0;
    const id = await submit(as['a-contributor']!, { kind: 'job_ad', text: `${AD} Poistettava.`, date: '2026-11-12' });
    const before = await demandOf();
    expect(before).toBeGreaterThan(0);
    expect((await as['a-contributor']!({ method: 'DELETE', url: `/v1/documents/${id}` })).statusCode).toBe(204);
    expect(await demandOf()).toBe(before - 1);
    expect((await s.db.query('SELECT 1 FROM demand_facts WHERE document_id = $1', [id])).length).toBe(0);
  });

  it("suppresses cells resting on fewer than k organisations' private documents, marked, and never for their own organisation", async () => {
    type Answer = {
      rows: {
        key: string;
        documents: number | null;
        mentions: number | null;
        demand: number | null;
        share: number | null;
        suppressed?: true;
      }[];
      totals: { documents: number | null; suppressed?: true };
      suppressed: number;
    };
    const query = '/v1/demand?region=MK15&from=2025-01&to=2025-01&groupBy=skill&horizon=long';
    const viewer = (await s.caller('viewer', 'analyst')).inject;
    const note = (n: number) => ({
      kind: 'meeting_note',
      language: 'sv',
      date: '2025-01-15',
      region: 'Vasa',
      text: `Vi träffade verkstad nummer ${n} i Vasa. Om fem år behövs svetstekniker.`,
    });
    const members = await Promise.all(
      ['k1', 'k2', 'k3'].map(async (org) => ({
        contributor: (await s.caller(org, 'contributor')).inject,
        analyst: (await s.caller(org, 'analyst')).inject,
      })),
    );
    const read = async (inject: Inject, url = query) => (await inject({ method: 'GET', url })).json<Answer>();

    await submit(members[0]!.contributor, note(1));
    await submit(members[0]!.contributor, note(2));
    await submit(members[0]!.contributor, note(3));
    // one organisation, three documents: suppressed for others, with no figure anywhere in the answer
    const hidden = await read(viewer);
    expect(hidden.rows.length).toBeGreaterThan(0);
    for (const r of hidden.rows)
      expect(r).toMatchObject({ suppressed: true, documents: null, mentions: null, demand: null, share: null });
    expect(hidden.suppressed).toBe(hidden.rows.length);
    expect(hidden.totals).toEqual({ documents: null, mentions: null, demand: null, suppressed: true });
    const series = (
      await viewer({
        method: 'GET',
        url: `/v1/demand/timeseries?region=MK15&from=2025-01&to=2025-01&horizon=long&keys=${encodeURIComponent(WELDING_TECHNIQUES)}`,
      })
    ).json<{ rows: Answer['rows'] }>();
    expect(series.rows.every((r) => r.suppressed && r.demand === null)).toBe(true);
    const csv = (await viewer({ method: 'GET', url: `${query}&format=csv` })).body.split('\n')[2]!;
    expect(csv).toMatch(/,,,,,true$/);
    // the organisation itself sees its figures, in both scopes
    for (const scope of ['all', 'own']) {
      const own = await read(members[0]!.analyst, `${query}&scope=${scope}`);
      expect(own.rows.find((r) => r.key === WELDING_TECHNIQUES)).toMatchObject({ documents: 3, mentions: 3 });
      expect(own.suppressed).toBe(0);
    }
    // the viewer's own scope has none of it
    expect((await read(viewer, `${query}&scope=own`)).rows).toEqual([]);

    // two organisations: still suppressed; three: published, to everyone, with the counts of all three
    await submit(members[1]!.contributor, note(4));
    expect((await read(viewer)).rows.find((r) => r.key === WELDING_TECHNIQUES)?.suppressed).toBe(true);
    await submit(members[2]!.contributor, note(5));
    const shown = await read(viewer);
    expect(shown.rows.find((r) => r.key === WELDING_TECHNIQUES)).toMatchObject({
      documents: 5,
      mentions: 5,
      share: expect.any(Number),
    });
    expect(shown.rows.find((r) => r.key === WELDING_TECHNIQUES)?.suppressed).toBeUndefined();
    expect(shown.totals.documents).toBe(5);
    // published now, so it has a location quotient
    const compare = (
      await viewer({
        method: 'GET',
        url: '/v1/demand/compare?region=MK15&from=2025-01&to=2025-01&horizon=long&minMentions=1',
      })
    ).json<{ rows: { key: string }[]; suppressed: number }>();
    expect(compare.rows.map((r) => r.key)).toContain(WELDING_TECHNIQUES);
  });

  it('suppresses a second cell where one suppressed cell could be recovered from the total (secondary suppression)', async () => {
    type Row = { key: string; demand: number | null; suppressed?: true };
    type Answer = { rows: Row[]; totals: { demand: number | null }; suppressed: number };
    const query = '/v1/demand?region=MK07&from=2025-06&to=2025-06&groupBy=skill&limit=1000';
    const viewer = (await s.caller('viewer-3', 'analyst')).inject;
    const read = async (inject: Inject, url = query) => (await inject({ method: 'GET', url })).json<Answer>();
    // shared ads of three organisations in Päijät-Häme: every cell published
    const ad = (n: number, skills: string) => ({
      kind: 'job_ad',
      language: 'en',
      date: '2025-06-10',
      region: 'Lahti',
      visibility: 'shared',
      text: `Workshop ${n} in Lahti is hiring. We require ${skills}.`,
    });
    for (const [org, n, skills] of [
      ['t1', 1, 'welding techniques and customer service'],
      ['t2', 2, 'welding techniques'],
      ['t3', 3, 'welding techniques'],
    ] as const) {
      await submit((await s.caller(org, 'contributor')).inject, ad(n, skills));
    }
    const open = await read(viewer);
    expect(open.suppressed).toBe(0);
    expect(open.rows.length).toBeGreaterThan(1);
    // one organisation's private note adds one cell resting on it alone
    const noteOrg = await s.caller('t4', 'contributor');
    await submit(noteOrg.inject, {
      kind: 'meeting_note',
      language: 'en',
      date: '2025-06-12',
      region: 'Lahti',
      text: 'We met a Lahti workshop. They need people who can operate forklifts now.',
    });
    const own = await read((await s.caller('t4', 'analyst')).inject, `${query}&scope=own`);
    const privateKeys = own.rows.map((r) => r.key);
    expect(privateKeys.length).toBeGreaterThan(0);
    const after = await read(viewer);
    const primary = after.rows.filter(
      (r) => r.suppressed && privateKeys.includes(r.key) && !open.rows.some((o) => o.key === r.key),
    );
    expect(primary).toHaveLength(1);
    // the total less the published cells would be that cell: the smallest published cell of before goes too
    const smallest = [...open.rows].sort((a, b) => a.demand! - b.demand! || a.key.localeCompare(b.key))[0]!;
    expect(after.rows.find((r) => r.key === smallest.key)?.suppressed).toBe(true);
    expect(after.suppressed).toBe(2);
    expect(after.rows.filter((r) => !r.suppressed).length).toBe(open.rows.length - 1);
    const published = after.rows.filter((r) => !r.suppressed).reduce((sum, r) => sum + r.demand!, 0);
    expect(after.totals.demand! - published).toBeCloseTo(
      own.rows.find((r) => r.key === primary[0]!.key)!.demand! + smallest.demand!,
      2,
    );
    // the organisation itself sees every cell
    expect((await read((await s.caller('t4', 'analyst')).inject)).suppressed).toBe(0);
  });

  it('leaves a suppressed key out of emerging skills and location quotients, and counts it', async () => {
    type Keyed = { rows: { key: string }[]; suppressed: number };
    const viewer = (await s.caller('viewer-2', 'analyst')).inject;
    const lone = await s.caller('lone', 'contributor');
    const loneAnalyst = (await s.caller('lone', 'analyst')).inject;
    // one organisation's private notes: welding only in the later month, so it grows, but it rests on one organisation
    await submit(lone.inject, {
      kind: 'meeting_note',
      language: 'sv',
      date: '2025-03-10',
      region: 'Vasa',
      text: 'Verkstad 1 i Vasa behöver om fem år kundservice.',
    });
    for (const [i, date] of [
      [2, '2025-04-10'],
      [3, '2025-04-20'],
    ] as const) {
      await submit(lone.inject, {
        kind: 'meeting_note',
        language: 'sv',
        date,
        region: 'Vasa',
        text: `Verkstad ${i} i Vasa behöver om fem år svetstekniker.`,
      });
    }
    const query = 'groupBy=skill&region=MK15&horizon=long&minMentions=1';
    const emerging = (
      await viewer({ method: 'GET', url: `/v1/demand/emerging?${query}&from=2025-04&to=2025-04` })
    ).json<Keyed>();
    expect(emerging.rows.map((r) => r.key)).not.toContain(WELDING_TECHNIQUES);
    expect(emerging.suppressed).toBeGreaterThan(0);
    expect(
      (await loneAnalyst({ method: 'GET', url: `/v1/demand/emerging?${query}&from=2025-04&to=2025-04` }))
        .json<Keyed>()
        .rows.map((r) => r.key),
    ).toContain(WELDING_TECHNIQUES);
    const compare = (
      await viewer({
        method: 'GET',
        url: '/v1/demand/compare?region=MK15&from=2025-03&to=2025-04&horizon=long&minMentions=1',
      })
    ).json<Keyed>();
    expect(compare.rows.map((r) => r.key)).not.toContain(WELDING_TECHNIQUES);
    expect(compare.suppressed).toBeGreaterThan(0);
  });

  it('manages organisations and keys through the API for operators', async () => {
    expect((await s.app.inject({ method: 'POST', url: '/v1/orgs', payload: { name: 'delta' } })).statusCode).toBe(201);
    expect((await s.app.inject({ method: 'POST', url: '/v1/orgs', payload: { name: 'delta' } })).statusCode).toBe(400);
    expect((await s.app.inject({ method: 'POST', url: '/v1/orgs', payload: { name: '../x' } })).statusCode).toBe(400);
    const made = await s.app.inject({ method: 'POST', url: '/v1/keys', payload: { org: 'delta', role: 'analyst' } });
    expect(made.statusCode).toBe(201);
    const { key } = made.json<{ key: string }>();
    expect(key).toMatch(/^sdr_[0-9a-f]{12}_[\w-]{43}$/);
    expect(
      (await raw({ method: 'GET', url: '/v1/regions', headers: { authorization: `Bearer ${key}` } })).statusCode,
    ).toBe(200);
    const listed = (await s.app.inject({ method: 'GET', url: '/v1/keys?org=delta' })).json<{
      keys: Record<string, unknown>[];
    }>().keys;
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(key.slice(17));
    // only a hash is stored
    expect((await s.db.query('SELECT 1 FROM api_keys WHERE hash LIKE $1', [`%${key.slice(17, 30)}%`])).length).toBe(0);
    expect(
      (await s.app.inject({ method: 'POST', url: '/v1/keys', payload: { org: 'nobody', role: 'analyst' } })).statusCode,
    ).toBe(400);
    expect(
      (await s.app.inject({ method: 'POST', url: '/v1/keys', payload: { org: 'delta', role: 'root' } })).statusCode,
    ).toBe(400);
  });
});

describe.each(engines())('per-key rate limits on %s', (engine) => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService(engine, 'rate', { RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW_MS: '60000' });
  });
  afterAll(() => s.close());

  it('answers 429 with Retry-After to a key over its limit, and only to that key', async () => {
    const a = await s.caller('fast', 'analyst');
    const b = await s.caller('slow', 'analyst');
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await a.inject({ method: 'GET', url: '/v1/regions' })).statusCode);
    expect(codes).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const limited = await a.inject({ method: 'GET', url: '/v1/regions' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json<{ error: string; message: string }>()).toMatchObject({
      error: 'Too Many Requests',
      message: expect.stringMatching(/more than 5 requests/),
    });
    expect((await b.inject({ method: 'GET', url: '/v1/regions' })).statusCode).toBe(200);
    // the open routes are not counted
    for (let i = 0; i < 7; i++) expect((await s.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it(
    engine === 'pglite'
      ? 'counts in the one API process, not in Redis'
      : 'shares the counts of every API process through Redis',
    async () => {
      const c = await s.caller('shared-count', 'analyst');
      for (let i = 0; i < 4; i++) expect((await c.inject({ method: 'GET', url: '/v1/regions' })).statusCode).toBe(200);
      const redis = new Redis(inject('redisUrl'));
      try {
        const counted = await redis.keys(`${s.config.QUEUE_PREFIX}:rate:*`);
        if (engine === 'pglite') {
          expect(counted).toEqual([]);
          return;
        }
        expect(counted.length).toBeGreaterThan(0);
        // a second API process on the same database and Redis: the key has one request left there too
        const queue = openQueue(s.config, inject('redisUrl'));
        const other = await buildApp({
          config: s.config,
          db: s.db,
          documents: s.documents,
          queue,
          redisUrl: inject('redisUrl'),
          analyzer: s.analyzer,
          log: createLogger(s.config),
          keys: s.keys,
        });
        try {
          const ask = () =>
            other.inject({ method: 'GET', url: '/v1/regions', headers: { authorization: `Bearer ${c.key}` } });
          expect((await ask()).statusCode).toBe(200);
          expect((await ask()).statusCode).toBe(429);
        } finally {
          await other.close();
          await queue.close();
        }
      } finally {
        redis.disconnect();
      }
    },
  );
});
