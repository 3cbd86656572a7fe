import type { SkillMention } from '../domain/analysis.js';
import type { Language } from '../domain/language.js';
import type { Cue, Horizon, Polarity } from '../domain/signal.js';
import type { Morphology } from './morphology.js';
import { tokenize, type Sentence, type Token } from './text.js';

/** Years ahead → horizon: under about six months is now, up to two years short, beyond that long. */
export function horizonOfYears(years: number): Horizon {
  if (years <= 0.5) return 'current';
  if (years <= 2) return 'short';
  return 'long';
}

const SMALL_NUMBER_WORDS: Record<Language, Record<string, number>> = {
  fi: {
    yksi: 1,
    kaksi: 2,
    kolme: 3,
    neljä: 4,
    viisi: 5,
    kuusi: 6,
    seitsemän: 7,
    kahdeksan: 8,
    yhdeksän: 9,
    kymmenen: 10,
    pari: 2,
    muutama: 3,
    puoli: 0.5,
  },
  sv: {
    en: 1,
    ett: 1,
    två: 2,
    tre: 3,
    fyra: 4,
    fem: 5,
    sex: 6,
    sju: 7,
    åtta: 8,
    nio: 9,
    tio: 10,
    par: 2,
    några: 3,
    halvt: 0.5,
  },
  en: {
    a: 1,
    one: 1,
    two: 2,
    three: 3,
    four: 4,
    five: 5,
    six: 6,
    seven: 7,
    eight: 8,
    nine: 9,
    ten: 10,
    couple: 2,
    few: 3,
    half: 0.5,
  },
};

/** Number words up to a hundred that name counts of people ("viisitoista", "femton", "twenty", "ett tiotal"). */
const TEENS_AND_TENS: Record<Language, string[]> = {
  fi: ['yksi', 'kaksi', 'kolme', 'neljä', 'viisi', 'kuusi', 'seitsemän', 'kahdeksan', 'yhdeksän']
    .flatMap((u, i) => [`${u}toista=${11 + i}`, ...(i > 0 ? [`${u}kymmentä=${10 * (i + 1)}`] : [])])
    .concat('parikymmentä=20'),
  sv: 'elva=11 tolv=12 tretton=13 fjorton=14 femton=15 sexton=16 sjutton=17 arton=18 nitton=19 tjugo=20 trettio=30 fyrtio=40 femtio=50 sextio=60 sjuttio=70 åttio=80 nittio=90 hundra=100 tiotal=10 tjugotal=20 trettiotal=30 fyrtiotal=40 femtiotal=50 sextiotal=60 sjuttiotal=70 åttiotal=80 nittiotal=90 hundratal=100'.split(
    ' ',
  ),
  en: 'eleven=11 twelve=12 thirteen=13 fourteen=14 fifteen=15 sixteen=16 seventeen=17 eighteen=18 nineteen=19 twenty=20 thirty=30 forty=40 fifty=50 sixty=60 seventy=70 eighty=80 ninety=90 hundred=100 dozen=12'.split(
    ' ',
  ),
};

const NUMBER_WORDS = Object.fromEntries(
  (Object.keys(SMALL_NUMBER_WORDS) as Language[]).map((l) => [
    l,
    {
      ...SMALL_NUMBER_WORDS[l],
      ...Object.fromEntries(TEENS_AND_TENS[l].map((e) => [e.split('=')[0]!, Number(e.split('=')[1])])),
    },
  ]),
) as Record<Language, Record<string, number>>;

// how every inflected form of a Finnish number word up to ten (and "pari", "muutama") begins
const NUMBER_STEMS = /^(?:yk|yh|ka|ko|ne|vi|ku|se|ky|pa|mu)/u;

// number words as they appear before "vuoden" (genitive) in Finnish
const FI_GENITIVE: Record<string, number> = {
  yhden: 1,
  kahden: 2,
  kolmen: 3,
  neljän: 4,
  viiden: 5,
  kuuden: 6,
  seitsemän: 7,
  kahdeksan: 8,
  yhdeksän: 9,
  kymmenen: 10,
  parin: 2,
  muutaman: 3,
  puolen: 0.5,
};

/**
 * JavaScript's \b knows only ASCII letters ("tällä\b" never matches): the patterns below are written with \b
 * and rebuilt with a Unicode word boundary.
 */
