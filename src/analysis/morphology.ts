import PorterStemmerEn from 'natural/lib/natural/stemmers/porter_stemmer.js';
import PorterStemmerSv from 'natural/lib/natural/stemmers/porter_stemmer_sv.js';
import type { Language } from '../domain/language.js';
import { openVoikko, type VoikkoReading } from './voikko.js';

/**
 * Matching keys of one word, each with a weight 0–1: how directly the word supports the key.
 * Finnish: Voikko lemmas (1), the verb a derived action noun comes from (0.9), compound parts (0.7–0.8).
 * Swedish and English: Snowball/Porter stems (1), hyphen parts (0.7).
 */
export type WordKeys = Map<string, number>;

/** A finite verb form: the second person (a job ad's "you weld") or any other. */
export type FiniteForm = 'second person' | 'other person';

export interface Morphology {
  readonly language: Language;
  /** keys of a word of the text */
  keys(word: string): WordKeys;
  /** the one key a word is known by: its stem (Swedish, English) or its lemma (Finnish) */
  stem(lower: string): string;
  /** true for function words that never carry a skill */
  isStopword(lower: string): boolean;
  /** verbs that ESCO labels put before the skill ("käyttää", "perform"): optional when matching */
  isLightVerb(lower: string): boolean;
  /** the keys the light verbs are known by, to tell a key of the text without stemming it again */
  readonly lightKeys: ReadonlySet<string>;
  /** true when every reading of the word is a verb (known for Finnish only) */
  isVerb(word: string): boolean;
  /** true when every reading of the word is a genitive noun (known for Finnish only) */
  isGenitive(word: string): boolean;
  /**
   * Whether the word of a text is a finite form of the label word `verb` ("suunnittelee" of "suunnitella",
   * "planerar" of "planera"): someone doing it, not the skill named by its infinitive or action noun. Finnish
   * tells the second person apart ("hitsaat": a job ad's duty); Swedish has no person to tell.
   */
  finiteFormOf(word: string, verb: string): FiniteForm | undefined;
  /** the inflected head of a compound, "asennuksiin" of "automaatioasennuksiin" (Finnish only) */
  compoundHead(word: string): string | undefined;
  /**
   * keys of two words written apart that name one compound: a genitive and a noun, "kyberturvallisuuden
   * asiantuntija" → "kyberturvallisuusasiantuntija", "lasten hoitaja" → "lastenhoitaja" (Finnish only)
   */
  openCompound(first: string, second: string): string[];
}

const STOP: Record<Language, string[]> = {
  fi: (
    'ja tai sekä on ei ole olla oli ovat että jos kun joka jotka mikä mitkä se ne hän he me te sinä minä myös vain kuin niin ' +
    // "on laskussa", "on nousussa": falling or rising, no invoice nor climb
    'laskussa nousussa ' +
    'kanssa ilman yli alle ennen jälkeen mukaan kautta vuoksi sen sitä siitä siihen sekä mm esim eli ym yms jne n ns kaikki muut muiden ' +
    'muita muu oma omat omien uusi uusia uusien eri erilaisia erilaisten erilaisissa erilaiset tietty tiettyjä tiettyjen liittyvä liittyviä ' +
    'liittyvien koskeva koskevia koskevien koko joko myös vielä jo hyvin hyvä hyvää erittäin tarvittaessa mahdollisimman sekä ' +
    // the frame of a duty, "työssäsi valvot": where the work is done, not work as a label's object
    'työssä työssäsi työssään työssämme työhösi tehtävässäsi tehtävissäsi tehtävässä roolissasi'
  ).split(' '),
  sv: (
    'och eller samt är inte vara var att om när som den det de han hon vi ni jag du också bara än så med utan över under före efter ' +
    'enligt genom för på i av till från en ett alla andra egen egna ny nya olika viss vissa relaterade gällande hela redan mycket bra ' +
    // the Latin genitive of a degree's name ("ekonomie magister"): a degree, not the field as a skill
    'ekonomie filosofie pedagogie teknologie medicine juris hortonomie agronomie'
  ).split(' '),
  en: (
    'and or is are be been being not no that if when which who whom it its they them we you he she also only than so with without ' +
    'over under before after according through for of in on at by to from into a an the all other others own new various different ' +
    'certain related relevant specific such as e g i etc very well good'
  ).split(' '),
};

