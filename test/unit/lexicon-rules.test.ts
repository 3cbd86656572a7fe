import { describe, expect, it } from 'vitest';
import {
  CompoundSplitter,
  coordinationVariants,
  LabelIndex,
  prepareSentence,
  withCompounds,
} from '../../src/analysis/lexicon.js';
import { morphologyFor } from '../../src/analysis/morphology.js';
import type { Language } from '../../src/domain/language.js';

/** The concepts an index of `labels` finds in one sentence, by uri. */
function found(
  language: Language,
  labels: [uri: string, label: string, kind?: 'pref' | 'alt' | 'alias'][],
  text: string,
) {
  const index = new LabelIndex(language);
  for (const [uri, label, kind = 'pref'] of labels) index.add({ uri, lang: language, kind, label });
  return [...new Set(index.match(text, { index: 0, start: 0, end: text.length, text }).map((m) => m.uri))];
}

describe('the lexical matcher on Swedish wording', () => {
  it('takes a one-verb label as a skill named, not as what someone does', () => {
    expect(found('sv', [['plan', 'planera']], 'Du kan planera och leda.')).toEqual(['plan']);
    expect(found('sv', [['plan', 'planera']], 'Hon planerade allt.')).toEqual([]);
    expect(found('sv', [['plan', 'planera']], 'Företaget planerar nya fabriker.')).toEqual([]);
  });

  it('reads "du" before a verb as a duty in a job ad, unless the verb begins many labels', () => {
    expect(found('sv', [['weld', 'svetsa']], 'Du svetsar stålkonstruktioner.')).toEqual(['weld']);
    expect(found('sv', [['weld', 'svetsa']], 'Du även svetsar.')).toEqual(['weld']);
    const many = Array.from({ length: 10 }, (_, i) => [`p${i}`, `planera objekt${i}`] as [string, string]);
    expect(found('sv', [['plan', 'planera'], ...many], 'Du planerar menyer.')).toEqual([]);
  });

  it('reads a noun in its definite form', () => {
    expect(found('sv', [['cash', 'sköta en kassa']], 'Du sköter kassan.')).toEqual(['cash']);
    expect(found('sv', [['patrol', 'patrullera områden']], 'Du patrullerar området.')).toEqual(['patrol']);
  });

  it('keeps an agent noun apart from its verb', () => {
    expect(morphologyFor('sv').keys('sköter').has('skötare')).toBe(false);
    expect(found('sv', [['nurse', 'skötare']], 'Du sköter lönehantering.')).toEqual([]);
    expect(found('sv', [['nurse', 'skötare']], 'Skötaren hjälper.')).toEqual(['nurse']);
  });

  it('does not join words of two coordinated phrases read backwards', () => {
    const labels: [string, string][] = [['desk', 'ansvara för kassa']];
    expect(found('sv', labels, 'Du sköter kassan och ansvarar för exponering.')).toEqual([]);
    expect(found('sv', labels, 'Du ansvarar för kassan.')).toEqual(['desk']);
    // a comma inverts titles, it does not coordinate
    expect(found('sv', [['nurse', 'legitimerad sjuksköterska']], 'Sjuksköterska, legitimerad')).toEqual(['nurse']);
  });

  it('reads an action noun as its verb', () => {
    const labels: [string, string][] = [['heat', 'installera värmepumpar']];
    expect(found('sv', labels, 'Det största behovet gäller installation av värmepumpar.')).toEqual(['heat']);
    expect(found('sv', [['drive', 'köra fordon']], 'Körning av fordon ingår.')).toEqual(['drive']);
  });

  it('reads the first part of a compound on "kompetens", "kunskaper" or "vana" as the skill', () => {
    expect(found('sv', [['weld', 'svetsa']], 'Du har svetskompetens.')).toEqual(['weld']);
    expect(found('sv', [['code', 'programmering']], 'Goda programmeringskunskaper krävs.')).toEqual(['code']);
    expect(found('sv', [['truck', 'truck']], 'Truckvana är ett krav.')).toEqual(['truck']);
  });

  it('inflects the head of an acronym-prefixed label word, and keeps a name as written', () => {
    expect(found('sv', [['cnc', 'CNC-operatör']], 'Vi söker CNC-operatörer.')).toEqual(['cnc']);
    expect(found('sv', [['solidity', 'Solidity']], 'Du kan solid programmering.')).toEqual([]);
  });

  it('gives the head of a capital-letter-prefixed word nearly the whole word’s weight', () => {
    expect(morphologyFor('sv').keys('D-körkort').get('körkort')).toBe(0.9);
    expect(morphologyFor('sv').keys('Java-programmering').get('programmering')).toBe(0.7);
    // "e-post" is e-mail, no post
    expect(morphologyFor('sv').keys('e-post').get('post')).toBe(0.7);
  });
});

