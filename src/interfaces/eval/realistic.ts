import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import type { Analyzer } from '../../analysis/analyzer.js';
import { CharNgramIndex, topK } from '../../analysis/char-tfidf.js';
import { segmentSentences } from '../../analysis/text.js';
import { DocumentKind } from '../../domain/document.js';
import type { Language } from '../../domain/language.js';
import { Horizon, Polarity } from '../../domain/signal.js';
import type { TaxonomyData } from '../../domain/taxonomy.js';
import { microF1 } from './metrics.js';
import type { MetricRow } from './run.js';

/** An ISCO-08 code of a unit group (four digits) or, where the text names only that, a minor group (three). */
const ISCO = Type.String({ pattern: '^\\d{3,4}$' });

/**
 * A passage of the project's realistic set: a job ad, news item or meeting note written like real ones, with what
 * a reader counts in it. Skills are named by their ESCO preferred label in English, occupations by ISCO-08 code.
 */
export const RealisticPassage = Type.Object({
  id: Type.String(),
  /** dev: for looking at and tuning; test: scored only, never tuned on */
  split: Type.Enum(['dev', 'test']),
  language: Type.Enum(['fi', 'sv']),
  kind: DocumentKind,
  date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
  title: Type.Optional(Type.String()),
  text: Type.String({ minLength: 1 }),
  /** `or`: ESCO's near-duplicates a reader takes as the same need ("first aid" for "provide first aid") */
  skills: Type.Array(
    Type.Object({ label: Type.String(), polarity: Polarity, or: Type.Optional(Type.Array(Type.String())) }),
  ),
  occupations: Type.Array(
    Type.Object({
      isco: ISCO,
      polarity: Polarity,
      horizon: Horizon,
      or: Type.Optional(Type.Array(ISCO)),
    }),
  ),
});
export type RealisticPassage = Static<typeof RealisticPassage>;

/**
 * A passage's gold as keys: each skill by its URI, each occupation by its ISCO code, and `same`, which maps an
 * accepted alternative found by the pipeline to the gold item it stands for.
 */
export function goldOf(
  passage: RealisticPassage,
  uriOf: Map<string, string>,
): { skills: Map<string, Polarity>; occupations: Map<string, Polarity>; same: (key: string) => string } {
  const alias = new Map<string, string>();
  const skills = new Map<string, Polarity>();
  for (const s of passage.skills) {
    const uri = uriOf.get(s.label)!;
    skills.set(uri, s.polarity);
    for (const other of s.or ?? []) alias.set(uriOf.get(other)!, uri);
  }
  const occupations = new Map<string, Polarity>();
  for (const o of passage.occupations) {
    occupations.set(o.isco, o.polarity);
    for (const other of o.or ?? []) alias.set(other, o.isco);
  }
  return { skills, occupations, same: (key) => alias.get(key) ?? key };
}

/** The passages of every `*.jsonl` in `dir`; a malformed line or an unknown skill label stops with file and line. */
export function readRealisticSet(dir: string, skills: TaxonomyData['skills']): RealisticPassage[] {
  const known = new Set(skills.map((s) => s.names.en));
  const passages: RealisticPassage[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()) {
    readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (!line.trim()) return;
        const where = `${basename(file)}:${i + 1}`;
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch (err) {
          throw new Error(`${where}: not JSON (${(err as Error).message})`);
        }
        if (!Value.Check(RealisticPassage, parsed)) {
          const first = [...Value.Errors(RealisticPassage, parsed)][0];
          throw new Error(`${where}: ${first?.instancePath || '/'} ${first?.message ?? 'is malformed'}`);
        }
        const unknown = parsed.skills.flatMap((s) => [s.label, ...(s.or ?? [])]).find((label) => !known.has(label));
        if (unknown) throw new Error(`${where}: "${unknown}" is no ESCO skill's English preferred label`);
        passages.push(parsed);
      });
  }
  return passages;
}

/** Predicted and gold key sets, one pair per passage, for microF1. */
class Pairs {
  readonly predicted: Set<string>[] = [];
  readonly gold: Set<string>[] = [];

  add(predicted: Set<string>, gold: Set<string>): void {
    this.predicted.push(predicted);
    this.gold.push(gold);
  }

  get score(): { precision: number; recall: number } {
    return microF1(this.predicted, this.gold);
  }
}

/** Nearest labels by character n-gram TF-IDF, one per sentence above a cosine of 0.3 (chosen on the dev half): the baseline of the realistic set. */
class LabelBaseline {
  private readonly index: CharNgramIndex;

  constructor(
    private readonly labels: { key: string; label: string }[],
    private readonly minCosine = 0.3,
  ) {
    this.index = new CharNgramIndex(labels.map((l) => l.label));
  }

