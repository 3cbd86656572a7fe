import type { OccupationConcept, SkillConcept } from '../domain/concept.js';
import { LANGUAGES, type Language } from '../domain/language.js';
import { ISCO_GROUP_URI } from '../domain/taxonomy.js';
import type { Queryable } from './database.js';

export interface ConceptSearch {
  /** words of a label (any language, the asked one ranked first), a concept URI, or for occupations an ISCO code */
  text: string;
  language: Language;
  limit: number;
  offset: number;
}

type ConceptType = 'skill' | 'occupation';

const ESCO_URI = /^https?:\/\/data\.europa\.eu\/esco\//;
/** an ISCO-08 group code (1–4 digits) or ESCO's occupation code under one ("7212.1") */
const OCCUPATION_CODE = /^\d{1,4}(\.\d+)*$/;

const likeEscaped = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** ESCO's skill type, or null for anything else. */
const skillTypeOf = (raw: string | null): SkillConcept['skillType'] =>
  raw === 'knowledge' || raw === 'skill/competence' ? raw : null;

/** What every hit has: its labels in the three languages, the asked one first, and the label it was found by. */
function common(
  uri: string,
  row: { pref_en: string; pref_fi: string | null; pref_sv: string | null },
  language: Language,
  alts: Map<string, string[]>,
  matched: string | undefined,
) {
  const labels = { fi: row.pref_fi, sv: row.pref_sv, en: row.pref_en };
  return {
    uri,
    label: labels[language] ?? row.pref_en,
    labels,
    altLabels: alts.get(uri) ?? [],
    ...(matched !== undefined && { matched }),
  };
}

/** The column suffix of a language, checked: the language names a column and is not a parameter. */
function column(language: Language): Language {
  if (!LANGUAGES.includes(language)) throw new Error(`unknown language ${String(language)}`);
  return language;
}

/**
 * ESCO skills and occupations looked up by label, URI or code, as a picker or another tool needs them: ranked
 * exact label first, then labels that begin with the text, then labels that contain it; preferred labels and the
 * asked language before others.
 */
export class ConceptsRepository {
  constructor(private readonly db: Queryable) {}

  async skills(search: ConceptSearch): Promise<SkillConcept[]> {
    const hits = await this.find('skill', search);
    if (hits.length === 0) return [];
    const lang = column(search.language);
    const uris = hits.map((h) => h.uri);
    const [rows, alts, broader] = await Promise.all([
      this.db.query<{
        uri: string;
        skill_type: string | null;
        reuse_level: string | null;
        pref_en: string;
        pref_fi: string | null;
        pref_sv: string | null;
      }>(
        `SELECT uri, skill_type, reuse_level, pref_en, pref_fi, pref_sv FROM esco_skills WHERE uri = ANY($1::text[])`,
        [uris],
      ),
      this.altLabels('skill', uris, lang),
      this.db.query<{ uri: string; broader: string; code: string | null; label: string }>(
        `SELECT b.uri, b.broader_uri AS broader, g.code,
                COALESCE(s.pref_${lang}, g.pref_${lang}, s.pref_en, g.pref_en, b.broader_uri) AS label
           FROM esco_skill_broader b
           LEFT JOIN esco_skill_groups g ON g.uri = b.broader_uri
           LEFT JOIN esco_skills s ON s.uri = b.broader_uri
          WHERE b.uri = ANY($1::text[])
          ORDER BY b.uri, label`,
        [uris],
      ),
    ]);
    const byUri = new Map(rows.map((r) => [r.uri, r]));
    return hits.flatMap(({ uri, matched }) => {
      const r = byUri.get(uri);
      if (!r) return [];
      return [
        {
          ...common(uri, r, lang, alts, matched),
          skillType: skillTypeOf(r.skill_type),
          reuseLevel: r.reuse_level,
          broader: broader.filter((b) => b.uri === uri).map((b) => ({ uri: b.broader, code: b.code, label: b.label })),
        },
      ];
    });
  }

  async occupations(search: ConceptSearch): Promise<OccupationConcept[]> {
    const hits = await this.find('occupation', search);
    if (hits.length === 0) return [];
    const lang = column(search.language);
    const uris = hits.map((h) => h.uri);
    const [rows, alts] = await Promise.all([
      this.db.query<{
        uri: string;
        code: string | null;
        isco_code: string;
        pref_en: string;
        pref_fi: string | null;
        pref_sv: string | null;
      }>(`SELECT uri, code, isco_code, pref_en, pref_fi, pref_sv FROM esco_occupations WHERE uri = ANY($1::text[])`, [
        uris,
      ]),
      this.altLabels('occupation', uris, lang),
    ]);
    const prefixes = [...new Set(rows.flatMap((r) => [1, 2, 3, 4].map((n) => r.isco_code.slice(0, n))))];
    const groups = await this.db.query<{ code: string; uri: string | null; label: string }>(
      `SELECT code, uri, COALESCE(name_${lang}, name_en) AS label FROM isco_groups WHERE code = ANY($1::text[])`,
      [prefixes],
    );
    const group = new Map(groups.map((g) => [g.code, g]));
    const byUri = new Map(rows.map((r) => [r.uri, r]));
    return hits.flatMap(({ uri, matched }) => {
      const r = byUri.get(uri);
      if (!r) return [];
      const isco = [4, 3, 2, 1].flatMap((n) => {
        const g = r.isco_code.length >= n ? group.get(r.isco_code.slice(0, n)) : undefined;
        return g ? [{ uri: g.uri ?? `${ISCO_GROUP_URI}${g.code}`, code: g.code, label: g.label }] : [];
      });
      return [
        {
          ...common(uri, r, lang, alts, matched),
          code: r.code,
          isco,
        },
      ];
    });
  }