describe('Swedish closed compounds and coordinated verbs', () => {
  it('splits a compound at the words of the labels: the head and what comes before it', () => {
    const split = new CompoundSplitter(morphologyFor('sv'), ['städning', 'sortera avfall', 'arbetsledare']);
    const keys = (word: string) => new Map(split.keys(word));
    expect(keys('kontorsstädningen').get('städning')).toBeCloseTo(0.8);
    expect(keys('avfallssortering').get('avfall')).toBeCloseTo(0.7);
    expect(keys('avfallssortering').has('sorter')).toBe(true);
    expect(keys('kontor').size).toBe(0);
    const text = 'Arbetet består av kontorsstädning.';
    const sentence = { index: 0, start: 0, end: text.length, text };
    const index = new LabelIndex('sv');
    index.add({ uri: 'clean', lang: 'sv', kind: 'alias', label: 'städning' });
    expect(index.match(text, sentence, prepareSentence(index.morphology, sentence))).toEqual([]);
    const found = index.match(text, sentence, withCompounds(prepareSentence(index.morphology, sentence), split));
    expect(found.map((m) => [m.uri, text.slice(m.start, m.end)])).toEqual([['clean', 'kontorsstädning']]);
  });

  it('counts the words that carry meaning in a label’s window, not the conjunctions between them', () => {
    expect(
      found(
        'sv',
        [['plumbing', 'installera avloppssystem']],
        'Du installerar och reparerar vatten- och avloppssystem.',
      ),
    ).toEqual(['plumbing']);
    expect(
      found(
        'sv',
        [['plumbing', 'installera avloppssystem']],
        'Du installerar kök och badrum i nya hus i Vasa, och kontrollerar avloppssystem.',
      ),
    ).toEqual([]);
  });
});

describe('a curated alias', () => {
  it('overrides an ESCO label of the same words, in any inflection', () => {
    const labels: [string, string, 'pref' | 'alt' | 'alias'][] = [
      ['chef', 'kockar', 'alt'],
      ['cook', 'kock', 'alias'],
    ];
    expect(found('sv', labels, 'Vi söker kockar.')).toEqual(['cook']);
  });

  it('keeps its words together, or shared across a coordination', () => {
    const agile: [string, string, 'alias'][] = [['agile', 'ketterät menetelmät', 'alias']];
    expect(found('fi', agile, 'Tunnet ketterät menetelmät.')).toEqual(['agile']);
    expect(found('fi', agile, 'Ketterän projektinhallinnan menetelmät ovat tuttuja.')).toEqual([]);
    expect(found('sv', [['cut', 'klippa hår', 'alias']], 'Du klipper och färgar hår.')).toEqual(['cut']);
  });
});

