import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fullDataPresent, SHARED_DATA } from '../helpers/context.js';
import { sendAndAnalyse, startTestService, type TestService } from '../helpers/service.js';

const NOTE =
  'Tapasimme lahtelaisen konepajan. Nyt pulaa on CNC-koneistajista; lähivuosina tarvitaan automaatio-osaamista ja vuoteen 2030 mennessä robotiikkaa.';

describe.skipIf(!fullDataPresent)('a meeting note through the whole service on the real ESCO and regions', () => {
  let s: TestService;
  let id: string;
  beforeAll(async () => {
    s = await startTestService('pglite', 'demand-full', {}, SHARED_DATA);
    s.startWorker();
    id = (await sendAndAnalyse(s, [{ kind: 'meeting_note', date: '2026-10-02', text: NOTE }], 60_000))[0]!;
  }, 240_000);
  afterAll(() => s.close());

  it('yields needs now, in 1–2 years and in 3–10 years, in Päijät-Häme', async () => {
    const doc = (await s.app.inject({ method: 'GET', url: `/v1/documents/${id}` })).json<{
      analysis: {
        mentions: { start: number; end: number; horizon: string; polarity: string }[];
        occupationMentions: { start: number; end: number; horizon: string; polarity: string; isco: string }[];
        regions: { code: string; primary: boolean }[];
      };
    }>();
    const byText = doc.analysis.mentions.map((m) => `${NOTE.slice(m.start, m.end)} ${m.horizon} ${m.polarity}`);
    expect(byText).toEqual(expect.arrayContaining(['automaatio-osaamista short need', 'robotiikkaa long need']));
    // the machinists are people in short supply (ISCO 7223), not the skill of CNC machining
    expect(
      doc.analysis.occupationMentions.map((m) => `${NOTE.slice(m.start, m.end)} ${m.isco} ${m.horizon} ${m.polarity}`),
    ).toContain('CNC-koneistajista 7223 current need');
    expect(doc.analysis.regions.filter((r) => r.primary).map((r) => r.code)).toEqual([
      'KU398',
      'MK07',
      'EVK03',
      'FI1C',
      'FI',
    ]);
    const long = (await s.app.inject({ method: 'GET', url: '/v1/demand?region=MK07&horizon=long&lang=en' })).json<{
      rows: { label: string; documents: number }[];
    }>();
    console.log(`/v1/demand?region=MK07&horizon=long: ${long.rows.map((r) => r.label).join('; ')}`);
    expect(long.rows.length).toBeGreaterThan(0);
    expect(long.rows.every((r) => r.documents === 1)).toBe(true);
    expect(long.rows.map((r) => r.label).join(' ')).toMatch(/robot/i);
    const short = (await s.app.inject({ method: 'GET', url: '/v1/demand?region=MK07&horizon=short' })).json<{
      rows: unknown[];
    }>();
    const now = (
      await s.app.inject({ method: 'GET', url: '/v1/demand?region=MK07&horizon=current&groupBy=occupation' })
    ).json<{
      rows: unknown[];
    }>();
    expect(short.rows.length).toBeGreaterThan(0);
    expect(now.rows.length).toBeGreaterThan(0);
  });
});
