import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../helpers/context.js';
import { startTestService, waitFor, type TestService } from '../helpers/service.js';

const MIG = 'http://data.europa.eu/esco/skill/f015c5d5-6a1c-4f63-9012-a05f4f34105e';
const FI_AD = 'Etsimme kokenutta hitsaajaa Hämeenlinnaan. Edellytämme MIG-hitsauksen osaamista ja trukkikorttia.';

interface DocumentBody {
  id: string;
  status: string;
  text: string;
  attempts: number;
  analysis?: {
    language: string;
    skills: { uri: string; label: string; score: number; spans: { start: number; end: number }[] }[];
    occupations: { uri: string; label: string; isco: { code: string } }[];
    sectors: { code: string; level: number }[];
  };
}

describe.each(engines())('documents API on %s', (engine) => {
  let s: TestService;

  beforeAll(async () => {
    s = await startTestService(engine, 'documents');
    s.startWorker();
  });
  afterAll(() => s.close());

  const post = (payload: unknown) =>
    s.app.inject({ method: 'POST', url: '/v1/documents', payload: payload as Record<string, unknown> });
  const get = async (id: string) =>
    (await s.app.inject({ method: 'GET', url: `/v1/documents/${id}` })).json<DocumentBody>();
  const done = (id: string) =>
    waitFor(
      async () => {
        const d = await get(id);
        return d.status === 'done' || d.status === 'failed' ? d : undefined;
      },
      20_000,
      `document ${id}`,
    );

  it('stores, queues and analyses a Finnish ad, with labels in Finnish and exact spans', async () => {
    const res = await post({
      kind: 'job_ad',
      text: FI_AD,
      title: 'Hitsaaja',
      date: '2026-11-01',
      region: 'Hämeenlinna',
      employer: { name: 'Konepaja Oy', businessId: '1234567-8' },
      vacancies: 2,
      externalId: 'ad-1',
    });
    expect(res.statusCode).toBe(202);
    const { id, status, duplicate } = res.json<{ id: string; status: string; duplicate: boolean }>();
    expect(status).toBe('queued');
    expect(duplicate).toBe(false);
    const doc = await done(id);
    expect(doc.status).toBe('done');
    expect(doc.attempts).toBe(1);
    expect(doc.analysis?.language).toBe('fi');
    const mig = doc.analysis?.skills.find((k) => k.uri === MIG);
    expect(mig?.label).toBe('suorittaa MIG-hitsausta');
    expect(mig?.spans.map((sp) => FI_AD.slice(sp.start, sp.end))).toEqual(['MIG-hitsauksen']);
    const forklift = doc.analysis?.skills.find((k) => k.label === 'käyttää haarukkatrukkia');
    expect(forklift?.spans.map((sp) => FI_AD.slice(sp.start, sp.end))).toEqual(['trukkikorttia']);
    expect(doc).toMatchObject({
      title: 'Hitsaaja',
      date: '2026-11-01',
      region: 'Hämeenlinna',
      vacancies: 2,
      employer: { name: 'Konepaja Oy', businessId: '1234567-8' },
    });
    expect(doc.analysis?.occupations[0]).toMatchObject({
      label: 'hitsaaja',
      isco: { code: '7212' },
      evidence: ['title', 'skills'],
    });
    const classified = await s.db.query<{ scheme: string; code: string; rank: number }>(
      'SELECT scheme, code, rank FROM document_classifications WHERE document_id = $1 ORDER BY scheme, rank',
      [id],
    );
    expect(classified.filter((c) => c.scheme === 'occupation').map((c) => c.code)[0]).toBe(
      doc.analysis?.occupations[0]?.uri,
    );
    const mentions = await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM mentions WHERE document_id = $1', [
      id,
    ]);
    expect(mentions[0]?.n).toBe(doc.analysis?.skills.length);

    // shown in another language, with each skill's type, and only what scored at least minScore
    type Shown = {
      analysis: {
        labelLanguage: string;
        skills: { uri: string; label: string; score: number; skillType: string | null }[];
        mentions: { score: number }[];
        occupations: { label: string; isco: { label: string } }[];
      };
    };
    const sv = (await s.app.inject({ method: 'GET', url: `/v1/documents/${id}?language=sv` })).json<Shown>();
    expect(sv.analysis.labelLanguage).toBe('sv');
    expect(sv.analysis.skills.find((k) => k.uri === MIG)).toMatchObject({
      label: 'utföra MIG-svetsning',
      skillType: 'skill/competence',
    });
    expect(sv.analysis.occupations[0]?.label).toBe('svetsare');
    const scores = sv.analysis.skills.map((k) => k.score).sort((a, b) => a - b);
    const cut = scores.at(-1)!;
    const strict = (await s.app.inject({ method: 'GET', url: `/v1/documents/${id}?minScore=${cut}` })).json<Shown>();
    expect(strict.analysis.skills.length).toBe(scores.filter((x) => x >= cut).length);
    expect(strict.analysis.skills.length).toBeLessThanOrEqual(sv.analysis.skills.length);
    expect(strict.analysis.mentions.every((m) => m.score >= cut)).toBe(true);
    expect((await s.app.inject({ method: 'GET', url: `/v1/documents/${id}?minScore=2` })).statusCode).toBe(400);
  });

  it('analyses English and Swedish ads', async () => {
    const en = await post({
      kind: 'job_ad',
      text: 'We are hiring a welder in Tampere. Solid welding skills and the ability to drive a forklift are required.',
    });
    const sv = await post({
      kind: 'job_ad',
      text: 'Vi söker en svetsare till Vasa. Du behärskar MIG-svetsning och har truckkort.',
    });
    const enDoc = await done(en.json<{ id: string }>().id);
    const svDoc = await done(sv.json<{ id: string }>().id);
    expect(enDoc.analysis?.language).toBe('en');
    expect(enDoc.analysis?.skills.map((k) => k.label)).toEqual(
      expect.arrayContaining(['welding techniques', 'operate forklift']),
    );
    expect(svDoc.analysis?.language).toBe('sv');
    expect(svDoc.analysis?.skills.map((k) => k.label)).toContain('utföra MIG-svetsning');
  });

  it('returns the same document for the same externalId or identical content', async () => {
    const first = (
      await post({ kind: 'meeting_note', text: 'Yritys tarvitsee asiakaspalvelun osaajia.', externalId: 'note-7' })
    ).json<{ id: string }>();
    const sameExternal = await post({ kind: 'meeting_note', text: 'Eri teksti, sama tunniste.', externalId: 'note-7' });
    const sameContent = await post({ kind: 'meeting_note', text: '  Yritys tarvitsee   asiakaspalvelun osaajia. ' });
    expect(sameExternal.statusCode).toBe(202);
    expect(sameExternal.json()).toMatchObject({ id: first.id, duplicate: true });
    expect(sameContent.json()).toMatchObject({ id: first.id, duplicate: true });
    const count = await s.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM documents WHERE kind = 'meeting_note'`,
    );
    expect(count[0]?.n).toBe(1);
  });

  it('makes a stored shared document private when the same content is sent again as private', async () => {
    const text = 'Haemme kahta lähihoitajaa Ouluun, kirjaaminen ja perushoito tuttua.';
    const first = (await post({ kind: 'report', text, visibility: 'shared' })).json<{ id: string }>();
    await done(first.id);
    const again = await post({ kind: 'report', text, visibility: 'private' });
    expect(again.json()).toMatchObject({ id: first.id, duplicate: true });
    const row = await s.db.query<{ visibility: string }>('SELECT visibility FROM documents WHERE id = $1', [first.id]);
    expect(row[0]?.visibility).toBe('private');
    const facts = await s.db.query<{ shared: number }>(
      'SELECT count(*) FILTER (WHERE NOT private)::int AS shared FROM demand_facts WHERE document_id = $1',
      [first.id],
    );
    expect(facts[0]?.shared).toBe(0);
    // sent again as shared, it stays private: making a document shared is said with PATCH
    await post({ kind: 'report', text, visibility: 'shared' });
    const still = await s.db.query<{ visibility: string }>('SELECT visibility FROM documents WHERE id = $1', [
      first.id,
    ]);
    expect(still[0]?.visibility).toBe('private');
  });

  it('lists with filters and paging, and deletes with the mentions', async () => {
    const page = await s.app.inject({ method: 'GET', url: '/v1/documents?kind=job_ad&limit=2&offset=0' });
    expect(page.statusCode).toBe(200);
    const body = page.json<{ items: { kind: string; id: string }[]; total: number; limit: number }>();
    expect(body.total).toBe(3);
    expect(body.items).toHaveLength(2);
    expect(body.items.every((i) => i.kind === 'job_ad')).toBe(true);
    const next = await s.app.inject({ method: 'GET', url: '/v1/documents?kind=job_ad&limit=2&offset=2' });
    expect(next.json<{ items: unknown[] }>().items).toHaveLength(1);
    const swedish = await s.app.inject({ method: 'GET', url: '/v1/documents?language=sv&status=done' });
    expect(swedish.json<{ total: number }>().total).toBe(1);

    const victim = body.items[0]!.id;
    expect((await s.app.inject({ method: 'DELETE', url: `/v1/documents/${victim}` })).statusCode).toBe(204);
    expect((await s.app.inject({ method: 'GET', url: `/v1/documents/${victim}` })).statusCode).toBe(404);
    expect((await s.app.inject({ method: 'DELETE', url: `/v1/documents/${victim}` })).statusCode).toBe(404);
    const left = await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM mentions WHERE document_id = $1', [
      victim,
    ]);
    expect(left[0]?.n).toBe(0);
  });

  it.each([
    ['malformed JSON', '{"kind": "job_ad", ', 400, /not valid JSON/, undefined],
    ['a wrong type', { kind: 'job_ad', text: 42 }, 400, /body\.text must be string/, 'text'],
    ['an empty text', { kind: 'job_ad', text: '' }, 400, /body\.text/, 'text'],
    ['a blank text', { kind: 'job_ad', text: ' \n\t ' }, 400, /body\.text must not be empty or blank/, 'text'],
    ['a missing kind', { text: 'Hitsaaja' }, 400, /body\.kind/, 'kind'],
    [
      'an unknown kind',
      { kind: 'tweet', text: 'Hitsaaja' },
      400,
      /body\.kind must be equal to one of the allowed values: job_ad, meeting_note, survey_answer, report/,
      'kind',
    ],
    [
      'an unknown language',
      { kind: 'job_ad', text: 'Hitsaaja', language: 'de' },
      400,
      /body\.language .*fi, sv, en/,
      'language',
    ],
    [
      'a bad date',
      { kind: 'job_ad', text: 'Hitsaaja', date: '2026-13-45' },
      400,
      /body\.date must be .*YYYY-MM-DD/,
      'date',
    ],
    [
      'a bad business id',
      { kind: 'job_ad', text: 'Hitsaaja', employer: { businessId: '123' } },
      400,
      /body\.employer\.businessId/,
      'employer.businessId',
    ],
    [
      'an unknown field',
      { kind: 'job_ad', text: 'Hitsaaja', colour: 'red' },
      400,
      /body\.colour is not a known field/,
      'colour',
    ],
    [
      'a text over the limit',
      { kind: 'job_ad', text: 'hitsaus '.repeat(700) },
      413,
      /text is 5600 characters; the limit is 5000/,
      'text',
    ],
    [
      'a body over the limit',
      { kind: 'job_ad', text: 'x'.repeat(70_000) },
      413,
      /request body is larger than 65536 bytes/,
      undefined,
    ],
    [
      'a NUL character in the text',
      { kind: 'job_ad', text: 'Hitsaaja\u0000' },
      400,
      /body\.text contains a NUL character/,
      'text',
    ],
    [
      'a NUL character in the employer',
      { kind: 'job_ad', text: 'Hitsaaja', employer: { name: 'Oy\u0000' } },
      400,
      /body\.employer\.name contains a NUL character/,
      'employer.name',
    ],
  ])('rejects %s and stores nothing', async (_name, payload, status, message, field) => {
    const before = await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM documents');
    const res =
      typeof payload === 'string'
        ? await s.app.inject({
            method: 'POST',
            url: '/v1/documents',
            headers: { 'content-type': 'application/json' },
            payload,
          })
        : await post(payload);
    expect(res.statusCode).toBe(status);
    const body = res.json<{ message: string; field?: string }>();
    expect(body.message).toMatch(message);
    expect(body.field).toBe(field);
    expect(await s.db.query('SELECT count(*)::int AS n FROM documents')).toEqual(before);
  });

  it('stores the submissions arriving with a refused one, and a lone surrogate as U+FFFD', async () => {
    // submissions arriving together are written in one statement: one the database could not store must not fail the others
    const texts = [
      'Haemme putkiasentajaa Ouluun.',
      'Vi söker en rörmontör\u0000 till Uleåborg.',
      'We need a plumber in Oulu.',
      'Putkiasentaja \ud800Ouluun.',
    ];
    const answers = await Promise.all(texts.map((text) => post({ kind: 'job_ad', text })));
    expect(answers.map((a) => a.statusCode)).toEqual([202, 400, 202, 202]);
    const stored = await get(answers[3]!.json<{ id: string }>().id);
    expect(stored.text).toBe('Putkiasentaja \ufffdOuluun.');
    expect((await s.app.inject({ method: 'GET', url: '/v1/documents?status=queued%00' })).json()).toMatchObject({
      statusCode: 400,
      field: 'status',
    });
  });

  it('rejects bad ids and queries with 400', async () => {
    expect((await s.app.inject({ method: 'GET', url: '/v1/documents/not-a-uuid' })).json()).toMatchObject({
      statusCode: 400,
      field: 'id',
    });
    expect((await s.app.inject({ method: 'GET', url: '/v1/documents?limit=1000' })).json()).toMatchObject({
      statusCode: 400,
      field: 'limit',
    });
    expect((await s.app.inject({ method: 'GET', url: '/v1/documents?status=lost' })).json()).toMatchObject({
      statusCode: 400,
      field: 'status',
    });
    expect(
      (await s.app.inject({ method: 'GET', url: '/v1/documents/6f1c1c1e-0000-4000-8000-000000000000' })).statusCode,
    ).toBe(404);
  });

  it('analyses synchronously without storing, up to its limit', async () => {
    const before = await s.db.query('SELECT count(*)::int AS n FROM documents');
    const res = await s.app.inject({ method: 'POST', url: '/v1/analyze', payload: { text: FI_AD } });
    expect(res.statusCode).toBe(200);
    const a = res.json<{
      language: string;
      skills: { uri: string; spans: unknown[] }[];
      mentions: { uri: string; start: number; horizon: string; polarity: string; weight: number }[];
    }>();
    expect(a.language).toBe('fi');
    expect(a.skills.find((k) => k.uri === MIG)?.spans).toEqual([{ start: 55, end: 69 }]);
    // a job ad (the default kind) states a need, now
    expect(a.mentions.find((m) => m.uri === MIG)).toMatchObject({
      start: 55,
      horizon: 'current',
      polarity: 'need',
      weight: 1,
    });
    expect(await s.db.query('SELECT count(*)::int AS n FROM documents')).toEqual(before);
    // the query says how to show it: English labels (the body's language is the text's), nothing below minScore
    const en = await s.app.inject({
      method: 'POST',
      url: '/v1/analyze?language=en&minScore=0.5',
      payload: { text: FI_AD, language: 'fi' },
    });
    const shown = en.json<{ language: string; skills: { uri: string; label: string; score: number }[] }>();
    expect(shown.language).toBe('fi');
    expect(shown.skills.find((k) => k.uri === MIG)?.label).toBe('perform metal inert gas welding');
    expect(shown.skills.every((k) => k.score >= 0.5)).toBe(true);
    const big = await s.app.inject({ method: 'POST', url: '/v1/analyze', payload: { text: 'a'.repeat(2001) } });
    expect(big.statusCode).toBe(413);
    expect(big.json<{ message: string }>().message).toMatch(/at most 2000/);
  });

  it('reports health, readiness and the OpenAPI document', async () => {
    expect((await s.app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok' });
    const ready = await s.app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({
      ready: true,
      checks: { redis: { ok: true }, database: { ok: true }, taxonomy: { ok: true }, analyzer: { ok: true } },
    });
    const spec = (await s.app.inject({ method: 'GET', url: '/docs/json' })).json<{
      paths: Record<string, unknown>;
      info: { description: string };
    }>();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/v1/documents', '/v1/documents/{id}', '/v1/analyze', '/health', '/ready']),
    );
    expect(spec.info.description).toContain('This service uses the ESCO classification of the European Commission.');
    expect((await s.app.inject({ method: 'GET', url: '/docs' })).statusCode).toBeLessThan(400);
  });
});
