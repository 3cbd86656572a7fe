import { LANGUAGES, type Language } from '../domain/language.js';

type Detector = (typeof import('eld/medium'))['eld'];
let detector: Detector | undefined;

/**
 * Loads the n-gram detector, restricted to the three languages. Its tables are some 60 MB of JavaScript heap, so
 * only the processes that analyse load them (Analyzer.create): the API, whose analyses run in a process of its
 * own, never holds them, and its garbage collector has that much less to go through.
 */
export async function loadLanguageDetector(): Promise<void> {
  if (detector) return;
  const { eld } = await import('eld/medium');
  eld.setLanguageSubset([...LANGUAGES]);
  detector = eld;
}

export interface LanguageGuess {
  language: Language;
  /** the detector's score for it, 0–1 */
  confidence: number;
  /** true when the text was too short or unclear and the answer is the fallback */
  fallback: boolean;
}

/** Detects Finnish, Swedish or English (ELD n-gram detector restricted to the three); loadLanguageDetector() first. */
export function detectLanguage(text: string, fallback: Language = 'fi'): LanguageGuess {
  if (!detector) throw new Error('the language detector is not loaded: await loadLanguageDetector() first');
  const sample = text.length > 4_000 ? text.slice(0, 4_000) : text;
  const result = detector.detect(sample);
  const scores = result.getScores() as Record<string, number>;
  const best = LANGUAGES.map((l) => [l, scores[l] ?? 0] as const).sort((a, b) => b[1] - a[1])[0]!;
  if (best[1] <= 0 || !(LANGUAGES as readonly string[]).includes(result.language)) {
    return { language: fallback, confidence: 0, fallback: true };
  }
  return { language: best[0], confidence: Math.min(1, best[1]), fallback: false };
}
