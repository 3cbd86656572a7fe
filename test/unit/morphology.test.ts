import { describe, expect, it } from 'vitest';
import { compoundParts, morphologyFor } from '../../src/analysis/morphology.js';

const keysOf = (language: 'fi' | 'sv' | 'en', word: string) => morphologyFor(language).keys(word);

describe('Finnish morphology through Voikko', () => {
  it('lemmatises inflected words', () => {
    expect(keysOf('fi', 'hitsauslaitteita').get('hitsauslaite')).toBe(1);
    expect(keysOf('fi', 'tuotteiden').get('tuote')).toBe(1);
  });

  it('relates derived action nouns to their verbs', () => {
    expect(keysOf('fi', 'myynti').get('myydä')).toBeCloseTo(0.9);
    expect(keysOf('fi', 'hitsausta').get('hitsata')).toBeCloseTo(0.9);
  });

  it('splits compounds into parts and runs of parts', () => {
    const keys = keysOf('fi', 'trukkikorttia');
    expect(keys.get('trukkikortti')).toBe(1);
    expect(keys.get('trukki')).toBeGreaterThan(0.5);
    expect(keys.get('kortti')).toBeGreaterThan(0.5);
    expect(compoundParts('+hitsa(hitsata)+us(+us)+laite(laite)')).toEqual([
      { surface: 'hitsaus', root: 'hitsata', derived: true, action: true },
      { surface: 'laite', root: 'laite', derived: false, action: false },
    ]);
  });

  it('analyses the head of a hyphenated word Voikko does not know', () => {
    const keys = keysOf('fi', 'MIG-hitsauksen');
    expect(keys.get('mig-hitsaus')).toBe(1);
    expect(keys.get('hitsaus')).toBeLessThan(1);
  });

  it('weighs readings: a lemma only some readings give counts less', () => {
    const keys = keysOf('fi', 'voimassa');
    expect(keys.get('voima')).toBeLessThan(1);
  });

  it('strips a case ending from unknown foreign words', () => {
    expect(keysOf('fi', 'Pythonia').get('python')).toBeGreaterThan(0.5);
  });
});

describe('Swedish and English stemming', () => {
  it('stems', () => {
    expect(keysOf('en', 'welding').has('weld')).toBe(true);
    expect(keysOf('sv', 'kunskaper').has('kunskap')).toBe(true);
  });

  it('keeps Swedish agent and instrument nouns apart from the words they come from', () => {
    const stems = (word: string) => [...keysOf('sv', word).keys()].filter((k) => !k.startsWith('='));
    expect(stems('tekniker')).toEqual(stems('teknikerna'));
    expect(stems('tekniker')).not.toEqual(stems('teknik'));
    expect(stems('projektorer')).toEqual(stems('projektor'));
    expect(stems('projektor')).not.toEqual(stems('projekt'));
    expect(stems('butiker')).toEqual(stems('butik'));
  });
});