const LIGHT_VERBS: Record<Language, string[]> = {
  fi: [
    'käyttää',
    'suorittaa',
    'soveltaa',
    'toteuttaa',
    'tehdä',
    'hoitaa',
    'hallita',
    'työskennellä',
    'harjoittaa',
    'hyödyntää',
  ],
  sv: [
    'använda',
    'utföra',
    'tillämpa',
    'genomföra',
    'göra',
    'sköta',
    'hantera',
    'arbeta',
    'bedriva',
    'nyttja',
    'använd',
    'utför',
    'tillämp',
    'genomför',
    'hanter',
    'arbet',
  ],
  en: [
    'use',
    'perform',
    'apply',
    'carry',
    'out',
    'conduct',
    'undertake',
    'utilise',
    'utilize',
    'employ',
    'implement',
    'execute',
    'practise',
    'practice',
    'work',
  ],
};

/** Derivational suffixes that make an action noun of a verb: hitsata → hitsaus, myydä → myynti, valvoa → valvonta. */
const ACTION_SUFFIXES = new Set([
  '+us',
  '+ys',
  '+ti',
  '+nti',
  '+nta',
  '+ntä',
  '+u',
  '+y',
  '+o',
  '+ö',
  '+minen',
  '+nto',
  '+ntö',
  '+ta',
  '+tä',
  '+to',
  '+tö',
]);

/** A Swedish compound on a head that makes its first part a skill ("svetskompetens", "truckvana", "SAP-kunskaper"). */
const SWEDISH_SKILL_HEAD =
  /^(.{3,}?)(?:kompetens|kompetensen|kunskap|kunskaper|kunskaperna|erfarenhet|erfarenheter|erfarenheten|vana|vanan|färdighet|färdigheter|kännedom|kunnande|kunnandet)$/;

/** Present and past forms of Swedish short and strong verbs, to their infinitive. */
const SWEDISH_STRONG_VERBS = new Map(
  Object.entries({
    ge: ['ger', 'gav', 'givit', 'gett'],
    ta: ['tar', 'tog', 'tagit'],
    göra: ['gör', 'gjorde', 'gjort'],
    gå: ['går', 'gick', 'gått'],
    stå: ['står', 'stod', 'stått'],
    se: ['ser', 'såg', 'sett'],
    få: ['får', 'fick', 'fått'],
    dra: ['drar', 'drog', 'dragit'],
    hålla: ['håller', 'höll', 'hållit'],
    lägga: ['lägger', 'lade', 'lagt'],
    sätta: ['sätter', 'satte', 'satt'],
    bära: ['bär', 'bar', 'burit'],
    skriva: ['skriver', 'skrev', 'skrivit'],
    välja: ['väljer', 'valde', 'valt'],
  }).flatMap(([infinitive, forms]) => forms.map((form) => [form, infinitive] as const)),
);

/**
 * Roots of a Finnish compound's last part that make its modifiers a skill: "hydrauliikkaosaaminen" (Voikko reads
 * the head as the verb "osata"), "asiakaspalvelukokemus", "koneistuspätevyys" ("päteä").
 */
export const SKILL_HEADS: ReadonlySet<string> = new Set([
  'osaaminen',
  'osata',
  'taito',
  'kokemus',
  'tuntemus',
  'asiantuntemus',
  'ymmärrys',
  'tietämys',
  'päteä',
]);

/** Roots of a Finnish compound's last part that make it a firm or an industry, not a skill. */
const ORGANISATION_HEADS = new Set([
  'teollisuus',
  'yritys',
  'yhtiö',
  'liike',
  'tehdas',
  'toimiala',
  'ala',
  'konserni',
  'toimisto',
]);

// case endings a Finnish text puts on a foreign word ("Excelin", "Pythonia", "SAP:ssa" is split at the colon)
const FOREIGN_ENDINGS = [
  'ista',
  'istä',
  'issa',
  'issä',
  'illa',
  'illä',
  'ille',
  'iksi',
  'ia',
  'iä',
  'ina',
  'inä',
  'in',
  'ssa',
  'ssä',
  'sta',
  'stä',
  'lla',
  'llä',
  'lta',
  'ltä',
  'lle',
  'ksi',
  'iin',
  'aan',
  'ään',
  'ta',
  'tä',
  'na',
  'nä',
  'a',
  'ä',
  'n',
];

