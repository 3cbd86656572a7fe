import { randomBytes } from 'node:crypto';
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

  type Row = { key: string; documents: number; mentions: number; demand: number; share: number; perturbed?: true };
  type Answer = { rows: Row[]; totals: { documents: number; mentions: number; demand: number; perturbed?: true } };
  const read = async (inject: Inject, url: string) => (await inject({ method: 'GET', url })).json<Answer>();
  const figures = (r: Row | undefined) => r && { documents: r.documents, mentions: r.mentions, demand: r.demand };

  it("counts other organisations' private notes only where k organisations send them, perturbed, and names them nowhere else", async () => {
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
    await submit(members[0]!.contributor, note(1));
    await submit(members[0]!.contributor, note(2));
    await submit(members[0]!.contributor, note(3));

    // R5: one organisation's notes leave no row, key, label or figure for anyone else, in any answer
    const hidden = await read(viewer, query);
    expect(hidden.rows).toEqual([]);
    expect(hidden.totals).toEqual({ documents: 0, mentions: 0, demand: 0 });
    const narrow = await viewer({ method: 'GET', url: `${query}&kind=meeting_note&format=csv` });
    expect(narrow.body).not.toContain('esco/skill');
    const series = await viewer({
      method: 'GET',
      url: `/v1/demand/timeseries?region=MK15&from=2025-01&to=2025-01&horizon=long&keys=${encodeURIComponent(WELDING_TECHNIQUES)}`,
    });
    expect(series.json<{ rows: Row[] }>().rows).toEqual([]);
    for (const url of [
      '/v1/demand/emerging?groupBy=skill&region=MK15&horizon=long&minMentions=1&from=2025-01&to=2025-01',
      '/v1/demand/compare?groupBy=skill&region=MK15&from=2025-01&to=2025-01&horizon=long&minMentions=1',
    ])
      expect((await viewer({ method: 'GET', url })).body, url).not.toContain(WELDING_TECHNIQUES);
    // the organisation itself sees its exact figures, in both scopes
    for (const scope of ['all', 'own']) {
      const own = await read(members[0]!.analyst, `${query}&scope=${scope}`);
      expect(own.rows.find((r) => r.key === WELDING_TECHNIQUES)).toEqual(
        expect.objectContaining({ documents: 3, mentions: 3, demand: 3 }),
      );
      expect(own.rows.some((r) => r.perturbed)).toBe(false);
    }
    expect((await read(viewer, `${query}&scope=own`)).rows).toEqual([]);

    // two organisations: still nothing; three: counted for everyone, perturbed
    await submit(members[1]!.contributor, note(4));
    expect((await read(viewer, query)).rows).toEqual([]);
    await submit(members[2]!.contributor, note(5));
    const shown = await read(viewer, query);
    const row = shown.rows.find((r) => r.key === WELDING_TECHNIQUES)!;
    expect(row.perturbed).toBe(true);
    expect(Math.abs(row.documents - 5)).toBeLessThanOrEqual(2);
    expect(Math.abs(row.mentions - 5)).toBeLessThanOrEqual(2);
    // demand (vacancies) is scaled by 0.85–1.15 and is never the true figure
    expect(row.demand).toBeGreaterThanOrEqual(5 * 0.85 - 0.001);
    expect(row.demand).toBeLessThanOrEqual(5 * 1.15 + 0.001);
    expect(row.demand).not.toBe(5);
    expect(shown.totals.perturbed).toBe(true);
    // the same documents get the same perturbation however they are asked for: asking again averages nothing out
    for (const again of [
      query,
      `${query}&language=sv`,
      `${query}&kind=meeting_note`,
      query.replace('from=2025-01', 'from=2024-12'),
    ])
      expect(figures((await read(viewer, again)).rows.find((r) => r.key === WELDING_TECHNIQUES)), again).toEqual(
        figures(row),
      );
    // a member sees its own notes exactly and the two others' not at all (they are two organisations)
    expect(figures((await read(members[0]!.analyst, query)).rows.find((r) => r.key === WELDING_TECHNIQUES))).toEqual({
      documents: 3,
      mentions: 3,
      demand: 3,
    });
    // never below the maakunta: by municipality the notes are not counted for others
    const vasa = await read(viewer, query.replace('region=MK15', 'region=KU905'));
    expect(vasa.rows).toEqual([]);
    const byMunicipality = await read(viewer, `${query.replace('groupBy=skill', 'groupBy=municipality')}`);
    expect(byMunicipality.rows).toEqual([]);
  });

  it("counts shared documents exactly, never hidden by another organisation's private note; padding a cell reveals nothing", async () => {
    const query = '/v1/demand?region=MK07&from=2025-06&to=2025-06&groupBy=skill&limit=1000';
    const viewerOrg = await s.caller('viewer-3', 'contributor');
    const viewer = (await s.caller('viewer-3', 'analyst')).inject;
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
    const open = await read(viewer, query);
    expect(open.rows.length).toBeGreaterThan(1);
    expect(open.rows.some((r) => r.perturbed)).toBe(false);
    // one organisation's private note in the same region and month: the answer does not change at all, so the
    // totals less the rows (R1) and a cell less its shared documents (R2) give nothing of it
    const noteOrg = await s.caller('t4', 'contributor');
    const NOTE_TEXT = 'We met a Lahti workshop. They need people who can operate forklifts now.';
    await submit(noteOrg.inject, {
      kind: 'meeting_note',
      language: 'en',
      date: '2025-06-12',
      region: 'Lahti',
      text: NOTE_TEXT,
    });
    const own = await read((await s.caller('t4', 'analyst')).inject, `${query}&scope=own`);
    expect(own.rows.length).toBeGreaterThan(0);
    expect(await read(viewer, query)).toEqual(open);
    const welding = open.rows.find((r) => r.key === WELDING_TECHNIQUES)!;
    const drill = await viewer({
      method: 'GET',
      url: `/v1/demand/documents?skill=${encodeURIComponent(WELDING_TECHNIQUES)}&region=MK07&from=2025-06&to=2025-06`,
    });
    expect(drill.json<{ total: number }>().total).toBe(welding.documents);
    // R3: padding the note's cells with a note of one's own moves the answer by exactly that note, nothing more
    const padding = await submit(viewerOrg.inject, {
      kind: 'meeting_note',
      language: 'en',
      date: '2025-06-13',
      region: 'Lahti',
      text: NOTE_TEXT,
    });
    const padded = await read(viewer, query);
    const mine = await read(viewer, `${query}&scope=own`);
    expect(padded.totals.documents).toBe(open.totals.documents + 1);
    for (const r of own.rows) {
      const before = open.rows.find((o) => o.key === r.key);
      const expected = (before?.documents ?? 0) + (mine.rows.find((m) => m.key === r.key)?.documents ?? 0);
      expect(padded.rows.find((p) => p.key === r.key)?.documents ?? 0, r.key).toBe(expected);
    }
    expect(padded.rows.some((r) => r.perturbed)).toBe(false);
    expect((await viewerOrg.inject({ method: 'DELETE', url: `/v1/documents/${padding}` })).statusCode).toBe(204);
    expect(await read(viewer, query)).toEqual(open);
  });

  it('leaves differencing across answers with noise, not values: months against their quarter, a series asked again', async () => {
    const viewer = (await s.caller('viewer-2', 'analyst')).inject;
    const months = ['2025-07', '2025-08', '2025-09', '2025-10'];
    for (const org of ['d1', 'd2', 'd3']) {
      const contributor = (await s.caller(org, 'contributor')).inject;
      for (const [i, month] of months.entries())
        await submit(contributor, {
          kind: 'meeting_note',
          language: 'sv',
          date: `${month}-1${i}`,
          region: 'Vasa',
          text: `Verkstad ${org}-${i} i Vasa: om fem år behövs svetstekniker.`,
        });
    }
    const url = (bucket: string) =>
      `/v1/demand/timeseries?groupBy=skill&bucket=${bucket}&region=MK15&horizon=long&from=2025-07&to=2025-10&keys=${encodeURIComponent(WELDING_TECHNIQUES)}`;
    type Series = { rows: (Row & { bucket: string })[] };
    const monthly = (await viewer({ method: 'GET', url: url('month') })).json<Series>().rows;
    expect(monthly.map((r) => r.bucket)).toEqual(months.map((m) => `${m}-01`));
    // each month holds three documents of three organisations: counted, perturbed, each with its own noise
    for (const r of monthly) {
      expect(r.perturbed).toBe(true);
      expect(Math.abs(r.documents - 3)).toBeLessThanOrEqual(2);
      expect(Math.abs(r.demand - 3)).toBeLessThanOrEqual(0.451);
    }
    // one month's noise may now and then round to nothing; four months' all doing so is no chance
    expect(monthly.some((r) => r.demand !== 3)).toBe(true);
    // asking again gives the same figures: repeating a query does not average the noise away
    expect((await viewer({ method: 'GET', url: url('month') })).json<Series>().rows).toEqual(monthly);
    // the quarter less its months (R4) is noise around zero, not a count
    const quarter = (await viewer({ method: 'GET', url: url('quarter') })).json<Series>().rows[0]!;
    expect(quarter.bucket).toBe('2025-07-01');
    const difference = quarter.demand - monthly.slice(0, 3).reduce((sum, r) => sum + r.demand, 0);
    expect(difference).not.toBe(0);
    expect(Math.abs(difference)).toBeLessThan(9 * 0.3 + 0.01);
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
    // counted per route: the same key still reads another route
    expect((await a.inject({ method: 'GET', url: '/v1/demand' })).statusCode).toBe(200);
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

describe.each(engines())('requests without a valid key on %s', (engine) => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService(engine, 'addresses', {
      AUTH_FAILURES_MAX: '5',
      RATE_LIMIT_WINDOW_MS: '60000',
      AUTH_CACHE_MS: '60000',
    });
  });
  afterAll(() => s.close());

  it('answers 429 to an address that keeps sending made-up keys, before looking any up; known keys go on', async () => {
    const known = await s.caller('known', 'analyst');
    const fresh = await s.caller('fresh', 'analyst');
    const from = (remoteAddress: string, key?: string) =>
      s.app.inject({
        method: 'GET',
        url: '/v1/regions',
        remoteAddress,
        ...(key ? { headers: { authorization: `Bearer ${key}` } } : {}),
      });
    // the known key is verified once from the attacker's address, so it is in the cache
    expect((await from('203.0.113.7', known.key)).statusCode).toBe(200);
    const madeUp = () => `sdr_${randomBytes(6).toString('hex')}_${randomBytes(32).toString('base64url')}`;
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await from('203.0.113.7', madeUp())).statusCode);
    codes.push((await from('203.0.113.7')).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 401, 429]);
    const refused = await from('203.0.113.7', madeUp());
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json<{ message: string }>().message).toMatch(/without a valid API key/);
    // a valid key not yet verified is not looked up from that address either; one in the cache is served
    expect((await from('203.0.113.7', fresh.key)).statusCode).toBe(429);
    expect((await from('203.0.113.7', known.key)).statusCode).toBe(200);
    // other addresses are not held back
    expect((await from('198.51.100.4', madeUp())).statusCode).toBe(401);
    expect((await from('198.51.100.4', fresh.key)).statusCode).toBe(200);
  });
});
