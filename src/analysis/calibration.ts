import { existsSync, readFileSync } from 'node:fs';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import type { Method } from '../domain/analysis.js';
import type { Language } from '../domain/language.js';

const Platt = Type.Object({ a: Type.Number(), b: Type.Number() });

export const CalibrationFile = Type.Object({
  /** what the probabilities mean and where they were fitted */
  description: Type.String(),
  fittedAt: Type.String(),
  pipeline: Type.String(),
  encoder: Type.Union([Type.String(), Type.Null()]),
  sources: Type.Array(Type.Object({ file: Type.String(), sha256: Type.String() })),
  /** keyed by language and method: "fi:lexical", "en:semantic"; "fi:occupation" for occupations named in a text */
  methods: Type.Record(
    Type.String({ pattern: '^(fi|sv|en):(lexical|semantic|occupation)$' }),
    Type.Object({ ...Platt.properties, n: Type.Integer(), positives: Type.Integer() }),
  ),
  /** held-out quality of the fit (cross-validated over the sources): before = raw scores taken as probabilities */
  quality: Type.Record(
    Type.String(),
    Type.Object({
      brierRaw: Type.Number(),
      brierCalibrated: Type.Number(),
      eceRaw: Type.Number(),
      eceCalibrated: Type.Number(),
    }),
  ),
});
export type CalibrationFile = Static<typeof CalibrationFile>;

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** A raw score through a Platt fit, to three decimals; without a fit, the raw score. */
const applied = (p: { a: number; b: number } | undefined, raw: number) =>
  p ? Math.round(sigmoid(p.a * raw + p.b) * 1000) / 1000 : raw;

/**
 * Turns a method's raw score (lexical match quality, or the encoder's cosine) into the probability that the skill
 * is one an annotator would name for that passage (Platt scaling: p = σ(a·raw + b), fitted per method by
 * `skills-radar calibrate`). Without a calibration file, or for a method it does not cover, the raw score stands.
 */
export class Calibrator {
  private constructor(private readonly methods: Map<string, { a: number; b: number }>) {}

  static identity(): Calibrator {
    return new Calibrator(new Map());
  }

  /** The semantic fit holds only for the encoder it was fitted with: with another, raw cosines stand. */
  static load(path: string, encoder: string | null): Calibrator {
    if (!existsSync(path)) return Calibrator.identity();
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (!Value.Check(CalibrationFile, parsed)) {
      const first = [...Value.Errors(CalibrationFile, parsed)][0];
      throw new Error(
        `calibration file ${path} is malformed${first ? `: ${first.instancePath || '/'} ${first.message}` : ''}`,
      );
    }
    const methods = Object.entries(parsed.methods).filter(
      ([m]) => !m.endsWith(':semantic') || (encoder !== null && encoder === parsed.encoder),
    );
    return new Calibrator(new Map(methods.map(([m, p]) => [m, { a: p.a, b: p.b }])));
  }

  /**
   * The language's own fit for the method; without one the raw score stands (another language's fit does not
   * carry over: English stems fail in other ways than Finnish lemmas). An alias shares the lexical fit.
   */
  probability(language: Language, method: Method, raw: number): number {
    return applied(this.methods.get(`${language}:${method === 'alias' ? 'lexical' : method}`), raw);
  }

  /**
   * The probability that an occupation label found in a sentence names that occupation: the language's own
   * occupation fit only, since skill labels (often verbs and generic words) fail in other ways than occupation
   * titles do; without one the match quality stands.
   */
  occupationProbability(language: Language, raw: number): number {
    return applied(this.methods.get(`${language}:occupation`), raw);
  }

  get calibrated(): boolean {
    return this.methods.size > 0;
  }
}

/**
 * Evidence from independent methods combined as a noisy-OR: the skill is missed only if every method's evidence
 * is wrong. Repeated mentions by the same method are not independent, so only each method's best counts.
 */
export function combineEvidence(probabilities: number[]): number {
  let miss = 1;
  for (const p of probabilities) miss *= 1 - p;
  return Math.round((1 - miss) * 1000) / 1000;
}

/** Logistic regression on one feature (Newton's method with a little L2 on the slope), for Platt scaling. */
export function fitPlatt(points: { raw: number; positive: boolean }[]): { a: number; b: number } {
  let a = 1;
  let b = 0;
  const lambda = 1e-3;
  for (let iter = 0; iter < 100; iter++) {
    let ga = lambda * a;
    let gb = 0;
    let haa = lambda;
    let hab = 0;
    let hbb = 1e-9;
    for (const { raw, positive } of points) {
      const p = sigmoid(a * raw + b);
      const e = p - (positive ? 1 : 0);
      const w = p * (1 - p);
      ga += e * raw;
      gb += e;
      haa += w * raw * raw;
      hab += w * raw;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (Math.abs(det) < 1e-12) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-9) break;
  }
  return { a, b };
}

export function brier(points: { p: number; positive: boolean }[]): number {
  if (points.length === 0) return 0;
  return points.reduce((s, x) => s + (x.p - (x.positive ? 1 : 0)) ** 2, 0) / points.length;
}

/** Expected calibration error over ten equal-width probability bins. */
export function expectedCalibrationError(points: { p: number; positive: boolean }[], bins = 10): number {
  if (points.length === 0) return 0;
  const sum = new Array<number>(bins).fill(0);
  const hits = new Array<number>(bins).fill(0);
  const count = new Array<number>(bins).fill(0);
  for (const { p, positive } of points) {
    const bin = Math.min(bins - 1, Math.floor(Math.max(0, p) * bins));
    sum[bin]! += p;
    hits[bin]! += positive ? 1 : 0;
    count[bin]!++;
  }
  let ece = 0;
  for (let i = 0; i < bins; i++)
    if (count[i]! > 0) ece += (count[i]! / points.length) * Math.abs(sum[i]! / count[i]! - hits[i]! / count[i]!);
  return ece;
}
