import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Analyzer } from '../../analysis/analyzer.js';
import { brier, expectedCalibrationError, fitPlatt, type CalibrationFile } from '../../analysis/calibration.js';
import type { Analysis, Method } from '../../domain/analysis.js';
import type { Language } from '../../domain/language.js';
import type { TaxonomyData } from '../../domain/taxonomy.js';
import { goldOf, type RealisticPassage } from './realistic.js';

const NOT_LABELS = new Set(['LABEL NOT PRESENT', 'UNDERSPECIFIED']);
const FOLDS = 5;

export interface CalibrationPoint {
  language: Language;
  /** a skill method, or `occupation` for occupations named in a text */
  method: Method | 'occupation';
  raw: number;
  positive: boolean;
  /** the annotated sentence it came from, for folds that keep a sentence's candidates together */
  group: number;
}

/** One point per skill and method of an analysis: the method's best raw score, and whether the skill is expected. */
function pointsOf(analysis: Analysis, expected: (uri: string) => boolean, group: number): CalibrationPoint[] {
  const best = new Map<string, { method: Method; raw: number; uri: string }>();
  for (const m of analysis.mentions) {
    if (m.method === 'manual') continue; // a person's addition has no raw score to fit
    // an alias is a curated lexical label: one fit serves both
    const method = m.method === 'alias' ? 'lexical' : m.method;
    const key = `${m.uri} ${method}`;
    if ((best.get(key)?.raw ?? -1) < m.rawScore) best.set(key, { method, raw: m.rawScore, uri: m.uri });
  }
  return [...best.values()].map(({ method, raw, uri }) => ({
    language: analysis.language,
    method,
    raw,
    positive: expected(uri),
    group,
  }));
}

/**
 * English: every candidate the pipeline proposes for the annotated sentences of the ESCO skill-linking files
 * (`*_annotations.csv`), positive when annotators linked that skill to the sentence.
 */
export async function skillLinkingPoints(
  skills: TaxonomyData['skills'],
  analyzer: Analyzer,
  files: string[],
): Promise<CalibrationPoint[]> {
  const prefEn = new Map(skills.map((s) => [s.uri, s.names.en.trim().toLowerCase()]));
  const points: CalibrationPoint[] = [];
  let group = 0;
  for (const file of files) {
    const gold = new Map<string, Set<string>>();
    for (const r of parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<
      string,
      string
    >[]) {
      const label = (r['label'] ?? '').trim();
      if (!label || NOT_LABELS.has(label)) continue;
      const sentence = r['sentence'] ?? '';
      gold.set(sentence, (gold.get(sentence) ?? new Set()).add(label.toLowerCase()));
    }
    for (const [sentence, labels] of gold) {
      const analysis = await analyzer.analyzeFull({ text: sentence, language: 'en' });
      points.push(...pointsOf(analysis, (uri) => labels.has(prefEn.get(uri) ?? ''), group++));
    }
  }
  return points;
}

/**
 * Finnish: the project's own sentence set (JSON lines `{"text", "skills": [ESCO URIs]}`), every skill each
 * sentence names listed, so a candidate is positive when the sentence really asks for that skill.
 */
export async function sentenceSetPoints(
  analyzer: Analyzer,
  file: string,
  language: Language,
): Promise<CalibrationPoint[]> {
  const cases = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { text: string; skills: string[] });
  const points: CalibrationPoint[] = [];
  for (const [group, c] of cases.entries()) {
    const analysis = await analyzer.analyzeFull({ text: c.text, language });
    points.push(...pointsOf(analysis, (uri) => c.skills.includes(uri), group));
  }
  return points;
}

/**
 * Finnish and Swedish: the dev half of the realistic set (never its test half). A skill candidate is positive
 * when the passage's gold has the skill; an occupation named in the text when the gold has its ISCO group (one
 * named with neither need nor surplus and not in the gold is left out).
 */
