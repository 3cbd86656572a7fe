import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../helpers/context.js';
import { startTestService, waitFor, type TestService } from '../helpers/service.js';

const WELDER = 'http://data.europa.eu/esco/occupation/a4e5e2d7-8bbf-4b9e-8b58-8f2f6a2b1111';

interface OccupationMention {
  uri: string;
  isco: string;
  start: number;
  end: number;
  polarity: string;
  horizon: string;
  weight: number;
  source: string;
  counted: boolean;
}

/** Occupations named in notes and news are demand of their own, sentence by sentence; a job ad adds its own once. */
const documents = [
  {
    kind: 'meeting_note',
    language: 'fi',
    date: '2026-10-05',
    region: 'Lahti',
    text: 'Tapasimme konepajan johdon. Ensi vuonna tarvitaan viisi hitsaajaa, sillä tilauskanta kasvaa.',
  },
  {
    kind: 'job_ad',
    language: 'fi',
    date: '2026-10-12',
    region: 'Lahti',
    vacancies: 3,
    title: 'Hitsaaja',
    text: 'Haemme kolmea hitsaajaa konepajaamme. Hitsaajana työskentelet vuorotyössä. Hallitset hitsaustekniikat.',
  },
  {
    kind: 'meeting_note',
    language: 'sv',
    date: '2026-10-20',
    region: 'Vasa',
    text: 'Verkstaden säger att det i dag finns för många svetsare i regionen.',
  },
  {
    kind: 'report',
    language: 'en',
    date: '2026-10-21',
    text: 'The workshop met its welders on Monday.',
  },
];

