import { compareCodeUnits } from '../base/compare.js';
import type { OccupationResult } from '../domain/analysis.js';
import { LANGUAGES, type Language } from '../domain/language.js';
import { iscoCodeOf, ISCO_GROUP_URI, type TaxonomyData } from '../domain/taxonomy.js';
import { LabelIndex, type LexicalMatch, type PreparedSentence } from './lexicon.js';
import type { Morphology } from './morphology.js';
import type { Sentence } from './text.js';

type Occupation = TaxonomyData['occupations'][number];

/**
 * Lexical matches scoring below this (loose compound-part or hyphen-part matches, 0.95 × 0.7) name no occupation on
 * their own; a qualified label's head written as two words (0.8 × 0.85: "koulunkäynnin ohjaaja") does.
 */
const MENTION_SCORE = 0.675;
type Names = Occupation['names'];

/** A title names an occupation in one piece: its words may be apart by a space or a hyphen, not by other words. */
const contiguous = (m: LexicalMatch) => m.spans.every((span, i) => i === 0 || span.start - m.spans[i - 1]!.end <= 2);

/**
 * The heads of ESCO's qualified labels ("kokoonpanotyöntekijä, korut", "svetsare, manuell") as people write them.
 * A head that is no label of its own names the one occupation whose labels have it, or the ISCO-08 unit group
 * (its ESCO URI) when occupations of one group share it, or nothing when it spans groups. A head of exactly one
 * occupation's preferred label names that occupation even where another of its unit group has it as a synonym:
 * "svetsare" is the welder ("svetsare, manuell"), not the pipe welder that lists "svetsare" among its synonyms.
 * A head its unit group's occupations share is the group's name, as good as an ESCO synonym ("koulunkäynninohjaaja").
 */
export function headLabels(
  labels: TaxonomyData['occupationLabels'],
  iscoOf: Map<string, string>,
): { uri: string; lang: Language; label: string; kind: 'pref' | 'alt' | 'hidden' }[] {
  const out: { uri: string; lang: Language; label: string; kind: 'pref' | 'alt' | 'hidden' }[] = [];
  for (const lang of LANGUAGES) {
    const own = labels.filter((l) => l.lang === lang && iscoOf.has(l.uri));
    const preferred = new Set(own.filter((l) => l.kind === 'pref').map((l) => l.label.toLowerCase()));
    const synonyms = new Map<string, Set<string>>();
    for (const l of own.filter((l) => l.kind !== 'pref')) {
      const key = l.label.toLowerCase();
      synonyms.set(key, (synonyms.get(key) ?? new Set()).add(l.uri));
    }
    const heads = new Map<string, { all: Set<string>; pref: Set<string> }>();
    for (const l of own) {
      const comma = l.label.indexOf(', ');
      if (comma <= 0) continue;
      const head = l.label.slice(0, comma);
      // "hotelli-, ravintola- ja catering-alan …": a coordinated prefix, not a name before a qualifier
      if (head.endsWith('-') || preferred.has(head.toLowerCase())) continue;
      const entry = heads.get(head) ?? { all: new Set<string>(), pref: new Set<string>() };
      entry.all.add(l.uri);
      if (l.kind === 'pref') entry.pref.add(l.uri);
      heads.set(head, entry);
    }
    for (const [label, { all, pref }] of [...heads].sort(([a], [b]) => compareCodeUnits(a, b))) {
      const holders = synonyms.get(label.toLowerCase());
      if (holders) {
        // only where the synonym means the same trade: "svetsare" (a pipe welder's synonym) is the welder, but
        // "kuljettaja" (a skipper's) is no patient transport driver
        const [one] = pref;
        if (one && pref.size === 1 && [...holders].every((u) => iscoOf.get(u) === iscoOf.get(one)))
          out.push({ uri: one, lang, label, kind: 'pref' });
        continue;
      }
      const groups = new Set([...all].map((u) => iscoOf.get(u)!));
      if (all.size === 1) out.push({ uri: [...all][0]!, lang, label, kind: 'hidden' });
      else if (groups.size === 1) out.push({ uri: `${ISCO_GROUP_URI}${[...groups][0]!}`, lang, label, kind: 'alt' });
    }
  }
  return out;
}

/**
 * Ranks ESCO occupations for a document: their fi/sv/en labels and synonyms matched in the title first, then in
 * the text, together with how well the skills found cover each occupation's essential and optional skills.
 */
