import type { Language } from '../domain/language.js';
import { morphologyFor, SKILL_HEADS, type FiniteForm, type Morphology } from './morphology.js';
import { tokenize, type Sentence, type Token } from './text.js';

export interface LabelEntry {
  uri: string;
  lang: Language;
  kind: 'pref' | 'alt' | 'hidden' | 'alias';
  label: string;
}

interface IndexedLabel {
  uri: string;
  kind: LabelEntry['kind'];
  label: string;
  /** per content word: the keys any of which satisfies it */
  words: string[][];
  /** light verbs were left out of `words` */
  lightDropped: boolean;
  /** the light verbs left out, needed after all when the one remaining word is common among labels */
  lightWords: string[][];
  /** the one content word of a one-word label ("suunnitella"): named as a skill, not as what someone does */
  single: string | undefined;
  /** set when indexed: the words to find, with the light verbs back when the one remaining word is common */
  find?: string[][];
}

export interface LexicalMatch {
  uri: string;
  label: string;
  kind: LabelEntry['kind'];
  score: number;
  method: 'lexical' | 'alias';
  sentenceIndex: number;
  /** exact character spans of the matched words (runs of adjacent words merged) */
  spans: { start: number; end: number }[];
  start: number;
  end: number;
  /** the label's content words, each as its keys (see `labelWordKeys`) */
  words?: string[][];
}

/** A word found in more labels than this is too common to stand for a skill on its own. */
const COMMON_WORD_LABELS = 8;

/** A word this short in a one-word label meets other words through their stems: it needs its verb too. */
const SHORT_WORD = 3;

/** A one-word alternative label whose word occurs in more concepts' labels than this is not used alone. */
const AMBIGUOUS_SYNONYM = 15;

/**
 * A one-word preferred label whose word occurs in more concepts' labels than this ("suunnitella", "planera": plan)
 * is the verb of a hundred skills, not a skill of its own (Finnish and Swedish; English keeps its benchmarks' reading).
 */
const GENERIC_LABEL = 100;

const KIND_SCORE = { pref: 0.95, alias: 0.92, alt: 0.9, hidden: 0.8 } as const;

/**
 * The label's own keys of a word: its lemmas (or stem). Not the verb behind a derived noun, nor compound parts:
 * the text's side adds those, so "tuotteiden myynti" meets "myydä tuotteita" while "yritys" (company) does not
 * meet "yrittäjyys" through their common verb.
 */
function labelWordKeys(m: Morphology, word: string, baseForms = false): string[] {
  // a capitalised word in a Swedish or English label is a name: match it as written; an acronym before a
  // hyphen is not, its head inflects ("CNC-operatör", "CNC-operatörer")
  if (m.language !== 'fi' && /^\p{Lu}/u.test(word) && word.length > 2 && !/^[\p{Lu}\d]+-\p{Ll}/u.test(word))
    return [`=${word.toLowerCase()}`];
  const keys = m.keys(word);
  // a title is written in its base form: "neuvoja" is the adviser, not advice in the partitive plural
  const lower = word.toLowerCase();
  // a Finnish compound ESCO writes with a hyphen is also written closed: "pilvi-arkkitehti", "pilviarkkitehti"
  const closed = m.language === 'fi' ? closedCompound(lower) : undefined;
  if (baseForms && m.language === 'fi' && (keys.get(lower) ?? 0) >= 0.9) return closed ? [lower, closed] : [lower];
  const best = Math.max(...keys.values());
  const top = [...keys].filter(([, w]) => w >= best - 1e-9).map(([k]) => k);
  // a Finnish past participle is met by its verb too: "kuluneita renkaita" by "renkaiden kuluminen"
  if (m.language === 'fi' && top.some((k) => PARTICIPLE_LEMMA.test(k)))
    for (const [k, w] of keys) if (w >= 0.9 && /[aä]$/u.test(k) && !top.includes(k)) top.push(k);
  if (closed && !top.includes(closed)) top.push(closed);
  return top;
}

/** A hyphenated Finnish word written closed, where the hyphen joins two words and marks no vowel clash. */
function closedCompound(lower: string): string | undefined {
  const hyphen = /^(\p{Ll}{3,})-(\p{Ll}{3,})$/u.exec(lower);
  if (!hyphen || hyphen[1]!.slice(-1) === hyphen[2]![0]) return undefined;
  return hyphen[1]! + hyphen[2]!;
}

/** The lemma of a Finnish past participle ("kulunut", "koulutettu"). */
const PARTICIPLE_LEMMA = /\p{L}{2}(?:nut|nyt|ttu|tty)$/u;

/** A label's words as its keys say them, inflection aside: "kockar" and "kock" are the same words. */
function wordsOf(label: IndexedLabel): string {
  return label.words
    .map(
      (keys) =>
        keys
          .filter((k) => !k.startsWith('='))
          .sort()
          .join('|') || keys.join('|'),
    )
    .join(' ');
}

/**
 * An index of taxonomy labels in one language, normalised as the text is (Voikko lemmas for Finnish, stems
 * for Swedish and English); word order is free within a window, as Finnish needs.
 */
export class LabelIndex {
  private readonly labels: IndexedLabel[] = [];
  /** key → its number, and the ids of labels whose rarest content word has that key */
  private readonly byKey = new Map<string, { key: number; labels: number[] }>();
  /**
   * The key numbers each label needs, flat: label i's are need[needAt[i]] to need[needAt[i + 1]], per word its
   * count of keys and then the keys ([2, a, b, 1, c] = (a or b) and c). Arrays, so that rejecting the many
   * candidates that lack a word touches no label object.
   */
  private need = new Uint32Array(0);
  private needAt = new Uint32Array(0);
  private indexed = false;
  /** per label id and per key number: the call of `match` that last saw it (a stamp instead of a set) */
  private seen = new Uint32Array(0);
  private present = new Uint32Array(0);
  private stamp = 0;
  /** key → how many distinct concepts have a label with that key (labels arrive grouped by concept) */
  private readonly conceptsByKey = new Map<string, { last: string; count: number }>();
  readonly morphology: Morphology;
  /** the infinitives that open Swedish skills' labels */
  private readonly swedishVerbs = new Set<string>();

