import { describe, expect, it } from 'vitest';
import { isAboutLanguage } from '../../src/analysis/language-skills.js';
import type { LexicalMatch } from '../../src/analysis/lexicon.js';
import { headLabels } from '../../src/analysis/occupations.js';
import { morphologyFor } from '../../src/analysis/morphology.js';
import { clauseBreaks, CueFinder, isParty, signalAt } from '../../src/analysis/signals.js';
import type { Language } from '../../src/domain/language.js';
import { ISCO_GROUP_URI } from '../../src/domain/taxonomy.js';

describe('the clause a cue governs', () => {
  const sentence = (text: string) => ({ start: 0, end: text.length });

  it('breaks a sentence at a comma before a conjunction or "that", a semicolon and "but"', () => {
    const text = 'Pulaa on putkiasentajista, ja lähivuosina tarvitaan hitsaajia; nyt ei muuta';
    expect(clauseBreaks(text, sentence(text), 'fi')).toEqual([text.indexOf(', ja'), text.indexOf(';')]);
    const said = 'Yrittäjien tapaamisessa todettiin, että karjanhoitajista on pula';
    expect(clauseBreaks(said, sentence(said), 'fi')).toEqual([said.indexOf(', että')]);
    const but = 'We hire now, but later welders, and then cooks but not now.';
    expect(clauseBreaks(but, sentence(but), 'en')).toEqual([11, 30, 46]);
  });

  it('lets a cue after a mention govern it only within its clause', () => {
    const text = 'Pulaa on putkiasentajista, ja lähivuosina tarvitaan hitsaajia.';
    const at = (word: string) => text.indexOf(word);
    const cues = [
      { start: at('Pulaa'), end: at('Pulaa') + 5, text: 'Pulaa', polarity: 'need' as const },
      { start: at('lähivuosina'), end: at('lähivuosina') + 11, text: 'lähivuosina', horizon: 'short' as const },
    ];
    const signals = { cues, breaks: clauseBreaks(text, sentence(text), 'fi') };
    const defaults = { polarity: 'mention' as const, weight: 1 };
    expect(signalAt(signals, at('putkiasentajista'), defaults)).toMatchObject({ horizon: 'current', polarity: 'need' });
    expect(signalAt(signals, at('hitsaajia'), defaults)).toMatchObject({ horizon: 'short', polarity: 'need' });
    // without the break the first cue after a mention governs it
    expect(signalAt({ cues, breaks: [] }, at('putkiasentajista'), defaults).horizon).toBe('short');
  });
});

describe('what an employer offers', () => {
  it('is a mention, not a need', () => {
    const polarities = (language: Language, text: string) =>
      new CueFinder(language, morphologyFor(language), () => false)
        .find(text, { index: 0, start: 0, end: text.length, text }, 2026)
        .map((c) => c.polarity);
    expect(polarities('fi', 'Tarjoamme hyvän työterveyshuollon.')).toEqual(['mention']);
    expect(polarities('sv', 'Vi erbjuder företagshälsovård.')).toEqual(['mention']);
    expect(polarities('en', 'We offer training in forklift driving.')).toEqual(['mention']);
  });
});

