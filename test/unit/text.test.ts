import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../src/pipeline/language.js';
import { normalizeText, segmentSentences, tokenize } from '../../src/pipeline/text.js';

describe('tokenize', () => {
  it('keeps exact offsets and joins hyphenated and technical words', () => {
    const text = 'MIG-hitsaus, C++ ja node.js; SQL:n osaaminen.';
    const tokens = tokenize(text);
    expect(tokens.map((t) => t.text)).toEqual(['MIG-hitsaus', 'C++', 'ja', 'node.js', 'SQL', 'n', 'osaaminen']);
    for (const t of tokens) expect(text.slice(t.start, t.end)).toBe(t.text);
  });
});

describe('segmentSentences', () => {
  it('splits at sentence ends and line breaks, not after abbreviations', () => {
    const text = normalizeText('Etsimme hitsaajaa esim. Lahteen.\r\nTehtävät:\n- MIG-hitsaus\n- trukin ajo\n\nHaku päättyy pian!');
    const sentences = segmentSentences(text, 'fi');
    expect(sentences.map((s) => s.text)).toEqual(['Etsimme hitsaajaa esim. Lahteen.', 'Tehtävät:', '- MIG-hitsaus', '- trukin ajo', 'Haku päättyy pian!']);
    for (const s of sentences) expect(text.slice(s.start, s.end)).toBe(s.text);
    expect(sentences.map((s) => s.index)).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('detectLanguage', () => {
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
