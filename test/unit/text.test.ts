import { beforeAll, describe, expect, it } from 'vitest';
import { detectLanguage, loadLanguageDetector } from '../../src/analysis/language.js';
import { normalizeText, segmentSentences, splitPhrases, tokenize } from '../../src/analysis/text.js';

describe('tokenize', () => {
  it('keeps exact offsets and joins hyphenated and technical words', () => {
    const text = 'MIG-hitsaus, C++ ja node.js; SQL:n osaaminen.';
    const tokens = tokenize(text);
    expect(tokens.map((t) => t.text)).toEqual(['MIG-hitsaus', 'C++', 'ja', 'node.js', 'SQL', 'n', 'osaaminen']);
    for (const t of tokens) expect(text.slice(t.start, t.end)).toBe(t.text);
  });

  it('parts slashed modifiers before a shared head, and keeps other slashes', () => {
    const text = 'MIG/MAG-hitsaus ja CI/CD ja/tai km/h';
    const tokens = tokenize(text);
    expect(tokens.map((t) => t.text)).toEqual(['MIG', 'MAG-hitsaus', 'ja', 'CI/CD', 'ja/tai', 'km/h']);
    for (const t of tokens) expect(text.slice(t.start, t.end)).toBe(t.text);
  });
});

describe('segmentSentences', () => {
  it('splits at sentence ends and line breaks, not after abbreviations', () => {
    const text = normalizeText(
      'Etsimme hitsaajaa esim. Lahteen.\r\nTehtävät:\n- MIG-hitsaus\n- trukin ajo\n\nHaku päättyy pian!',
    );
    const sentences = segmentSentences(text, 'fi');
    expect(sentences.map((s) => s.text)).toEqual([
      'Etsimme hitsaajaa esim. Lahteen.',
      'Tehtävät:',
      '- MIG-hitsaus',
      '- trukin ajo',
      'Haku päättyy pian!',
    ]);
    for (const s of sentences) expect(text.slice(s.start, s.end)).toBe(s.text);
    expect(sentences.map((s) => s.index)).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('splitPhrases', () => {
  it('divides a sentence at list marks and coordinating words, with offsets in the text', () => {
    const text = 'Intro. Hallitset asiakaspalvelun, kassatyöskentelyn ja tavaroiden hyllyttämisen sekä trukin ajon.';
    const sentence = segmentSentences(text, 'fi')[1]!;
    const phrases = splitPhrases(sentence, 1);
    expect(phrases.map((p) => p.text)).toEqual([
      'Hallitset asiakaspalvelun',
      'kassatyöskentelyn',
      'tavaroiden hyllyttämisen',
      'trukin ajon',
    ]);
    for (const p of phrases) expect(text.slice(p.start, p.end)).toBe(p.text);
    expect(phrases.every((p) => p.index === 1)).toBe(true);
  });

  it('keeps phrases of enough words, and gives none for a sentence that does not divide', () => {
    const sentence = segmentSentences('You know Python and can design relational databases.', 'en')[0]!;
    expect(splitPhrases(sentence).map((p) => p.text)).toEqual(['You know Python', 'can design relational databases']);
    expect(splitPhrases(sentence, 4).map((p) => p.text)).toEqual(['can design relational databases']);
    expect(splitPhrases(segmentSentences('Vi söker en erfaren svetsare.', 'sv')[0]!)).toEqual([]);
  });
});

describe('detectLanguage', () => {
  beforeAll(loadLanguageDetector);

  it.each([
    ['Etsimme kokenutta hitsaajaa Hämeenlinnaan. Edellytämme MIG-hitsauksen osaamista.', 'fi'],
    ['Vi söker en erfaren svetsare till vår verkstad i Vasa. Du har truckkort.', 'sv'],
    ['We are looking for an experienced welder for our workshop in Tampere.', 'en'],
  ])('%s → %s', (text, language) => {
    const guess = detectLanguage(text);
    expect(guess.language).toBe(language);
    expect(guess.fallback).toBe(false);
  });

  it('falls back when there is nothing to go on', () => {
    expect(detectLanguage('12345', 'sv')).toMatchObject({ language: 'sv', fallback: true });
  });
});