describe('a need said as a requirement or a shortage', () => {
  const polarities = (language: Language, text: string, isPerson = (_keys: Map<string, number>) => false) =>
    new CueFinder(language, morphologyFor(language), isPerson)
      .find(text, { index: 0, start: 0, end: text.length, text }, 2026)
      .map((c) => c.polarity);

  it('reads requirements, advantages and weakening availability as needs', () => {
    expect(polarities('fi', 'Englannin kielen taito on välttämätön.')).toEqual(['need']);
    expect(polarities('fi', 'Saksan taito katsotaan eduksi.')).toEqual(['need']);
    expect(polarities('fi', 'Yritykset arvioivat tarvitsevansa automaatio-osaamista.')).toEqual(['need']);
    expect(polarities('fi', 'Kätilöiden saatavuus on heikentynyt.')).toEqual(['need']);
    expect(polarities('sv', 'Kunskaper i finska är en merit.')).toEqual(['need']);
    expect(polarities('sv', 'Inom industrin saknas svetsare.')).toEqual(['need']);
    expect(polarities('fi', 'Yrityksellä on enemmän kirvesmiehiä kuin töitä.')).toEqual(['surplus']);
  });

  it('reads many registered jobseekers of a trade as a surplus', () => {
    expect(polarities('fi', 'Myyjiä on työnhakijoina paljon.')).toEqual(['surplus']);
    expect(polarities('fi', 'Työttömiä työnhakijoita on runsaasti.')).toEqual(['surplus']);
    expect(polarities('sv', 'Det finns många arbetssökande lagerarbetare.')).toEqual(['surplus']);
    expect(polarities('en', 'There are many unemployed graphic designers.')).toEqual(['surplus']);
  });

  it('counts vacancies, not the size of a team or a workforce', () => {
    const person = (keys: Map<string, number>) => ['henki', 'person', 'hitsaaja'].some((k) => keys.has(k));
    const counts = (language: Language, text: string) =>
      new CueFinder(language, morphologyFor(language), person)
        .find(text, { index: 0, start: 0, end: text.length, text }, 2026)
        .flatMap((c) => (c.count === undefined ? [] : [c.count]));
    expect(counts('fi', 'Tarvitsemme kolme hitsaajaa.')).toEqual([3]);
    expect(counts('fi', 'Johdat kahdeksan hengen tiimiä.')).toEqual([]);
    expect(counts('fi', 'Yritys työllistää 120 henkeä.')).toEqual([]);
    expect(counts('sv', 'Du leder ett team på fem personer.')).toEqual([]);
    expect(counts('sv', 'Vi anställer fem personer.')).toEqual([5]);
  });

  it('takes no cue from inside a word that names a person', () => {
    const person = (keys: Map<string, number>) => keys.has('rekrytointipäällikkö');
    expect(polarities('fi', 'Tapasimme rekrytointipäällikön.', person)).toEqual([]);
    expect(polarities('fi', 'Rekrytointi on vaikeaa.', person)).toEqual(['need']);
  });
});

describe('a party to the text', () => {
  const informant = (language: Language, text: string, word: string) => {
    const start = text.indexOf(word);
    return isParty(text, { start: 0, end: text.length }, start, start + word.length, language);
  };

  it('is named before "mukaan", "enligt", a reporting verb or after "we met", and is no need', () => {
    expect(informant('fi', 'Vastaajien mukaan myyjiä on liikaa.', 'Vastaajien')).toBe(true);
    expect(informant('fi', 'Henkilöstöjohtaja kertoi, että hoitajista on pulaa.', 'Henkilöstöjohtaja')).toBe(true);
    expect(informant('fi', 'Tapasimme ohjelmistoyrityksen rekrytointipäällikön.', 'rekrytointipäällikön')).toBe(true);
    expect(informant('sv', 'Enligt rektorn saknas lärare.', 'rektorn')).toBe(true);
    expect(informant('en', 'The HR manager said welders are scarce.', 'HR manager')).toBe(true);
    expect(informant('fi', 'Vastaajien mukaan myyjiä on liikaa.', 'myyjiä')).toBe(false);
    expect(informant('fi', 'Tarvitaan hitsaajia.', 'hitsaajia')).toBe(false);
    expect(informant('fi', 'Kävimme tapaamassa kaivosyhtiön henkilöstöjohtajaa.', 'henkilöstöjohtajaa')).toBe(true);
  });

  it('is the firm that hires, not a need for its own trade', () => {
    expect(informant('fi', 'Sähköurakoitsija Porissa etsii sähköasentajaa.', 'Sähköurakoitsija')).toBe(true);
    expect(informant('fi', 'Sähköurakoitsija Porissa etsii sähköasentajaa.', 'sähköasentajaa')).toBe(false);
    expect(informant('sv', 'Grossisten i Kervo söker lagerarbetare.', 'Grossisten')).toBe(true);
    expect(informant('en', 'A wholesaler in Espoo is hiring drivers.', 'wholesaler')).toBe(true);
  });
});

