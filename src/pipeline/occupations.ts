import type { Queryable } from '../storage/database.js';
import { LANGUAGES, type Language } from './language.js';
import { LabelIndex, type LexicalMatch } from './lexicon.js';
import { compareCodeUnits, type Sentence } from './text.js';

export interface IscoLevel {
  code: string;
  level: number;
  label: string;
}

export interface OccupationResult {
  uri: string;
  label: string;
  /** the ISCO-08 unit group (4 digits) and its major, sub-major and minor groups, broadest first */
  isco: { code: string; label: string; levels: IscoLevel[] };
  score: number;
  /** what the score rests on: a label in the title, a label in the text, the skills found */
  evidence: ('title' | 'text' | 'skills')[];
}

interface Occupation {
  uri: string;
  isco: string;
  description: string | null;
  labels: { en: string; fi: string | null; sv: string | null };
}

interface IscoGroup {
  en: string;
  fi: string | null;
  sv: string | null;
}

/**
 * Ranks ESCO occupations for a document: their fi/sv/en labels and synonyms matched in the title first, then in
 * the text, together with how well the skills found cover each occupation's essential and optional skills.
 */
export class OccupationClassifier {
  private constructor(
    private readonly indexes: Map<Language, LabelIndex>,
    private readonly occupations: Map<string, Occupation>,
    private readonly isco: Map<string, IscoGroup>,
    /** skill → occupations that need it, with 1 for essential and 0.5 for optional */
    private readonly bySkill: Map<string, { uri: string; weight: number }[]>,
    /** occupation → total weight of its skills */
    private readonly skillMass: Map<string, number>,
  ) {}

  static async load(db: Queryable): Promise<OccupationClassifier> {
    const indexes = new Map(LANGUAGES.map((l) => [l, new LabelIndex(l)] as const));
    const labels = await db.query<{ concept_uri: string; lang: Language; kind: 'pref' | 'alt'; label: string }>(
      `SELECT concept_uri, lang, kind, label FROM esco_labels WHERE concept_type = 'occupation' AND kind <> 'hidden'
       ORDER BY concept_uri, lang, kind, label`,
    );
    for (const l of labels) indexes.get(l.lang)?.add({ uri: l.concept_uri, lang: l.lang, kind: l.kind, label: l.label });
    const occRows = await db.query<{ uri: string; isco_code: string; pref_en: string; pref_fi: string | null; pref_sv: string | null; description_en: string | null }>(
      'SELECT uri, isco_code, pref_en, pref_fi, pref_sv, description_en FROM esco_occupations',
    );
    const occupations = new Map(
      occRows.map((o) => [o.uri, { uri: o.uri, isco: o.isco_code, description: o.description_en, labels: { en: o.pref_en, fi: o.pref_fi, sv: o.pref_sv } }]),
    );
    const iscoRows = await db.query<{ code: string; name_en: string; name_fi: string | null; name_sv: string | null }>(
      'SELECT code, name_en, name_fi, name_sv FROM isco_groups',
    );
    const isco = new Map(iscoRows.map((g) => [g.code, { en: g.name_en, fi: g.name_fi, sv: g.name_sv }]));
    const relations = await db.query<{ occupation_uri: string; skill_uri: string; relation: string }>(
      'SELECT occupation_uri, skill_uri, relation FROM esco_occupation_skills',
    );
    const bySkill = new Map<string, { uri: string; weight: number }[]>();
    const skillMass = new Map<string, number>();
    for (const r of relations) {
      const weight = r.relation === 'essential' ? 1 : 0.5;
      let list = bySkill.get(r.skill_uri);
      if (!list) bySkill.set(r.skill_uri, (list = []));
      list.push({ uri: r.occupation_uri, weight });
      skillMass.set(r.occupation_uri, (skillMass.get(r.occupation_uri) ?? 0) + weight);
    }
    return new OccupationClassifier(indexes, occupations, isco, bySkill, skillMass);
  }

  get size(): number {
    return this.occupations.size;
  }

  /** The occupation's English name and description: evidence of the sector in any document language. */
  englishProfile(uri: string): string | undefined {
    const o = this.occupations.get(uri);
    return o && `${o.labels.en}. ${o.labels.en}. ${o.description ?? ''}`;
  }

  classify(
    language: Language,
    input: { text: string; sentences: Sentence[]; title?: string | undefined; skills: { uri: string; score: number }[] },
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
      for (const m of index.match(title, { index: -1, start: 0, end: title.length, text: title })) note(m, 'title', 1);
    }
    for (const sentence of input.sentences) for (const m of index.match(input.text, sentence)) note(m, 'text', 0.8);

    // skill coverage: the share of an occupation's skill weight that the document's skills reach
    const coverage = new Map<string, number>();
    for (const skill of input.skills) {
      for (const { uri, weight } of this.bySkill.get(skill.uri) ?? []) coverage.set(uri, (coverage.get(uri) ?? 0) + weight * skill.score);
    }
    const scored: { uri: string; score: number; cov: number; lex?: { score: number; where: 'title' | 'text' } }[] = [];
    const consider = (uri: string) => {
      if (!this.occupations.has(uri)) return;
      const mass = this.skillMass.get(uri) ?? 0;
      // a few matching skills already say a lot; saturate rather than divide by the occupation's whole list
      const covered = coverage.get(uri) ?? 0;
      const cov = mass > 0 ? Math.min(1, covered / Math.min(mass, 4)) : 0;
      const lex = lexical.get(uri);
      const score = lex ? 0.75 * lex.score + 0.25 * cov : input.skills.length >= 2 ? 0.5 * cov : 0;
      if (score >= 0.15) scored.push({ uri, score, cov, ...(lex && { lex }) });
    };
    for (const uri of lexical.keys()) consider(uri);
    for (const uri of coverage.keys()) if (!lexical.has(uri)) consider(uri);
    scored.sort((a, b) => b.score - a.score || compareCodeUnits(a.uri, b.uri));
    return scored.slice(0, limit).map(({ uri, score, cov, lex }) => {
      const occ = this.occupations.get(uri)!;
      const evidence: OccupationResult['evidence'] = [];
      if (lex) evidence.push(lex.where);
      if (cov > 0) evidence.push('skills');
      return { uri, label: occ.labels[language] ?? occ.labels.en, isco: this.iscoOf(occ.isco, language), score: Math.round(score * 1000) / 1000, evidence };
    });
  }

  private iscoOf(code: string, language: Language): OccupationResult['isco'] {
    const name = (c: string) => {
      const g = this.isco.get(c);
      return g ? (g[language] ?? g.en) : c;
    };
    const levels = [1, 2, 3, 4].filter((n) => n <= code.length).map((n) => ({ code: code.slice(0, n), level: n, label: name(code.slice(0, n)) }));
    return { code, label: name(code), levels };
  }
}
