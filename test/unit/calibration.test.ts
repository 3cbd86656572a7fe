import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  skillLinkingFiles,
  skillLinkingPoints,
  fitCalibration,
  type CalibrationPoint,
} from '../../src/interfaces/eval/calibrate.js';
import {
  brier,
  Calibrator,
  combineEvidence,
  expectedCalibrationError,
  fitPlatt,
} from '../../src/analysis/calibration.js';
import { PROJECT_ROOT } from '../../src/base/paths.js';
import { fixtureAnalyzer } from '../helpers/context.js';

/** deterministic points drawn from p = σ(a·raw + b) */
function sample(a: number, b: number, n: number, language: 'fi' | 'sv' | 'en' = 'en'): CalibrationPoint[] {
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: n }, (_, i) => {
    const raw = 0.5 + 0.5 * random();
    return {
      language,
      method: 'lexical' as const,
      raw,
      positive: random() < 1 / (1 + Math.exp(-(a * raw + b))),
      group: i,
    };
  });
}

const fileWith = (content: unknown) => {
  const file = join(mkdtempSync(join(tmpdir(), 'radar-cal-')), 'calibration.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};

describe('score calibration', () => {
  it('recovers the parameters of the process that made the data', () => {
    const { a, b } = fitPlatt(sample(12, -9, 4000));
    expect(a).toBeGreaterThan(9);
    expect(a).toBeLessThan(15);
    expect(b / a).toBeCloseTo(-0.75, 1);
  });

  it('fits per language and method, and measures the fit on held-out folds', () => {
    const fitted = fitCalibration([...sample(12, -9, 600), ...sample(6, -3, 300, 'fi')], {
      files: [],
      pipeline: 'test',
      encoder: null,
    });
    expect(Object.keys(fitted.methods).sort()).toEqual(['en:lexical', 'fi:lexical']);
    const q = fitted.quality['en:lexical']!;
    // raw scores of 0.5–1 read as probabilities are badly calibrated for this process; the fit is not
    expect(q.eceCalibrated).toBeLessThan(q.eceRaw);
    expect(q.brierCalibrated).toBeLessThan(q.brierRaw);
    const calibrator = Calibrator.load(fileWith(fitted), null);
    expect(calibrator.probability('en', 'lexical', 1)).toBeCloseTo(
      1 / (1 + Math.exp(-(fitted.methods['en:lexical']!.a + fitted.methods['en:lexical']!.b))),
      3,
    );
    // Swedish has no fit of its own: its raw score stands, not the English fit; an alias is lexical evidence
    expect(calibrator.probability('sv', 'lexical', 0.9)).toBe(0.9);
    expect(calibrator.probability('fi', 'alias', 0.9)).toBe(calibrator.probability('fi', 'lexical', 0.9));
    expect(calibrator.probability('fi', 'lexical', 0.9)).not.toBe(calibrator.probability('en', 'lexical', 0.9));
  });

  it('never scores a weaker match above a better one: a falling fit becomes the share of right ones', () => {
    // better raw scores right less often than worse ones, as a small set can have it
    const falling = sample(-6, 5, 400, 'sv');
    const fitted = fitCalibration(falling, { files: [], pipeline: 'test', encoder: null });
    const share = falling.filter((p) => p.positive).length / falling.length;
    expect(fitted.methods['sv:lexical']!.a).toBe(0);
    const calibrator = Calibrator.load(fileWith(fitted), null);
    expect(calibrator.probability('sv', 'lexical', 0.7)).toBeCloseTo(share, 2);
    expect(calibrator.probability('sv', 'lexical', 1)).toBeCloseTo(share, 2);
  });

  it('reports, but does not use, a fit that does worse than the raw scores on held-out folds', () => {
    // raw scores that are already exact probabilities (1 in 5 right at 0.2, 4 in 5 at 0.8): a fit on part of
    // them only strays from that on the rest
    const exact = Array.from({ length: 50 }, (_, i) => ({
      language: 'fi' as const,
      method: 'occupation' as const,
      raw: i < 25 ? 0.2 : 0.8,
      positive: i < 25 ? i % 5 === 0 : i % 5 !== 0,
      group: i,
    }));
    const fitted = fitCalibration(exact, { files: [], pipeline: 'test', encoder: null });
    expect(fitted.methods['fi:occupation']).toBeUndefined();
    expect(fitted.quality['fi:occupation']!.brierCalibrated).toBeGreaterThan(fitted.quality['fi:occupation']!.brierRaw);
  });

  it('calibrates occupations named in a text by their own fit only', () => {
    const fitted = fitCalibration(
      sample(12, -9, 300, 'fi').map((p) => ({ ...p, method: 'occupation' as const })),
      { files: [], pipeline: 'test', encoder: null },
    );
    const calibrator = Calibrator.load(fileWith(fitted), null);
    expect(calibrator.occupationProbability('fi', 0.9)).not.toBe(0.9);
    expect(calibrator.occupationProbability('sv', 0.9)).toBe(0.9);
    expect(calibrator.probability('fi', 'lexical', 0.9)).toBe(0.9);
  });

  it('keeps the semantic fit only for the encoder it was fitted with', () => {
    const fitted = fitCalibration(
      sample(5, -6, 500).map((p) => ({ ...p, method: 'semantic' as const })),
      { files: [], pipeline: 'test', encoder: 'use-lite-en' },
    );
    const file = fileWith(fitted);
    expect(Calibrator.load(file, 'use-lite-en').probability('en', 'semantic', 0.7)).toBeLessThan(0.7);
    expect(Calibrator.load(file, 'multilingual-e5-small').probability('en', 'semantic', 0.7)).toBe(0.7);
  });

  it('leaves raw scores without a file, and rejects a malformed one by name', () => {
    expect(Calibrator.load('/nonexistent/calibration.json', null).probability('fi', 'lexical', 0.83)).toBe(0.83);
    const bad = fileWith({ methods: { 'xx:lexical': { a: 'one' } } });
    expect(() => Calibrator.load(bad, null)).toThrow(/calibration file .*calibration\.json is malformed/);
  });

  it('combines independent evidence as a noisy-OR and measures calibration', () => {
    expect(combineEvidence([0.5, 0.5])).toBe(0.75);
    expect(combineEvidence([0.9])).toBe(0.9);
    expect(
      brier([
        { p: 1, positive: true },
        { p: 0, positive: false },
      ]),
    ).toBe(0);
    expect(
      expectedCalibrationError([
        { p: 0.25, positive: true },
        { p: 0.25, positive: false },
        { p: 0.25, positive: false },
        { p: 0.25, positive: false },
      ]),
    ).toBeCloseTo(0, 6);
    expect(expectedCalibrationError([{ p: 0.9, positive: false }])).toBeCloseTo(0.9, 6);
  });

  it("labels the pipeline candidates of annotated sentences by the annotators' skills", async () => {
    const { analyzer, taxonomy } = await fixtureAnalyzer();
    const points = await skillLinkingPoints(
      taxonomy.skills,
      analyzer,
      skillLinkingFiles(join(PROJECT_ROOT, 'test', 'fixtures', 'bench')),
    );
    // "strong welding skills and welding equipment": annotated with welding techniques and operating welding
    // equipment, both found by the lexical matcher
    expect(points.filter((p) => p.positive).length).toBeGreaterThanOrEqual(2);
    expect(points.every((p) => p.language === 'en' && p.method === 'lexical' && p.raw > 0)).toBe(true);
  });
});
