import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../helpers/service.js';

/**
 * Property-based fuzzing of the routes that take input: generated bodies and query strings, valid, nearly
 * valid and wild, against the real service (PGlite, Redis). No answer may be a 5xx, and every document the
 * API accepted (202) must be there afterwards. Runs are bounded and seeded, so a failure can be replayed
 * (fast-check prints the seed and the shrunk counterexample).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 120);
const SEED = Number(process.env.FUZZ_SEED ?? 20261124);

const KINDS = ['job_ad', 'meeting_note', 'survey_answer', 'report'];
const texts = fc.oneof(
  fc.constantFrom(
    'Etsimme hitsaajaa Lahteen. MIG-hitsaus hallussa.',
    'Vi söker en svetsare i Vasa.',
    'We need a welder in Helsinki.',
    '',
    ' ',
    '\u0000',
    '\ud800',
  ),
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
);
/** any JSON value, or one of the fields with a value of any type */
const wild = fc.jsonValue({ maxDepth: 3 });
/** a valid document, then maybe one field replaced by anything */
const validDocument = fc
  .record(
    {
      kind: fc.constantFrom(...KINDS),
      text: fc.oneof(
        fc.constantFrom(
          'Etsimme hitsaajaa Lahteen. MIG-hitsaus hallussa.',
          'Vi söker en svetsare i Vasa inom kort.',
          'We need two welders in Helsinki by 2030.',
          'Hitsaaja\u0000 Lahteen.',
          'Svetsare \udc00i Vasa.',
        ),
        fc.string({ minLength: 1, maxLength: 400 }).filter((t) => /\S/.test(t)),
      ),
      title: fc.string({ minLength: 1, maxLength: 80 }).filter((t) => /\S/.test(t)),
      language: fc.constantFrom('fi', 'sv', 'en'),
      date: fc.constantFrom('2024-02-29', '2026-11-01', '1999-12-31', '0000-01-01', '0001-01-01'),
      region: fc.constantFrom('Lahti', 'MK07', '00100', 'Atlantis', 'Vasa'),
      vacancies: fc.integer({ min: 1, max: 100_000 }),
      horizon: fc.constantFrom('current', 'short', 'long'),
      externalId: fc.string({ minLength: 1, maxLength: 40 }).filter((t) => /\S/.test(t)),
      visibility: fc.constantFrom('private', 'shared'),
    },
    { requiredKeys: ['kind', 'text'] },
  )
  .chain((doc) =>
    fc
      .option(fc.tuple(fc.constantFrom(...Object.keys(doc)), wild), { freq: 3 })
      .map((m) => (m ? { ...doc, [m[0]]: m[1] } : doc)),
  );
const documentBody = fc.oneof(
  { arbitrary: validDocument, weight: 3 },
  wild,
  fc.record(
    {
      kind: fc.oneof(fc.constantFrom(...KINDS), wild),
      text: fc.oneof(texts, wild),
      title: fc.oneof(fc.string({ maxLength: 600 }), wild),
      language: fc.oneof(fc.constantFrom('fi', 'sv', 'en', 'de', ''), wild),
      date: fc.oneof(fc.constantFrom('2026-11-01', '2026-02-30', '2026-13-01', 'yesterday', ''), wild),
      region: fc.oneof(fc.constantFrom('Lahti', 'MK07', '00100', 'Atlantis', ''), wild),
      employer: fc.oneof(
        fc.record(
          { name: fc.string(), businessId: fc.constantFrom('1234567-8', '123', ''), sector: fc.string() },
          { requiredKeys: [] },
        ),
        wild,
      ),
      vacancies: fc.oneof(fc.integer({ min: -5, max: 200_000 }), fc.double(), wild),
      horizon: fc.oneof(fc.constantFrom('current', 'short', 'long', 'never'), wild),
      externalId: fc.oneof(fc.string({ maxLength: 400 }), wild),
      visibility: fc.oneof(fc.constantFrom('private', 'shared', 'public'), wild),
      extra: wild,
    },
    { requiredKeys: [] },
  ),
);
const rawBody = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    '{',
    '{"kind":"job_ad","text":',
    '[]',
    'null',
    '"text"',
    '{"kind":"job_ad","text":"a"}}',
    '\uFEFF{}',
    '{"__proto__":{"x":1}}',
    '{"constructor":{"prototype":{}}}',
  ),
);