const WORD = '[\\p{L}\\p{N}]';
function unicodeWords(re: RegExp): RegExp {
  // every \b here opens a word (before a letter, a digit class or a group) or closes one
  const source = re.source.replace(/\\b(?=[\p{L}\p{N}(]|\\d)/gu, `(?<!${WORD})`).replace(/\\b/g, `(?!${WORD})`);
  return new RegExp(source, re.flags.includes('u') ? re.flags : `${re.flags}u`);
}

type Resolver = (m: RegExpExecArray, year: number) => Horizon | undefined;
const fixed =
  (h: Horizon): Resolver =>
  () =>
    h;
const byYear =
  (group: number): Resolver =>
  (m, year) =>
    horizonOfYears(Number(m[group]) - year);

/** Horizon cues, most specific first; each pattern is matched against the lower-cased sentence. */
const HORIZON_PATTERNS: Record<Language, [RegExp, Resolver][]> = {
  fi: [
    [/\b(?:vuoteen|vuoden)\s+(20\d\d)\s+mennessä\b/gu, byYear(1)],
    [/\b(20\d\d)\s+mennessä\b/gu, byYear(1)],
    [/\bvuonna\s+(20\d\d)\b/gu, byYear(1)],
    [/\b20\d\d-luvulla\b/gu, fixed('long')],
    [
      /\b(\d+|yhden|kahden|kolmen|neljän|viiden|kuuden|seitsemän|kahdeksan|yhdeksän|kymmenen|parin|muutaman|puolen)\s+vuoden\s+(?:päästä|kuluttua|kuluessa|sisällä|aikana)/gu,
      (m) => horizonOfYears(Number(m[1]) || FI_GENITIVE[m[1]!] || 1),
    ],
    [
      /\b(?:muutaman|parin|kolmen|kuuden)?\s*kuukauden\s+(?:päästä|kuluttua|kuluessa|sisällä|aikana)/gu,
      fixed('current'),
    ],
    [
      /\bpitkällä\s+(?:aikavälillä|tähtäimellä|tähtäimellä)\b|\bpitkän\s+aikavälin\b|\btulevaisuudessa\b|\bseuraavan\s+vuosikymmenen\b|\bvuosikymmenen\s+(?:loppuun|kuluessa)/gu,
      fixed('long'),
    ],
    [
      /\blähivuosina\b|\blähivuosien\b|\btulevina\s+vuosina\b|\bensi\s+vuon(?:na|den)\b|\bensi\s+vuoteen\b|\bensi\s+(?:\p{L}+)?(?:kaudella|kesänä|talvena|syksynä|keväänä)\b|\blyhyellä\s+(?:aikavälillä|tähtäimellä)\b|\blähitulevaisuudessa\b/gu,
      fixed('short'),
    ],
    [
      /\bheti\b|\bvälittömästi\b|\btällä\s+hetkellä\b|\bjuuri\s+nyt\b|\bnyt\b|\bnykyään\b|\bnykyisin\b|\bparhaillaan\b|\bakuutti\w*|\bkiireellisesti\b|\bkiireesti\b|\blähiaikoina\b|\bpian\b|\btänä\s+vuonna\b/gu,
      fixed('current'),
    ],
  ],
  sv: [
    [/\b(?:till|fram\s+till|senast|före)\s+(?:år\s+)?(20\d\d)\b/gu, byYear(1)],
    [/\bår\s+(20\d\d)\b/gu, byYear(1)],
    [
      /\b(?:om|inom|under\s+de\s+(?:närmaste|kommande))\s+(\d+|ett|en|två|tre|fyra|fem|sex|sju|åtta|nio|tio|ett\s+par|några)\s+år(?:en)?\b/gu,
      (m) => horizonOfYears(Number(m[1]) || NUMBER_WORDS.sv[m[1]!.replace(/^ett\s+/, '')] || 1),
    ],
    [/\bpå\s+(?:lång|längre)\s+sikt\b|\bi\s+framtiden\b|\bunder\s+nästa\s+decennium\b/gu, fixed('long')],
    [
      /\bnästa\s+(?:år|säsong|sommar|vinter|höst|vår)\b|\bunder\s+de\s+(?:närmaste|kommande)\s+åren\b|\bde\s+närmaste\s+åren\b|\bkommande\s+år\b|\bpå\s+kort\s+sikt\b|\bi\s+en\s+nära\s+framtid\b/gu,
      fixed('short'),
    ],
    [
      /\bgenast\b|\bomedelbart\b|\bjust\s+nu\b|\bnu\b|\bför\s+närvarande\b|\bi\s+dag\b|\bidag\b|\bakut\w*|\binom\s+kort\b|\bsnart\b|\bi\s+år\b/gu,
      fixed('current'),
    ],
  ],
  en: [
    [/\b(?:by|until|before)\s+(20\d\d)\b/gu, byYear(1)],
    [/\bin\s+(20\d\d)\b/gu, byYear(1)],
    [
      /\b(?:in|within|over)\s+(?:the\s+)?(?:next\s+|coming\s+)?(\d+|one|two|three|four|five|six|seven|eight|nine|ten|a\s+couple\s+of|a\s+few)\s+years?\b/gu,
      (m) =>
        horizonOfYears(Number(m[1]) || NUMBER_WORDS.en[m[1]!.split(/\s+/)[1] ?? m[1]!] || NUMBER_WORDS.en[m[1]!] || 1),
    ],
    [
      /\b(?:in|over)\s+the\s+long\s+(?:term|run)\b|\blong[-\s]term\b|\bin\s+the\s+future\b|\bover\s+the\s+next\s+decade\b|\bin\s+the\s+coming\s+decade\b/gu,
      fixed('long'),
    ],
    [
      /\bnext\s+year\b|\bin\s+the\s+coming\s+years?\b|\bin\s+the\s+near\s+future\b|\bin\s+the\s+short\s+term\b|\bshort[-\s]term\b/gu,
      fixed('short'),
    ],
    [
      /\bimmediately\b|\bright\s+(?:now|away)\b|\bnow\b|\bcurrently\b|\bat\s+(?:the\s+moment|present)\b|\bpresently\b|\burgent(?:ly)?\b|\basap\b|\bas\s+soon\s+as\s+possible\b|\bsoon\b|\bthis\s+year\b/gu,
      fixed('current'),
    ],
  ],
};

const HORIZON_CUES = Object.fromEntries(
  Object.entries(HORIZON_PATTERNS).map(([l, list]) => [
    l,
    list.map(([re, resolve]) => [unicodeWords(re), resolve] as const),
  ]),
) as Record<Language, (readonly [RegExp, Resolver])[]>;

/** Words (Finnish lemmas or compound parts; Swedish and English stems) that mark a need or a surplus. */
const POLARITY_WORDS: Record<Language, { need: string[]; surplus: string[] }> = {
  fi: {
    need: [
      'tarvita',
      'tarve',
      'pula',
      'puute',
      'vaje',
      'rekrytoida',
      'rekrytointi',
      'palkata',
      'etsiä',
      'hakea',
      'kysyntä',
      'vaikeus',
      'tarvitseva',
      'vaatia',
      'edellyttää',
      'edellytys',
      'välttämätön',
      'toivoa',
      'toivottava',
      'odottaa',
      'korostua',
      'puuttua',
      'vaatimus',
      'valtti',
      'tärkeä',
      'keskeinen',
      'peräänkuuluttaa',
      'ratkaiseva',
      'korostaa',
      'kysytty',
      // who retires leaves a post to fill
      'eläköityä',
      'eläköityminen',
      'eläkkeelle',
    ],
    surplus: [
      'ylitarjonta',
      'vähentää',
      'vähetä',
      'vähentyä',
      'vähennys',
      'irtisanoa',
      'irtisanominen',
      'lomauttaa',
      'lomautus',
      'supistaa',
      'supistus',
      'karsia',
      'ylijäämä',
      'muutosneuvottelu',
      'yt-neuvottelu',
    ],
  },
  sv: {
    need: [
      'behöva',
      'behöver',
      'behov',
      'brist',
      'sakna',
      'saknas',
      'saknar',
      'söka',
      'söker',
      'rekrytera',
      'rekrytering',
      'anställa',
      'efterfrågan',
      'efterfrågad',
      'kräva',
      'krävs',
      'förutsätta',
      'förutsätter',
      'nödvändig',
      'önska',
      'önskar',
      'önskvärd',
      'förväntas',
      'förväntar',
      'fattas',
      'krav',
      'viktig',
      'viktigt',
      'viktiga',
      'viktigare',
      'efterlysa',
      'efterlyser',
      'avgörande',
      'betona',
      'betonar',
      'pensionering',
      'pensioneras',
      'pensionen',
    ],
    surplus: [
      'överutbud',
      'minska',
      'minskar',
      'varsel',
      'varsla',
      'uppsägning',
      'uppsägningar',
      'permittering',
      'permittera',
      'nedskärning',
      'överskott',
    ],
  },
  en: {
    need: [
      'need',
      'needs',
      'needed',
      'shortage',
      'shortages',
      'lack',
      'hire',
      'hiring',
      'recruit',
      'recruiting',
      'recruitment',
      'seek',
      'seeking',
      'demand',
      'vacancy',
      'vacancies',
      'require',
      'required',
      'requirement',
      'essential',
      'important',
      'crucial',
      'retire',
      'retiring',
      'retirement',
    ],
    surplus: [
      'surplus',
      'oversupply',
      'layoff',
      'layoffs',
      'redundancy',
      'redundancies',
      'redundant',
      'decline',
      'declining',
      'reduce',
      'reducing',
      'downsizing',
      'cut',
      'cuts',
    ],
  },
};

/**
 * The noun for a need, and whose needs are a service's, not a labour need: clients' ("asiakkaiden tarpeet", "kundens
 * behov") and care's ("hoidon tarve", "hoitotarve", "care needs"). A job ad's duty weighs them; no one is hired.
 */
const SERVICE_NEEDS: Record<Language, { noun: string; served: string; services: string }> = {
  fi: {
    noun: 'tarve',
    served:
      'asiakas potilas asukas lapsi oppilas opiskelija käyttäjä perhe vanhus omainen kuntalainen ikäihminen matkustaja vieras',
    services: 'hoito hoiva palvelu tuki apu kuntoutus',
  },
  sv: {
    noun: 'behov',
    served: 'kund klient patient barn elev studerande brukare boende anhörig familj resenär passagerare gäst',
    services: 'vård omsorg stöd service hjälp',
  },
  en: {
    noun: 'need',
    served: 'customer client patient child children pupil student user resident family passenger guest',
    services: 'care support service',
  },
};

/** A Swedish compound whose head is a need or a shortage, and its modifier (a linking s taken off). */
const SWEDISH_NEED_COMPOUND = /^(\p{L}{3,}?)s?(?:behov|behovet|brist|bristen)$/u;

/** Phrases the word lists cannot see. */
const POLARITY_PATTERNS: Record<Language, [RegExp, Polarity][]> = {
  fi: [
    [
      /\b(?:kysyntä|tarve)\s+(?:on\s+)?(?:laskee|vähenee|pienenee|hiipuu|heikkenee|supistuu|vähentyy|laskenut|vähentynyt|pienentynyt|hiipunut|heikentynyt|supistunut|laskussa|vähenemässä|laskemassa|hiipumassa)|\bei\s+(?:enää\s+)?tarvita\s+enää|\bei\s+enää\s+tarvita|\bliikaa\b|\benemmän\s+(?:\S+\s+){0,2}kuin\s+(?:\S+\s+){0,3}(?:töitä|työpaikkoja|avoimia|paikkoja)|\b(?:työnhakijo|työttöm)\p{L}*\s+(?:työnhakijo\p{L}*\s+)?(?:on\s+)?(?:paljon|runsaasti|enemmän|liikaa)|\b(?:paljon|runsaasti)\s+(?:työttömiä|työnhakijoita)|\b(?:on|ovat)\s+(?:\S+\s+)?(?:työttömänä|työttöminä)\b|\b(?:runsaasti|paljon)\s+(?:\S+\s+)?tarjolla\b|\btarjolla\s+(?:on\s+)?(?:runsaasti|paljon)\b/gu,
      'surplus',
    ],
    [
      /\b(?:on|täytyy|pitää|tulee)\s+osat(?:a|tava)\b|\bvaikea\s+(?:löytää|saada|rekrytoida)|\bvaikeuksia\s+(?:löytää|saada|rekrytoida)|\beduksi\b|\bplussaa\b|\bsaatavuus\s+(?:on\s+)?(?:heikentynyt|heikkenee|heikko|huono|vaikeutunut)/gu,
      'need',
    ],
    // what an employer offers (benefits, training) is not what it asks for
    [/\btarjoamme\b|\btyösuhde-edut\b/gu, 'mention'],
    // "meillä on riittävästi siivoojia" is no need, "ei ole riittävästi" is one
    [/\b(?:ei|eivät|emme|en)\s+(?:\S+\s+){0,2}(?:riittävästi|tarpeeksi)\b/gu, 'need'],
    [/(?<!\b(?:ei|eivät|emme|en)\s+(?:\S+\s+){0,2})\b(?:riittävästi|tarpeeksi)(?=\s*(?:[.,;:!?]|$))/gu, 'mention'],
  ],
  sv: [
    [
      /\bsäga\s+upp\b|\bsäger\s+upp\b|\binte\s+längre\s+behöv|\bför\s+många\b|\b(?:behovet|efterfrågan)\s+(?:av\s+\S+\s+)?(?:har\s+)?(?:minskar|sjunker|minskat|sjunkit|minskade|sjönk)|\bfler\s+\S+\s+än\s+(?:\S+\s+){0,3}(?:jobb|arbetsplatser|lediga|platser)|\bmånga\s+arbets(?:sökande|lösa)\b|\barbets(?:sökande|lösa)\s+(?:finns\s+det\s+|är\s+)?många\b|\b(?:är|går)\s+(?:\S+\s+)?arbetslösa\b|\bgott\s+om\b|\b(?:minskar|sjunker|minskade|sjönk)\s+(?:\S+\s+)?(?:behovet|efterfrågan)\b/gu,
      'surplus',
    ],
    [
      /\b(?:måste|ska|skall|bör)\s+(?:kunna|behärska)\b|\b(?:är\s+en|till)\s+fördel\b|\bsvårt\s+att\s+(?:hitta|rekrytera|få\s+tag\s+på)|\b(?:en|som)\s+merit\b|\bmeriterande\b/gu,
      'need',
    ],
    [/\bvi\s+erbjuder\b|\bförmåner\b/gu, 'mention'],
    [/\b(?:inte|ej)\s+(?:\S+\s+){0,2}tillräckligt\b|\botillräckligt\b/gu, 'need'],
    [/(?<!\b(?:inte|ej)\s+(?:\S+\s+){0,2})\btillräckligt(?:\s+(?:av|med|många)\b|(?=\s*(?:[.,;:!?]|$)))/gu, 'mention'],
  ],
  en: [
    [
      /\blay(?:ing)?\s+off\b|\bno\s+longer\s+need|\b(?:demand|need)\s+(?:for\s+\S+\s+)?(?:is\s+|has\s+)?(?:falling|declining|decreasing|shrinking|fallen|declined|decreased|shrunk)|\btoo\s+many\b|\bmore\s+\S+(?:\s+\S+)?\s+than\s+(?:there\s+are\s+)?(?:jobs|positions|vacancies|openings)|\bmany\s+(?:unemployed|jobseekers|job\s+seekers)\b|\bare\s+(?:\S+\s+)?(?:unemployed|out\s+of\s+work)\b/gu,
      'surplus',
    ],
    [
      /\bmust\s+(?:be\s+able\s+to|know|speak)\b|\bexpected\s+to\b|\blooking\s+for\b|\bhard\s+to\s+(?:find|recruit|fill)\b|\bdifficult\s+to\s+(?:find|recruit|fill)\b/gu,
      'need',
    ],
    [/\bwe\s+offer\b|\bbenefits\s+include\b/gu, 'mention'],
    [/(?:\bnot|n't)\s+(?:\S+\s+){0,2}enough\b|\binsufficient\b/gu, 'need'],
    [/(?<!(?:\bnot|n't)\s+(?:\S+\s+){0,2})\b(?:there\s+are|have|has)\s+enough\b/gu, 'mention'],
  ],
};

const POLARITY_PHRASES = Object.fromEntries(
  Object.entries(POLARITY_PATTERNS).map(([l, list]) => [l, list.map(([re, p]) => [unicodeWords(re), p] as const)]),
) as Record<Language, (readonly [RegExp, Polarity])[]>;
/** One pattern for any phrase cue of a language: most sentences have none, and one scan tells. */
const ANY_PHRASE = Object.fromEntries(
  (Object.keys(HORIZON_CUES) as Language[]).map((l) => [
    l,
    new RegExp([...HORIZON_CUES[l], ...POLARITY_PHRASES[l]].map(([re]) => `(?:${re.source})`).join('|'), 'u'),
  ]),
) as Record<Language, RegExp>;
const NO_LONGER = unicodeWords(/\b(?:enää|längre|longer)\b/u);

const NEGATIONS: Record<Language, Set<string>> = {
  fi: new Set(['ei', 'eikä', 'en', 'et', 'emme', 'ette', 'eivät']),
  sv: new Set(['inte', 'ej', 'ingen', 'inga', 'inget', 'aldrig']),
  en: new Set(['not', "n't", 'no', 'never', "don't", "doesn't", "isn't", "aren't"]),
};

/** Nouns after a number that are never people: "3 vuotta kokemusta", "two years", "5 %". */
const UNITS: Record<Language, string[]> = {
  fi: [
    'vuosi',
    'kuukausi',
    'viikko',
    'päivä',
    'tunti',
    'minuutti',
    'kerta',
    'euro',
    'prosentti',
    'kilometri',
    'metri',
    'kilo',
    'tonni',
    'litra',
    'kappale',
    'vuorokausi',
    'asiakas',
    'vuoro',
  ],
  sv: [
    'år',
    'månad',
    'vecka',
    'dag',
    'timme',
    'timmar',
    'minut',
    'gång',
    'euro',
    'procent',
    'kilometer',
    'meter',
    'kilo',
    'ton',
    'liter',
    'stycken',
    'kund',
    'kunder',
    'skift',
  ],
  en: [
    'year',
    'month',
    'week',
    'day',
    'hour',
    'minute',
    'time',
    'euro',
    'percent',
    'kilometre',
    'meter',
    'kilo',
    'ton',
    'litre',
    'piece',
    'customer',
    'shift',
  ],
};

/**
 * Finds the cues of one sentence: horizon expressions resolved against the document's year, need/surplus words
 * (negated needs become surplus when "no longer", else plain mentions), and vacancy counts ("3 hitsaajaa"),
 * a number followed by a noun that names people (`isPerson`).
 */
export class CueFinder {
  private readonly need: Set<string>;
  private readonly surplus: Set<string>;
  private readonly units: Set<string>;
  private readonly serviceNoun: Set<string>;
  private readonly serviceOwners: Set<string>;
  /** the people a service is for: a number before them counts no vacancies ("400 oppilaalle") */
  private readonly served: Set<string>;

  constructor(
    private readonly language: Language,
    private readonly morphology: Morphology,
    /** whether a word with these keys names people: `loosely` also by a compound part ("CNC-koneistajaa") */
    private readonly isPerson: (keys: Map<string, number>, loosely: boolean) => boolean,
  ) {
    const keysOf = (words: string[]) =>
      new Set(
        words.flatMap((w) => [w, ...[...morphology.keys(w)].filter(([, weight]) => weight >= 1).map(([k]) => k)]),
      );
    this.need = keysOf(POLARITY_WORDS[language].need);
    this.surplus = keysOf(POLARITY_WORDS[language].surplus);
    this.units = keysOf(UNITS[language]);
    this.serviceNoun = keysOf([SERVICE_NEEDS[language].noun]);
    this.served = keysOf(SERVICE_NEEDS[language].served.split(' '));
    this.serviceOwners = new Set([...this.served, ...keysOf(SERVICE_NEEDS[language].services.split(' '))]);
  }

  find(text: string, sentence: Sentence, year: number): Cue[] {
    const body = text.slice(sentence.start, sentence.end);
    const lower = body.toLowerCase();
    const cues: Cue[] = [];
    const taken: [number, number][] = [];
    const free = (s: number, e: number) => !taken.some(([a, b]) => s < b && a < e);
    const phrases = ANY_PHRASE[this.language].test(lower);
    for (const [pattern, resolve] of phrases ? HORIZON_CUES[this.language] : []) {
      for (const m of lower.matchAll(pattern)) {
        const s = m.index;
        const e = s + m[0].length;
        if (!free(s, e)) continue;
        const horizon = resolve(m as RegExpExecArray, year);
        if (!horizon) continue;
        taken.push([s, e]);
        cues.push({ start: sentence.start + s, end: sentence.start + e, text: body.slice(s, e), horizon });
      }
    }
    for (const [pattern, polarity] of phrases ? POLARITY_PHRASES[this.language] : []) {
      for (const m of lower.matchAll(pattern)) {
        taken.push([m.index, m.index + m[0].length]);
        cues.push({
          start: sentence.start + m.index,
          end: sentence.start + m.index + m[0].length,
          text: body.slice(m.index, m.index + m[0].length),
          polarity,
        });
      }
    }
    const tokens = tokenize(body, sentence.start);
    tokens.forEach((t, i) => {
      if (!free(t.start - sentence.start, t.end - sentence.start)) return;
      const polarity = this.polarityOf(t);
      if (polarity && !this.isServiceNeed(tokens, i)) {
        const before = tokens.slice(Math.max(0, i - 3), i).map((x) => x.text.toLowerCase());
        const negated = before.some((w) => NEGATIONS[this.language].has(w) || w.endsWith("n't"));
        const noLonger = NO_LONGER.test(lower);
        const value: Polarity = negated && polarity === 'need' ? (noLonger ? 'surplus' : 'mention') : polarity;
        cues.push({ start: t.start, end: t.end, text: t.text, polarity: value });
      }
      const count = this.countAt(tokens, i);
      if (count !== undefined)
        cues.push({ start: t.start, end: tokens[i + 1]!.end, text: text.slice(t.start, tokens[i + 1]!.end), count });
    });
    return cues.sort((a, b) => a.start - b.start);
  }

  private polarityOf(t: Token): Polarity | undefined {
    const lower = t.text.toLowerCase();
    let need = this.need.has(lower);
    if (this.surplus.has(lower)) return 'surplus';
    const keys = this.morphology.keys(t.text);
    // a person is no cue, whatever the compound holds: "rekrytointipäällikkö" recruits, it is not a recruitment
    if (!need && this.isPerson(keys, false)) return undefined;
    for (const k of keys.keys()) {
      if (this.surplus.has(k)) return 'surplus';
      if (this.need.has(k)) need = true;
    }
    // a Swedish compound on a need or shortage ("kompetensbehov", "personalbrist"), not a client's or care's
    const compound = this.morphology.language === 'sv' ? SWEDISH_NEED_COMPOUND.exec(lower) : null;
    if (compound && !this.serviceOwners.has(this.morphology.stem(compound[1]!))) need = true;
    return need ? 'need' : undefined;
  }

  /** A need noun of clients or care: in its compound ("hoitotarve") or the word before it ("asiakkaiden tarpeet"). */
  private isServiceNeed(tokens: Token[], i: number): boolean {
    const keys = [...this.morphology.keys(tokens[i]!.text).keys()];
    if (!keys.some((k) => this.serviceNoun.has(k))) return false;
    const before = i > 0 ? [...this.morphology.keys(tokens[i - 1]!.text).keys()] : [];
    return [...keys, ...before].some((k) => this.serviceOwners.has(k));
  }

  /** "3 hitsaajaa", "kaksi lähihoitajaa", "två svetsare", "two welders": the number, when the next word names people. */
  private countAt(tokens: Token[], i: number): number | undefined {
    const next = tokens[i + 1];
    if (!next) return undefined;
    const word = tokens[i]!.text.toLowerCase();
    let value: number | undefined;
    if (/^\d{1,4}$/.test(word)) value = Number(word);
    else if (this.language === 'fi' && !NUMBER_STEMS.test(word)) return undefined;
    else {
      value = NUMBER_WORDS[this.language][word];
      if (value === undefined && this.language === 'fi') {
        for (const [k, w] of this.morphology.keys(word))
          if (w >= 1 && NUMBER_WORDS.fi[k] !== undefined) value = NUMBER_WORDS.fi[k];
      }
    }
    if (value === undefined || value < 1 || value > 10_000 || !Number.isInteger(value)) return undefined;
    if (sizesGroup(tokens, i)) return undefined;
    // the people counted: the next word, or the one after a word that describes them ("kymmenen uutta lähihoitajaa")
    for (const person of [next, tokens[i + 2]]) {
      if (!person || !/^\p{L}/u.test(person.text)) return undefined;
      const keys = this.morphology.keys(person.text);
      if ([...keys.keys()].some((k) => this.units.has(k))) return undefined;
      if ([...keys].some(([k, w]) => w >= 1 && this.served.has(k))) return undefined;
      if (this.isPerson(keys, true)) return value;
    }
    return undefined;
  }
}

/** Verbs before a number that size a workforce ("työllistää 50 henkeä", "sysselsätter 50 personer"). */
const WORKFORCE_VERB = /^(?:työllistää|työllistämme|työllistävät|työskentelee|sysselsätter|employs|employing)$/u;
/** A word for a group and its preposition before a number ("ett team på fem personer", "a team of five"). */
const GROUP_OF = /^(?:team|teamet|grupp|gruppen|arbetslag|arbetslaget|group|staff|workforce) (?:på|of)$/u;
/** Finnish "viiden hengen tiimi": the number and its genitive head before a word for a group. */
const GROUP_AFTER = /^(?:tiimi|ryhmä|työyhteisö|yritys|porukka|organisaatio)/u;

/** Whether the number at token i sizes a team or a workforce, not vacancies. */
function sizesGroup(tokens: Token[], i: number): boolean {
  const word = (k: number) => tokens[k]?.text.toLowerCase() ?? '';
  if (WORKFORCE_VERB.test(word(i - 1)) || GROUP_OF.test(`${word(i - 2)} ${word(i - 1)}`)) return true;
  return /^(?:hengen|henkilön)$/u.test(word(i + 1)) && GROUP_AFTER.test(word(i + 2));
}

export interface SignalDefaults {
  /** the document's horizon from metadata, which every mention takes */
  horizon?: Horizon | undefined;
  /** default when a sentence has no cue: current */
  polarity: Polarity;
  /** weight of a mention with no count of its own: the vacancies of the metadata, or 1 */
  weight: number;
}

/** What a mention's place in its sentence says of its demand. */
export type Signal = Pick<SkillMention, 'horizon' | 'horizonSource' | 'polarity' | 'weight'>;

/** What the signal of a mention rests on in its sentence: the cues, in text order, and where its clauses break. */
export interface SentenceSignals {
  cues: Cue[];
  breaks: number[];
}

/**
 * A comma before a conjunction (or "that": what was said, after who said it), a semicolon, or "but": a new
 * clause, with cues of its own.
 */
const CLAUSE_BREAK: Record<Language, RegExp> = {
  fi: /,\s+(?:ja|mutta|sekä|kun|koska|vaikka|että)\s|;|\s(?:mutta)\s/gu,
  sv: /,\s+(?:och|men|samt|när|eftersom|medan|att)\s|;|\s(?:men)\s/gu,
  en: /,\s+(?:and|but|while|because|as|that)\s|;|\s(?:but)\s/gu,
};

/**
 * Words around a name that make it a party to the text, not a need: the person a statement comes from ("vastaajien
 * mukaan", "tapasimme toimitusjohtajan") or the firm that hires or needs ("Sähköurakoitsija Porissa etsii",
 * "gården behöver"); the words between stay within one clause ("enligt tidtabell, säljer biljetter" is a duty).
 */
const PARTY: Record<Language, { before: RegExp; after: RegExp }> = {
  fi: {
    before: unicodeWords(
      /\b(?:tapasimme|tapasin|tapaamassa|tapaamaan|haastattelimme|haastattelin|keskustelimme)\s+(?:(?!(?:että|joka|jotka|mutta|koska|kun|hän|he|me|heillä|meillä)\s)[^\s,;:]+\s+){0,5}$/iu,
    ),
    after: unicodeWords(
      /^(?:\s+\p{Lu}\S*)?\s+(?:mukaan|kertoi|kertoivat|totesi|totesivat|arvioi|arvioivat|sanoi|sanoivat|painotti|korosti|mainitsi|hakee|etsii|rekrytoi)\b/iu,
    ),
  },
  sv: {
    before: unicodeWords(
      /\b(?:enligt|träffade|intervjuade)\s+(?:(?!(?:krävs|behövs|saknas|finns|söks|önskas|förväntas|är|har|råder|blir|kommer|ska|kan|och|samt|eller|men)\s)[^\s,;:]+\s+){0,2}$/iu,
    ),
    after: unicodeWords(
      /^(?:\s+(?:i|på)\s+\S+)?\s+(?:berättade|berättar|sade|sa|säger|uppgav|uppger|konstaterade|bedömer|bedömde|söker|rekryterar|behöver|behövde)\b/iu,
    ),
  },
  en: {
    before: unicodeWords(/\b(?:according\s+to|we\s+met|we\s+interviewed)\s+(?:[^\s,;:]+\s+){0,3}$/iu),
    after: unicodeWords(/^(?:\s+in\s+\S+)?\s+(?:said|says|told|reported|explained|seeks|is\s+hiring|is\s+looking)\b/iu),
  },
};

/** Whether the words at [start, end) of a sentence name a party to the text: a speaker or the firm that hires. */
export function isParty(
  text: string,
  sentence: { start: number; end: number },
  start: number,
  end: number,
  language: Language,
): boolean {
  const { before, after } = PARTY[language];
  return before.test(text.slice(sentence.start, start)) || after.test(text.slice(end, sentence.end));
}

/** Words after a skill that hand its work to machines: what is automated is no skill asked for. */
const AUTOMATED: Record<Language, RegExp> = {
  fi: unicodeWords(
    /^\s+(?:on\s+|ovat\s+|ollaan\s+|)(?:robotisoitu|automatisoitu|robotisoidaan|automatisoidaan|robotisoituu|automatisoituu|automatisoitiin|robotisoitiin)\b/iu,
  ),
  sv: unicodeWords(
    /^\s+(?:har\s+|ska\s+|kommer\s+att\s+)?(?:automatiseras|automatiserats|automatiserades|robotiseras|robotiserats)\b/iu,
  ),
  en: unicodeWords(
    /^\s+(?:is|are|was|were|has\s+been|have\s+been|will\s+be)\s+(?:being\s+)?(?:automated|robotised|robotized)\b/iu,
  ),
};

/** Whether the words at [start, end) are the work a sentence says machines take over ("mjölkningen automatiseras"). */
export function isAutomated(text: string, sentence: { end: number }, end: number, language: Language): boolean {
  return AUTOMATED[language].test(text.slice(end, sentence.end));
}

/**
 * A firm (or a compound on one) as the subject right before a verb, or its relative clause: what it does itself
 * ("yritys kouluttaa uudet työntekijät itse", "fastighetsserviceföretaget som underhåller ventilationen").
 */
const FIRM_SUBJECT: Record<Language, RegExp | undefined> = {
  fi: /(?:yritys|yrityksemme|yhtiö|yhtiömme|firma|konserni|tehdas|tehtaamme|organisaatio|organisaatiomme)(?:,?\s+joka)?(?:\s+(?:myös|itse|nyt|jo|aikoo|haluaa))?\s+$/iu,
  sv: /(?:företag|företaget|bolag|bolaget|firma|firman|koncernen|fabriken|organisationen)(?:\s+självt)?(?:,?\s+som)?(?:\s+(?:också|även|själv|nu|redan|tänker|vill))?\s+$/iu,
  en: undefined,
};

/** Whether the words at `start` are what the firm itself does, its subject just before (Finnish and Swedish). */
export function doneByFirm(text: string, sentence: { start: number }, start: number, language: Language): boolean {
  return FIRM_SUBJECT[language]?.test(text.slice(sentence.start, start)) ?? false;
}

/** The opening of a sentence that lists what the employer offers: its words are benefits, not skills asked for. */
const BENEFITS: Record<Language, RegExp> = {
  fi: /^\s*(?:tarjoamme|tarjolla on|meiltä saat|saat meiltä|sinua odottaa)(?![\p{L}\d])/iu,
  sv: /^\s*(?:vi erbjuder|vi kan erbjuda|hos oss får du|du erbjuds)(?![\p{L}\d])/iu,
  en: /^\s*(?:we offer|what we offer|we can offer)(?![\p{L}\d])/iu,
};

/** Whether a sentence lists what the employer offers ("Tarjoamme joustavat työajat ja hyvän työterveyshuollon"). */
export function offersBenefits(text: string, sentence: { start: number; end: number }, language: Language): boolean {
  return BENEFITS[language].test(text.slice(sentence.start, sentence.end));
}

/** Where the sentence's clauses break (text offsets). */
export function clauseBreaks(text: string, sentence: { start: number; end: number }, language: Language): number[] {
  const body = text.slice(sentence.start, sentence.end);
  return [...body.matchAll(CLAUSE_BREAK[language])].map((m) => sentence.start + m.index);
}

/**
 * The cue of one kind that governs a position: its own clause's first, the nearest before it or else the first
 * after it ("hitsaajia tarvitaan ensi vuonna", not "pulaa on X, ja lähivuosina tarvitaan Y" for X; "X:n tarve
 * vähenee, mutta Y:stä on pulaa" is a need for Y); else the nearest before it in an earlier clause.
 */
function governing(s: SentenceSignals, at: number, has: (c: Cue) => boolean): Cue | undefined {
  let before: Cue | undefined;
  let after: Cue | undefined;
  const apart = (from: number, to: number) => s.breaks.some((b) => from < b && b < to);
  for (const c of s.cues) {
    if (!has(c)) continue;
    if (c.start <= at) before = c;
    else if (!after && !apart(at, c.start)) after = c;
  }
  if (before && !apart(before.start, at)) return before;
  return after ?? before;
}

const NO_SIGNALS: SentenceSignals = { cues: [], breaks: [] };

/** Where the count that governs a mention at `at` starts, if a count governs it. */
export function countAt(signals: SentenceSignals | undefined, at: number): number | undefined {
  return governing(signals ?? NO_SIGNALS, at, (c) => c.count !== undefined)?.start;
}

/** Horizon, polarity and weight of a mention at `at` in a sentence with these cues. */
export function signalAt(signals: SentenceSignals | undefined, at: number, defaults: SignalDefaults): Signal {
  const s = signals ?? NO_SIGNALS;
  const h = defaults.horizon ? undefined : governing(s, at, (c) => c.horizon !== undefined);
  const p = governing(s, at, (c) => c.polarity !== undefined);
  const n = governing(s, at, (c) => c.count !== undefined);
  return {
    horizon: defaults.horizon ?? h?.horizon ?? 'current',
    horizonSource: defaults.horizon ? 'metadata' : h ? 'cue' : 'default',
    polarity: p?.polarity ?? defaults.polarity,
    weight: n?.count ?? defaults.weight,
  };
}