// Voikko's morphemes of an active past participle: "+tarvin(tarvita)+n+ut(+ut)", its verb in the first brackets
// ("+vähen(vähetä)tä(+tää)+n+yt(+yt)": the root verb of a derived one)
const PAST_PARTICIPLE = /^\+[^(+]+\(([^)+]+)\)(?:[^+(]*\(\+[^)]*\))*\+n\+[uy]t\(\+[uy]t\)$/u;

// the plural case endings of a word in -a or -ä, whose vowel becomes -o or -ö
const FOREIGN_PLURAL_ENDINGS = [
  'oja',
  'oista',
  'oissa',
  'oilla',
  'oille',
  'oilta',
  'oihin',
  'oiden',
  'oina',
  'oiksi',
].flatMap((e) => [e, e.replace(/o/gu, 'ö').replace(/a/gu, 'ä')]);

interface Part {
  surface: string;
  root: string;
  derived: boolean;
  action: boolean;
}

/** Splits Voikko's WORDBASES ("+hitsa(hitsata)+us(+us)+laite(laite)") into compound parts. */
export function compoundParts(wordbases: string): Part[] {
  const parts: Part[] = [];
  for (const m of wordbases.matchAll(/\+([^+(]*)(?:\(([^)]*)\))?/g)) {
    const surface = (m[1] ?? '').toLowerCase();
    const lemma = m[2];
    const current = parts[parts.length - 1];
    if (lemma !== undefined && !lemma.startsWith('+') && lemma !== '') {
      parts.push({ surface, root: lemma.replace(/=/g, '').toLowerCase(), derived: false, action: false });
    } else if (!current && lemma === undefined && surface) {
      // a bound first part with no lemma of its own ("+kolmi+vuoro(vuoro)+työ(työ)")
      parts.push({ surface, root: surface, derived: false, action: false });
    } else if (current) {
      current.surface += surface;
      if (lemma?.startsWith('+')) {
        current.derived = true;
        if (ACTION_SUFFIXES.has(lemma)) current.action = true;
      }
    }
  }
  return parts;
}

function put(keys: WordKeys, key: string, weight: number): void {
  if (key.length === 0) return;
  if ((keys.get(key) ?? 0) < weight) keys.set(key, weight);
}

/** The verbs a Swedish action noun may come from, its definite and plural endings aside. */
function swedishVerbsOfActionNoun(lower: string): string[] {
  const m = /^(.{3,}?)(ation|ering|ning|ing)(?:en|ens|ar|arna|er|erna|s)?$/.exec(lower);
  if (!m) return [];
  const [, base, suffix] = m;
  if (suffix === 'ation' || suffix === 'ering') return [`${base}era`];
  if (suffix === 'ning') return [`${base}a`, `${base}na`];
  return [`${base}a`];
}

/**
 * The head of a compound as inflected in the text: the word after its modifiers' written forms, when every
 * reading splits it the same way ("automaatioasennuksiin" → "asennuksiin").
 */
function inflectedHead(word: string, readings: VoikkoReading[]): string | undefined {
  let head: string | undefined;
  for (const r of readings) {
    const parts = compoundParts(r.wordbases);
    if (parts.length < 2) return undefined;
    const modifiers = parts
      .slice(0, -1)
      .map((p) => p.surface)
      .join('');
    const lower = word.toLowerCase();
    if (!lower.startsWith(modifiers) || lower.length - modifiers.length < 3) return undefined;
    const h = word.slice(modifiers.length);
    if (head !== undefined && head !== h) return undefined;
    head = h;
  }
  return head;
}

/** Newer Finnish words for what ESCO's Finnish labels still call by the older one: "toimit esihenkilönä" is "toimia esimiehenä". */
const RENAMED: [string, string][] = [['esihenkilö', 'esimies']];

/** Voikko's moods of a finite verb form: a person doing something, not a skill being named. */
const FINITE_MOODS = new Set(['indicative', 'conditional', 'imperative', 'potential']);

