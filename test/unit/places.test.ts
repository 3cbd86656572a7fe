import { beforeAll, describe, expect, it } from 'vitest';
import { PlaceResolver } from '../../src/analysis/places.js';
import type { Language } from '../../src/domain/language.js';
import { fixtureAnalyzer } from '../helpers/context.js';

describe('places named in a sentence', () => {
  let places: PlaceResolver;
  beforeAll(async () => {
    places = PlaceResolver.fromData((await fixtureAnalyzer()).taxonomy);
  });
  const found = (language: Language, text: string) =>
    places
      .findInText(text, { index: 0, start: 0, end: text.length, text }, language)
      .map((p) => ('code' in p ? `${p.text} ${p.code}` : `${p.text} ${p.reason}`));

  it('take a town’s surroundings as the maakunta around it, and the capital region as Helsinki’s', () => {
    expect(found('fi', 'Lahden seudulla tarvitaan hitsaajia.')).toEqual(['Lahden seudulla MK07']);
    expect(found('fi', 'Lahdessa tarvitaan hitsaajia.')).toEqual(['Lahdessa KU398']);
    expect(found('fi', 'Pääkaupunkiseudulla on pulaa kirvesmiehistä.')).toEqual(['Pääkaupunkiseudulla MK01']);
    expect(found('sv', 'Företag i Vasaregionen behöver svetsare.')).toEqual(['Vasaregionen MK15']);
    expect(found('sv', 'I huvudstadsregionen saknas lärare.')).toEqual(['huvudstadsregionen MK01']);
  });

  it('resolve sub-regions, former regions and customary areas to the region that holds them', () => {
    expect(found('fi', 'Kyrönmaalla ja Itä-Uudellamaalla tarvitaan hoitajia.')).toEqual([
      'Kyrönmaalla MK15',
      'Itä-Uudellamaalla MK01',
    ]);
    expect(found('fi', 'Itä-Suomessa on pulaa lääkäreistä.')).toEqual(['Itä-Suomessa FI1D']);
    expect(found('sv', 'Det råder brist på lärare i Östra Nyland och Sydösterbotten.')).toEqual([
      'Östra Nyland MK01',
      'Sydösterbotten MK15',
    ]);
    expect(places.resolveMetadata('Kyrönmaa')).toMatchObject({ code: 'MK15', level: 'maakunta' });
  });
});
