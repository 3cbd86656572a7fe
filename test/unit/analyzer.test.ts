import { beforeAll, describe, expect, it } from 'vitest';
import type { Analyzer } from '../../src/analysis/analyzer.js';
import { fixtureAnalyzer } from '../helpers/context.js';

const S = 'http://data.europa.eu/esco/skill/';
const MIG = `${S}f015c5d5-6a1c-4f63-9012-a05f4f34105e`;
const WELDING_EQUIPMENT = `${S}2fcd95a4-1f9a-41cf-95a9-4701bde476b4`;
const WELDING_TECHNIQUES = `${S}530cb489-d900-46ab-9350-4d50ccd49eea`;
const FORKLIFT = `${S}28cb374e-6261-4133-8371-f9a5470145da`;
const SELL = `${S}29a50780-f81b-429c-b410-7f23a492e19d`;
const CUSTOMER_SERVICE = `${S}15a33d76-4640-438d-ae64-fdc0c1d3eebc`;
const SOLIDITY = `${S}605399ce-4736-4b41-b41e-92ecf2139454`;

describe('lexical skill matching against ESCO labels', () => {
  let analyzer: Analyzer;

  beforeAll(async () => {
    ({ analyzer } = await fixtureAnalyzer());
  });

  const spansOf = (text: string, uri: string) => {
    const a = analyzer.analyze({ text });
    const skill = a.skills.find((s) => s.uri === uri);
    return skill?.spans.map((s) => text.slice(s.start, s.end));
  };

  it('finds Finnish skills through lemmas, in the document language, with exact spans', () => {
    const text = 'Etsimme kokenutta hitsaajaa Hämeenlinnaan. Edellytämme MIG-hitsauksen osaamista ja trukkikorttia.';
    const a = analyzer.analyze({ text });
    expect(a.language).toBe('fi');
    expect(a.languageSource).toBe('detected');
    const mig = a.skills.find((s) => s.uri === MIG);
    expect(mig).toMatchObject({ label: 'suorittaa MIG-hitsausta', method: 'lexical', sentences: [1] });
    expect(mig!.spans).toEqual([{ start: 55, end: 69 }]);
    expect(text.slice(55, 69)).toBe('MIG-hitsauksen');
    expect(a.mentions.filter((m) => m.uri === MIG)).toHaveLength(1);
  });

  it('finds no skill in the name of the firm that hires', () => {
    const text = 'Asiakaspalvelu Porissa etsii myyjää. Tehtäviisi kuuluu asiakaspalvelu.';
    expect(spansOf(text, CUSTOMER_SERVICE)).toEqual(['asiakaspalvelu']);
    expect(spansOf(text, CUSTOMER_SERVICE)![0]).toBe(text.slice(text.lastIndexOf('asiakaspalvelu'), -1));
  });

  it('relates a derived noun to the verb of the label and frees the word order', () => {
    expect(spansOf('Tehtäviisi kuuluu tuotteiden myynti.', SELL)).toEqual(['tuotteiden myynti']);
    expect(spansOf('Työskentelet hitsauslaitteilla päivittäin.', WELDING_EQUIPMENT)).toEqual(['hitsauslaitteilla']);
    expect(spansOf('Hallitset asiakaspalvelun.', CUSTOMER_SERVICE)).toEqual(['asiakaspalvelun']);
  });

  it('stems English and Swedish and keeps names as written', () => {
    const en = 'We need an experienced welder with solid welding skills who can drive a forklift.';
    expect(spansOf(en, WELDING_TECHNIQUES)).toEqual(['welding skills']);
    expect(spansOf(en, FORKLIFT)).toEqual(['drive a forklift']);
    expect(spansOf(en, SOLIDITY)).toBeUndefined();
    expect(spansOf('Smart contracts in Solidity.', SOLIDITY)).toEqual(['Solidity']);
    const sv = 'Vi söker en svetsare som behärskar MIG-svetsning och kundservice.';
    const a = analyzer.analyze({ text: sv });
    expect(a.language).toBe('sv');
    expect(a.skills.find((s) => s.uri === MIG)?.label).toBe('utföra MIG-svetsning');
    expect(spansOf(sv, MIG)).toEqual(['MIG-svetsning']);
    expect(spansOf(sv, CUSTOMER_SERVICE)).toEqual(['kundservice']);
  });

  it('uses a declared language and reports every occurrence of a skill', () => {
    const text = 'Welding. More welding later.';
    const a = analyzer.analyze({ text, language: 'en' });
    expect(a.languageSource).toBe('declared');
    const welding = a.skills.find((s) => s.uri === WELDING_EQUIPMENT)!;
    expect(welding.spans.map((s) => text.slice(s.start, s.end))).toEqual(['Welding', 'welding']);
    expect(welding.mentions).toBe(2);
    expect(welding.sentences).toEqual([0, 1]);
  });

  it('returns the same result for the same input', () => {
    const text = 'Edellytämme MIG-hitsauksen osaamista ja kokemusta tuotteiden myynnistä.';
    expect(analyzer.analyze({ text })).toEqual(analyzer.analyze({ text }));
  });
});