  /** `baseForms`: the labels are titles in their base form (occupations), not phrases with inflected objects */
  constructor(
    readonly language: Language,
    private readonly baseForms = false,
  ) {
    this.morphology = morphologyFor(language);
  }

  get size(): number {
    return this.labels.length;
  }

  add(entry: LabelEntry): void {
    const m = this.morphology;
    // Swedish skills open with their verb's infinitive ("servera viner"): known to tell a finite verb in a text
    const first = /^(\p{L}+a) \p{L}/u.exec(entry.label)?.[1];
    if (m.language === 'sv' && first && !this.baseForms) this.swedishVerbs.add(first.toLowerCase());
    // a parenthesised qualifier tells concepts apart ("Python (tietokoneohjelmointi)"); texts rarely repeat it
    const text = entry.label.replace(/\s*\([^)]*\)\s*/g, ' ').trim() || entry.label;
    const all = tokenize(text);
    const tokens = all.filter((t) => !m.isStopword(t.text.toLowerCase()));
    if (tokens.length === 0) return;
    // words of the label left out as function words ("uusia koneita"): needed after all when the rest is common
    const dropped = all.filter((t) => !tokens.includes(t) && t.text.length >= 3);
    let content = tokens.filter((t) => !m.isLightVerb(t.text.toLowerCase()));
    let lightDropped = content.length < tokens.length;
    if (content.length === 0) {
      content = tokens;
      lightDropped = false;
    }
    // one short word alone ("C", "R", "IT") is too ambiguous for lexical matching
    if (content.length === 1 && content[0]!.text.length < 3 && !/[+#]/.test(content[0]!.text)) return;
    const words = content.map((t) => labelWordKeys(m, t.text, this.baseForms));
    if (words.some((w) => w.length === 0)) return;
    const lightWords = [...(lightDropped ? tokens.filter((t) => !content.includes(t)) : []), ...dropped].map((t) =>
      labelWordKeys(m, t.text),
    );
    if (dropped.length > 0 && !lightDropped && content.length === 1) lightDropped = true;
    const single = content.length === 1 ? content[0]!.text : undefined;
    this.labels.push({
      uri: entry.uri,
      kind: entry.kind,
      label: entry.label,
      words,
      lightDropped,
      lightWords,
      single,
    });
    this.indexed = false;
    const seen = new Set<string>();
    for (const key of words.flat()) {
      if (seen.has(key)) continue;
      seen.add(key);
      const df = this.conceptsByKey.get(key);
      if (!df) this.conceptsByKey.set(key, { last: entry.uri, count: 1 });
      else if (df.last !== entry.uri) {
        df.last = entry.uri;
        df.count++;
      }
    }
  }

  /**
   * Every content word must occur, so a label is found through its rarest word alone: a sentence then only
   * brings up the few labels whose rarest word it contains.
   */
  private buildIndex(): void {
    this.byKey.clear();
    const entry = (key: string) => {
      let e = this.byKey.get(key);
      if (!e) this.byKey.set(key, (e = { key: this.byKey.size, labels: [] }));
      return e;
    };
    const need: number[] = [];
    const needAt = new Uint32Array(this.labels.length + 1);
    // a curated alias overrides ESCO's labels of the same words: Finland-Swedish "kock" is a cook, not a chef
    const aliased = new Set(this.labels.filter((l) => l.kind === 'alias').map(wordsOf));
    this.labels.forEach((label, id) => {
      needAt[id] = need.length;
      if (label.kind !== 'alias' && aliased.has(wordsOf(label))) return;
      // a one-word synonym that many other concepts' labels share ("equipment", "design") names none of them;
      // a curated alias names what its file says
      if (
        (label.kind === 'alt' || label.kind === 'hidden') &&
        label.words.length === 1 &&
        this.frequency(label.words[0]!) > AMBIGUOUS_SYNONYM
      )
        return;
      if (
        label.kind === 'pref' &&
        this.morphology.language !== 'en' &&
        label.words.length === 1 &&
        this.frequency(label.words[0]!) > GENERIC_LABEL
      )
        return;
      // "suorittaa tehtävänsä" must not match every "tehtävä": a common word needs its verb too
      // so must a word short enough that stemming meets it in other words ("arbeta i lag": "lagar", "lager")
      label.find =
        label.lightDropped &&
        label.words.length === 1 &&
        (this.frequency(label.words[0]!) > COMMON_WORD_LABELS ||
          (label.single!.length <= SHORT_WORD && label.words[0]!.some((k) => !k.startsWith('='))))
          ? [...label.lightWords, ...label.words]
          : label.words;
      for (const word of label.find) need.push(word.length, ...word.map((k) => entry(k).key));
      let rarest = label.words[0]!;
      let cost = Infinity;
      for (const word of label.words) {
        const c = word.reduce((sum, k) => sum + (this.conceptsByKey.get(k)?.count ?? 0), 0);
        if (c < cost) {
          cost = c;
          rarest = word;
        }
      }
      for (const key of new Set(rarest)) entry(key).labels.push(id);
    });
    needAt[this.labels.length] = need.length;
    this.need = Uint32Array.from(need);
    this.needAt = needAt;
    this.seen = new Uint32Array(this.labels.length);
    this.present = new Uint32Array(this.byKey.size);
    this.stamp = 0;
    this.indexed = true;
  }

  /** Labels whose every content word occurs in the sentence, close together. */
  match(
    text: string,
    sentence: Sentence,
    prepared: PreparedSentence = prepareSentence(this.morphology, sentence),
  ): LexicalMatch[] {
    if (!this.indexed) this.buildIndex();
    if (this.stamp === 0xffffffff) {
      this.seen.fill(0);
      this.present.fill(0);
      this.stamp = 0;
    }
    const stamp = ++this.stamp;
    const { seen, present, need, needAt } = this;
    const entries: { key: number; labels: number[] }[] = [];
    for (const key of prepared.at.keys()) {
      const e = this.byKey.get(key);
      if (!e) continue;
      present[e.key] = stamp;
      entries.push(e);
    }
    // each label once, in the order its keys occur; most fail at once for a word the sentence lacks
    const matches: LexicalMatch[] = [];
    for (const e of entries) {
      for (const id of e.labels) {
        if (seen[id] === stamp) continue;
        seen[id] = stamp;
        if (!hasAll(need, needAt[id]!, needAt[id + 1]!, present, stamp)) continue;
        const m = this.matchLabel(this.labels[id]!, text, sentence, prepared);
        if (m) matches.push(m);
      }
    }
    return matches;
  }

  private matchLabel(
    label: IndexedLabel,
    text: string,
    sentence: Sentence,
    prepared: PreparedSentence,
  ): LexicalMatch | undefined {
    const { tokens, stop } = prepared;
    const words = label.find!;
    const lightDropped = label.lightDropped && words === label.words;
    const found = place(words, prepared);
    if (!found) return undefined;
    const positions = [...new Set(found.positions)].sort((a, b) => a - b);
    // a one-verb label matches the verb as a skill is named (infinitive, action noun), not a finite form; a job
    // ad's second person names a duty ("hitsaat"), unless the verb is one of many labels ("suunnittelet")
    if (label.single !== undefined && positions.length === 1) {
      const finite = addressed(
        this.morphology.finiteFormOf(tokens[positions[0]!]!.text, label.single),
        tokens,
        positions[0]!,
      );
      if (
        finite === 'other person' ||
        (finite === 'second person' && this.frequency(label.words[0]!) > COMMON_WORD_LABELS)
      )
        return undefined;
    }
    // a title's words keep their order ("kohteen johtaja" is not in "työnjohtajaa asuinkerrostalokohteeseen");
    // a qualified one ("kokoonpanotyöntekijä, korut") is also written the other way round
    if (
      this.baseForms &&
      this.morphology.language !== 'en' &&
      !label.label.includes(',') &&
      found.positions.some((p, i) => i > 0 && p < found.positions[i - 1]!)
    )
      return undefined;
    // a label's first word as the rule followed is not the deed: "läkemedel enligt ordination" prescribes nothing
    if (words.length >= 2 && followsRule(tokens, found.positions[0]!)) return undefined;
    // a hiring verb someone else does states the need, not a skill: "datakeskus rekrytoi työntekijöitä" is no
    // "rekrytoida työntekijöitä", while the recruiter's "rekrytoit" is their duty
    const verb = label.label.split(/\s+/u)[0]!.toLowerCase();
    if (
      positions.length > 1 &&
      HIRING_VERBS.has(verb) &&
      addressed(this.morphology.finiteFormOf(tokens[found.positions[0]!]!.text, verb), tokens, found.positions[0]!) ===
        'other person'
    )
      return undefined;
    // a compound written as two words spans both: "logistiikan suunnittelijoita" is one name, not a modifier apart
    const covered = [...positions];
    found.positions.forEach((p, i) => {
      if (words[i]!.some((k) => prepared.openCompounds.has(`${p} ${k}`)) && !covered.includes(p - 1))
        covered.push(p - 1);
    });
    covered.sort((a, b) => a - b);
    const first = covered[0]!;
    const last = covered[covered.length - 1]!;
    // words met in the reverse of the label's order across "och"/"ja" belong to two coordinated phrases:
    // "sköter kassan och ansvarar för …" is no "ansvara för kassa" (English titles invert: "Sales and Marketing
    // Manager" holds a marketing manager)
    if (
      this.morphology.language !== 'en' &&
      reversedAcrossCoordination(
        found.positions,
        tokens,
        (from, to) =>
          sharesHead(this.morphology, tokens, stop, from, to) || modifiesList(this.morphology, tokens, stop, from, to),
      )
    )
      return undefined;
    if (
      this.morphology.language === 'fi' &&
      siblingsInList(this.morphology, text, label.label, positions, tokens, stop)
    )
      return undefined;
    // "serverar mat och dryck, rekommenderar viner": the wines are recommended, not served
    if (
      this.morphology.language === 'sv' &&
      this.swedishVerbs.has(verb) &&
      found.positions.some(
        (p, i) =>
          i > 0 &&
          p > found.positions[0]! &&
          objectOfAnother((w) => this.isSwedishFinite(w), tokens, stop, found.positions[0]!, p),
      )
    )
      return undefined;
    // a label's word in the genitive before another noun modifies that noun: in "asiakkaiden toimintakyvyn
    // arviointi" what is assessed is the capacity, not the customers
    if (
      this.morphology.language === 'fi' &&
      label.words.length >= 2 &&
      modifiesAnother(this.morphology, text, positions, tokens, stop)
    )
      return undefined;
    // adjacent = nothing but function words between the matched words ("drive a forklift")
    const onlyStopwordsBetween = (from: number, to: number) => {
      for (let p = from + 1; p < to; p++) if (!stop[p]) return false;
      return /^[^.;:!?\n]*$/.test(text.slice(tokens[from]!.end, tokens[to]!.start));
    };
    let contiguous = true;
    for (let i = 1; i < positions.length; i++) {
      if (onlyStopwordsBetween(positions[i - 1]!, positions[i]!)) continue;
      contiguous = false;
      // a curated alias is a phrase as people write it: its words together, or shared across a coordination
      // ("klipper och färgar hår"), not apart by a modifier of their own ("ketterän projektinhallinnan menetelmät");
      // a verb and its object may hold the object's modifier between them ("vastaat asiakkaiden puheluihin", "du
      // svarar på kundernas samtal")
      if (label.kind !== 'alias') continue;
      const from = positions[i - 1]!;
      const to = positions[i]!;
      const verb =
        this.morphology.isVerb(tokens[from]!.text) ||
        (this.morphology.language === 'sv' && tokens[from - 1]?.text.toLowerCase() === 'du');
      if (
        verb &&
        prepared.contentBefore[to]! - prepared.contentBefore[from + 1]! <= 1 &&
        /^[^.;:!?\n,]*$/.test(text.slice(tokens[from]!.end, tokens[to]!.start))
      )
        continue;
      let coordinated = false;
      for (let p = from + 1; p < to && !coordinated; p++) coordinated = CONJUNCTIONS.has(tokens[p]!.text.toLowerCase());
      if (!coordinated) return undefined;
    }
    // a compound of the label's word and a light verb's action noun is the label in one word: "haavanhoito" is
    // "hoitaa haavaa", "kassatyöskentely" "hoitaa kassaa", though the content word is only its modifier
    if (lightDropped && label.single !== undefined && positions.length === 1 && found.weights[0]! < COMPOUND_LABEL)
      if (prepared.light[positions[0]!]) found.weights[0] = COMPOUND_LABEL;
    // otherwise a light verb's one object found only as a part of another compound ("tilintarkastusyhteisö" for
    // "työskennellä yhteisöissä", "teet tilintarkastuksia" for "tehdä tarkastuksia") names a different thing
    if (label.lightDropped && label.words.length === 1 && found.weights[found.weights.length - 1]! < LOOSE_PART)
      return undefined;
    // a label's last word met only as the modifier of a compound names that compound's head's kind: "ledning av
    // gruppmotion" leads exercise, not a group
    if (label.words.length >= 2 && found.weights[found.weights.length - 1]! <= MODIFIER_PART) return undefined;
    const weight = found.weights.reduce((a, b) => a + b, 0) / found.weights.length;
    const score = KIND_SCORE[label.kind] * weight * (contiguous ? 1 : 0.92) * (lightDropped ? 0.97 : 1);
    const spans: { start: number; end: number }[] = [];
    let previous = -1;
    for (const p of covered) {
      const t = tokens[p]!;
      const span = spans[spans.length - 1];
      if (span && previous >= 0 && onlyStopwordsBetween(previous, p)) span.end = t.end;
      else spans.push({ start: t.start, end: t.end });
      previous = p;
    }
    return {
      uri: label.uri,
      label: label.label,
      kind: label.kind,
      score: Math.round(score * 1000) / 1000,
      method: label.kind === 'alias' ? 'alias' : 'lexical',
      sentenceIndex: sentence.index,
      spans,
      start: tokens[first]!.start,
      end: tokens[last]!.end,
      words: label.words,
    };
  }

  /** A Swedish present or past form of a skill label's verb ("serverar", "säljer", "tar"). */
  private isSwedishFinite(word: string): boolean {
    const w = word.toLowerCase();
    return (
      (w.endsWith('r') && this.swedishVerbs.has(w.slice(0, -1))) ||
      (w.endsWith('er') && this.swedishVerbs.has(`${w.slice(0, -2)}a`))
    );
  }

  /** In how many concepts' labels the rarest key of a word occurs. */
  private frequency(keys: string[]): number {
    return Math.min(...keys.map((k) => this.conceptsByKey.get(k)?.count ?? 0));
  }
}

/** Whether a matched word is a genitive that, right before a word the label does not hold, modifies that word. */
function modifiesAnother(m: Morphology, text: string, positions: number[], tokens: Token[], stop: boolean[]): boolean {
  return positions.some((p) => {
    const next = tokens[p + 1];
    if (!next || stop[p + 1] || positions.includes(p + 1)) return false;
    if (text.slice(tokens[p]!.end, next.start) !== ' ') return false;
    // a genitive shared by a list, "hiusten leikkaus, värjäys ja kampaukset", modifies the label's word too
    const later = positions.find((q) => q > p + 1);
    if (later !== undefined && /,|\s(?:ja|sekä|tai)\s/u.test(text.slice(next.end, tokens[later]!.start))) return false;
    // a verb's object before a place ("lastaat ajoneuvon terminaalissa") modifies nothing
    if (m.isVerb(tokens[p - 1]?.text ?? '') && LOCAL_CASE.test(next.text)) return false;
    // "X:n osaaminen", "X:n menetelmät" still name X
    if ([...m.keys(next.text)].some(([k, w]) => w >= 0.9 && NAMES_ITS_GENITIVE.has(k))) return false;
    return m.openCompound(tokens[p]!.text, next.text).length > 0;
  });
}

/** Finnish local-case endings (inessive, elative, adessive, ablative): where, not what. */
const LOCAL_CASE = /(?:ssa|ssä|sta|stä|lla|llä|lta|ltä)$/u;

/** Finnish nouns whose genitive names the skill itself: knowing it (SKILL_HEADS) and its methods. */
const NAMES_ITS_GENITIVE = new Set([
  ...SKILL_HEADS,
  'pätevyys',
  'menetelmä',
  'periaate',
  'peruste',
  'tekniikka',
  'koulutus',
]);

/** Whether the word at p names what is followed: after "enligt", before "mukaan" or "mukaisesti". */
function followsRule(tokens: Token[], p: number): boolean {
  return (
    /^enligt$/iu.test(tokens[p - 1]?.text ?? '') || /^(?:mukaan|mukaisesti|mukaisen)$/iu.test(tokens[p + 1]?.text ?? '')
  );
}

/** Verbs of hiring that open skills' labels (Finnish and Swedish infinitives). */
export const HIRING_VERBS: ReadonlySet<string> = new Set(['rekrytoida', 'palkata', 'rekrytera', 'anställa']);

/**
 * Swedish marks no person on the verb: "du" before it in its sentence ("Du fakturerar", "du även svetsar", "Du lagar
 * lunch, bakar och städar") makes a duty.
 */
function addressed(finite: FiniteForm | undefined, tokens: Token[], p: number): FiniteForm | undefined {
  if (finite !== 'other person') return finite;
  for (let q = p - 1; q >= 0; q--) if (/^(?:du|ni)$/i.test(tokens[q]!.text)) return 'second person';
  return finite;
}

/** Whether every word of a label has a key present in the sentence (see `LabelIndex.need`). */
function hasAll(need: Uint32Array, from: number, to: number, present: Uint32Array, stamp: number): boolean {
  let i = from;
  while (i < to) {
    const end = i + 1 + need[i]!;
    let found = false;
    for (let j = i + 1; j < end && !found; j++) found = present[need[j]!] === stamp;
    if (!found) return false;
    i = end;
  }
  return true;
}

/**
 * A sentence as the label indexes of its language see it: its tokens, which of them are function words, and
 * where each matching key occurs. Made once per sentence, it serves the skill and the occupation index alike.
 */
export interface PreparedSentence {
  tokens: Token[];
  stop: boolean[];
  /** per position, how many tokens before it are not function words (one more entry than tokens) */
  contentBefore: number[];
  /** per position, how many commas, semicolons or colons come before it: list items apart */
  pausesBefore: number[];
  /** which tokens hold a light verb among their keys ("haavanhoito": "hoitaa") */
  light: boolean[];
  /** key → the token positions carrying it (ascending) with the weight of each */
  at: Map<string, { positions: number[]; weights: number[] }>;
  /** "position key" of each key a compound written as two words gives its head (the word before is its modifier) */
  openCompounds: Set<string>;
}

/**
 * The parts of a closed compound the labels' own words make up, for a language whose morphology does not split
 * them (Swedish: "kontorsstädning" holds "städning", "avfallssortering" "avfall" and "sortering"). Built from the
 * words of the taxonomy's labels; the last part is the head.
 */
export class CompoundSplitter {
  /** every key of weight ≥ 0.9 of the labels' words: their stems and the verbs of their action nouns */
  private readonly known = new Set<string>();
  /** the keys of words that only open a skill's label (its verb: "diska"), met by their action nouns alone */
  private readonly verbs = new Set<string>();
  private readonly cache = new Map<string, [string, number][]>();

