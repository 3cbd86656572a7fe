import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAnalyzer } from '../../src/analysis/load-analyzer.js';
import { createLogger } from '../../src/base/logger.js';
import { enqueueAnalyze } from '../../src/jobs/analyze.queue.js';
import { loadTaxonomy } from '../../src/taxonomy/load.js';
import { engines } from '../helpers/context.js';
import { startTestService, waitFor, type Inject, type TestService } from '../helpers/service.js';

const SKILL = 'http://data.europa.eu/esco/skill/';
const TECHNIQUES = `${SKILL}530cb489-d900-46ab-9350-4d50ccd49eea`;
const FORKLIFT = `${SKILL}28cb374e-6261-4133-8371-f9a5470145da`;
const SERVICE = `${SKILL}15a33d76-4640-438d-ae64-fdc0c1d3eebc`;
const SELL = `${SKILL}29a50780-f81b-429c-b410-7f23a492e19d`;
const PYTHON = `${SKILL}ccd0a1d9-afda-43d9-b901-96344886e14d`;
const WELDER = 'http://data.europa.eu/esco/occupation/a4e5e2d7-8bbf-4b9e-8b58-8f2f6a2b1111';

const NOTE =
  'Tapasimme konepajan johdon. Ensi vuonna tarvitaan viisi hitsaajaa ja hitsaustekniikoiden osaajia. ' +
  'Trukkikortti on eduksi, ja asiakaspalvelu sujuu jo hyvin. Myyjiltä odotetaan tuote-esittelyjä.';
const META = { kind: 'meeting_note', language: 'fi', date: '2026-10-05', region: 'Lahti' };
const at = (words: string) => ({ start: NOTE.indexOf(words), end: NOTE.indexOf(words) + words.length });

interface Mention {
  uri: string;
  start: number;
  end: number;
  method: string;
  horizon: string;
  horizonSource?: string;
  polarity: string;
  counted?: boolean;
  verified?: boolean;
}
interface View {
  mentions: Mention[];
  occupationMentions: Mention[];
  corrections?: { action: string; uri: string; applied: boolean }[];
}
type Rows = { rows: { key: string; mentions: number }[] };

