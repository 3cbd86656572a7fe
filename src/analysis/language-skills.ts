import type { Language } from '../domain/language.js';
import type { LexicalMatch } from './lexicon.js';
import type { Sentence } from './text.js';

/** Words that make a sentence about languages: "kielitaito", "puhut", "flytande", "spoken". */
const LANGUAGE_CONTEXT: Record<Language, RegExp> = {
  fi: /kiel|taito|puhu|kirjoit|suju|hallit|osaa/iu,
  sv: /språk|tala|talar|skriv|flytande|kunskap|modersmål|behärsk|muntlig|skriftlig|krav|krävs/iu,
  en: /language|speak|spoken|written|fluen|proficien|native|mother tongue|bilingual|command of/iu,
};

/** A verb of need right after a sentence's first word makes that word a language ("Finska behövs", "Ruotsia tarvitaan"). */
const NEEDED_NEXT: Record<Language, RegExp> = {
  fi: /^\s+(?:tarvitaan|vaaditaan|edellytetään|käytetään|toivotaan)(?![\p{L}])/u,
  sv: /^\s+(?:behövs|krävs|önskas|används|talas)(?![\p{L}])/u,
  en: /^$/u,
};

/**
 * Whether a match of a language skill is about the language rather than a country or a place ("Ruotsista",
 * "Etelä-Suomessa", "our Swedish customers"). Finnish and Swedish write languages in lower case and places
 * capitalised, so a lower-case word, or a Finnish translative ("suomeksi"), is a language; a capitalised word
 * is one only at the start of a sentence about languages. English capitalises both: there the sentence must be
 * about languages.
 */
export function isAboutLanguage(language: Language, text: string, sentence: Sentence, m: LexicalMatch): boolean {
  const word = text.slice(m.start, m.end);
  const rest = text.slice(sentence.start, m.start) + text.slice(m.end, sentence.end);
  // a capitalised part after a hyphen is a place ("Keski-Suomen", "Etelä-Suomessa"), never a language
  if (/-\p{Lu}/u.test(word)) return false;
  if (language === 'en') return LANGUAGE_CONTEXT.en.test(rest);
  if (/^\p{Ll}/u.test(word) || (language === 'fi' && /ksi$/u.test(word))) return true;
  const first = text.slice(sentence.start, m.start).trim() === '';
  // a compound on knowing it is about the language wherever it stands ("Finskkunskaper", "Ruotsin kielitaito")
  const ownHead = /\p{Ll}(?:kunskap|kunnande|kielitaito|taito)/u.test(word);
  return (
    ownHead ||
    (first && (LANGUAGE_CONTEXT[language].test(rest) || NEEDED_NEXT[language].test(text.slice(m.end, sentence.end))))
  );
}