  constructor(
    private readonly morphology: Morphology,
    labels: string[],
    /** labels whose first word is a verb (skills, not knowledge) */
    verbFirst: Iterable<string> = [],
  ) {
    const keysOf = (word: string) =>
      [...morphology.keys(word)].filter(([k, w]) => w >= 0.9 && !k.startsWith('=')).map(([k]) => k);
    const words = (label: string) =>
      tokenize(label)
        .map((t) => t.text.toLowerCase())
        .filter((w) => w.length >= MIN_PART && !morphology.isStopword(w));
    const verbLabels = new Set(verbFirst);
    const firsts = new Set<string>();
    const others = new Set<string>();
    for (const label of labels)
      for (const w of words(label))
        for (const k of keysOf(w)) {
          this.known.add(k);
          if (!verbLabels.has(label)) others.add(k);
        }
    for (const label of verbLabels) {
      const [first, ...rest] = tokenize(label).map((t) => t.text.toLowerCase());
      if (first) for (const k of keysOf(first)) firsts.add(k);
      for (const w of rest) for (const k of keysOf(w)) others.add(k);
    }
    // a compound's head is a noun: it meets a verb only as the verb's action noun ("lånedisken" is no "diska")
    for (const k of firsts)
      if (!others.has(k)) {
        this.known.delete(k);
        this.verbs.add(k);
      }
  }