export function realisticPoints(
  analyzer: Analyzer,
  passages: RealisticPassage[],
  skills: TaxonomyData['skills'],
  firstGroup: number,
): CalibrationPoint[] {
  const uriOf = new Map(skills.map((s) => [s.names.en, s.uri]));
  const points: CalibrationPoint[] = [];
  passages
    .filter((p) => p.split === 'dev')
    .forEach((p, i) => {
      const group = firstGroup + i;
      const analysis = analyzer.analyze({
        text: p.text,
        title: p.title,
        language: p.language,
        kind: p.kind,
        date: p.date,
      });
      const gold = goldOf(p, uriOf);
      points.push(...pointsOf(analysis, (uri) => gold.skills.has(gold.same(uri)), group));
      for (const m of analysis.occupationMentions) {
        if (m.source !== 'text') continue;
        const positive = gold.occupations.has(gold.same(m.isco));
        // the gold lists needs and surpluses only: a name in a sentence of neither ("kokkeja on riittävästi") is
        // not known to be wrong
        if (!positive && m.polarity === 'mention') continue;
        points.push({ language: p.language, method: 'occupation', raw: m.rawScore, positive, group });
      }
    });
  return points;
}

/**
 * Platt scaling that never ranks a weaker match above a better one: where the points would give a falling
 * curve (a small set where some exact labels are wrong), every score gets the method's share of right ones.
 */
function fitMonotone(points: { raw: number; positive: boolean }[]): { a: number; b: number } {
  const fit = fitPlatt(points);
  if (fit.a >= 0) return fit;
  const share = Math.min(0.99, Math.max(0.01, points.filter((p) => p.positive).length / points.length));
  return { a: 0, b: Math.log(share / (1 - share)) };
}

/** Fits each method's Platt parameters on all points and measures the fit by cross-validation over sentences. */
export function fitCalibration(
  points: CalibrationPoint[],
  meta: { files: string[]; pipeline: string; encoder: string | null },
): CalibrationFile {
  // each language and method separately: a Finnish lemma match and an English stem match of the same raw score
  // are not equally reliable
  const methods: CalibrationFile['methods'] = {};
  const quality: CalibrationFile['quality'] = {};
  for (const method of [...new Set(points.map((p) => `${p.language}:${p.method}`))].sort()) {
    const own = points.filter((p) => `${p.language}:${p.method}` === method);
    const positives = own.filter((p) => p.positive).length;
    if (own.length < 20 || positives < 3 || own.length - positives < 3) continue;
    const fit = { ...fitMonotone(own), n: own.length, positives };
    const held: { p: number; positive: boolean }[] = [];
    for (let fold = 0; fold < FOLDS; fold++) {
      const { a, b } = fitMonotone(own.filter((p) => p.group % FOLDS !== fold));
      for (const p of own.filter((x) => x.group % FOLDS === fold))
        held.push({ p: 1 / (1 + Math.exp(-(a * p.raw + b))), positive: p.positive });
    }
    const raw = own.map((p) => ({ p: Math.min(1, p.raw), positive: p.positive }));
    const r = (x: number) => Math.round(x * 10_000) / 10_000;
    quality[method] = {
      brierRaw: r(brier(raw)),
      brierCalibrated: r(brier(held)),
      eceRaw: r(expectedCalibrationError(raw)),
      eceCalibrated: r(expectedCalibrationError(held)),
    };
    // a fit that does worse than the raw scores on held-out folds is reported, not used
    if (quality[method].brierCalibrated <= quality[method].brierRaw) methods[method] = fit;
  }
  return {
    description:
      'Platt scaling per language and method ("en:semantic"): p = 1 / (1 + exp(-(a * raw + b))) is the probability ' +
      'that the skill is meant, fitted on the candidates the pipeline proposed for labelled sentences: English on the ' +
      "ESCO skill-linking development files (positive = annotators linked the skill), Finnish on the project's own " +
      'sentence set and realistic passages (positive = the passage asks for it). Where a language has no fit of its ' +
      'own, the raw score stands. ' +
      'Written by `skills-radar calibrate`.',
    fittedAt: new Date().toISOString(),
    pipeline: meta.pipeline,
    encoder: meta.encoder,
    sources: meta.files.map((f) => ({
      file: basename(f),
      sha256: createHash('sha256').update(readFileSync(f)).digest('hex'),
    })),
    methods,
    quality,
  };
}

export function skillLinkingFiles(benchDir: string): string[] {
  const dir = join(benchDir, 'esco-skill-linking');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('_annotations.csv'))
    .sort()
    .map((f) => join(dir, f));
}