export class OccupationClassifier {
  private constructor(
    private readonly indexes: Map<Language, LabelIndex>,
    private readonly occupations: Map<string, Occupation>,
    /** ISCO-08 unit groups named by a head shared by their occupations (headLabels): URI → code */
    private readonly groupNames: Map<string, string>,
    private readonly isco: Map<string, Names>,
    /** occupations by number, for the coverage arrays */
    private readonly uris: string[],
    /** skill → the numbers of the occupations that need it, with 1 for essential and 0.5 for optional */
    private readonly bySkill: Map<string, { occupations: Uint32Array; weights: Float64Array }>,
    /** occupation number → total weight of its skills */
    private readonly skillMass: Float64Array,
  ) {
    this.covered = new Float64Array(uris.length);
    this.numbers = new Map(uris.map((u, i) => [u, i]));
  }

  /** coverage per occupation number, zeroed again after each document */
  private readonly covered: Float64Array;
  private readonly numbers: Map<string, number>;

  static fromData(
    data: Pick<TaxonomyData, 'occupations' | 'occupationLabels' | 'occupationSkills' | 'iscoGroups' | 'aliases'>,
  ): OccupationClassifier {
    const indexes = new Map(LANGUAGES.map((l) => [l, new LabelIndex(l, true)] as const));
    for (const l of data.occupationLabels)
      indexes.get(l.lang)!.add({ uri: l.uri, lang: l.lang, kind: l.kind, label: l.label });
    const occupations = new Map(data.occupations.map((o) => [o.uri, o]));
    const groupNames = new Map<string, string>();
    const groups = new Set(data.iscoGroups.map((g) => g.code));
    for (const a of data.aliases) {
      const group = iscoCodeOf(a.uri);
      if (group !== undefined && groups.has(group)) groupNames.set(a.uri, group);
      else if (!occupations.has(a.uri)) continue;
      indexes.get(a.lang)!.add({ uri: a.uri, lang: a.lang, kind: 'alias', label: a.alias });
    }
    const iscoOf = new Map(data.occupations.map((o) => [o.uri, o.isco]));
    for (const h of headLabels(data.occupationLabels, iscoOf)) {
      indexes.get(h.lang)!.add({ uri: h.uri, lang: h.lang, kind: h.kind, label: h.label });
      const group = iscoCodeOf(h.uri);
      if (group !== undefined) groupNames.set(h.uri, group);
    }
    const isco = new Map(data.iscoGroups.map((g) => [g.code, g.names]));
    // only occupations of the taxonomy take part; their numbers index the coverage arrays
    const uris = [...occupations.keys()];
    const number = new Map(uris.map((u, i) => [u, i]));
    const lists = new Map<string, { occupations: number[]; weights: number[] }>();
    const skillMass = new Float64Array(uris.length);
    for (const r of data.occupationSkills) {
      const n = number.get(r.occupation);
      if (n === undefined) continue;
      const weight = r.essential ? 1 : 0.5;
      let list = lists.get(r.skill);
      if (!list) lists.set(r.skill, (list = { occupations: [], weights: [] }));
      list.occupations.push(n);
      list.weights.push(weight);
      skillMass[n]! += weight;
    }
    const bySkill = new Map(
      [...lists].map(([skill, l]) => [
        skill,
        { occupations: Uint32Array.from(l.occupations), weights: Float64Array.from(l.weights) },
      ]),
    );
    return new OccupationClassifier(indexes, occupations, groupNames, isco, uris, bySkill, skillMass);
  }

  get size(): number {
    return this.occupations.size;
  }

  /** The occupation's English name and description: evidence of the sector in any document language. */
  /** An occupation's ISCO-08 unit group, or the code of an ISCO group named as an occupation. */
  unitGroupOf(uri: string): string | undefined {
    return this.occupations.get(uri)?.isco ?? this.groupNames.get(uri);
  }

  englishProfile(uri: string): string | undefined {
    const o = this.occupations.get(uri);
    return o && `${o.names.en}. ${o.names.en}. ${o.description ?? ''}`;
  }

