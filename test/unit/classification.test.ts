import { beforeAll, describe, expect, it } from 'vitest';
import type { Analyzer } from '../../src/analysis/analyzer.js';
import { namesField } from '../../src/analysis/occupations.js';
import { fixtureAnalyzer } from '../helpers/context.js';

const WELDER = 'http://data.europa.eu/esco/occupation/a4e5e2d7-8bbf-4b9e-8b58-8f2f6a2b1111';

describe('occupation and sector classification', () => {
  let analyzer: Analyzer;
  beforeAll(async () => {
    ({ analyzer } = await fixtureAnalyzer());
  });

  it('ranks the occupation named in the title, with ISCO-08 and its higher levels in the document language', () => {
    const a = analyzer.analyze({ title: 'Hitsaaja', text: 'Edellytämme MIG-hitsauksen osaamista.' });
    const [best] = a.occupations;
    expect(best).toMatchObject({ uri: WELDER, label: 'hitsaaja', evidence: ['title', 'skills'] });
    expect(best!.isco).toEqual({
      code: '7212',
      label: 'Hitsaajat ja kaasuleikkaajat',
      levels: [
        { code: '7', level: 1, label: 'Rakennus-, korjaus- ja valmistustyöntekijät' },
        { code: '72', level: 2, label: 'Konepaja- ja valimotyöntekijät ym.' },
        { code: '721', level: 3, label: 'Valimotyöntekijät ja hitsaajat ym.' },
        { code: '7212', level: 4, label: 'Hitsaajat ja kaasuleikkaajat' },
      ],
    });
  });

  it('scores a title match above a text match, and both above skills alone', () => {
    const title = analyzer.analyze({ title: 'MIG-hitsaaja', text: 'Työ on vakituinen.' }).occupations[0]!;
    const text = analyzer.analyze({ text: 'Etsimme MIG-hitsaajaa. Työ on vakituinen.' }).occupations[0]!;
    const skills = analyzer.analyze({ text: 'Hallitset MIG-hitsauksen ja työskentelet hitsauslaitteilla.' })
      .occupations[0]!;
    expect(title.uri).toBe(WELDER);
    expect(text.uri).toBe(WELDER);
    expect(skills).toMatchObject({ uri: WELDER, evidence: ['skills'] });
    expect(title.score).toBeGreaterThan(text.score);
    expect(text.score).toBeGreaterThan(skills.score);
    expect(analyzer.analyze({ text: 'Työ on vakituinen.' }).occupations).toEqual([]);
  });

  it('takes the employer sector from a TOL code in any common writing, with its section and division', () => {
    for (const given of ['25110', '25.11', 'TOL 2511']) {
      const a = analyzer.analyze({ text: 'Konepaja.', employerSector: given });
      expect(a.sectors.map((s) => [s.code, s.level, s.source])).toEqual([
        ['C', 1, 'employer'],
        ['25', 2, 'employer'],
        ['25.1', 3, 'employer'],
        ['25.11', 4, 'employer'],
      ]);
      expect(a.sectors[1]!.label).toBe('Metallituotteiden valmistus');
    }
    expect(analyzer.analyze({ text: 'x y z', employerSector: 'C', language: 'fi' }).sectors).toEqual([
      { code: 'C', label: 'Teollisuus', level: 1, score: 1, source: 'employer' },
    ]);
  });

  it('matches an employer sector given by name, and falls back to the text for an unknown code', () => {
    const byName = analyzer.analyze({
      text: 'Hyvä työpaikka.',
      employerSector: 'metallituotteiden valmistus',
      language: 'fi',
    });
    expect(byName.sectors.map((s) => s.code)).toEqual(['C', '25']);
    expect(byName.sectors[0]!.source).toBe('employer');
    const fromText = analyzer.analyze({
      text: 'Yrityksemme tuotteita ovat metallituotteet ja teräsrakenteet.',
      employerSector: '99',
      language: 'fi',
    });
    // a section ranks with its best division, broadest first on a tie
    expect(fromText.sectors.map((s) => [s.code, s.level, s.source])).toEqual([
      ['C', 1, 'text'],
      ['25', 2, 'text'],
    ]);
    expect(fromText.sectors[0]!.score).toBe(fromText.sectors[1]!.score);
    const en = analyzer.analyze({ text: 'We manufacture fabricated metal products.', language: 'en' });
    expect(en.sectors.find((s) => s.level === 2)).toMatchObject({
      code: '25',
      label: 'Manufacture of fabricated metal products',
    });
  });

  it('tells a Swedish field from the person of a one-word occupation label, though both stem alike', () => {
    expect(namesField('matematiker', 'matematik')).toBe(true);
    expect(namesField('fysiker', 'fysiken')).toBe(true);
    expect(namesField('biolog', 'biologi')).toBe(true);
    expect(namesField('ekonom', 'ekonomin')).toBe(true);
    expect(namesField('matematiker', 'matematikerna')).toBe(false);
    expect(namesField('elektriker', 'elektriker')).toBe(false);
    expect(namesField('biolog', 'biologer')).toBe(false);
    expect(namesField('lärare i fysik', 'fysik')).toBe(false);
  });
});