const PARAMS: Record<string, fc.Arbitrary<string>> = {
  region: fc.constantFrom('MK07', 'mk07', 'FI', 'KU398', 'EVK04', 'MK99', 'X', '', 'MK07;DROP'),
  horizon: fc.constantFrom('current', 'short', 'long', 'later'),
  kind: fc.constantFrom(...KINDS, 'tweet'),
  language: fc.constantFrom('fi', 'sv', 'en', 'xx'),
  polarity: fc.constantFrom('need', 'surplus', 'mention', 'any', 'none'),
  from: fc.constantFrom('2025-01', '2026-11', '2026-13', '2026-11-31', '0000-01', '0001-01', '1899-12', '9999-12', 'x'),
  to: fc.constantFrom('2025-01', '2026-12', '9999-12', '2026-00'),
  sector: fc.constantFrom('C', '25', 'Z', '999', 'c'),
  occupation: fc.constantFrom('72', '7212', '0', '99999', 'http://data.europa.eu/esco/occupation/x', "'"),
  minScore: fc.constantFrom('0', '0.5', '1', '2', '-1', 'NaN', 'x'),
  groupBy: fc.constantFrom('skill', 'skillGroup', 'maakunta', 'isco2', 'sector', 'horizon', 'nothing'),
  splitBy: fc.constantFrom('maakunta', 'kind', 'skill', 'nope'),
  splitKeys: fc.constantFrom('own', 'overall', 'all'),
  keys: fc.constantFrom('a,b', ',', 'http://data.europa.eu/esco/skill/530cb489-d900-46ab-9350-4d50ccd49eea'),
  scope: fc.constantFrom('all', 'own', 'mine'),
  limit: fc.constantFrom('1', '50', '1000', '0', '-1', '1e3', '100000', 'ten'),
  offset: fc.constantFrom('0', '5', '-1', '99999999999'),
  bucket: fc.constantFrom('month', 'quarter', 'year', 'week'),
  against: fc.constantFrom('MK01', 'FI', 'MK99'),
  minMentions: fc.constantFrom('1', '0', 'x'),
  lang: fc.constantFrom('fi', 'sv', 'en', 'de'),
  format: fc.constantFrom('json', 'csv', 'xml'),
  skill: fc.constantFrom('http://data.europa.eu/esco/skill/530cb489-d900-46ab-9350-4d50ccd49eea', 'x', ''),
};
const query = fc
  .tuple(
    fc
      .dictionary(fc.constantFrom(...Object.keys(PARAMS)), fc.constant(''), { maxKeys: 6 })
      .chain((d) =>
        Object.keys(d).length === 0
          ? fc.constant({})
          : fc.record(
              Object.fromEntries(
                Object.keys(d).map((k) => [
                  k,
                  fc.oneof(
                    { arbitrary: PARAMS[k]!, weight: 5 },
                    { arbitrary: fc.string({ maxLength: 30 }), weight: 1 },
                  ),
                ]),
              ),
            ),
      ),
    fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), fc.string({ maxLength: 20 }), { maxKeys: 2 }),
  )
  .map(([known, other]) => new URLSearchParams({ ...other, ...known }).toString());