interface FinnishEntry {
  keys: WordKeys;
  verb: boolean;
  finite: boolean;
  secondPerson: boolean;
  /** the base forms when every reading is a noun, else none */
  nouns: string[];
  /** every reading is a genitive noun */
  genitive: boolean;
}

class FinnishMorphology implements Morphology {
  readonly language = 'fi' as const;
  private readonly voikko = openVoikko();
  private readonly cache = new Map<string, FinnishEntry>();
  private readonly stop = new Set(STOP.fi);
  private readonly light = new Set(LIGHT_VERBS.fi);

  isStopword(lower: string): boolean {
    return this.stop.has(lower) || lower.length < 2;
  }

  isLightVerb(lower: string): boolean {
    return this.light.has(lower);
  }

  get lightKeys(): ReadonlySet<string> {
    return this.light;
  }

  isVerb(word: string): boolean {
    return this.entry(word).verb;
  }

  isGenitive(word: string): boolean {
    return this.entry(word).genitive;
  }

  finiteFormOf(word: string, verb: string): FiniteForm | undefined {
    if (!this.entry(verb).verb) return undefined;
    const e = this.entry(word);
    return e.finite ? (e.secondPerson ? 'second person' : 'other person') : undefined;
  }

  keys(word: string): WordKeys {
    return this.entry(word).keys;
  }

  stem(lower: string): string {
    let best = lower;
    let weight = 0;
    for (const [k, w] of this.keys(lower))
      if (w > weight) {
        best = k;
        weight = w;
      }
    return best;
  }

  compoundHead(word: string): string | undefined {
    // asked only of a word after "ja"/"och" that follows a hyphen-ended part: rare, so not kept per word
    return inflectedHead(word, this.voikko.analyze(word));
  }

  openCompound(first: string, second: string): string[] {
    const a = this.entry(first);
    if (!a.genitive) return [];
    const b = this.entry(second);
    const out = new Set<string>();
    for (const lemma of b.nouns) {
      for (const modifier of a.nouns) out.add(modifier + lemma);
      out.add(first.toLowerCase() + lemma);
    }
    return [...out];
  }

  /** One Voikko analysis per word serves its keys, its word class and its case. */
  private entry(word: string): FinnishEntry {
    let entry = this.cache.get(word);
    if (entry) return entry;
    const readings = this.voikko.analyze(word);
    const nouns = readings.length > 0 && readings.every((r) => r.wordClass === 'nimisana');
    entry = {
      keys: this.compute(word, readings),
      verb: readings.length > 0 && readings.every((r) => r.wordClass === 'teonsana'),
      finite: readings.length > 0 && readings.every((r) => FINITE_MOODS.has(r.mood)),
      secondPerson: readings.length > 0 && readings.every((r) => r.person === '2'),
      nouns: nouns ? [...new Set(readings.map((r) => r.baseform.toLowerCase()))] : [],
      genitive: nouns && readings.every((r) => r.case === 'omanto'),
    };
    if (this.cache.size > 200_000) this.cache.clear();
    this.cache.set(word, entry);
    return entry;
  }

  /** lemma → the verbs it is the action of, remembered: every inflected form of "purku" asks again */
  private readonly actionVerbs = new Map<string, string[]>();

  /** purku → purkaa, ajo → ajaa, luku → lukea: the verbs a noun in -u, -y, -o or -ö is the action of. */
  private verbsOfActionNoun(lemma: string): string[] {
    if (!/[^aeiouyäö][uyoö]$/.test(lemma) || lemma.length < 3) return [];
    let verbs = this.actionVerbs.get(lemma);
    if (verbs) return verbs;
    const stem = lemma.slice(0, -1);
    const back = /[aou]/.test(stem);
    verbs = [stem + (back ? 'aa' : 'ää'), stem + (back ? 'ea' : 'eä')].filter((verb) =>
      this.voikko.analyze(verb).some((r) => r.wordClass === 'teonsana' && r.baseform.toLowerCase() === verb),
    );
    if (this.actionVerbs.size > 50_000) this.actionVerbs.clear();
    this.actionVerbs.set(lemma, verbs);
    return verbs;
  }