describe('the lexical matcher on Finnish wording', () => {
  it('does not take a genitive that modifies another noun for the object of a label', () => {
    const assess: [string, string][] = [['assess', 'arvioida asiakkaita']];
    expect(found('fi', assess, 'Työhön kuuluu asiakkaiden arviointi.')).toEqual(['assess']);
    expect(found('fi', assess, 'Työhön kuuluu asiakkaiden toimintakyvyn arviointi.')).toEqual([]);
    expect(found('fi', assess, 'Arvioit asiakkaiden hoidon tarvetta.')).toEqual([]);
    // knowing or the methods of a thing still name it
    expect(
      found('fi', [['agile', 'ketterä projektinhallinta']], 'Ketterän projektinhallinnan menetelmät ovat tuttuja.'),
    ).toEqual(['agile']);
    // a genitive shared by a list modifies each item
    expect(found('fi', [['dye', 'hiusten värjäys']], 'Teet hiusten leikkausta, värjäystä ja kampauksia.')).toEqual([
      'dye',
    ]);
  });

  it('relates an action noun to its verb where Voikko gives no derivation', () => {
    const keys = (word: string) => morphologyFor('fi').keys(word);
    expect(keys('purku').has('purkaa')).toBe(true);
    expect(keys('ajoa').has('ajaa')).toBe(true);
    expect(keys('laskenta').has('laskea')).toBe(true);
    expect(keys('talo').size).toBe(1);
  });

  it('takes a job ad’s second person as a duty, another person as someone doing it', () => {
    expect(found('fi', [['weld', 'hitsata']], 'Hitsaat teräsrakenteita.')).toEqual(['weld']);
    expect(found('fi', [['weld', 'hitsata']], 'Yritys hitsaa teräsrakenteita.')).toEqual([]);
  });

  it('reads a compound written as two words, a genitive and a noun', () => {
    const labels: [string, string][] = [['expert', 'kyberturvallisuusasiantuntija']];
    expect(found('fi', labels, 'Pulaa on kyberturvallisuuden asiantuntijoista.')).toEqual(['expert']);
    expect(found('fi', labels, 'Kyberturvallisuus on tärkeää, ja asiantuntijoita tarvitaan.')).toEqual([]);
  });

  it('gives the first part of a coordinated compound the head of the closed one', () => {
    expect(found('fi', [['installation', 'sähköasennus']], 'Teemme sähkö- ja automaatioasennuksia.')).toEqual([
      'installation',
    ]);
    // with the hyphen Finnish writes where the same vowel meets: "automaatio-" + "osaamista"
    expect(found('fi', [['automation', 'automaatio-osaaminen']], 'Tarvitaan automaatio- ja sähköosaamista.')).toEqual([
      'automation',
    ]);
  });

  it('reads the modifier of a compound on "osaaminen", "kokemus" or "taito" as the skill', () => {
    const labels: [string, string][] = [
      ['hydraulics', 'hydrauliikka'],
      ['pneumatics', 'pneumatiikka'],
      ['accounting', 'kirjanpito'],
    ];
    expect(found('fi', labels, 'Yritys tarvitsee hydrauliikka- ja pneumatiikkaosaamista.').sort()).toEqual([
      'hydraulics',
      'pneumatics',
    ]);
    expect(found('fi', labels, 'Edellytämme kirjanpitotaitoja.')).toEqual(['accounting']);
    // any other head keeps its modifier a loose part (below the analyzer's floor): a hydraulics designer
    const keys = (word: string) => morphologyFor('fi').keys(word);
    expect(keys('pneumatiikkaosaamista').get('pneumatiikka')).toBeGreaterThan(0.75);
    expect(keys('hydrauliikkasuunnittelijaa').get('hydrauliikka')).toBeLessThan(0.75);
  });
});