describe('fuzzing the input routes (PGlite, Redis)', () => {
  let s: TestService;
  const accepted = new Set<string>();
  const statuses = new Map<number, number>();
  const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);

  beforeAll(async () => {
    s = await startTestService('pglite', 'fuzz', { RATE_LIMIT_MAX: '1000000' });
  }, 60_000);
  afterAll(async () => {
    console.log(
      `fuzz: ${[...statuses]
        .sort((a, b) => a[0] - b[0])
        .map(([c, n]) => `${c}×${n}`)
        .join(' ')}; ${accepted.size} documents accepted`,
    );
    await s.close();
  });

  it('POST /v1/documents: never a 5xx, and every accepted document is stored', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          documentBody.map((b) => JSON.stringify(b) ?? 'null'),
          rawBody,
        ),
        async (payload) => {
          const res = await s.app.inject({
            method: 'POST',
            url: '/v1/documents',
            payload,
            headers: { 'content-type': 'application/json' },
          });
          count(res.statusCode);
          expect(res.statusCode, `${payload.slice(0, 200)} → ${res.body}`).toBeLessThan(500);
          if (res.statusCode === 202) accepted.add(res.json<{ id: string }>().id);
          else expect(res.json<{ message: string }>().message).toBeTruthy();
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
    const stored = await s.db.query<{ id: string }>('SELECT id FROM documents WHERE id = ANY($1::uuid[])', [
      [...accepted],
    ]);
    expect(stored.length).toBe(accepted.size);
  });

  it('POST /v1/analyze: never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          documentBody.map((b) => JSON.stringify(b) ?? 'null'),
          rawBody,
        ),
        async (payload) => {
          const res = await s.app.inject({
            method: 'POST',
            url: '/v1/analyze',
            payload,
            headers: { 'content-type': 'application/json' },
          });
          count(res.statusCode);
          expect(res.statusCode, `${payload.slice(0, 200)} → ${res.body}`).toBeLessThan(500);
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('POST /v1/batches (NDJSON and CSV, gzip or not): never a 5xx, and rows are either documents or reported', async () => {
    const line = fc.oneof(
      documentBody.map((b) => JSON.stringify(b) ?? ''),
      fc.string({ maxLength: 120 }),
      fc.constantFrom('', '{"id":"1","text":"Hitsaaja Lahteen."}', 'id,text', '"unterminated,'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 12 }),
        fc.constantFrom('application/x-ndjson', 'text/csv', 'application/json-lines'),
        fc.constantFrom('job_ad', 'meeting_note', 'nope'),
        fc.boolean(),
        async (lines, type, kind, zipped) => {
          const body = Buffer.from(lines.join('\n'));
          const res = await s.app.inject({
            method: 'POST',
            url: `/v1/batches?kind=${kind}`,
            payload: zipped ? gzipSync(body) : body,
            headers: { 'content-type': type },
          });
          count(res.statusCode);
          expect(res.statusCode, `${type} ${JSON.stringify(lines).slice(0, 300)} → ${res.body}`).toBeLessThan(500);
          if (res.statusCode === 202) {
            const b = res.json<{ rows: number; accepted: number; rejected: number }>();
            expect(b.accepted + b.rejected).toBe(b.rows);
          }
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('GET the demand routes with any query string: never a 5xx', async () => {
    const routes = [
      '/v1/demand',
      '/v1/demand/timeseries',
      '/v1/demand/emerging',
      '/v1/demand/compare',
      '/v1/demand/documents',
      '/v1/documents',
      '/v1/regions',
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), query, async (route, q) => {
        const res = await s.app.inject({ method: 'GET', url: `${route}?${q}` });
        count(res.statusCode);
        expect(res.statusCode, `${route}?${q} → ${res.body}`).toBeLessThan(500);
      }),
      { numRuns: RUNS * 3, seed: SEED },
    );
  });

  it('answers JSON nested thousands of levels deep, and year 0 in any date or period, with 400', async () => {
    const deep = [
      '['.repeat(10_000) + ']'.repeat(10_000),
      '{"text":' + '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_001),
    ];
    const bodies: [string, string][] = [
      ['POST', '/v1/documents'],
      ['POST', '/v1/analyze'],
      ['PATCH', '/v1/documents/00000000-0000-4000-8000-000000000000'],
      ['POST', '/v1/orgs'],
      ['POST', '/v1/keys'],
    ];
    for (const [method, url] of bodies)
      for (const payload of deep) {
        const res = await s.app.inject({
          method: method as 'POST',
          url,
          payload,
          headers: { 'content-type': 'application/json' },
        });
        expect(res.statusCode, `${method} ${url} → ${res.body}`).toBe(400);
        expect(res.json<{ message: string }>().message).toMatch(/deeper than/);
      }
    for (const url of [
      '/v1/demand?from=0000-01',
      '/v1/demand?to=0001-01',
      '/v1/demand/timeseries?from=0000-12',
      '/v1/demand/emerging?from=0001-01&to=0001-02',
      '/v1/demand/compare?region=MK07&from=0000-01',
    ])
      expect((await s.app.inject({ method: 'GET', url })).statusCode, url).toBe(400);
    // the earliest period there is, with its previous period before it: answered
    expect((await s.app.inject({ method: 'GET', url: '/v1/demand/emerging?from=1900-01&to=2999-12' })).statusCode).toBe(
      200,
    );
    for (const url of ['/v1/documents', '/v1/analyze'])
      expect(
        (
          await s.app.inject({
            method: 'POST',
            url,
            payload: { kind: 'job_ad', text: 'Haemme hitsaajaa.', date: '0000-01-01' },
          })
        ).statusCode,
        url,
      ).toBe(400);
  });
});