/** A person's corrections of an analysis (issue 30): before saving, after, across re-analysis, and as material. */
describe.each(engines())('corrections on %s', (engine) => {
  let s: TestService;
  let contributor: Inject;
  let analyst: Inject;
  let stranger: Inject;
  let id: string;
  /** the corrections made on the preview of the note */
  const onPreview = [
    // "asiakaspalvelu sujuu jo hyvin" states no need
    { action: 'remove', concept: 'skill', uri: SERVICE, ...at('asiakaspalvelu') },
    // the machine does not know that demonstrating products is selling them
    { action: 'add', concept: 'skill', uri: SELL, ...at('tuote-esittelyjä'), polarity: 'need' },
    { action: 'change', concept: 'skill', uri: FORKLIFT, ...at('Trukkikortti'), horizon: 'short' },
  ];
  /** skills counted by the analyst's demand query, all polarities */
  const demand = async (query = '') => {
    const res = await analyst({ method: 'GET', url: `/v1/demand?groupBy=skill&polarity=any&limit=100${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return new Map(res.json<Rows>().rows.map((r) => [r.key, r.mentions]));
  };
  const analysis = async () =>
    (await contributor({ method: 'GET', url: `/v1/documents/${id}` })).json<{ analysis: View; analysedAt: string }>();

  beforeAll(async () => {
    s = await startTestService(engine, 'corrections');
    s.startWorker();
    contributor = (await s.caller('kehitysyhtio', 'contributor')).inject;
    analyst = (await s.caller('maakuntaliitto', 'analyst')).inject;
    stranger = (await s.caller('toinen', 'contributor')).inject;
  }, 90_000);
  afterAll(() => s.close());

  it('shows corrections over the preview: removed, added, changed, each applied and verified', async () => {
    const machine = await contributor({ method: 'POST', url: '/v1/analyze', payload: { text: NOTE, ...META } });
    expect(machine.statusCode, machine.body).toBe(200);
    const found = machine.json<View>().mentions.map((m) => NOTE.slice(m.start, m.end));
    expect(found).toEqual(['hitsaustekniikoiden', 'Trukkikortti', 'asiakaspalvelu']);

    const res = await contributor({
      method: 'POST',
      url: '/v1/analyze',
      payload: { text: NOTE, ...META, corrections: onPreview },
    });
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json<View>();
    expect(view.corrections!.map((c) => c.applied)).toEqual([true, true, true]);
    expect(
      view.mentions.map((m) => ({ words: NOTE.slice(m.start, m.end), uri: m.uri, verified: m.verified ?? false })),
    ).toEqual([
      { words: 'hitsaustekniikoiden', uri: TECHNIQUES, verified: false },
      { words: 'Trukkikortti', uri: FORKLIFT, verified: true },
      { words: 'tuote-esittelyjä', uri: SELL, verified: true },
    ]);
    const sell = view.mentions.find((m) => m.uri === SELL)!;
    expect(sell).toMatchObject({ method: 'manual', polarity: 'need', counted: true, horizon: 'current' });
    expect(view.mentions.find((m) => m.uri === FORKLIFT)).toMatchObject({
      horizon: 'short',
      horizonSource: 'correction',
    });
  });

  it('saves a note with its corrections: the corrected reading is what another organisation counts', async () => {
    const res = await contributor({
      method: 'POST',
      url: '/v1/documents',
      payload: { text: NOTE, ...META, visibility: 'shared', corrections: onPreview },
    });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ status: 'done', duplicate: false });
    id = res.json<{ id: string }>().id;
    const counted = await demand();
    expect(counted.get(SELL)).toBe(1);
    expect(counted.has(SERVICE)).toBe(false);
    expect(counted.get(TECHNIQUES)).toBe(1);
    expect((await demand('&horizon=short')).get(FORKLIFT)).toBe(1);
    const list = await contributor({ method: 'GET', url: `/v1/documents/${id}/corrections` });
    expect(list.json<{ corrections: { applied: boolean; id: string }[] }>().corrections).toMatchObject([
      { action: 'remove', uri: SERVICE, applied: true },
      { action: 'add', uri: SELL, applied: true },
      { action: 'change', uri: FORKLIFT, applied: true },
    ]);
  });

  it('keeps the corrections when the document is analysed again', async () => {
    const before = await analysis();
    await enqueueAnalyze(s.queue, id, s.config);
    const after = await waitFor(
      async () => {
        const now = await analysis();
        return now.analysedAt !== before.analysedAt ? now : undefined;
      },
      20_000,
      're-analysis',
    );
    expect(after.analysis.mentions.map((m) => [m.uri, m.verified ?? false, m.horizon])).toEqual(
      before.analysis.mentions.map((m) => [m.uri, m.verified ?? false, m.horizon]),
    );
    expect(after.analysis.mentions.some((m) => m.uri === SERVICE)).toBe(false);
    expect((await demand()).get(SELL)).toBe(1);
  });

  it('corrects a saved document, and a withdrawn correction gives the machine its words back', async () => {
    const res = await contributor({
      method: 'POST',
      url: `/v1/documents/${id}/corrections`,
      payload: {
        corrections: [
          { action: 'remove', concept: 'skill', uri: TECHNIQUES, ...at('hitsaustekniikoiden') },
          { action: 'change', concept: 'occupation', uri: WELDER, ...at('hitsaajaa'), horizon: 'long' },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ corrections: { id: string; uri: string }[]; analysis: View }>();
    expect(body.corrections).toHaveLength(5);
    expect(body.analysis.occupationMentions[0]).toMatchObject({ uri: WELDER, horizon: 'long', verified: true });
    expect((await demand()).has(TECHNIQUES)).toBe(false);
    const occupations = await analyst({ method: 'GET', url: '/v1/demand?groupBy=occupation&horizon=long' });
    expect(occupations.json<Rows>().rows).toMatchObject([{ key: WELDER, mentions: 1 }]);

    const removal = body.corrections.find((c) => c.uri === TECHNIQUES)!;
    const withdrawn = await contributor({ method: 'DELETE', url: `/v1/documents/${id}/corrections/${removal.id}` });
    expect(withdrawn.statusCode, withdrawn.body).toBe(204);
    expect((await demand()).get(TECHNIQUES)).toBe(1);
  });

  it('refuses bad input with a 4xx naming the field, and changes nothing', async () => {
    const documentsBefore = (await contributor({ method: 'GET', url: '/v1/documents' })).json<{ total: number }>();
    const correctionsBefore = (await contributor({ method: 'GET', url: `/v1/documents/${id}/corrections` })).body;
    const refused = async (url: string, payload: unknown, status: number, field: string, who = contributor) => {
      const res = await who({ method: 'POST', url, payload: payload as Record<string, unknown> });
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json<{ field?: string }>().field).toBe(field);
    };
    await refused('/v1/documents', { ...META, text: '' }, 400, 'text');
    await refused('/v1/documents', { ...META, text: '   ' }, 400, 'text');
    const unknown = { action: 'add', concept: 'skill', uri: `${SKILL}00000000-0000-0000-0000-00000000beef`, start: 0 };
    await refused(
      '/v1/documents',
      { ...META, text: `${NOTE} Uusi.`, corrections: [{ ...unknown, end: 9 }] },
      400,
      'corrections.0.uri',
    );
    // a removal of a skill the analysis does not have there
    const absent = { action: 'remove', concept: 'skill', uri: PYTHON, ...at('konepajan') };
    await refused(`/v1/documents/${id}/corrections`, { corrections: [absent] }, 400, 'corrections.0');
    await refused(
      `/v1/documents/${id}/corrections`,
      { corrections: [{ ...onPreview[1], start: NOTE.length - 2, end: NOTE.length + 5 }] },
      400,
      'corrections.0.end',
    );
    await refused(
      `/v1/documents/${id}/corrections`,
      { corrections: [{ ...onPreview[1], start: 5, end: 5 }] },
      400,
      'corrections.0.end',
    );
    await refused(`/v1/documents/${id}/corrections`, { corrections: [] }, 400, 'corrections');
    await refused(`/v1/documents/${id}/corrections`, { corrections: [onPreview[1]] }, 404, 'id', stranger);
    const gone = await contributor({ method: 'DELETE', url: `/v1/documents/${id}/corrections/999999` });
    expect(gone.statusCode).toBe(404);
    expect(gone.json<{ field: string }>().field).toBe('correctionId');
    expect((await contributor({ method: 'GET', url: '/v1/documents' })).json<{ total: number }>().total).toBe(
      documentsBefore.total,
    );
    expect((await contributor({ method: 'GET', url: `/v1/documents/${id}/corrections` })).body).toBe(correctionsBefore);
  });

  it('exports corrected spans and concepts of the documents a caller may read', async () => {
    const res = await analyst({ method: 'GET', url: '/v1/corrections' });
    expect(res.statusCode, res.body).toBe(200);
    const rows = res.json<{ corrections: { words: string; sentence: string; label: string; action: string }[] }>()
      .corrections;
    expect(rows.find((r) => r.action === 'add')).toMatchObject({
      words: 'tuote-esittelyjä',
      sentence: 'Myyjiltä odotetaan tuote-esittelyjä.',
      label: 'sell products',
    });
    const csv = await analyst({ method: 'GET', url: '/v1/corrections?format=csv' });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body).toContain('tuote-esittelyjä');
    // a private document's corrections stay with its organisation
    await contributor({ method: 'PATCH', url: `/v1/documents/${id}`, payload: { visibility: 'private' } });
    expect((await analyst({ method: 'GET', url: '/v1/corrections' })).json<{ corrections: [] }>().corrections).toEqual(
      [],
    );
    expect(
      (await contributor({ method: 'GET', url: '/v1/corrections' })).json<{ corrections: [] }>().corrections.length,
    ).toBe(4);
  });

  it('proposes an alias from words added as the same concept in several documents; an accepted one is read', async () => {
    const operator = (await s.caller('palvelu', 'operator')).inject;
    await contributor({ method: 'PATCH', url: `/v1/documents/${id}`, payload: { visibility: 'shared' } });
    const other = 'Asiakkaat arvostavat TUOTE-ESITTELYJÄ. Muuta emme tarvitse.';
    const saved = await contributor({
      method: 'POST',
      url: '/v1/documents',
      payload: {
        ...META,
        text: other,
        visibility: 'shared',
        corrections: [{ action: 'add', concept: 'skill', uri: SELL, start: 21, end: 37 }],
      },
    });
    expect(saved.statusCode, saved.body).toBe(202);
    const proposed = async () =>
      (await operator({ method: 'GET', url: '/v1/corrections/aliases' })).json<{ proposals: unknown[] }>().proposals;
    expect(await proposed()).toEqual([
      { language: 'fi', alias: 'tuote-esittelyjä', concept: 'skill', uri: SELL, label: 'sell products', documents: 2 },
    ]);
    expect((await contributor({ method: 'GET', url: '/v1/corrections/aliases' })).statusCode).toBe(403);
    const accept = (payload: Record<string, string>) =>
      operator({ method: 'POST', url: '/v1/corrections/aliases', payload });
    const bad = await accept({ language: 'fi', alias: 'tuote-esittelyjä', uri: `${SELL}x` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ field: string }>().field).toBe('uri');
    const ok = await accept({ language: 'fi', alias: 'Tuote-esittelyjä', uri: SELL });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toEqual({ accepted: true });
    expect((await accept({ language: 'fi', alias: 'tuote-esittelyjä', uri: SELL })).json()).toEqual({
      accepted: false,
    });
    expect(await proposed()).toEqual([]);
    // the analysis loaded from the database from now on reads it
    const taxonomy = await loadTaxonomy(s.db);
    expect(taxonomy.aliases).toContainEqual(expect.objectContaining({ alias: 'tuote-esittelyjä', uri: SELL }));
    const analyzer = await loadAnalyzer(taxonomy, s.config, createLogger(s.config));
    const reading = analyzer.analyze({ text: 'Työhön kuuluu tuote-esittelyjä.', language: 'fi', kind: 'job_ad' });
    expect(reading.mentions.map((m) => m.uri)).toContain(SELL);
  });
});