describe('Finnish compounds and lists', () => {
  const score = (labels: [string, string][], text: string) => {
    const index = new LabelIndex('fi');
    for (const [uri, label] of labels) index.add({ uri, lang: 'fi', kind: 'pref', label });
    const matches = index.match(text, { index: 0, start: 0, end: text.length, text });
    return Object.fromEntries(matches.map((m) => [m.uri, m.score]));
  };

  it('reads a compound of a word and its light verb’s action noun as the whole label', () => {
    // "haavanhoito" holds both words of "hoitaa haavaa"; "haavan" alone in another compound only a loose part
    const labels: [string, string][] = [['wound', 'hoitaa haavaa']];
    expect(score(labels, 'Tehtäviin kuuluu haavanhoito.')['wound']).toBeGreaterThan(0.8);
    expect(score(labels, 'Tehtäviin kuuluu haavanpuhdistus.')['wound'] ?? 0).toBeLessThan(0.7);
  });

  it('does not take a light verb’s object from a part of another compound', () => {
    const labels: [string, string][] = [
      ['communities', 'työskennellä yhteisöissä'],
      ['inspections', 'tehdä tarkastuksia'],
    ];
    expect(score(labels, 'Tilintarkastusyhteisö hakee tilintarkastajaa.')).toEqual({});
    expect(score(labels, 'Teet tilintarkastuksia.')).toEqual({});
    expect(Object.keys(score(labels, 'Teet tarkastuksia ja työskentelet yhteisöissä.')).sort()).toEqual([
      'communities',
      'inspections',
    ]);
  });

  it('does not join two items of one list into a label', () => {
    const labels: [string, string][] = [['evaluation', 'suunnitella arviointia']];
    expect(score(labels, 'Tehtävänä on suunnittelu, toteutus ja arviointi.')).toEqual({});
    expect(Object.keys(score(labels, 'Tehtävänä on arvioinnin suunnittelu.'))).toEqual(['evaluation']);
    // a verb's object may follow the list of verbs
    const maintain: [string, string][] = [['maintain', 'huoltaa laitteita']];
    expect(Object.keys(score(maintain, 'Osaat asentaa, huoltaa ja korjata laitteita.'))).toEqual(['maintain']);
  });

  it('finds no skill in the parts of a firm’s or an industry’s name', () => {
    const keys = (word: string) => morphologyFor('fi').keys(word);
    expect(keys('puutuoteteollisuuden').has('puutuote')).toBe(false);
    expect(keys('rakennusliike').has('rakennus')).toBe(false);
    expect(keys('puutuotekokemus').has('puutuote')).toBe(true);
  });
});

describe('a one-word label', () => {
  it('names no skill alone when its word is in a hundred other labels (Finnish and Swedish)', () => {
    const many = Array.from({ length: 120 }, (_, i): [string, string] => [`p${i}`, `suunnitella kohde${i}`]);
    expect(found('fi', [['plan', 'suunnitella'], ...many], 'Tehtäviin kuuluu suunnittelua.')).toEqual([]);
    expect(found('fi', [['plan', 'suunnitella'], ...many.slice(0, 50)], 'Tehtäviin kuuluu suunnittelua.')).toEqual([
      'plan',
    ]);
  });
});

describe("a label's coordinated compound", () => {
  const fi = morphologyFor('fi');

  it('is read with each part alone, the modifiers taking the shared head', () => {
    expect(coordinationVariants(fi, 'asentaa sähkö- ja elektroniikkalaitteita')).toEqual([
      'asentaa elektroniikkalaitteita',
      'asentaa sähkölaitteita',
    ]);
    expect(coordinationVariants(morphologyFor('sv'), 'installera vatten- och avloppssystem')).toEqual([
      'installera avloppssystem',
    ]);
  });

  it('shares no head the last item does not have alone, and keeps more than a light verb and a word', () => {
    // "liikuntalääketiede" shares "lääketiede", not "tiede": no "urheilutiede"
    expect(coordinationVariants(fi, 'urheilu- ja liikuntalääketiede')).toEqual(['liikuntalääketiede']);
    expect(coordinationVariants(fi, 'noudattaa terveys- hygienia- ja muuta lainsäädäntöä')).toEqual([]);
    expect(coordinationVariants(fi, 'hoitaa asiakas- ja yleisösuhteita')).toEqual([]);
  });

  it('lets a text naming one part find the label', () => {
    const index = new LabelIndex('fi');
    for (const label of coordinationVariants(fi, 'asentaa sähkö- ja elektroniikkalaitteita'))
      index.add({ uri: 'install', lang: 'fi', kind: 'hidden', label });
    const text = 'Asennat sähkölaitteita uudiskohteisiin.';
    expect(index.match(text, { index: 0, start: 0, end: text.length, text }).map((m) => m.uri)).toEqual(['install']);
  });
});