  /** Every label or synonym of an occupation in the sentences: inflected, plural, in compounds. */
  matchText(language: Language, text: string, sentences: Sentence[], prepared?: PreparedSentence[]): LexicalMatch[] {
    const index = this.indexes.get(language)!;
    return sentences.flatMap((sentence, i) =>
      index
        .match(text, sentence, prepared?.[i])
        .filter((m) => this.occupations.has(m.uri) || this.groupNames.has(m.uri))
        .filter((m) => language !== 'sv' || !namesField(m.label, text.slice(m.start, m.end)))
        .filter((m) => language !== 'fi' || !namesByModifier(index.morphology, text, m))
        .filter((m) => !namesQualification(language, text, m)),
    );
  }

  /**
   * The occupations named in the text, from `matchText`'s matches: those matched well enough to stand (a
   * label's words, not a loose part of one), one concept per phrase (where occurrences overlap, the best-scoring
   * label wins), in text order, each with its ISCO-08 unit group.
   */
  mentions(matches: LexicalMatch[]): (LexicalMatch & { isco: string })[] {
    const ranked = matches
      .filter((m) => m.score >= MENTION_SCORE && contiguous(m))
      .sort((a, b) => b.score - a.score || a.start - b.start || compareCodeUnits(a.uri, b.uri));
    const kept: (LexicalMatch & { isco: string })[] = [];
    for (const m of ranked) {
      if (kept.some((k) => k.sentenceIndex === m.sentenceIndex && k.start < m.end && m.start < k.end)) continue;
      kept.push({ ...m, isco: this.occupations.get(m.uri)?.isco ?? this.groupNames.get(m.uri)! });
    }
    return kept.sort((a, b) => a.start - b.start || compareCodeUnits(a.uri, b.uri));
  }

  classify(
    language: Language,
    input: {
      text: string;
      sentences: Sentence[];
      /** the sentences as prepared for the skill index of the same language, when the caller has them */
      prepared?: PreparedSentence[];
      /** `matchText` of the same sentences, when the caller has it */
      matches?: LexicalMatch[];
      title?: string | undefined;
      skills: { uri: string; score: number }[];
    },
    limit = 5,
  ): OccupationResult[] {
    const index = this.indexes.get(language)!;
    const lexical = new Map<string, { score: number; where: 'title' | 'text' }>();
    const note = (m: LexicalMatch, where: 'title' | 'text', weight: number) => {
      const s = m.score * weight;
      const prev = lexical.get(m.uri);
      if (!prev || s > prev.score) lexical.set(m.uri, { score: s, where });
    };
    if (input.title?.trim()) {
      const title = input.title;
      const matches = index.match(title, { index: -1, start: 0, end: title.length, text: title });
      // a title an occupation's own name matches is not another's synonym ("lagerarbetare" is also a forklift
      // operator's alternative label)
      const named = Math.max(0, ...matches.filter((m) => m.kind !== 'alt').map((m) => m.score));
      for (const m of matches) if (m.kind !== 'alt' || m.score > named) note(m, 'title', 1);
    }
    const matches = input.matches ?? this.matchText(language, input.text, input.sentences, input.prepared);
    for (const m of matches) note(m, 'text', 0.8);

    // skill coverage: the share of an occupation's skill weight that the document's skills reach
    const covered = this.covered;
    const touched: number[] = [];
    for (const skill of input.skills) {
      const list = this.bySkill.get(skill.uri);
      if (!list) continue;
      for (let i = 0; i < list.occupations.length; i++) {
        const n = list.occupations[i]!;
        const add = list.weights[i]! * skill.score;
        if (!(add > 0)) continue;
        if (covered[n] === 0) touched.push(n);
        covered[n]! += add;
      }
    }
    const scored: { uri: string; score: number; cov: number; lex?: { score: number; where: 'title' | 'text' } }[] = [];
    const coverageOf = (n: number) => {
      const mass = this.skillMass[n]!;
      // a few matching skills already say a lot; saturate rather than divide by the occupation's whole list
      return mass > 0 ? Math.min(1, covered[n]! / Math.min(mass, 4)) : 0;
    };
    for (const [uri, lex] of lexical) {
      if (!this.occupations.has(uri)) continue;
      const cov = coverageOf(this.numbers.get(uri)!);
      const score = 0.75 * lex.score + 0.25 * cov;
      if (score >= 0.15) scored.push({ uri, score, cov, lex });
    }
    // without a label, coverage alone: half its weight, and only with two skills or more
    if (input.skills.length >= 2) {
      for (const n of touched) {
        const uri = this.uris[n]!;
        if (lexical.has(uri)) continue;
        const cov = coverageOf(n);
        if (0.5 * cov >= 0.15) scored.push({ uri, score: 0.5 * cov, cov });
      }
    }
    for (const n of touched) covered[n] = 0;
    scored.sort((a, b) => b.score - a.score || compareCodeUnits(a.uri, b.uri));
    return scored.slice(0, limit).map(({ uri, score, cov, lex }) => {
      const occ = this.occupations.get(uri)!;
      const evidence: OccupationResult['evidence'] = [];
      if (lex) evidence.push(lex.where);
      if (cov > 0) evidence.push('skills');
      return {
        uri,
        label: occ.names[language] ?? occ.names.en,
        isco: this.iscoOf(occ.isco, language),
        score: Math.round(score * 1000) / 1000,
        evidence,
      };
    });
  }

