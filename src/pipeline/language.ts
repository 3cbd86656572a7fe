import { eld } from 'eld/medium';

export const LANGUAGES = ['fi', 'sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

let ready = false;

export interface LanguageGuess {
  language: Language;
  /** the detector's score for it, 0–1 */
  confidence: number;
  /** true when the text was too short or unclear and the answer is the fallback */
  fallback: boolean;
}

/** Detects Finnish, Swedish or English (ELD n-gram detector restricted to the three). */
export function detectLanguage(text: string, fallback: Language = 'fi'): LanguageGuess {
  if (!ready) {
    eld.setLanguageSubset([...LANGUAGES]);
    ready = true;
  }
  const sample = text.length > 4_000 ? text.slice(0, 4_000) : text;
  const result = eld.detect(sample);
  const scores = result.getScores() as Record<string, number>;
  const best = LANGUAGES.map((l) => [l, scores[l] ?? 0] as const).sort((a, b) => b[1] - a[1])[0]!;
  if (best[1] <= 0 || !(LANGUAGES as readonly string[]).includes(result.language)) {
    return { language: fallback, confidence: 0, fallback: true };
  }
  return { language: best[0], confidence: Math.min(1, best[1]), fallback: false };
}
