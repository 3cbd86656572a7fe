import { describe, expect, it } from 'vitest';
import { englishPhrases, englishWords } from '../../src/analysis/english-words.js';

const texts = (sentence: string) => englishPhrases(sentence).map((p) => p.text);

/** Issue 32: English phrase candidates from compromise, coordinations split into their parts. */
describe('English phrase candidates', () => {
  it('gives each of coordinated verbs the shared object, and each verb phrase its own', () => {
    expect(
      texts('You will design and maintain CI pipelines, write unit tests and work closely with product owners.'),
    ).toEqual(['design CI pipelines', 'maintain CI pipelines', 'write unit tests', 'work closely with product owners']);
    expect(texts('Managing and prioritising your own workload')).toEqual([
      'Managing your own workload',
      'prioritising your own workload',
    ]);
  });

  it('splits a list of tools into its items, and ends it where the sentence says something of it', () => {
    expect(texts('Kubernetes, Docker or AWS is a plus.')).toEqual(['Kubernetes', 'Docker', 'AWS']);
  });

  it('reads a bullet fragment as one phrase, with offsets in the sentence', () => {
    const sentence = '• Strong communication skills';
    const [phrase] = englishPhrases(sentence);
    expect(phrase).toEqual({ text: 'Strong communication skills', start: 2, end: sentence.length });
  });

  it("cuts punctuation off the words and keeps compromise's part of speech", () => {
    const words = englishWords('Write tests (unit, integration).');
    expect(words.map((w) => w.text)).toEqual(['Write', 'tests', '(', 'unit', ',', 'integration', ').']);
    expect(words[0]!.pos).toBe('Infinitive');
    expect(words[2]!.pos).toBe('Punct');
  });
});
