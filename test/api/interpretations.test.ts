import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../helpers/context.js';
import { startTestService, type Inject, type TestService } from '../helpers/service.js';

const WELDER = 'http://data.europa.eu/esco/occupation/a4e5e2d7-8bbf-4b9e-8b58-8f2f6a2b1111';

interface Interpretation {
  id: string;
  organisation: string;
  own: boolean;
  title: string;
  region: { code: string; level: string; name: string } | null;
  concept: { type: string; code: string; label: string } | null;
  horizon: string | null;
  from: string;
  to: string;
  replies: { organisation: string; body: string }[];
  agreements: { organisation: string }[];
  agreed: boolean;
}

/** Shared interpretations (issue 30): written beside a view, read by the network, replied to and agreed. */
describe.each(engines())('interpretations on %s', (engine) => {
  let s: TestService;
  let council: Inject;
  let centre: Inject;
  let school: Inject;
  let contributor: Inject;
  let id: string;
  const welders = {
    title: 'Hitsaajien tarve kasvaa',
    body: 'Konepajat kertoivat, että ensi vuonna tarvitaan lisää hitsaajia.',
    region: 'Lahti',
    conceptType: 'occupation',
    concept: WELDER,
    horizon: 'short',
    from: '2026-09',
    to: '2026-11',
    visibility: 'network',
  };
  const list = async (who: Inject, query: string) => {
    const res = await who({ method: 'GET', url: `/v1/interpretations?${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ interpretations: Interpretation[] }>().interpretations;
  };

  beforeAll(async () => {
    s = await startTestService(engine, 'interpretations');
    council = (await s.caller('Päijät-Hämeen liitto', 'analyst')).inject;
    centre = (await s.caller('Elinvoimakeskus', 'analyst')).inject;
    school = (await s.caller('Koulutuskeskus', 'analyst')).inject;
    contributor = (await s.caller('Kehitysyhtiö', 'contributor')).inject;
  }, 60_000);
  afterAll(() => s.close());

  it('writes an interpretation on a region, an occupation, a horizon and a period', async () => {
    const res = await council({ method: 'POST', url: '/v1/interpretations?lang=fi', payload: welders });
    expect(res.statusCode, res.body).toBe(201);
    const made = res.json<Interpretation>();
    id = made.id;
    expect(made).toMatchObject({
      organisation: 'Päijät-Hämeen liitto',
      own: true,
      region: { code: 'KU398', level: 'municipality', name: 'Lahti' },
      concept: { type: 'occupation', code: WELDER, label: 'hitsaaja' },
      horizon: 'short',
      from: '2026-09',
      to: '2026-11',
      agreed: false,
    });
  });

  it('shows it beside the views of its region and the regions it is part of, to the network only when it says so', async () => {
    expect((await list(centre, 'region=MK07')).map((i) => i.id)).toEqual([id]);
    expect((await list(centre, 'region=ESR2&horizon=short&from=2026-10&to=2026-12')).map((i) => i.id)).toEqual([id]);
    expect(await list(centre, 'region=MK15')).toEqual([]);
    expect(await list(centre, 'region=MK07&from=2027-01')).toEqual([]);
    expect(await list(centre, 'region=MK07&horizon=long')).toEqual([]);
    expect((await list(centre, `conceptType=occupation&concept=${encodeURIComponent(WELDER)}`)).length).toBe(1);
    const own = await council({
      method: 'POST',
      url: '/v1/interpretations',
      payload: { ...welders, title: 'Oma luonnos', visibility: 'organisation' },
    });
    expect(own.statusCode).toBe(201);
    expect((await list(council, 'region=MK07')).length).toBe(2);
    expect((await list(centre, 'region=MK07')).length).toBe(1);
    const hidden = await centre({ method: 'GET', url: `/v1/interpretations/${own.json<{ id: string }>().id}` });
    expect(hidden.statusCode).toBe(404);
  });

  it('takes replies, and is agreed once another organisation agrees', async () => {
    const replied = await centre({
      method: 'POST',
      url: `/v1/interpretations/${id}/replies`,
      payload: { body: 'Sama näkyy meidän asiakkaissamme.' },
    });
    expect(replied.statusCode, replied.body).toBe(201);
    expect(replied.json<Interpretation>().replies).toMatchObject([{ organisation: 'Elinvoimakeskus' }]);
    const self = await council({ method: 'PUT', url: `/v1/interpretations/${id}/agreement` });
    expect(self.json<Interpretation>().agreed).toBe(false);
    const agreed = await school({ method: 'PUT', url: `/v1/interpretations/${id}/agreement` });
    expect(agreed.statusCode, agreed.body).toBe(200);
    expect(agreed.json<Interpretation>()).toMatchObject({ agreed: true });
    expect(
      agreed
        .json<Interpretation>()
        .agreements.map((a) => a.organisation)
        .sort(),
    ).toEqual(['Koulutuskeskus', 'Päijät-Hämeen liitto']);
    expect((await list(centre, 'agreed=true')).map((i) => i.id)).toEqual([id]);
    await school({ method: 'DELETE', url: `/v1/interpretations/${id}/agreement` });
    expect(await list(centre, 'agreed=true')).toEqual([]);
    await school({ method: 'PUT', url: `/v1/interpretations/${id}/agreement` });
  });

  it('refuses what does not exist or does not fit with a 400 naming the field, and changes nothing', async () => {
    const before = (await list(council, '')).length;
    const refused = async (payload: Record<string, unknown>, field: string) => {
      const res = await council({ method: 'POST', url: '/v1/interpretations', payload });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json<{ field: string }>().field).toBe(field);
    };
    await refused({ ...welders, region: 'Atlantis' }, 'region');
    await refused({ ...welders, region: 'ESR9' }, 'region');
    await refused({ ...welders, concept: `${WELDER}0` }, 'concept');
    await refused({ ...welders, conceptType: 'isco', concept: '9999' }, 'concept');
    const { concept: _c, ...noConcept } = welders;
    await refused(noConcept, 'concept');
    await refused({ ...welders, from: '2026-12', to: '2026-01' }, 'to');
    await refused({ ...welders, title: '  ' }, 'title');
    await refused({ ...welders, from: '2026-13' }, 'from');
    expect((await list(council, '')).length).toBe(before);
    const nowhere = await council({
      method: 'POST',
      url: '/v1/interpretations/00000000-0000-4000-8000-000000000000/replies',
      payload: { body: 'x' },
    });
    expect(nowhere.statusCode).toBe(404);
    expect((await council({ method: 'GET', url: '/v1/interpretations?region=Atlantis' })).statusCode).toBe(400);
    expect((await contributor({ method: 'GET', url: '/v1/interpretations' })).statusCode).toBe(403);
  });

  it("deletes only the organisation's own", async () => {
    expect((await centre({ method: 'DELETE', url: `/v1/interpretations/${id}` })).statusCode).toBe(404);
    expect((await council({ method: 'DELETE', url: `/v1/interpretations/${id}` })).statusCode).toBe(204);
    expect((await list(centre, 'region=MK07')).length).toBe(0);
  });
});