  /**
   * Labels in `language` (English where ESCO has none) of the skills, occupations, ISCO groups and sectors an
   * analysis names, and each skill's type: to show a stored analysis in another language.
   */
  async labelsOf(
    language: Language,
    ids: { skills: string[]; occupations: string[]; isco: string[]; sectors: string[] },
  ): Promise<{
    skills: Map<string, { label: string; skillType: SkillConcept['skillType'] }>;
    occupations: Map<string, string>;
    isco: Map<string, string>;
    sectors: Map<string, string>;
  }> {
    const lang = column(language);
    const [skills, occupations, isco, sectors] = await Promise.all([
      this.db.query<{ uri: string; label: string; skill_type: string | null }>(
        `SELECT uri, COALESCE(pref_${lang}, pref_en) AS label, skill_type FROM esco_skills WHERE uri = ANY($1::text[])`,
        [ids.skills],
      ),
      this.db.query<{ uri: string; label: string }>(
        `SELECT uri, COALESCE(pref_${lang}, pref_en) AS label FROM esco_occupations WHERE uri = ANY($1::text[])`,
        [ids.occupations],
      ),
      this.db.query<{ code: string; label: string }>(
        `SELECT code, COALESCE(name_${lang}, name_en) AS label FROM isco_groups WHERE code = ANY($1::text[])`,
        [ids.isco],
      ),
      this.db.query<{ code: string; label: string }>(
        `SELECT code, COALESCE(name_${lang}, name_en) AS label FROM sectors WHERE code = ANY($1::text[])`,
        [ids.sectors],
      ),
    ]);
    return {
      skills: new Map(skills.map((r) => [r.uri, { label: r.label, skillType: skillTypeOf(r.skill_type) }])),
      occupations: new Map(occupations.map((r) => [r.uri, r.label])),
      isco: new Map(isco.map((r) => [r.code, r.label])),
      sectors: new Map(sectors.map((r) => [r.code, r.label])),
    };
  }

  /** The page of concepts the search finds, best first, with the label each was found by. */
  private async find(type: ConceptType, search: ConceptSearch): Promise<{ uri: string; matched?: string }[]> {
    const text = search.text.trim();
    const table = type === 'skill' ? 'esco_skills' : 'esco_occupations';
    if (ESCO_URI.test(text)) {
      const rows = await this.db.query<{ uri: string }>(`SELECT uri FROM ${table} WHERE uri = $1`, [text]);
      return rows.slice(search.offset, search.offset + search.limit);
    }
    if (type === 'occupation' && OCCUPATION_CODE.test(text)) {
      // "7212" is an ISCO group and takes the occupations under it; "7212.1" is ESCO's code of one and its narrower
      const where = text.includes('.') ? `code = $1 OR code LIKE $1 || '.%'` : `isco_code LIKE $1 || '%'`;
      return this.db.query<{ uri: string }>(
        `SELECT uri FROM esco_occupations WHERE ${where} ORDER BY code, uri LIMIT $2 OFFSET $3`,
        [text, search.limit, search.offset],
      );
    }
    const lower = text.toLowerCase();
    const like = likeEscaped(lower);
    const rows = await this.db.query<{ uri: string; matched: string }>(
      `SELECT uri, matched FROM (
         SELECT DISTINCT ON (uri) uri, label AS matched, rank, length(label) AS len FROM (
           SELECT concept_uri AS uri, label,
                  (CASE WHEN lower(label) = $1 THEN 0 WHEN lower(label) LIKE $2 ESCAPE '\\' THEN 2
                        WHEN lower(label) LIKE $3 ESCAPE '\\' THEN 4 ELSE 6 END)
                  + (CASE WHEN kind = 'pref' THEN 0 ELSE 1 END)
                  + (CASE WHEN lang = $5 THEN 0 ELSE 8 END) AS rank
             FROM esco_labels
            WHERE concept_type = $6 AND kind <> 'hidden' AND lower(label) LIKE $4 ESCAPE '\\'
         ) labels
         ORDER BY uri, rank, length(label)
       ) best
       ORDER BY rank, len, uri
       LIMIT $7 OFFSET $8`,
      [lower, `${like}%`, `% ${like}%`, `%${like}%`, search.language, type, search.limit, search.offset],
    );
    return rows;
  }

  private async altLabels(type: ConceptType, uris: string[], language: Language): Promise<Map<string, string[]>> {
    const rows = await this.db.query<{ uri: string; label: string }>(
      `SELECT concept_uri AS uri, label FROM esco_labels
        WHERE concept_type = $1 AND concept_uri = ANY($2::text[]) AND lang = $3 AND kind = 'alt'
        ORDER BY concept_uri, label`,
      [type, uris, language],
    );
    const out = new Map<string, string[]>();
    for (const r of rows) out.set(r.uri, [...(out.get(r.uri) ?? []), r.label]);
    return out;
  }
}
