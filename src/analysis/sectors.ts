import { compareCodeUnits } from '../base/compare.js';
import type { SectorResult } from '../domain/analysis.js';
import { LANGUAGES, type Language } from '../domain/language.js';
import type { TaxonomyData } from '../domain/taxonomy.js';
import { morphologyFor, type Morphology } from './morphology.js';
import { tokenize } from './text.js';

type Sector = TaxonomyData['sectors'][number];

type Vector = Map<string, number>;

/**
 * A sector guessed from the text alone stands only when its section scores at least this much and leads the
 * next section by TEXT_SECTOR_LEAD: forklift drivers are not fishing because "trukki" is in one division's note.
 */
const TEXT_SECTOR_MIN = 0.12;
const TEXT_SECTOR_LEAD = 0.03;

/** Lemma (Finnish) or stem counts of a text; compound parts count half. */
function bag(m: Morphology, text: string, weight = 1, into: Vector = new Map()): Vector {
  for (const t of tokenize(text)) {
    const lower = t.text.toLowerCase();
    // nouns carry the sector; verbs are mostly the ad's own ("haemme", "tarjoamme")
    if (m.isStopword(lower) || /^\d/.test(lower) || m.isVerb(t.text)) continue;
    for (const [key, w] of m.keys(t.text)) {
      if (key.startsWith('=')) continue;
      const v = w >= 0.9 ? 1 : w >= 0.7 ? 0.5 : 0;
      if (v > 0) into.set(key, (into.get(key) ?? 0) + v * weight);
    }
  }
  return into;
}

function norm(v: Vector): number {
  let s = 0;
  for (const x of v.values()) s += x * x;
  return Math.sqrt(s);
}

/**
 * TOL 2008 sector of a document: from the employer's sector when given (a TOL/NACE code or a name), else from the
 * text, by TF-IDF cosine between the text's lemmas and each division's name and explanatory note.
 */
export class SectorClassifier {
  private constructor(
    private readonly sectors: Map<string, Sector>,
    /** the divisions by number */
    private readonly divisions: string[],
    /** per language: lemma → the numbers of the divisions whose (unit-length) TF-IDF vector has it, with the weight */
    private readonly postings: Map<Language, Map<string, { divisions: Uint16Array; weights: Float64Array }>>,
    private readonly idf: Map<Language, Map<string, number>>,
  ) {
    this.dots = new Float64Array(divisions.length);
  }

  /** dot products per division number, zeroed again after each ranking */
  private readonly dots: Float64Array;

  static fromData(data: Pick<TaxonomyData, 'sectors'>): SectorClassifier {
    const rows = data.sectors;
    const sectors = new Map(rows.map((r) => [r.code, r]));
    const vectors = new Map<Language, Map<string, { divisions: Uint16Array; weights: Float64Array }>>();
    const idfs = new Map<Language, Map<string, number>>();
    const divisions = rows.filter((r) => r.level === 2);
    const numbers = new Map(divisions.map((d, i) => [d.code, i]));
    for (const lang of LANGUAGES) {
      const m = morphologyFor(lang);
      const raw = new Map<string, Vector>();
      for (const d of divisions) {
        const v = bag(m, d.names[lang] ?? '', 3);
        bag(m, d.notes[lang] ?? '', 1, v);
        if (lang === 'en') {
          // groups and classes of the division (NACE, English): their names and what they include
          for (const c of rows)
            if (c.level > 2 && c.code.startsWith(`${d.code}.`)) bag(m, `${c.names.en} ${c.notes.en ?? ''}`, 0.5, v);
        }
        if (v.size > 0) raw.set(d.code, v);
      }
      const df = new Map<string, number>();
      for (const v of raw.values()) for (const k of v.keys()) df.set(k, (df.get(k) ?? 0) + 1);
      const n = Math.max(1, raw.size);
      const idf = new Map([...df].map(([k, c]) => [k, Math.log(1 + n / c)]));
      for (const v of raw.values()) {
        for (const [k, x] of v) v.set(k, Math.log(1 + x) * (idf.get(k) ?? 0));
        const len = norm(v) || 1;
        for (const [k, x] of v) v.set(k, x / len);
      }
      const lists = new Map<string, { divisions: number[]; weights: number[] }>();
      for (const [code, v] of raw) {
        for (const [k, x] of v) {
          let list = lists.get(k);
          if (!list) lists.set(k, (list = { divisions: [], weights: [] }));
          list.divisions.push(numbers.get(code)!);
          list.weights.push(x);
        }
      }
      vectors.set(
        lang,
        new Map(
          [...lists].map(([k, l]) => [
            k,
            { divisions: Uint16Array.from(l.divisions), weights: Float64Array.from(l.weights) },
          ]),
        ),
      );
      idfs.set(lang, idf);
    }
    return new SectorClassifier(
      sectors,
      divisions.map((d) => d.code),
      vectors,
      idfs,
    );
  }

  get size(): number {
    return this.sectors.size;
  }

