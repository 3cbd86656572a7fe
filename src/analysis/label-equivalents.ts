import type { Language } from '../domain/language.js';
import type { TaxonomyData } from '../domain/taxonomy.js';
import type { Morphology } from './morphology.js';

// Words ESCO's translators render one English word with in different labels: verbs and objects, read from the
// skills' parallel preferred labels, so that a label is also met in its other wording.

/** English particles that make a phrasal verb of the word before them ("carry out", "set up"). */
const PARTICLES = new Set(['out', 'up', 'off', 'on', 'in', 'down', 'over', 'back', 'away']);

/** A translation of an English verb counts when ESCO uses it this often for that verb… */
const MIN_LABELS = 3;
/** …and for at least this share of that verb's labels. */
const MIN_SHARE = 0.2;
/** A verb in this many translation pairs or more is a general verb ("tehdä", "göra"), equal to none in particular. */
const GENERAL_VERB = 3;

/**
 * Verbs of a language that ESCO's translators use for the same English verb: "byta" and "ersätta" both render
 * "replace", "avustaa" and "auttaa" "assist". Read from the parallel preferred labels of the skills (the first word
 * of each, or the English phrasal verb); light verbs, verbs of fixed expressions and verbs that pair with many
 * others are left out.
 * Returns each verb with its equivalents.
 */
export function verbEquivalents(
  skills: TaxonomyData['skills'],
  language: Exclude<Language, 'en'>,
  morphology: Morphology,
): Map<string, string[]> {
  const byEnglish = new Map<string, Map<string, number>>();
  const fixed = fixedExpressions(skills, language);
  for (const s of skills) {
    if (s.type === 'knowledge') continue;
    const en = s.names.en?.toLowerCase().split(/\s+/) ?? [];
    const own = s.names[language]?.toLowerCase().split(/\s+/)[0];
    if (!en[0] || !own) continue;
    const verb = PARTICLES.has(en[1] ?? '') ? `${en[0]} ${en[1]}` : en[0];
    const counts = byEnglish.get(verb) ?? new Map<string, number>();
    counts.set(own, (counts.get(own) ?? 0) + 1);
    byEnglish.set(verb, counts);
  }
  const classes: string[][] = [];
  for (const counts of byEnglish.values()) {
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const verbs = [...counts]
      .filter(([v, n]) => n >= MIN_LABELS && n / total >= MIN_SHARE && !morphology.isLightVerb(v) && !fixed.has(v))
      .map(([v]) => v);
    if (verbs.length >= 2) classes.push(verbs);
  }
  const membership = new Map<string, number>();
  for (const verbs of classes) for (const v of verbs) membership.set(v, (membership.get(v) ?? 0) + 1);
  const equivalents = new Map<string, Set<string>>();
  for (const verbs of classes) {
    const specific = verbs.filter((v) => membership.get(v)! < GENERAL_VERB);
    for (const v of specific)
      for (const w of specific) if (v !== w) equivalents.set(v, (equivalents.get(v) ?? new Set()).add(w));
  }
  return new Map([...equivalents].map(([v, ws]) => [v, [...ws].sort()]));
}

/** A verb whose labels mostly go on with the same word is part of a fixed expression ("se till", "ge råd"). */
const FIXED_SHARE = 0.5;

/** The verbs that open the labels mostly as a fixed expression, not on their own. */
function fixedExpressions(skills: TaxonomyData['skills'], language: Exclude<Language, 'en'>): Set<string> {
  const next = new Map<string, Map<string, number>>();
  for (const s of skills) {
    const [verb, after] = s.names[language]?.toLowerCase().split(/\s+/) ?? [];
    if (!verb || !after) continue;
    const counts = next.get(verb) ?? new Map<string, number>();
    counts.set(after, (counts.get(after) ?? 0) + 1);
    next.set(verb, counts);
  }
  const fixed = new Set<string>();
  for (const [verb, counts] of next) {
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    if (total >= MIN_LABELS && Math.max(...counts.values()) / total >= FIXED_SHARE) fixed.add(verb);
  }
  return fixed;
}

/** English words that open a prepositional object, whose translations vary with the verb. */
const PREPOSITIONS = new Set(['to', 'with', 'for', 'on', 'in', 'of', 'at', 'about', 'from', 'into', 'by', 'as']);
/** Swedish particles and prepositions that belong to a particle verb ("sätta ned", "ta hand om"), not its object. */
const SV_PARTICLES = new Set(
  'ned ner ut upp i om hand för fram med av till på in bort över ihop igen undan tillbaka isär vid åt mot fast'.split(
    ' ',
  ),
);
/** A conjunction inside an object joins another verb's phrase ("korjata ja ostaa soittimia"), unless it joins parts. */
const JOINED_PHRASE = /(?<![-‐])\s(?:ja|sekä|tai|och|samt|eller)\s/u;

/**
 * Objects ESCO's translators render two ways for the same English object: "plumbing systems" is "rörsystem" in
 * "reparera rörsystem" and "avloppssystem" in "installera vatten- och avloppssystem", "mining machinery"
 * "gruvutrustning" and "gruvmaskiner". From the parallel preferred labels of skills whose English object has two
 * words or more and whose own label opens with a verb that is no light verb (so both words stay needed); objects
 * that read the same once lemmatised are one. Returns per skill URI the other objects its label's verb may take.
 */
export function objectEquivalents(
  skills: TaxonomyData['skills'],
  language: Exclude<Language, 'en'>,
  morphology: Morphology,
): Map<string, string[]> {
  const lemmas = (phrase: string) =>
    phrase
      .toLowerCase()
      .split(/\s+/)
      .map((w) => morphology.stem(w))
      .join(' ');
  const byEnglish = new Map<string, { uri: string; object: string; verb: boolean }[]>();
  for (const s of skills) {
    if (s.type === 'knowledge') continue;
    const en = s.names.en?.toLowerCase().split(/\s+/) ?? [];
    const own = s.names[language]?.split(/\s+/) ?? [];
    const object = en.slice(PARTICLES.has(en[1] ?? '') ? 2 : 1);
    if (object.length < 2 || PREPOSITIONS.has(object[0]!) || own.length < 2) continue;
    const ownObject = own.slice(1).join(' ');
    if (language === 'sv' && SV_PARTICLES.has(own[1]!.toLowerCase())) continue;
    if (own.length - 1 > object.length + 1 || JOINED_PHRASE.test(` ${ownObject} `)) continue;
    const first = own[0]!.toLowerCase();
    const verb = !morphology.isLightVerb(first) && (language === 'fi' ? morphology.isVerb(first) : /a$/u.test(first));
    const key = object.join(' ');
    const list = byEnglish.get(key) ?? [];
    list.push({ uri: s.uri, object: ownObject, verb });
    byEnglish.set(key, list);
  }
  const out = new Map<string, string[]>();
  for (const list of byEnglish.values()) {
    // one wording per lemmatised object, its first as written
    const wordings = new Map<string, string>();
    for (const o of list) if (o.verb && !wordings.has(lemmas(o.object))) wordings.set(lemmas(o.object), o.object);
    for (const { uri, object, verb } of list) {
      if (!verb) continue;
      const own = lemmas(object);
      const others = [...wordings].filter(([l]) => l !== own).map(([, o]) => o);
      if (others.length > 0) out.set(uri, others);
    }
  }
  return out;
}