  /** Keys of the parts of `word`: its longest head that is a label word (0.8) and what comes before it (0.7). */
  keys(word: string): [string, number][] {
    const lower = word.toLowerCase();
    let found = this.cache.get(lower);
    if (found) return found;
    found = [];
    // a word of the labels itself is matched whole; an adjective or adverb ("periodiskt", "tekniska") has no head,
    // nor a product's name in inner capitals ("TypeScript")
    if (
      lower.length >= 2 * MIN_PART &&
      !/\p{Ll}\p{Lu}/u.test(word) &&
      /^\p{L}+$/u.test(lower) &&
      !ADJECTIVE_ENDING.test(lower) &&
      !this.known.has(this.morphology.stem(lower))
    ) {
      for (let i = MIN_PART; i <= lower.length - MIN_PART; i++) {
        const head = lower.slice(i);
        // a label word, or the verb of one ("sortering" of "sortera avfall": only then the morphology's keys)
        if (!this.known.has(this.morphology.stem(head)) && !(ACTION_NOUN.test(head) && this.verbKnown(head))) continue;
        // the head's keys, its verb included, as the head of a compound weighs
        for (const [k, w] of this.morphology.keys(head)) if (!k.startsWith('=')) found.push([k, 0.8 * w]);
        const modifier = lower.slice(0, i);
        // with or without a linking s ("kontors-", "avfalls-")
        const forms = /[^s]s$/.test(modifier) ? [modifier, modifier.slice(0, -1)] : [modifier];
        const known = forms.find((m) => m.length >= MIN_PART && this.known.has(this.morphology.stem(m)));
        if (known) found.push([this.morphology.stem(known), 0.7]);
        break;
      }
    }
    if (this.cache.size > 100_000) this.cache.clear();
    this.cache.set(lower, found);
    return found;
  }