describe.each(engines())('occupations as demand on %s', (engine) => {
  let s: TestService;
  const analyses: { text: string; occupationMentions: OccupationMention[] }[] = [];
  const get = (url: string) => s.app.inject({ method: 'GET', url });

  beforeAll(async () => {
    s = await startTestService(engine, 'occupations');
    s.startWorker();
    for (const d of documents) {
      const res = await s.app.inject({ method: 'POST', url: '/v1/documents', payload: d });
      expect(res.statusCode, res.body).toBe(202);
      const id = res.json<{ id: string }>().id;
      const doc = await waitFor(
        async () => {
          const r = (await get(`/v1/documents/${id}`)).json<{
            status: string;
            analysis: { occupationMentions: OccupationMention[] };
          }>();
          return r.status === 'done' ? r : undefined;
        },
        20_000,
        d.text,
      );
      analyses.push({ text: d.text, occupationMentions: doc.analysis.occupationMentions });
    }
  }, 60_000);
  afterAll(() => s.close());

  it('finds each occupation in its sentence with span, polarity, horizon and count', () => {
    const seen = analyses.map(({ text, occupationMentions }) =>
      occupationMentions.map((m) => ({
        text: text.slice(m.start, m.end),
        polarity: m.polarity,
        horizon: m.horizon,
        weight: m.weight,
        source: m.source,
        counted: m.counted,
      })),
    );
    expect(seen[0]).toEqual([
      { text: 'hitsaajaa', polarity: 'need', horizon: 'short', weight: 5, source: 'text', counted: true },
    ]);
    // the ad's own occupation once, for its vacancies; its text's names of it fold into that
    expect(seen[1]).toEqual([
      { text: '', polarity: 'need', horizon: 'current', weight: 3, source: 'document', counted: true },
      { text: 'hitsaajaa', polarity: 'need', horizon: 'current', weight: 3, source: 'text', counted: false },
      { text: 'Hitsaajana', polarity: 'mention', horizon: 'current', weight: 3, source: 'text', counted: false },
    ]);
    expect(seen[2]).toEqual([
      { text: 'svetsare', polarity: 'surplus', horizon: 'current', weight: 1, source: 'text', counted: true },
    ]);
    expect(seen[3]).toEqual([
      { text: 'welders', polarity: 'mention', horizon: 'current', weight: 1, source: 'text', counted: true },
    ]);
    expect(analyses.flatMap((a) => a.occupationMentions).every((m) => m.uri === WELDER && m.isco === '7212')).toBe(
      true,
    );
  });

  it('counts occupation needs and surpluses by occupation, ISCO group and region', async () => {
    const needs = (await get('/v1/demand?groupBy=occupation&lang=en')).json<{
      totals: unknown;
      rows: unknown[];
    }>();
    expect(needs.rows).toEqual([{ key: WELDER, label: 'welder', documents: 2, mentions: 2, demand: 8, share: 1 }]);
    expect(needs.totals).toEqual({ documents: 2, mentions: 2, demand: 8 });
    const surplus = (await get('/v1/demand?groupBy=isco2&polarity=surplus')).json<{ rows: unknown[] }>();
    expect(surplus.rows).toMatchObject([{ key: '72', documents: 1, mentions: 1, demand: 1, share: 1 }]);
    const byRegion = (await get('/v1/demand?groupBy=maakunta&concept=occupation&polarity=any')).json<{
      rows: { key: string; documents: number; demand: number }[];
    }>();
    expect(byRegion.rows.map(({ key, documents, demand }) => ({ key, documents, demand }))).toEqual([
      { key: 'MK07', documents: 2, demand: 8 },
      { key: 'MK15', documents: 1, demand: 1 },
    ]);
    // a mention without a need or surplus counts only when asked for
    const mentions = (await get('/v1/demand?groupBy=isco4&polarity=mention')).json<{ rows: unknown[] }>();
    expect(mentions.rows).toMatchObject([{ key: '7212', documents: 1, mentions: 1 }]);
  });

  it('keeps counting skills as before: skill groupings count skills, concept=skill counts them by occupation', async () => {
    const skills = (await get('/v1/demand?groupBy=skill')).json<{ rows: { key: string }[] }>();
    expect(skills.rows.every((r) => r.key.includes('/skill/'))).toBe(true);
    const byOccupation = (await get('/v1/demand?groupBy=occupation&concept=skill')).json<{ rows: { key: string }[] }>();
    expect(byOccupation.rows.map((r) => r.key)).toEqual([WELDER]);
  });

  it('drills down from an occupation or ISCO group to its documents and sentences', async () => {
    type Evidence = {
      occupation: { key: string; label: string };
      total: number;
      documents: {
        kind: string;
        mentions: number;
        sentences: { text: string; spans: unknown[]; polarity: string }[];
      }[];
    };
    const byUri = await get(`/v1/demand/documents?concept=occupation&occupation=${encodeURIComponent(WELDER)}&lang=en`);
    expect(byUri.statusCode, byUri.body).toBe(200);
    const evidence = byUri.json<Evidence>();
    expect(evidence.occupation).toEqual({ key: WELDER, label: 'welder' });
    expect(evidence.total).toBe(2);
    // the note's sentence names the welders; the job ad's own occupation counts without a sentence
    const note = evidence.documents.find((d) => d.kind === 'meeting_note')!;
    expect(note.sentences.map((x) => [x.text, x.polarity, x.spans.length])).toEqual([
      ['Ensi vuonna tarvitaan viisi hitsaajaa, sillä tilauskanta kasvaa.', 'need', 1],
    ]);
    expect(evidence.documents.find((d) => d.kind === 'job_ad')).toMatchObject({ mentions: 1, sentences: [] });
    // an ISCO-08 group, and a surplus
    const surplus = (
      await get('/v1/demand/documents?concept=occupation&occupation=72&polarity=surplus')
    ).json<Evidence>();
    expect(surplus.total).toBe(1);
    expect(surplus.documents[0]!.sentences[0]!.polarity).toBe('surplus');
    // a skill with concept=occupation, or no key at all, is a 400 naming the parameter
    const mixed = await get(`/v1/demand/documents?concept=occupation&skill=${encodeURIComponent(WELDER)}`);
    expect([mixed.statusCode, mixed.json<{ field: string }>().field]).toEqual([400, 'occupation']);
    const none = await get('/v1/demand/documents');
    expect([none.statusCode, none.json<{ field: string }>().field]).toEqual([400, 'skill']);
  });

  it('refuses to group occupations by skill', async () => {
    const res = await get('/v1/demand?groupBy=skill&concept=occupation');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'concept' });
  });
});