  private compute(word: string, readings: VoikkoReading[]): WordKeys {
    const keys: WordKeys = new Map();
    if (readings.length > 0) {
      this.fromReadings(readings, keys, 1);
      for (const [key, weight] of [...keys])
        for (const [newer, older] of RENAMED)
          if (key.endsWith(newer)) put(keys, key.slice(0, -newer.length) + older, weight);
      return keys;
    }
    const lower = word.toLowerCase();
    const hyphen = word.lastIndexOf('-');
    if (hyphen > 0 && hyphen < word.length - 1) {
      // "MIG-hitsauksen": Voikko does not know the prefix; analyse the head and keep the prefix as written
      const prefix = lower.slice(0, hyphen);
      const head = this.keys(word.slice(hyphen + 1));
      for (const [key, weight] of head) {
        put(keys, `${prefix}-${key}`, weight);
        put(keys, key, weight * 0.8);
      }
      // the word before the hyphen is written on its own ("Python-", "SQL-"): nearly a word of the text
      for (const part of prefix.split('-')) put(keys, part, 0.85);
      return keys;
    }
    // a name, acronym or foreign word: kept as written, and without a likely case ending ("Pythonia")
    put(keys, lower, 1);
    for (const ending of FOREIGN_ENDINGS) {
      if (lower.endsWith(ending) && lower.length - ending.length >= 3) put(keys, lower.slice(0, -ending.length), 0.8);
    }
    // the plural of a foreign word in -a turns it to -o ("baristoista", "pizzoja"); its nominative keeps it ("baristat")
    for (const ending of FOREIGN_PLURAL_ENDINGS) {
      const stem = lower.slice(0, -ending.length);
      if (lower.endsWith(ending) && stem.length >= 3) put(keys, stem + (ending.startsWith('ö') ? 'ä' : 'a'), 0.9);
    }
    if (/[aä]t$/u.test(lower) && lower.length >= 5) put(keys, lower.slice(0, -1), 0.9);
    return keys;
  }

  private fromReadings(readings: VoikkoReading[], keys: WordKeys, scale: number): void {
    // Every reading counts, weighted by how many readings agree on the lemma ("voimassa" is rarely "voima")
    const lemmaVotes = new Map<string, number>();
    for (const r of readings) {
      const lemma = r.baseform.toLowerCase();
      lemmaVotes.set(lemma, (lemmaVotes.get(lemma) ?? 0) + 1);
    }
    // an imperative beside a noun reading is the noun: texts about work rarely command ("Ponssen koneista")
    const commandOnly = (r: VoikkoReading) =>
      r.mood === 'imperative' && readings.some((o) => o.wordClass === 'nimisana');
    for (const r of readings) {
      const lemma = r.baseform.toLowerCase();
      const share = (lemmaVotes.get(lemma) ?? 1) / readings.length;
      const w = scale * (0.8 + 0.2 * share) * (commandOnly(r) ? 0.6 : 1);
      put(keys, lemma, w);
      if (lemma.includes('-')) for (const piece of lemma.split('-')) put(keys, piece, 0.7 * w);
      const parts = compoundParts(r.wordbases);
      const last = parts.length - 1;
      // a compound naming a firm or an industry ("puutuoteteollisuus", "rakennusliike") names no skill in its parts
      const organisation =
        parts.length > 1 && (ORGANISATION_HEADS.has(parts[last]!.root) || ORGANISATION_HEADS.has(parts[last]!.surface));
      parts.forEach((part, i) => {
        if (organisation && i !== last) return;
        const form = part.derived ? part.surface : part.root;
        if (part.action) put(keys, part.root, (parts.length === 1 ? 0.9 : i === last ? 0.7 : 0.6) * w);
        if (parts.length > 1)
          put(keys, i === last ? form : part.derived ? part.surface : part.root, (i === last ? 0.8 : 0.7) * w);
      });
      // a past participle, the perfect's verb ("on vähentänyt", "on tarvinnut"): the verb it is of
      const participle = PAST_PARTICIPLE.exec(r.wordbases);
      if (participle && r.wordClass === 'laatusana') put(keys, participle[1]!.toLowerCase(), 0.9 * w);
      // an action noun Voikko gives no derivation for ("purku", "ajo"): the verb it comes from, if Voikko knows it
      if (parts.length === 1 && !parts[0]!.derived && r.wordClass === 'nimisana')
        for (const verb of this.verbsOfActionNoun(lemma)) put(keys, verb, 0.85 * w);
      // a derived last part that is not an action noun ("trukkikortillinen"): the compound of its root too
      const head = parts[last];
      if (head && head.derived && !head.action && parts.length > 1) {
        put(
          keys,
          parts
            .slice(0, last)
            .map((p) => p.surface)
            .join('') + head.root,
          0.8 * w,
        );
      }
      // a compound on a head that says "skill in" ("pneumatiikkaosaaminen", "hitsauskokemus"): its modifiers name
      // the skill, nearly as the word alone would
      if (parts.length > 1 && SKILL_HEADS.has(head!.root)) {
        const modifiers = parts.slice(0, last);
        const final = modifiers[modifiers.length - 1]!;
        const stem = modifiers
          .slice(0, -1)
          .map((p) => p.surface)
          .join('');
        put(keys, stem + (final.derived ? final.surface : final.root), 0.9 * w);
        if (final.action) put(keys, stem + final.root, 0.85 * w);
      }
      // contiguous runs of compound parts: "hitsauslaitekokemus" also holds "hitsauslaite" and "laitekokemus"
      for (let i = 0; i < parts.length; i++) {
        for (let j = i + 1; j < parts.length; j++) {
          if (organisation && j !== last) continue;
          if (i === 0 && j === last) continue; // the whole word is the lemma itself
          let joined = '';
          for (let k = i; k <= j; k++) {
            const p = parts[k]!;
            joined += k === j && k === last ? (p.derived ? p.surface : p.root) : p.surface;
          }
          put(keys, joined, 0.8 * w);
        }
      }
    }
  }
}