describe('a language skill', () => {
  const check = (language: Language, text: string, word: string) => {
    const start = text.indexOf(word);
    const m = { start, end: start + word.length } as LexicalMatch;
    return isAboutLanguage(language, text, { index: 0, start: 0, end: text.length, text }, m);
  };

  it('is not a country or a place written with a capital', () => {
    expect(check('fi', 'Haemme työntekijöitä Ruotsista ja Virosta.', 'Ruotsista')).toBe(false);
    expect(check('fi', 'Etelä-Suomessa on pulaa hoitajista.', 'Etelä-Suomessa')).toBe(false);
    expect(check('en', 'Our Swedish customers value quick answers.', 'Swedish')).toBe(false);
  });

  it('is a language in lower case, a translative, or at the start of a sentence about languages', () => {
    expect(check('fi', 'Puhut sujuvasti ruotsia.', 'ruotsia')).toBe(true);
    expect(check('fi', 'Asiakaspalvelu hoidetaan suomeksi.', 'suomeksi')).toBe(true);
    expect(check('fi', 'Ruotsin kielen taito on eduksi.', 'Ruotsin')).toBe(true);
    expect(check('sv', 'Svenska krävs i arbetet.', 'Svenska')).toBe(true);
    expect(check('en', 'Fluent Finnish is required.', 'Finnish')).toBe(true);
  });

  it('is a language as the subject of a verb of need at the start of a sentence', () => {
    expect(check('sv', 'Finska behövs i kundarbetet.', 'Finska')).toBe(true);
    expect(check('fi', 'Ruotsia tarvitaan asiakastyössä.', 'Ruotsia')).toBe(true);
    expect(check('sv', 'Finska företag behöver svetsare.', 'Finska')).toBe(false);
  });
});

describe('the heads of ESCO’s qualified occupation labels', () => {
  const label = (uri: string, lang: Language, text: string) => ({
    uri,
    lang,
    kind: 'alt' as 'alt' | 'pref',
    label: text,
  });
  const iscoOf = new Map([
    ['o:jewellery', '8219'],
    ['o:furniture', '8219'],
    ['o:electrical', '8212'],
    ['o:nurse', '2221'],
    ['o:assistant', '5321'],
  ]);

  it('name one occupation, one ISCO-08 unit group, or nothing', () => {
    const heads = headLabels(
      [
        label('o:jewellery', 'fi', 'kokoonpanija, korut'),
        label('o:furniture', 'fi', 'kokoonpanija, huonekalut'),
        label('o:electrical', 'fi', 'kokoonpanotyöntekijä, sähkölaitteet'),
        label('o:furniture', 'fi', 'kokoonpanotyöntekijä, huonekalut'),
        label('o:nurse', 'sv', 'sjuksköterska, grundutbildad'),
        label('o:assistant', 'sv', 'undersköterska, vård'),
        label('o:assistant', 'sv', 'undersköterska'),
        // a coordinated prefix before the comma is no head
        label('o:nurse', 'fi', 'hotelli-, ravintola- ja catering-alan opettaja'),
      ],
      iscoOf,
    );
    expect(heads).toEqual([
      // two occupations of one unit group: the group, by a name as good as a synonym
      { uri: `${ISCO_GROUP_URI}8219`, lang: 'fi', label: 'kokoonpanija', kind: 'alt' },
      // "kokoonpanotyöntekijä" spans two unit groups: nothing; a head that is a label already: nothing new
      { uri: 'o:nurse', lang: 'sv', label: 'sjuksköterska', kind: 'hidden' },
    ]);
  });

  it('name the occupation whose preferred label they head, before one that has the head as a synonym', () => {
    const heads = headLabels(
      [
        { uri: 'o:welder', lang: 'sv', kind: 'pref', label: 'svetsare, manuell' },
        { uri: 'o:pipe', lang: 'sv', kind: 'pref', label: 'rörsvetsare' },
        { uri: 'o:pipe', lang: 'sv', kind: 'alt', label: 'svetsare' },
      ],
      new Map([
        ['o:welder', '7212'],
        ['o:pipe', '7212'],
      ]),
    );
    expect(heads).toEqual([{ uri: 'o:welder', lang: 'sv', label: 'svetsare', kind: 'pref' }]);
  });

  it('name nothing when the occupation that has the head as a synonym is of another trade', () => {
    const heads = headLabels(
      [
        { uri: 'o:ambulance', lang: 'fi', kind: 'pref', label: 'kuljettaja, sairaankuljetus' },
        { uri: 'o:skipper', lang: 'fi', kind: 'alt', label: 'kuljettaja' },
      ],
      new Map([
        ['o:ambulance', '8322'],
        ['o:skipper', '3152'],
      ]),
    );
    expect(heads).toEqual([]);
  });
});
