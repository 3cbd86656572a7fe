import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstsOf, firstsSql, type FactKey } from '../../src/storage/rollups.js';
import { openDatabase, type Database } from '../../src/storage/database.js';

/** A small pseudo-random generator, so that a failure can be repeated. */
function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

describe('firsts of a document’s facts', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({});
  });
  afterAll(() => db.close());

  it('computed in TypeScript equal the window functions the migrations use', async () => {
    const random = rng(11);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    for (let doc = 0; doc < 30; doc++) {
      // few distinct values, so that repeats (and null groups) are common
      const facts: FactKey[] = Array.from({ length: 1 + Math.floor(random() * 25) }, () => ({
        concept: pick(['skill', 'occupation']),
        skill_uri: pick(['s1', 's2', 's3', 's4']),
        skill_group: pick(['g1', 'g2', null, 'null']),
        horizon: pick(['now', 'short', 'long']),
        polarity: pick(['need', 'surplus']),
      }));
      const rows = await db.query<{ firsts: number }>(
        `SELECT ${firstsSql('n')} AS firsts
         FROM (SELECT 1 AS document_id, u.* FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS u (skill_uri, skill_group, horizon, polarity, concept, n)) f
         ORDER BY n`,
        [
          facts.map((f) => f.skill_uri),
          facts.map((f) => f.skill_group),
          facts.map((f) => f.horizon),
          facts.map((f) => f.polarity),
          facts.map((f) => f.concept),
        ],
      );
      expect(firstsOf(facts)).toEqual(rows.map((r) => r.firsts));
    }
  });

  it('marks the first fact of a document as first for every question', () => {
    const [first, again] = firstsOf([
      { concept: 'skill', skill_uri: 's', skill_group: null, horizon: 'now', polarity: 'need' },
      { concept: 'skill', skill_uri: 's', skill_group: null, horizon: 'now', polarity: 'need' },
    ]);
    // four questions (horizon and polarity free or fixed) for each of the three kinds of key: twelve bits
    expect(first).toBe(0xfff);
    expect(again).toBe(0);
  });

  it('counts a document once for skills and once for occupations, which no query mixes', () => {
    const [skill, occupation] = firstsOf([
      { concept: 'skill', skill_uri: 's', skill_group: 'g', horizon: 'now', polarity: 'need' },
      { concept: 'occupation', skill_uri: 'o', skill_group: '7212', horizon: 'now', polarity: 'need' },
    ]);
    expect(skill).toBe(0xfff);
    expect(occupation).toBe(0xfff);
  });
});