  /** A TOL 2008 / NACE code as written by people ("25", "25.11", "25110", "C", "tol 2511") → a known code. */
  resolveCode(input: string): string | undefined {
    const s = input
      .trim()
      .toUpperCase()
      .replace(/^(TOL|NACE)\s*(2008)?\s*/, '');
    if (/^[A-U]$/.test(s)) return this.sectors.has(s) ? s : undefined;
    const digits = s.replace(/[.\s]/g, '');
    if (!/^\d{2,5}$/.test(digits)) return undefined;
    const candidates = [
      digits.length >= 4 ? `${digits.slice(0, 2)}.${digits.slice(2, 4)}` : '',
      digits.length >= 3 ? `${digits.slice(0, 2)}.${digits[2]}` : '',
      digits.slice(0, 2),
    ];
    return candidates.find((c) => c && this.sectors.has(c));
  }

  /**
   * `englishHints`: English texts about the document (the profiles of its likeliest occupations), scored with
   * the English vectors and blended in: ESCO's English descriptions are richer than a short Finnish ad.
   */
  classify(
    language: Language,
    input: { text: string; title?: string | undefined; employerSector?: string | undefined; englishHints?: string[] },
    limit = 3,
  ): SectorResult[] {
    if (input.employerSector?.trim()) {
      const code = this.resolveCode(input.employerSector);
      if (code) return this.withAncestors(code, 1, language, 'employer');
      const byName = this.rank(language, input.employerSector, 1);
      if (byName[0] && byName[0].score >= 0.2)
        return this.withAncestors(byName[0].code, Math.min(0.95, 0.5 + byName[0].score), language, 'employer');
    }
    const own = this.rank(language, `${input.title ?? ''}\n${input.title ?? ''}\n${input.text}`, 20);
    const hints = input.englishHints?.length ? this.rank('en', input.englishHints.join('\n'), 20) : [];
    const blended = new Map<string, number>();
    const ownWeight = hints.length > 0 ? 0.5 : 1;
    for (const r of own) blended.set(r.code, (blended.get(r.code) ?? 0) + ownWeight * r.score);
    for (const r of hints) blended.set(r.code, (blended.get(r.code) ?? 0) + 0.5 * r.score);
    const ranked = [...blended]
      .map(([code, score]) => ({ code, score: Math.round(score * 1000) / 1000 }))
      .sort((a, b) => b.score - a.score || compareCodeUnits(a.code, b.code))
      .slice(0, limit);
    const out: SectorResult[] = [];
    const sections = new Map<string, number>();
    for (const r of ranked) {
      if (r.score < 0.05) continue;
      out.push({ code: r.code, label: this.label(r.code, language), level: 2, score: r.score, source: 'text' });
      const section = this.sectors.get(r.code)?.parent;
      if (section) sections.set(section, Math.max(sections.get(section) ?? 0, r.score));
    }
    // guessed from the text only when one section clearly leads: unknown rather than wrong
    const [first, second] = [...sections.values()].sort((a, b) => b - a);
    if (first === undefined || first < TEXT_SECTOR_MIN || first - (second ?? 0) < TEXT_SECTOR_LEAD) return [];
    for (const [code, score] of sections)
      out.push({ code, label: this.label(code, language), level: 1, score, source: 'text' });
    return out.sort((a, b) => b.score - a.score || a.level - b.level);
  }

  private rank(language: Language, text: string, limit: number): { code: string; score: number }[] {
    const m = morphologyFor(language);
    const v = bag(m, text);
    const idf = this.idf.get(language)!;
    for (const [k, x] of v) v.set(k, Math.log(1 + x) * (idf.get(k) ?? 0));
    const len = norm(v);
    if (len === 0) return [];
    const dots = this.dots;
    const postings = this.postings.get(language)!;
    for (const [k, x] of v) {
      const list = postings.get(k);
      if (!list) continue;
      for (let i = 0; i < list.divisions.length; i++) dots[list.divisions[i]!]! += x * list.weights[i]!;
    }
    const ranked: { code: string; score: number }[] = [];
    dots.forEach((dot, i) => {
      if (dot > 0) ranked.push({ code: this.divisions[i]!, score: Math.round((dot / len) * 1000) / 1000 });
    });
    dots.fill(0);
    return ranked.sort((a, b) => b.score - a.score || compareCodeUnits(a.code, b.code)).slice(0, limit);
  }

  private withAncestors(
    code: string,
    score: number,
    language: Language,
    source: SectorResult['source'],
  ): SectorResult[] {
    const out: SectorResult[] = [];
    for (let c: string | null | undefined = code; c; c = this.sectors.get(c)?.parent) {
      const s = this.sectors.get(c);
      if (!s) break;
      out.push({
        code: c,
        label: this.label(c, language),
        level: s.level,
        score: Math.round(score * 1000) / 1000,
        source,
      });
    }
    return out.sort((a, b) => a.level - b.level);
  }

  private label(code: string, language: Language): string {
    const s = this.sectors.get(code);
    return s ? (s.names[language] ?? s.names.en ?? code) : code;
  }
}