  private verbKnown(head: string): boolean {
    for (const [k, w] of this.morphology.keys(head))
      if (w >= 0.9 && (this.known.has(k) || this.verbs.has(k))) return true;
    return false;
  }
}

/** Swedish adjective and adverb endings: such a word is no compound of a noun head ("perio-diskt"). */
const ADJECTIVE_ENDING = /(?:isk|iskt|iska|lig|ligt|liga)$/u;

/** A Swedish action noun, whose verb may be the label's word ("sortering", "städningen"). */
const ACTION_NOUN = /(?:ing|ning|ering)(?:en|ar|arna)?$/;

/** The shortest part of a compound the splitter looks for. */
const MIN_PART = 4;

/**
 * The sentence with the parts of its closed compounds as keys too (see CompoundSplitter), each position kept in
 * order; the sentence as prepared stays as it was, for the indexes that do not read parts.
 */
export function withCompounds(prepared: PreparedSentence, compounds: CompoundSplitter): PreparedSentence {
  const at = new Map(prepared.at);
  prepared.tokens.forEach((t, p) => {
    if (prepared.stop[p]) return;
    for (const [key, w] of compounds.keys(t.text)) {
      if (!(w > 0)) continue;
      const list = at.get(key);
      const positions = list ? [...list.positions] : [];
      const weights = list ? [...list.weights] : [];
      let i = positions.length;
      while (i > 0 && positions[i - 1]! > p) i--;
      positions.splice(i, 0, p);
      weights.splice(i, 0, w);
      at.set(key, { positions, weights });
    }
  });
  return { ...prepared, at };
}

export function prepareSentence(m: Morphology, sentence: Sentence): PreparedSentence {
  const tokens = tokenize(sentence.text, sentence.start);
  const stop = tokens.map((t) => m.isStopword(t.text.toLowerCase()));
  // "Työhön kuuluu …", "Arbetet omfattar …": the frame of a list of duties names no skill ("supervise work")
  const frame = DUTY_FRAME[m.language].exec(sentence.text);
  const framed = frame?.[1] ?? frame?.[2];
  if (framed) tokens.forEach((t, p) => t.end - sentence.start <= framed.length && (stop[p] = true));
  const at = new Map<string, { positions: number[]; weights: number[] }>();
  const add = (key: string, p: number, w: number) => {
    if (!(w > 0)) return;
    let list = at.get(key);
    if (!list) at.set(key, (list = { positions: [], weights: [] }));
    list.positions.push(p);
    list.weights.push(w);
  };
  const light = tokens.map(() => false);
  const openCompounds = new Set<string>();
  tokens.forEach((t, p) => {
    if (stop[p]) return;
    for (const [key, w] of m.keys(coordinated(m, tokens, p, sentence) ?? t.text)) {
      add(key, p, w);
      if (m.lightKeys.has(key)) light[p] = true;
    }
    // a compound written as two words ("kyberturvallisuuden asiantuntija"), found at its head
    const before = tokens[p - 1];
    if (before && !stop[p - 1] && sentence.text.slice(before.end - sentence.start, t.start - sentence.start) === ' ')
      for (const key of m.openCompound(before.text, t.text)) {
        add(key, p, OPEN_COMPOUND);
        openCompounds.add(`${p} ${key}`);
      }
  });
  const contentBefore = [0];
  tokens.forEach((_, p) => contentBefore.push(contentBefore[p]! + (stop[p] ? 0 : 1)));
  const pausesBefore: number[] = [];
  let pauses = 0;
  tokens.forEach((t, p) => {
    if (p > 0)
      pauses +=
        sentence.text.slice(tokens[p - 1]!.end - sentence.start, t.start - sentence.start).match(/[,;:]/g)?.length ?? 0;
    pausesBefore.push(pauses);
  });
  return { tokens, stop, light, contentBefore, pausesBefore, at, openCompounds };
}

/** The words opening a sentence that lists duties or frames them ("I arbetet övervakar du"); its group names no skill. */
const DUTY_FRAME: Record<Language, RegExp> = {
  fi: /^((?:työ|työtehtäv|tehtäv|toimenkuv)\p{L}*)\s+(?:kuuluu|kuuluvat|sisältää|sisältävät|on|ovat)(?![\p{L}\d])/iu,
  sv: /^((?:i\s+)?(?:arbetet|jobbet|tjänsten|uppdraget|arbetsuppgifterna|uppgifterna))\s+(?:omfattar|består|innebär|ingår|är|inkluderar)(?![\p{L}\d])|^(i\s+(?:ditt\s+|det\s+nya\s+)?(?:arbetet|arbete|jobbet|rollen|tjänsten|uppdraget))\s/iu,
  en: /^((?:the\s+)?(?:work|job|role|duties|your\s+duties))\s+(?:includes?|involves?|consists?|covers?)(?![\p{L}\d])|^(in\s+(?:this|the|your)\s+(?:role|job|work|position))\b/iu,
};

/** How much a compound of a label's content word and its light verb's action noun counts ("haavanhoito"). */
const COMPOUND_LABEL = 0.9;

/** Below this weight a word is only a part of a compound of the text, not the word itself nor its verb. */
const LOOSE_PART = 0.85;

/** The weight of a compound's modifier (its head weighs more, see CompoundSplitter and Voikko's parts). */
const MODIFIER_PART = 0.7;

/** How much a compound written as two words counts, against the one word. */
const OPEN_COMPOUND = 0.85;

const CONJUNCTIONS = new Set(['ja', 'tai', 'sekä', 'och', 'eller', 'samt', 'and', 'or']);

/**
 * Whether a label's words, in the label's order, go backwards in the text over a conjunction. (Not over a comma:
 * titles invert that way, "Nurse, Registered".)
 */
function reversedAcrossCoordination(
  positions: number[],
  tokens: Token[],
  /** whether the words from..to are genitives before a head they share ("A:n ja B:n asennus") */
  sharedHead: (from: number, to: number) => boolean,
): boolean {
  for (let i = 1; i < positions.length; i++) {
    const later = positions[i - 1]!;
    const earlier = positions[i]!;
    if (earlier > later || sharedHead(earlier, later)) continue;
    for (let p = earlier + 1; p < later; p++) if (CONJUNCTIONS.has(tokens[p]!.text.toLowerCase())) return true;
  }
  return false;
}

/**
 * Whether two of a Finnish label's words are items of one list: a noun that ends its item (a comma or a
 * conjunction follows it) and a word of a later item. "suunnittelu, toteutus ja arviointi" is no "suunnitella
 * arviointia"; a verb's object may follow its list ("asentaa ja huoltaa laitteita"), a genitive modify all of
 * them ("asiakkaiden palvelu ja neuvonta"), and a label that is itself a list keeps its conjunction.
 */
function siblingsInList(
  m: Morphology,
  text: string,
  label: string,
  positions: number[],
  tokens: Token[],
  stop: boolean[],
): boolean {
  if (positions.length < 2 || /\s(ja|tai|sekä)\s/i.test(label)) return false;
  const boundaryAfter = (p: number) =>
    text.slice(tokens[p]!.end, tokens[p + 1]!.start).includes(',') ||
    CONJUNCTIONS.has(tokens[p + 1]!.text.toLowerCase());
  for (let i = 0; i < positions.length - 1; i++) {
    const from = positions[i]!;
    const to = positions[i + 1]!;
    // a verb's object may follow a list of verbs ("asennat ja huollat laitteita"), but not a verb that has taken
    // an object of its own first: in "tarjoilet ruoat ja juomat, suosittelet viinejä" the wines are recommended
    if (m.isVerb(tokens[from]!.text)) {
      if (objectOfAnother((w) => m.isVerb(w), tokens, stop, from, to)) return true;
      continue;
    }
    // coordinated genitives share the head after them: "ilmalämpöpumppujen ja maalämpöjärjestelmien asennusta"
    if (sharesHead(m, tokens, stop, from, to)) continue;
    // the noun ends its item, or the later word's item has a modifier of its own ("putkistojen asennusta,
    // lämmityslaitteiden korjausta"): two items, not one phrase
    if (boundaryAfter(from)) return true;
    let last = -1;
    for (let p = from + 1; p < to; p++) if (boundaryAfter(p)) last = p;
    if (last < 0) continue;
    for (let p = last + 1; p < to; p++) if (!stop[p] && !CONJUNCTIONS.has(tokens[p]!.text.toLowerCase())) return true;
  }
  return false;
}

/** Whether a later verb between the verb at `from` and the word at `to` comes after words of the first verb's own. */
function objectOfAnother(
  isVerb: (word: string) => boolean,
  tokens: Token[],
  stop: boolean[],
  from: number,
  to: number,
): boolean {
  let own = false;
  for (let p = from + 1; p < to; p++) {
    const word = tokens[p]!.text;
    if (isVerb(word)) {
      if (own) return true;
    } else if (!stop[p] && !CONJUNCTIONS.has(word.toLowerCase())) own = true;
  }
  return false;
}

/** Whether the genitive at `from` modifies a short list of heads that ends at `to` ("tavaroiden lastaus ja purku"). */
function modifiesList(m: Morphology, tokens: Token[], stop: boolean[], from: number, to: number): boolean {
  if (!m.isGenitive(tokens[from]!.text) || m.isVerb(tokens[to]!.text)) return false;
  let heads = 0;
  let joined = false;
  for (let p = from + 1; p < to; p++) {
    const word = tokens[p]!.text;
    if (CONJUNCTIONS.has(word.toLowerCase())) joined = true;
    else if (stop[p] || m.isGenitive(word) || m.isVerb(word)) return false;
    else heads++;
  }
  return joined && heads >= 1 && heads <= 2;
}

/** Whether the genitive at `from` and every word up to `to` but conjunctions are a list of genitives before `to`. */
function sharesHead(m: Morphology, tokens: Token[], stop: boolean[], from: number, to: number): boolean {
  if (to - from < 3 || !m.isGenitive(tokens[from]!.text)) return false;
  for (let p = from + 1; p < to; p++) {
    const word = tokens[p]!.text;
    if (!(CONJUNCTIONS.has(word.toLowerCase()) || (!stop[p] && m.isGenitive(word)))) return false;
  }
  return true;
}

/**
 * The whole word a hyphen-ended part of a coordinated compound stands for: "MIG-" in "MIG- ja TIG-hitsausta"
 * is "MIG-hitsausta", "el-" in "el- och VVS-installationer" "el-installationer", "sähkö-" in "sähkö- ja
 * automaatioasennuksiin" "sähköasennuksiin".
 */
function coordinated(m: Morphology, tokens: Token[], p: number, sentence: Sentence): string | undefined {
  const t = tokens[p]!;
  // "ilmanvaihtokanavia ja -koneita": a head after a hyphen takes the modifier of the compound before the "ja"
  const conj = tokens[p - 1];
  const before = tokens[p - 2];
  if (
    conj &&
    before &&
    CONJUNCTIONS.has(conj.text.toLowerCase()) &&
    sentence.text.slice(conj.end - sentence.start, t.start - sentence.start) === ' -'
  ) {
    const head = m.compoundHead(before.text);
    if (head !== undefined) return `${before.text.slice(0, before.text.length - head.length)}${t.text}`;
  }
  // "MIG/MAG-hitsausta": the part before the slash takes the head after the hyphen
  const slashed = tokens[p + 1];
  if (slashed && sentence.text.slice(t.end - sentence.start, slashed.start - sentence.start) === '/') {
    const hyphen = slashed.text.indexOf('-');
    return hyphen > 0 ? `${t.text}-${slashed.text.slice(hyphen + 1)}` : undefined;
  }
  const conjunction = tokens[p + 1];
  const whole = tokens[p + 2];
  if (!conjunction || !whole || !CONJUNCTIONS.has(conjunction.text.toLowerCase())) return undefined;
  if (sentence.text[t.end - sentence.start] !== '-') return undefined;
  const hyphen = whole.text.lastIndexOf('-');
  if (hyphen > 0 && hyphen < whole.text.length - 1) return `${t.text}-${whole.text.slice(hyphen + 1)}`;
  // "sähkö- ja automaatioasennuksiin": the modifier takes the head of the closed compound
  const head = m.compoundHead(whole.text);
  if (head === undefined) return undefined;
  // Finnish writes a hyphen where the same vowel meets itself: "automaatio-" + "osaamista" is "automaatio-osaamista"
  const clash = /[aeiouyäö]$/i.test(t.text) && t.text.slice(-1).toLowerCase() === head[0]!.toLowerCase();
  return `${t.text}${clash ? '-' : ''}${head}`;
}

/**
 * A label's readings with one part of its coordinated compound, as a text naming only that part says it:
 * "asentaa sähkö- ja elektroniikkalaitteita" also as "asentaa elektroniikkalaitteita" and (Finnish, whose
 * compound heads the morphology finds) "asentaa sähkölaitteita"; "installera vatten- och avloppssystem" as
 * "installera avloppssystem".
 */
export function coordinationVariants(m: Morphology, label: string): string[] {
  const found = /((?:[\p{L}\d]+-,? )+)(?:ja|tai|sekä|och|eller|samt) ([\p{L}\d-]+)/u.exec(label);
  if (!found) return [];
  const before = label.slice(0, found.index);
  const after = label.slice(found.index + found[0].length);
  const whole = found[2]!;
  const hyphen = whole.lastIndexOf('-');
  const head =
    hyphen > 0 ? whole.slice(hyphen + 1) : m.language === 'fi' ? m.compoundHead(whole.toLowerCase()) : undefined;
  // the last item must be a compound: "hygienia- ja muuta lainsäädäntöä" shares no head
  if (!head && (m.language === 'fi' || whole.length < 8)) return [];
  const variants = [`${before}${whole}${after}`];
  // one part alone must still say what the label does with it: "hoitaa asiakas- ja yleisösuhteita" is no
  // "hoitaa asiakassuhteita" (a light verb and one word)
  const meaningful = (variant: string) => {
    const words = tokenize(variant)
      .map((t) => t.text.toLowerCase())
      .filter((w) => !m.isStopword(w));
    const content = words.filter((w) => !m.isLightVerb(w)).length;
    return content >= 2 || (content === 1 && content === words.length);
  };
  // the modifiers take the head only when the last item's own modifier is one word: "liikuntalääketiede" shares
  // "lääketiede", not "tiede"
  const own = head && hyphen < 0 ? whole.slice(0, whole.length - head.length) : '';
  if (!head || (own && [...m.keys(own)].some(([, w]) => w < 0.9))) return variants.filter(meaningful);
  for (const part of found[1]!.split(/,?\s+/).filter(Boolean)) {
    const modifier = part.replace(/-$/, '');
    const clash = hyphen > 0 || (/[aeiouyäö]$/i.test(modifier) && modifier.slice(-1) === head[0]!.toLowerCase());
    variants.push(`${before}${modifier}${clash ? '-' : ''}${head}${after}`);
  }
  return variants.filter(meaningful);
}

/** The occurrences of a label word (any of its keys) in the sentence, ascending, with the best weight at each. */
function occurrences(
  keys: string[],
  at: PreparedSentence['at'],
): { positions: number[]; weights: number[] } | undefined {
  if (keys.length === 1) return at.get(keys[0]!);
  const best = new Map<number, number>();
  for (const k of keys) {
    const list = at.get(k);
    if (!list) continue;
    list.positions.forEach((p, i) => {
      if (list.weights[i]! > (best.get(p) ?? 0)) best.set(p, list.weights[i]!);
    });
  }
  if (best.size === 0) return undefined;
  const positions = [...best.keys()].sort((a, b) => a - b);
  return { positions, weights: positions.map((p) => best.get(p)!) };
}

/**
 * Finds, for each content word, the best token within a window of the first word's occurrences; undefined when
 * a word is missing. Of equally good tokens the nearest wins, the earlier on a tie; of equally good anchors, the
 * earliest.
 */
function place(words: string[][], prepared: PreparedSentence): { positions: number[]; weights: number[] } | undefined {
  const n = words.length;
  const occ: { positions: number[]; weights: number[] }[] = [];
  for (const w of words) {
    const o = occurrences(w, prepared.at);
    if (!o) return undefined;
    occ.push(o);
  }
  const window = n === 1 ? 1 : n * 2 + 1;
  // the window counts the words that carry meaning, not function words and conjunctions between them
  // ("installerar och reparerar vatten- och avloppssystem")
  const contentBefore = prepared.contentBefore;
  const apart = (a: number, b: number) =>
    a < b ? contentBefore[b + 1]! - contentBefore[a]! : contentBefore[a + 1]! - contentBefore[b]!;
  let best: { positions: number[]; weights: number[]; total: number; span: number } | undefined;
  const first = occ[0]!;
  for (let a = 0; a < first.positions.length; a++) {
    const anchor = first.positions[a]!;
    const apartByPause = (q: number) => prepared.pausesBefore[q] !== prepared.pausesBefore[anchor];
    const positions = [anchor];
    const weights = [first.weights[a]!];
    let ok = true;
    for (let i = 1; i < n && ok; i++) {
      let bestPos = -1;
      let bestW = 0;
      const o = occ[i]!;
      for (let j = 0; j < o.positions.length; j++) {
        const p = o.positions[j]!;
        if (p < anchor && apart(p, anchor) > window) continue;
        if (p > anchor && apart(anchor, p) > window) break;
        if (positions.includes(p)) continue;
        const w = o.weights[j]!;
        // of equally good words, one in the anchor's own list item, then the nearest
        const closer =
          bestPos < 0 ||
          (apartByPause(bestPos) && !apartByPause(p)) ||
          (apartByPause(bestPos) === apartByPause(p) && Math.abs(p - anchor) < Math.abs(bestPos - anchor));
        if (w > bestW || (w === bestW && closer)) {
          bestW = w;
          bestPos = p;
        }
      }
      if (bestPos < 0) ok = false;
      else {
        positions.push(bestPos);
        weights.push(bestW);
      }
    }
    if (!ok) continue;
    let lo = anchor;
    let hi = anchor;
    for (const p of positions) {
      if (p < lo) lo = p;
      if (p > hi) hi = p;
    }
    if (apart(lo, hi) > window) continue;
    const total = weights.reduce((s, w) => s + w, 0);
    // as good a find closer together is the phrase: a word said twice is met where the others are
    if (!best || total > best.total || (total === best.total && hi - lo < best.span))
      best = { positions, weights, total, span: hi - lo };
  }
  return best;
}