  private iscoOf(code: string, language: Language): OccupationResult['isco'] {
    const name = (c: string) => {
      const g = this.isco.get(c);
      return g ? (g[language] ?? g.en) : c;
    };
    const levels = [1, 2, 3, 4]
      .filter((n) => n <= code.length)
      .map((n) => ({ code: code.slice(0, n), level: n, label: name(code.slice(0, n)) }));
    return { code, label: name(code), levels };
  }
}

/** Words after (Finnish) or before (Swedish, English) an occupation's name that make it a qualification's. */
const QUALIFICATION: Record<Language, { after?: RegExp; before?: RegExp }> = {
  fi: { after: /^(?:\s*\((?:y?amk)\))?\s*-?\s*(?:tutkin|ammattitutkin|erikoisammattitutkin|koulutu|pätevyy|opinno)/iu },
  sv: { before: /\b(?:examen|utbildning|utbildad|behörighet)\s+(?:som|till)\s+$/iu },
  en: { before: /\b(?:qualified|trained|certified|degree|qualification)\s+as\s+an?\s+$/iu },
};

/**
 * Whether an occupation is named as a degree or training ("sairaanhoitaja (AMK) -tutkinto", "laboratorioanalyytikon
 * tutkinto", "examen som tandskötare"): a requirement of the one hired, not a need for that occupation.
 */
export function namesQualification(language: Language, text: string, m: LexicalMatch): boolean {
  const { after, before } = QUALIFICATION[language];
  return (
    (after?.test(text.slice(m.end, m.end + 40)) ?? false) ||
    (before?.test(text.slice(Math.max(0, m.start - 40), m.start)) ?? false)
  );
}

/** Finnish heads of a compound that say an occupation is lacking: "sairaanhoitajapula" names nurses. */
const SHORTAGE_HEADS = ['pula', 'vaje', 'puute', 'tarve'];

/**
 * Whether a Finnish match holds the label only as a compound's modifier, not its head: "hammaslääkäriasema" is a
 * clinic, not a dentist, while "sairaanhoitajapula" (a shortage head) still names nurses.
 */
export function namesByModifier(morphology: Morphology, text: string, m: LexicalMatch): boolean {
  const last = m.spans[m.spans.length - 1];
  const labelHead = m.words?.[m.words.length - 1];
  if (!last || !labelHead) return false;
  const word = text.slice(last.start, last.end);
  if (/\s/u.test(word)) return false;
  const lemmas = [...morphology.keys(word)].filter(([, w]) => w >= 0.9).map(([k]) => k);
  if (lemmas.length === 0) return false;
  const endsWithAny = (lemma: string, tails: readonly string[]) => tails.some((t) => lemma.endsWith(t));
  return !lemmas.some((l) => endsWithAny(l, labelHead) || endsWithAny(l, SHORTAGE_HEADS));
}

/**
 * Whether Swedish words name the field rather than the person a one-word occupation label names, though both
 * stem alike: "matematik" is no "matematiker", "fysiken" no "fysiker", "biologi" no "biolog".
 */
export function namesField(label: string, words: string): boolean {
  const person = label.toLowerCase();
  const found = words.toLowerCase();
  if (/\s/.test(person)) return false;
  if (person.endsWith('iker')) return !found.includes(person.slice(0, -2) + 'er');
  if (/(log|nom|graf)$/.test(person)) return found.includes(`${person}i`);
  return false;
}