class StemmingMorphology implements Morphology {
  private readonly cache = new Map<string, WordKeys>();
  private readonly stop: Set<string>;
  private readonly light: Set<string>;

  constructor(
    readonly language: 'sv' | 'en',
    private readonly stemmer: { stem(word: string): string },
  ) {
    this.stop = new Set(STOP[language]);
    this.light = new Set(LIGHT_VERBS[language]);
  }

  isStopword(lower: string): boolean {
    return this.stop.has(lower) || (lower.length < 2 && !/\d/.test(lower));
  }

  isLightVerb(lower: string): boolean {
    return this.light.has(lower) || this.light.has(this.stemmer.stem(lower));
  }

  private lightStems: Set<string> | undefined;
  get lightKeys(): ReadonlySet<string> {
    this.lightStems ??= new Set([...this.light].flatMap((v) => [v, this.stem(v)]));
    return this.lightStems;
  }

  isVerb(): boolean {
    return false;
  }

  isGenitive(): boolean {
    return false;
  }

  compoundHead(): string | undefined {
    return undefined;
  }

  openCompound(): string[] {
    return [];
  }

  finiteFormOf(word: string, verb: string): FiniteForm | undefined {
    if (this.language !== 'sv') return undefined;
    // Swedish verbs are named by the infinitive in -a; present and past forms add to it or its stem
    const lower = word.toLowerCase();
    const infinitive = verb.toLowerCase();
    if (!infinitive.endsWith('a') || lower === infinitive) return undefined;
    const stem = infinitive.slice(0, -1);
    const finite = [`${infinitive}r`, `${stem}er`, `${infinitive}de`, `${stem}de`, `${stem}te`, `${stem}dde`];
    return finite.includes(lower) ? 'other person' : undefined;
  }