  find(text: string, language: Language): Set<string> {
    const found = new Set<string>();
    for (const s of segmentSentences(text, language)) {
      const scores = this.index.scores(s.text);
      const [best] = topK(scores, 1);
      if (best !== undefined && scores[best]! >= this.minCosine) found.add(this.labels[best]!.key);
    }
    return found;
  }
}

const DEMAND = new Set(['need', 'surplus']);

/**
 * The pipeline on one split of the realistic set, per language: precision and recall of the skills and
 * occupations counted (any polarity), occupation polarity, and of counted demand, skills and occupations apart
 * (the concept with its need or surplus, as `/v1/demand` counts it), beside a character n-gram TF-IDF over
 * ESCO's labels in the passage's language.
 */
export function scoreRealistic(
  analyzer: Analyzer,
  taxonomy: Pick<TaxonomyData, 'skills' | 'skillLabels' | 'occupations' | 'occupationLabels'>,
  passages: RealisticPassage[],
  split: 'dev' | 'test',
): MetricRow[] {
  const uriOf = new Map(taxonomy.skills.map((s) => [s.names.en, s.uri]));
  const iscoOf = new Map(taxonomy.occupations.map((o) => [o.uri, o.isco]));
  const rows: MetricRow[] = [];
  for (const language of ['fi', 'sv'] as const) {
    const chosen = passages.filter((p) => p.language === language && p.split === split);
    if (chosen.length === 0) continue;
    const skillBaseline = new LabelBaseline(
      taxonomy.skillLabels.filter((l) => l.lang === language).map((l) => ({ key: l.uri, label: l.label })),
    );
    const occupationBaseline = new LabelBaseline(
      taxonomy.occupationLabels
        .filter((l) => l.lang === language && iscoOf.has(l.uri))
        .map((l) => ({ key: iscoOf.get(l.uri)!, label: l.label })),
    );
    const skills = { project: new Pairs(), baseline: new Pairs() };
    const occupations = { project: new Pairs(), baseline: new Pairs() };
    const demand = { skills: new Pairs(), occupations: new Pairs() };
    let polarityRight = 0;
    let polarityFound = 0;
    for (const p of chosen) {
      const a = analyzer.analyze({
        text: p.text,
        title: p.title,
        language,
        kind: p.kind,
        date: p.date,
      });
      const gold = goldOf(p, uriOf);
      const goldSkills = new Set(gold.skills.keys());
      const goldOccupations = new Set(gold.occupations.keys());
      const counted = a.mentions.filter((m) => m.counted);
      const countedOccupations = a.occupationMentions.filter((m) => m.counted);
      const sameAll = (keys: Iterable<string>) => new Set([...keys].map(gold.same));
      skills.project.add(sameAll(counted.map((m) => m.uri)), goldSkills);
      skills.baseline.add(sameAll(skillBaseline.find(`${p.title ?? ''}\n${p.text}`, language)), goldSkills);
      occupations.project.add(sameAll(countedOccupations.map((m) => m.isco)), goldOccupations);
      occupations.baseline.add(
        sameAll(occupationBaseline.find(`${p.title ?? ''}\n${p.text}`, language)),
        goldOccupations,
      );
      for (const [isco, polarity] of gold.occupations) {
        const found = countedOccupations.filter((m) => gold.same(m.isco) === isco);
        if (found.length === 0) continue;
        polarityFound++;
        if (found.some((m) => m.polarity === polarity)) polarityRight++;
      }
      const demandOf = (items: Map<string, Polarity>) =>
        [...items].filter(([, polarity]) => DEMAND.has(polarity)).map(([key, polarity]) => `${key} ${polarity}`);
      demand.skills.add(
        new Set(counted.filter((m) => DEMAND.has(m.polarity)).map((m) => `${gold.same(m.uri)} ${m.polarity}`)),
        new Set(demandOf(gold.skills)),
      );
      demand.occupations.add(
        new Set(
          countedOccupations.filter((m) => DEMAND.has(m.polarity)).map((m) => `${gold.same(m.isco)} ${m.polarity}`),
        ),
        new Set(demandOf(gold.occupations)),
      );
    }
    const benchmark = `realistic ${language} ${split}`;
    const row = (metric: string, project: number, baseline: number | null): MetricRow => ({
      benchmark,
      task: 'realistic',
      metric,
      project,
      baseline,
      n: chosen.length,
    });
    rows.push(
      row('skills P', skills.project.score.precision, skills.baseline.score.precision),
      row('skills R', skills.project.score.recall, skills.baseline.score.recall),
      row('occupations P', occupations.project.score.precision, occupations.baseline.score.precision),
      row('occupations R', occupations.project.score.recall, occupations.baseline.score.recall),
      row('occ. polarity', polarityFound > 0 ? polarityRight / polarityFound : 0, null),
      row('skill demand P', demand.skills.score.precision, null),
      row('skill demand R', demand.skills.score.recall, null),
      row('occ. demand P', demand.occupations.score.precision, null),
      row('occ. demand R', demand.occupations.score.recall, null),
    );
  }
  return rows;
}
