import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OccupationConcept, SkillConcept } from '../../src/domain/concept.js';
import { engines } from '../helpers/context.js';
import { startTestService, type TestService } from '../helpers/service.js';

const MIG = 'http://data.europa.eu/esco/skill/f015c5d5-6a1c-4f63-9012-a05f4f34105e';
const WELDER = 'http://data.europa.eu/esco/occupation/a4e5e2d7-8bbf-4b9e-8b58-8f2f6a2b1111';

describe.each(engines())('concept look-up on %s', (engine) => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService(engine, 'concepts');
  });
  afterAll(() => s.close());

  const skills = async (query: string) => {
    const res = await s.app.inject({ method: 'GET', url: `/v1/skills?${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: SkillConcept[] }>().items;
  };
  const occupations = async (query: string) => {
    const res = await s.app.inject({ method: 'GET', url: `/v1/occupations?${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: OccupationConcept[] }>().items;
  };

  it('finds skills by label in any language, answering in the asked one with type, reuse level and broader groups', async () => {
    const fi = await skills(`text=${encodeURIComponent('MIG-hitsaus')}&language=fi`);
    expect(fi[0]).toMatchObject({
      uri: MIG,
      label: 'suorittaa MIG-hitsausta',
      labels: { fi: 'suorittaa MIG-hitsausta', sv: 'utföra MIG-svetsning', en: 'perform metal inert gas welding' },
      skillType: 'skill/competence',
      reuseLevel: 'sector-specific',
    });
    expect(fi[0]!.broader.length).toBeGreaterThan(0);
    const en = await skills('text=metal%20inert&language=sv');
    expect(en[0]).toMatchObject({
      uri: MIG,
      label: 'utföra MIG-svetsning',
      matched: 'perform metal inert gas welding',
    });
    expect(en[0]!.altLabels).toEqual([]);
    const knowledge = await skills('text=hitsaustekniikat');
    expect(knowledge[0]).toMatchObject({ label: 'hitsaustekniikat', skillType: 'knowledge' });
    expect((await skills(`text=${encodeURIComponent(MIG)}&language=en`)).map((c) => c.uri)).toEqual([MIG]);
    expect(await skills('text=%25')).toEqual([]);
  });

  it('ranks the exact label first and pages', async () => {
    const all = await skills('text=hitsa&limit=100');
    expect(all.length).toBeGreaterThan(2);
    const second = await skills('text=hitsa&limit=1&offset=1');
    expect(second.map((c) => c.uri)).toEqual([all[1]!.uri]);
  });

  it('finds occupations by label, ISCO group and ESCO code, with the ISCO groups above', async () => {
    const byLabel = await occupations('text=svetsare&language=sv');
    expect(byLabel[0]).toMatchObject({ uri: WELDER, label: 'svetsare', code: '7212.1' });
    expect(byLabel[0]!.isco.map((g) => g.code)).toEqual(['7212', '721', '72', '7']);
    expect((await occupations('text=MIG-hitsaaja'))[0]).toMatchObject({ uri: WELDER, matched: 'MIG-hitsaaja' });
    expect((await occupations('text=72')).map((o) => o.uri)).toContain(WELDER);
    expect((await occupations('text=7212.1')).map((o) => o.uri)).toEqual([WELDER]);
    expect(await occupations('text=9999')).toEqual([]);
  });

  it('refuses a missing or blank text and an unknown language with 400 naming the field', async () => {
    for (const [query, field] of [
      ['', 'text'],
      ['text=%20%20', 'text'],
      ['text=weld&language=de', 'language'],
      ['text=weld&limit=0', 'limit'],
    ]) {
      const res = await s.app.inject({ method: 'GET', url: `/v1/skills?${query}` });
      expect(res.statusCode, query).toBe(400);
      expect(res.json<{ field: string }>().field, query).toBe(field);
    }
  });
});