  keys(word: string): WordKeys {
    let keys = this.cache.get(word);
    if (keys) return keys;
    keys = new Map();
    const lower = word.toLowerCase().replace(/’/g, "'").replace(/'s$/, '');
    put(keys, this.stem(lower), 1);
    put(keys, `=${lower}`, 1); // the word as written, for names ("Solidity" is not "solid")
    if (this.language === 'sv') {
      // the short and strong verbs whose forms the stemmer does not join: "ger" is "ge", "tog" "ta"
      const infinitive = SWEDISH_STRONG_VERBS.get(lower);
      if (infinitive) put(keys, this.stem(infinitive), 1);
      // definite forms the stemmer leaves whole: "kassan" is "kassa", "området" "område", "arbetet" "arbete"
      if (lower.length >= 5 && lower.endsWith('an')) put(keys, this.stem(lower.slice(0, -1)), 0.95);
      if (lower.length >= 6 && lower.endsWith('et')) {
        put(keys, this.stem(lower.slice(0, -1)), 0.95);
        put(keys, this.stem(lower.slice(0, -2)), 0.95);
      }
      // a plural in -er of a word in -s, whose singular the stemmer cuts further: "matroser" is "matros" ("matro")
      const plural = /^(\p{L}{3,}s)er(?:na|s)?$/u.exec(lower);
      if (plural) put(keys, this.stem(plural[1]!), 0.95);
      // an action noun is its verb too: "installation" → "installera", "körning" → "köra", "planering" → "planera"
      for (const verb of swedishVerbsOfActionNoun(lower)) put(keys, this.stem(verb), 0.9);
      // a compound on a head that says "skill in" ("svetskompetens", "truckvana", "Excelkunskaper"): its first part
      const skill = SWEDISH_SKILL_HEAD.exec(lower);
      if (skill) {
        const written = skill[1]!.replace(/-$/, '');
        // with or without the linking s ("programmeringskunskaper")
        for (const modifier of /[^s]s$/.test(written) ? [written, written.slice(0, -1)] : [written]) {
          put(keys, this.stem(modifier), 0.9);
          put(keys, `=${modifier}`, 0.9);
          for (const verb of swedishVerbsOfActionNoun(modifier)) put(keys, this.stem(verb), 0.85);
          // a verb's stem as the first part ("svets-" of "svetsa")
          put(keys, this.stem(`${modifier}a`), 0.85);
        }
      }
    }
    if (lower.includes('-')) {
      // the words before the hyphen are written on their own ("Java-programmering", "SQL-"): nearly words of
      // the text, as in Finnish; the head is a part only
      const pieces = lower.split('-').filter((piece) => piece.length > 0);
      // after a capital letter or two ("D-körkort", "C-license") the head is nearly the word itself; "e-post" is
      // no post
      const head = /^\p{Lu}{1,2}-/u.test(word) ? 0.9 : 0.7;
      pieces.forEach((piece, i) => {
        const weight = i < pieces.length - 1 ? 0.85 : head;
        put(keys, this.stem(piece), weight);
        put(keys, `=${piece}`, weight);
      });
      put(keys, this.stem(lower.replace(/-/g, '')), 0.9);
    }
    if (this.cache.size > 200_000) this.cache.clear();
    this.cache.set(word, keys);
    return keys;
  }

  stem(lower: string): string {
    // keep symbols that carry meaning in technology names: c++, c#, node.js
    if (/[+#.]/.test(lower)) return lower;
    // a Swedish agent noun is not its verb: "skötare" is a person, "sköter" what anyone does
    const agent = this.language === 'sv' ? /^(.{3,})(?:are|aren|ares|arens)$/.exec(lower) : null;
    if (agent) return `${agent[1]}are`;
    if (this.language === 'sv') {
      // nor is "tekniker" "teknik", "elektriker" "elektrisk" (but "butiker" is shops); and an instrument in -tor
      // ("projektor", "motorer") is not the word before it ("projekt"), which the stemmer's plural -or would make it
      const whole =
        /^(.*(?:tekn|elektr|mekan|mus|kem|fys|graf|polit|statist|akadem|keram|krit|opt)iker|.{2,}[aiko]tor)(?:n|ns|s|na|nas|er|erna|ernas)?$/.exec(
          lower,
        );
      if (whole) return whole[1]!;
    }
    return this.stemmer.stem(lower);
  }
}

const instances = new Map<Language, Morphology>();

/** One morphology per language and process; Finnish needs Voikko (libvoikko1 + voikko-fi). */
export function morphologyFor(language: Language): Morphology {
  let m = instances.get(language);
  if (!m) {
    m =
      language === 'fi'
        ? new FinnishMorphology()
        : language === 'sv'
          ? new StemmingMorphology('sv', PorterStemmerSv)
          : new StemmingMorphology('en', PorterStemmerEn);
    instances.set(language, m);
  }
  return m;
}
