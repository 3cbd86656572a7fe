import { beforeAll, describe, expect, it } from 'vitest';
import type { Analyzer } from '../../src/analysis/analyzer.js';
import type { Analysis } from '../../src/domain/analysis.js';
import type { Language } from '../../src/domain/language.js';
import type { TaxonomyData } from '../../src/domain/taxonomy.js';
import { fixtureAnalyzer, fullDataPresent, SHARED_DATA } from '../helpers/context.js';

if (!fullDataPresent) {
  console.warn(
    `\n*** demand wording suite SKIPPED: no official data at ${SHARED_DATA} (set RADAR_FULL_DATA_DIR) ***\n`,
  );
}

/**
 * The wording of labour-need statements in notes and news, as an analyst reads it, on the real ESCO with the
 * project's aliases and calibration: which occupations and skills count as demand, with which polarity.
 */
describe.skipIf(!fullDataPresent)('labour-need wording in Finnish, Swedish and English', () => {
  let analyzer: Analyzer;
  let taxonomy: TaxonomyData;

  beforeAll(async () => {
    ({ analyzer, taxonomy } = await fixtureAnalyzer(SHARED_DATA, { aliases: true }));
  }, 180_000);

  const analyse = (text: string, language: Language): Analysis =>
    analyzer.analyze({ text, language, kind: 'meeting_note', date: '2026-11-01' });
  /** Counted occupations as "ISCO polarity horizon ×weight", in text order. */
  const occupations = (a: Analysis) =>
    a.occupationMentions.filter((m) => m.counted).map((m) => `${m.isco} ${m.polarity} ${m.horizon} ×${m.weight}`);
  /** Counted skills by their English label. */
  const skills = (a: Analysis) =>
    a.mentions
      .filter((m) => m.counted)
      .map((m) => taxonomy.skills.find((s) => s.uri === m.uri)!.names.en)
      .sort();

  it.each([
    [
      'Ensi vuonna tarvitaan viisi hitsaajaa ja kaksi sähköasentajaa Seinäjoelle.',
      'fi',
      ['7212 need short ×5', '7411 need short ×2'],
    ],
    [
      'Pulaa on rekka-autonkuljettajista ja varastotyöntekijöistä.',
      'fi',
      ['8332 need current ×1', '9333 need current ×1'],
    ],
    ['Kokoonpanotyöntekijöiden tarve vähenee.', 'fi', ['821 surplus current ×1']],
    ['Det råder brist på närvårdare i Borgå.', 'sv', ['5321 need current ×1']],
    ['Vi har för många lagerarbetare.', 'sv', ['9333 surplus current ×1']],
    ['There are too many graphic designers for the jobs on offer.', 'en', ['2166 surplus current ×1']],
    [
      'Yrityksessä on pulaa putkiasentajista, ja lähivuosina tarvitaan lisää hitsaajia.',
      'fi',
      ['7126 need current ×1', '7212 need short ×1'],
    ],
    ['Vi söker sjuksköterskor till Vasa.', 'sv', ['2221 need current ×1']],
    [
      'Kokoonpanotyöntekijöiden tarve vähenee, mutta hitsaajista on pulaa.',
      'fi',
      ['821 surplus current ×1', '7212 need current ×1'],
    ],
    // enough of an occupation is no need; not enough is one; clients' and care's needs hire no one
    [
      'Sähköasentajia on tarpeeksi, mutta meillä ei ole riittävästi kokkeja.',
      'fi',
      ['7411 mention current ×1', '5120 need current ×1'],
    ],
    ['Arvioit asiakkaiden hoidon tarvetta ja ohjaat lähihoitajia.', 'fi', ['5321 mention current ×1']],
    [
      'Lagerarbetare har de tillräckligt av, men det finns inte tillräckligt med kockar.',
      'sv',
      ['9333 mention current ×1', '5120 need current ×1'],
    ],
    ['Customer needs change, so we need two electricians.', 'en', ['7411 need current ×2']],
    // a foreign word in -a Voikko does not know, in its plural
    ['Baristoista on pulaa.', 'fi', ['5132 need current ×1']],
    // the perfect's participle keeps its verb
    ['Automaatio on vähentänyt kirjanpitäjien tarvetta.', 'fi', ['3313 surplus current ×1']],
    // a count past ten or before a describing word; the people a service is for are no vacancies
    ['Kotihoitoon tarvitaan syksyllä kymmenen uutta lähihoitajaa.', 'fi', ['5321 need current ×10']],
    ['Inom två år behövs femton nya svetsare.', 'sv', ['7212 need short ×15']],
    ['Kokki valmistaa lounaan 400 oppilaalle.', 'fi', ['5120 mention current ×1']],
    // a Swedish compound by an occupation's head, not by a generic one
    ['Det råder brist på sjukhusstädare och plastlaminerare.', 'sv', ['9112 need current ×1', '8142 need current ×1']],
    ['Vi behöver fyra båtbyggare och tre elmontörer.', 'sv', ['7214 need current ×4', '7411 need current ×3']],
    // a need that has fallen is a surplus
    [
      'Myyjiä on tarjolla hyvin, mutta kassatyöntekijöiden tarve on vähentynyt.',
      'fi',
      ['5223 mention current ×1', '5230 surplus current ×1'],
    ],
    ['Behovet av kassapersonal har minskat.', 'sv', ['5230 surplus current ×1']],
    // the unemployed of a trade are a surplus
    ['Uudisrakentamisen hiljentyessä talonrakentajia on työttömänä.', 'fi', ['7111 surplus current ×1']],
    ['Många byggnadsarbetare går arbetslösa i Vasa.', 'sv', ['9313 surplus current ×1']],
    // a Swedish plural in -er of a word in -s ("matroser"), whose singular the stemmer cuts further
    ['Rederiet behöver tio matroser.', 'sv', ['8350 need current ×10']],
    ['Many carpenters are unemployed in the region.', 'en', ['7115 surplus current ×1']],
    // an occupation as a compound's modifier names a place, unless the head says it is lacking
    ['Kuopioon avataan uusi hammaslääkäriasema.', 'fi', []],
    ['Sairaanhoitajapula on pahentunut Kainuussa.', 'fi', ['2221 need current ×1']],
    // a degree named after an occupation asks for the degree, not for that occupation
    ['Edellytämme sairaanhoitaja (AMK) -tutkintoa ja laboratorioanalyytikon tutkintoa.', 'fi', []],
    ['Vi förutsätter examen som närvårdare.', 'sv', []],
    // a title's words in the other order are no title ("kohteen johtaja"): the site foreman is meant
    ['Rakennusyhtiö hakee vastaavaa työnjohtajaa asuinkerrostalokohteeseen.', 'fi', ['3123 need current ×1']],
    // a genitive that only says whose ("lääkärin määräys") names no occupation in demand
    ['Annat lääkkeet lääkärin määräyksen mukaan.', 'fi', []],
    // falling demand, however it is worded, is a surplus; a Swedish compound on a need is a need
    ['Kaupan alalla myyjien kysyntä on laskussa.', 'fi', ['5223 surplus current ×1']],
    ['Inom handeln minskar efterfrågan på försäljare.', 'sv', ['5223 surplus current ×1']],
    // one count before a list is the list's total
    ['Matkailuun tarvitaan noin 20 kokkia ja tarjoilijaa.', 'fi', ['5120 need current ×10', '5131 need current ×10']],
    // a compound ESCO hyphenates, written closed ("pilvi-arkkitehti")
    ['Yritys palkkaa lähivuosina pilviarkkitehteja.', 'fi', ['2512 need short ×1']],
    // who retires leaves a post to fill
    ['Vuoteen 2030 mennessä eläköityy noin 300 lähihoitajaa.', 'fi', ['5321 need long ×300']],
    // approximate counts ("ett fyrtiotal", "parikymmentä")
    ['Köpcentret anställer ett fyrtiotal butiksbiträden.', 'sv', ['5223 need current ×40']],
    ['Kauppakeskus palkkaa parikymmentä myyjää.', 'fi', ['5223 need current ×20']],
    // plenty of an occupation is a surplus; calling for something is a need
    ['Toimistotyöntekijöitä on tarjolla runsaasti.', 'fi', ['4110 surplus current ×1']],
    ['Däremot finns det gott om kontorspersonal.', 'sv', ['4110 surplus current ×1']],
  ] as const)('%s', (text, language, expected) => {
    expect(occupations(analyse(text, language))).toEqual(expected);
  });

  it("counts a job ad's own unit group once, whichever of its occupations the text names", () => {
    const a = analyzer.analyze({
      title: 'Keittiöapulainen',
      text: 'Lounasravintola hakee keittiöapulaista. Vastuullasi on astianpesu ja keittiön siisteys.',
      language: 'fi',
      kind: 'job_ad',
    });
    expect(occupations(a)).toEqual(['9412 need current ×1']);
  });

  it('gives ten occupation needs for a note naming ten shortage occupations', () => {
    const a = analyse(
      'Alueella tarvitaan lähihoitajia, sairaanhoitajia, kokkeja, siivoojia, bussinkuljettajia, myyjiä, ohjelmistokehittäjiä, sähköasentajia, putkiasentajia ja koneistajia.',
      'fi',
    );
    const counted = a.occupationMentions.filter((m) => m.counted);
    expect(counted).toHaveLength(10);
    expect(counted.every((m) => m.polarity === 'need')).toBe(true);
    expect(new Set(counted.map((m) => m.isco)).size).toBe(10);
  });

  it('does not read place names as languages, but reads languages', () => {
    expect(skills(analyse('Haemme työntekijöitä Ruotsista ja Virosta.', 'fi'))).toEqual([]);
    expect(skills(analyse('Etelä-Suomessa on pulaa työntekijöistä.', 'fi'))).toEqual([]);
    expect(skills(analyse('Our Swedish customers value quick answers.', 'en'))).toEqual([]);
    expect(skills(analyse('Puhut sujuvasti ruotsia ja englantia.', 'fi'))).toEqual(['English', 'Swedish']);
    expect(skills(analyse('Du talar svenska och finska.', 'sv'))).toEqual(['Finnish', 'Swedish']);
  });

  it('reads what must be known and what grows in weight as a need', () => {
    const polarities = (a: Analysis) => a.mentions.filter((m) => m.counted).map((m) => m.polarity);
    expect(polarities(analyse('Oppaiden on osattava englantia.', 'fi'))).toEqual(['need']);
    expect(polarities(analyse('Lähivuosina robotiikan osaaminen korostuu.', 'fi'))).toEqual(['need']);
    expect(polarities(analyse('Guiderna måste kunna engelska.', 'sv'))).toEqual(['need']);
    expect(polarities(analyse('Saksan kielen taito on valttia.', 'fi'))).toEqual(['need']);
    expect(polarities(analyse('Lääkehoidon osaaminen on keskeinen taito.', 'fi'))).toEqual(['need']);
    expect(polarities(analyse('3D-modellering blir viktigare under de närmaste åren.', 'sv'))).toEqual(['need']);
    // "enligt" names a speaker, not what the speaker says is required
    expect(skills(analyse('Enligt företagen krävs CE-körkort.', 'sv'))).toEqual(['drive vehicles']);
    expect(skills(analyse('Du kör enligt tidtabell samt säljer biljetter.', 'sv'))).toEqual(['sell tickets']);
    // an imperative beside a noun reading is the noun: machines, not machining
    expect(skills(analyse('Sinulla on kokemusta Ponssen koneista.', 'fi'))).toEqual([]);
  });

  it('meets a word said twice where the other words of the label are', () => {
    expect(
      skills(analyse('Tehtäviisi kuuluu matkustajien lähtöselvitys ja matkustajien ohjaaminen koneeseen.', 'fi')),
    ).toEqual(['board aircraft passengers', 'check in passengers']);
  });

  it('reads a compound by its head and a duty without its frame', () => {
    // the work a duty is done in, and a compound's modifier or head apart from the whole, name no skill
    expect(skills(analyse('Työssäsi valvot paperikoneen ajoa.', 'fi'))).toEqual([]);
    expect(skills(analyse('I arbetet övervakar du pappersmaskinen.', 'sv'))).toEqual([]);
    expect(skills(analyse('Arbetet omfattar ledning av gruppmotion.', 'sv'))).toEqual([]);
    // an adjective is no compound ("perio-diskt" is no dishwashing), a degree's Latin genitive no field
    expect(skills(analyse('Arbetet omfattar periodiskt underhåll.', 'sv'))).toEqual(['maintenance operations']);
    expect(skills(analyse('Vi förutsätter ekonomie magisterexamen.', 'sv'))).toEqual([]);
    // a genitive before a ward names the ward
    expect(skills(analyse('Haemme sairaanhoitajaa sisätautien vuodeosastolle.', 'fi'))).toEqual([]);
    // the labour market is the subject, not a skill
    expect(skills(analyse('Kommunen har 40 lediga jobb.', 'sv'))).toEqual([]);
    expect(skills(analyse('Huolehdit välinehuollosta ja ajanvarauksesta.', 'fi'))).toEqual(['administer appointments']);
  });

  it('does not take what a company does for a skill it needs', () => {
    expect(skills(analyse('Yritys suunnittelee irtisanomisia.', 'fi'))).toEqual([]);
    expect(skills(analyse('Yritys kouluttaa uudet työntekijät itse.', 'fi'))).toEqual([]);
    expect(skills(analyse('Företaget utbildar de nya anställda själv.', 'sv'))).toEqual([]);
    expect(
      skills(analyse('Fastighetsserviceföretaget som underhåller ventilationen söker en tekniker.', 'sv')),
    ).toEqual([]);
  });

  it('does not take what the employer offers for a skill it asks for', () => {
    expect(skills(analyse('Tarjoamme joustavat työajat, liikuntaedun ja hyvän työterveyshuollon.', 'fi'))).toEqual([]);
    expect(skills(analyse('Työterveyshuollon osaaminen on eduksi.', 'fi'))).toEqual(['occupational medicine']);
  });

  it('counts one concept for one phrase', () => {
    // the duty, not also its object; the rule followed is not a deed
    expect(skills(analyse('Annat lääkkeet potilaille.', 'fi'))).toEqual(['administer prescribed medication']);
    expect(skills(analyse('Du ger läkemedel enligt ordination.', 'sv'))).toEqual(['administer prescribed medication']);
    const a = analyse('Työ vaatii piirustusten lukemista.', 'fi');
    const spans = a.mentions.filter((m) => m.counted).map((m) => `${m.start}-${m.end}`);
    expect(new Set(spans).size).toBe(spans.length);
    expect(skills(a)).not.toContain('make drawings');
  });

  it('reads a name written as two words as one, and the skill of an expert in it', () => {
    // an occupation's name holds no skill of its own; "an expert in cyber security" asks for it
    const planners = analyse('Kahden vuoden sisällä tarvitsemme logistiikan suunnittelijoita.', 'fi');
    expect(occupations(planners)).toEqual(['2421 need short ×1']);
    expect(skills(planners)).toEqual([]);
    expect(skills(analyse('Kyberturvallisuuden asiantuntijoista on pulaa.', 'fi'))).toEqual(['cyber security']);
    expect(occupations(analyse('Kaupunki hakee koulunkäynnin ohjaajia alakouluihin.', 'fi'))).toEqual([
      '5312 need current ×1',
    ]);
  });

  it('meets a label through a verb ESCO translates the same English verb with', () => {
    expect(skills(analyse('Du byter däck under säsongen.', 'sv'))).toEqual(['replace tyres']);
    expect(skills(analyse('Tehtäviisi kuuluu sähkölaitteiden huolto.', 'fi'))).toContain(
      'maintain electrical equipment',
    );
  });

  it('tells a party apart from a duty and a title from a verb', () => {
    // "enligt tidtabell" names no source: the duty after its comma counts
    expect(skills(analyse('Du kör linjetrafik enligt tidtabell, säljer biljetter.', 'sv'))).toEqual(['sell tickets']);
    // the people met, however their firms are listed, are no demand; nor is "neuvot" (you advise) an adviser
    expect(
      occupations(analyse('Tapasimme rovaniemeläisen linja-autoyhtiön ja kahden matkailuyrityksen edustajat.', 'fi')),
    ).toEqual([]);
    expect(occupations(analyse('Myyt lippuja ja neuvot matkustajia.', 'fi'))).toEqual([]);
    // the farm that needs is a party, not "maintain the farm"; next season is within a year or two
    const farm = analyse('Gården behöver två djurskötare till nästa säsong.', 'sv');
    expect(skills(farm)).toEqual([]);
    expect(occupations(farm)).toEqual(['5164 need short ×2']);
  });

  it('reads more graduates than jobs as a surplus, a wish as a need, newer words for older labels, automation', () => {
    expect(
      occupations(analyse('Luokanopettajia valmistuu alueelle enemmän kuin kouluissa on avoimia paikkoja.', 'fi')),
    ).toEqual(['2341 surplus current ×1']);
    const wish = analyse('Kuljettajilta toivotaan englannin kielen taitoa.', 'fi');
    expect(wish.mentions.filter((m) => m.counted).map((m) => m.polarity)).toEqual(['need']);
    expect(skills(analyse('Tuet esihenkilöitä työsuhdeasioissa.', 'fi'))).toEqual(['support managers']);
    // what machines take over is no skill asked for
    expect(skills(analyse('Om fem år behövs automationstekniker när mjölkningen automatiseras.', 'sv'))).toEqual([]);
  });

  it('reads a duty later in a sentence addressed to the reader, and a call for a skill as a need', () => {
    expect(skills(analyse('Du lagar lunch åt gästerna, bakar och sköter egenkontrollen.', 'sv'))).toContain(
      'bake goods',
    );
    const call = analyse('Företagen efterlyser kunskaper i robotik, och kundservice är avgörande.', 'sv');
    expect(call.mentions.filter((m) => m.counted).map((m) => m.polarity)).toEqual(['need', 'need']);
  });

  it('reads a language in a compound on knowing it, and an advantage as a need', () => {
    const finnish = analyse('Finskkunskaper är en fördel.', 'sv');
    expect(skills(finnish)).toEqual(['Finnish']);
    expect(finnish.mentions.filter((m) => m.counted).map((m) => m.polarity)).toEqual(['need']);
  });

  it('reads a need in a Swedish compound, and no invoice in a decline', () => {
    const raised = analyse('Som kompetensbehov lyftes projektledning fram.', 'sv');
    expect(raised.mentions.filter((m) => m.counted).map((m) => m.polarity)).toEqual(['need']);
    expect(skills(analyse('Myyjien kysyntä on laskussa.', 'fi'))).toEqual([]);
  });

  it('reads a hiring firm as the need, not as a recruiter', () => {
    expect(skills(analyse('Kajaanin datakeskus rekrytoi kymmeniä työntekijöitä.', 'fi'))).toEqual([]);
    expect(skills(analyse('Rekrytoinnit alkavat kahden vuoden kuluttua.', 'fi'))).toEqual([]);
    const duty = analyzer.analyze({
      text: 'Rekrytoit työntekijöitä asiakasyrityksillemme.',
      language: 'fi',
      kind: 'job_ad',
    });
    expect(skills(duty)).toEqual(['recruit employees']);
  });

  it('reads genitives a list shares with the head after them, and a product name whole', () => {
    expect(skills(analyse('Työhön kuuluu tavaroiden lastaus ja purku.', 'fi'))).toEqual(['load cargo', 'unload cargo']);
    // but not of a verb after the list: "kuljetusten etenemistä ja hoidat" handles no transport
    expect(skills(analyse('Seuraat kuljetusten etenemistä ja hoidat reklamaatiot.', 'fi'))).not.toContain(
      'handle carriers',
    );
    expect(skills(analyse('Työ sisältää ilmalämpöpumppujen ja maalämpöjärjestelmien asennusta.', 'fi'))).toEqual([
      'install heat pump',
    ]);
    expect(occupations(analyse('Företagen efterlyser kunskaper i TypeScript.', 'sv'))).toEqual([]);
  });

  it('reads both parts of a coordinated compound', () => {
    expect(skills(analyse('Osaat MIG- ja TIG-hitsausta.', 'fi'))).toEqual([
      'perform metal inert gas welding',
      'perform tungsten inert gas welding',
    ]);
    expect(skills(analyse('Asennat ilmanvaihtokanavia ja -koneita.', 'fi'))).toContain('install ventilation equipment');
    expect(skills(analyse('Työ on pääasiassa MIG/MAG-hitsausta.', 'fi'))).toEqual([
      'perform metal active gas welding',
      'perform metal inert gas welding',
    ]);
  });

  it("gives a verb's object to the nearer verb that has not taken one", () => {
    expect(skills(analyse('Toimitat paketteja, lastaat ajoneuvon terminaalissa.', 'fi'))).toEqual(['load cargo']);
    expect(skills(analyse('Tarjoilet ruoat ja juomat, suosittelet viinejä.', 'fi'))).toEqual([
      'recommend wines',
      'serve beverages',
    ]);
    expect(skills(analyse('Du serverar mat och dryck, rekommenderar viner.', 'sv'))).toEqual([
      'provide food and beverages',
      'recommend wines',
    ]);
  });

  it.each([
    [
      'Tehtäviin kuuluu trukin ajoa, varastonhallintaa ja keräilyä.',
      ['maintain stock control systems', 'operate forklift', 'pick orders for dispatching'],
    ],
    [
      'Työhön kuuluu kirjaaminen ja perushoito.',
      ['provide basic support to patients', "record healthcare users' progress related to treatment"],
    ],
    [
      'Vastaat palkanlaskennasta, kassatyöstä ja esillepanosta.',
      ['assemble visual displays', 'manage payroll', 'operate cash register'],
    ],
    [
      'Edellytämme työturvallisuuskorttia, hygieniapassia ja C-ajokorttia.',
      ['comply with food safety and hygiene', 'drive vehicles', 'health and safety in the workplace'],
    ],
    [
      'Hallitset SAP:n, Kubernetesin, Dockerin ja AWS:n.',
      ['SAP R3', 'cloud technologies', 'manage ICT virtualisation environments'],
    ],
  ] as const)('finds the words of Finnish working life in "%s"', (text, expected) => {
    expect([...new Set(skills(analyse(text, 'fi')))]).toEqual(expected);
  });

  it.each([
    [
      'Ajat trukkia, keräilet tilauksia ja laskutat asiakkaita.',
      'fi',
      ['issue sales invoices', 'operate forklift', 'pick orders for dispatching'],
    ],
    ['Edellytämme tiimityöskentelyä ja ongelmanratkaisutaitoja.', 'fi', ['solve problems', 'work in teams']],
    [
      'Du svetsar, fakturerar kunder och svarar i telefon.',
      'sv',
      ['answer incoming calls', 'issue sales invoices', 'operate welding equipment'],
    ],
    [
      'Arbetssäkerhetskort och kunskaper i rekrytering krävs.',
      'sv',
      ['health and safety in the workplace', 'recruit employees'],
    ],
    ['Du har erfarenhet av Java-programmering och SQL.', 'sv', ['Java (computer programming)', 'SQL']],
    ['Huolehdit lasten perushoidosta.', 'fi', ["attend to children's basic physical needs"]],
    // the object's own modifier between a verb and its object; the same list item first; a participle by its verb
    ['Vastaat asiakkaiden puheluihin.', 'fi', ['answer incoming calls']],
    ['Du svarar på kundernas samtal och e-post.', 'sv', ['answer incoming calls']],
    [
      'Vaihdat renkaita, tasapainotat renkaat ja tarkastat renkaiden kulumisen.',
      'fi',
      ['balance tyres', 'inspect worn tyres', 'replace tyres'],
    ],
  ] as const)('finds common duties and requirements in "%s"', (text, language, expected) => {
    expect([...new Set(skills(analyse(text, language)))]).toEqual(expected);
  });

  it.todo('finds kivunhoito and tulityökortti, which ESCO has no concept for yet');
  it.each([
    [
      'Svetsare',
      'Vi söker svetsare till vår verkstad i Jakobstad. Du behärskar MIG-svetsning.',
      'sv',
      'svetsare, manuell',
      undefined,
    ],
    [
      'Sjukskötare',
      'Vi söker en sjukskötare till vår avdelning i Vasa. Du ansvarar för patienternas vård och medicinering.',
      'sv',
      'sjuksköterska, grundutbildad',
      'Q',
    ],
    [
      'Säljare',
      'Vi söker en säljare till vår butik i Borgå. Du betjänar kunder och sköter kassan.',
      'sv',
      'försäljningsassistent',
      'G',
    ],
    [
      'Trukinkuljettaja',
      'Haemme trukinkuljettajaa logistiikkakeskukseemme Keravalle. Tehtäviin kuuluu trukin ajoa ja keräilyä.',
      'fi',
      'trukinkuljettaja',
      undefined,
    ],
    [
      'Lagerarbetare',
      'Logistikföretag i Kervo söker lagerarbetare till kvällsskift. Truckkort krävs.',
      'sv',
      'lagerarbetare',
      undefined,
    ],
    [
      'Nurse',
      'We are looking for a registered nurse for our ward. You administer medication and document patient care.',
      'en',
      'nurse responsible for general care',
      'Q',
    ],
  ] as const)(
    'classifies a "%s" ad by its title, and its sector only when sure',
    (title, text, language, occupation, section) => {
      const a = analyzer.analyze({ title, text, language, kind: 'job_ad' });
      expect(a.occupations[0]?.label).toBe(occupation);
      expect(a.sectors.find((s) => s.level === 1)?.code).toBe(section);
    },
  );
});
